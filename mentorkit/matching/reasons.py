"""Reasons in words: why a pair scores what it does, and why someone is left unmatched."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mentorkit.core.text import count_of
from mentorkit.core.words import frequency_words, slot_words, tag_words
from mentorkit.matching.arrays import distinct
from mentorkit.matching.criteria import (
    AVOID,
    FAR_APART_HOURS,
    FORBID,
    IDEAL_GAP,
    INELIGIBLE,
    NO_SHARED_SLOT,
    OK,
    SCORE_BELOW_MIN,
    forbidden,
    pair_parts,
    total_score,
)
from mentorkit.matching.features import LOCAL_WEEK, SLOT_CODES
from mentorkit.matching.model import (
    ALL_AVOIDED,
    ALL_FORBIDDEN,
    BELOW_MIN,
    CRITERIA,
    NO_CAPACITY,
    NO_SLOT,
    Reason,
    Weights,
)
from mentorkit.matching.pool import Pool


def names_text(items: Iterable[str]) -> str:
    items = sorted(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def tags_text(tags: Iterable[str]) -> str:
    """Expertise tags in words, within a sentence: "management and specialist / technical"."""
    return names_text(tag_words(t).lower() for t in tags)


def lock_problem(
    pool: Pool, first_id: str, second_id: str, forbid: set[tuple[int, int]], peer: bool
) -> tuple[str | None, tuple[int, int] | None]:
    """Why a lock on these two cannot be kept (or None), and else the pair's indices:
    (mentor, mentee), or in order for peers."""
    join = " + " if peer else " → "
    missing = [x for x in (first_id, second_id) if x not in pool.index]
    if missing:
        return (
            f"Lock {first_id}{join}{second_id}: {names_text(missing)} not in the pool "
            "(a lock can only name applicants).",
            None,
        )
    i, j = pool.index[first_id], pool.index[second_id]
    if peer:
        i, j = sorted((i, j))
    first, second = pool.apps[i], pool.apps[j]
    lock = f"Lock {first.label}{join}{second.label}"
    rule = forbidden(first, second, peer=peer)
    if rule:
        return f"{lock} breaks a hard rule. {rule}", None
    if (i, j) in forbid:
        return (
            f"{lock} is also forbidden (forbid rule): remove either the lock or the forbid.",
            None,
        )
    return None, (i, j)


def explain_pairs(
    pool: Pool, e: np.ndarray, m: np.ndarray, weights: Weights, peer: bool
) -> list[tuple[float, tuple[Reason, ...]]]:
    """(score, reasons) for the pairs (e[k], m[k]); reasons largest share first."""
    if not len(e):
        return []
    e, m = np.asarray(e, np.intp), np.asarray(m, np.intp)
    parts = pair_parts(pool, e, m, peer)
    totals = total_score(parts, weights).tolist()
    used = [(name, getattr(weights, name)) for name in CRITERIA if getattr(weights, name) > 0]
    facts = _PairFacts(pool, e, m, peer)
    values = {name: parts[name].tolist() for name, _ in used}
    order = {name: k for k, name in enumerate(CRITERIA)}
    out = []
    for k, (i, j) in enumerate(zip(e.tolist(), m.tolist(), strict=True)):
        mentee, mentor = pool.apps[i], pool.apps[j]
        reasons = [
            Reason(
                name,
                round(weight * values[name][k], 2),
                _TEXTS[name](mentor, mentee, pool, facts, k, values[name][k]),
            )
            for name, weight in used
        ]
        reasons.sort(key=lambda r: (-r.points, order[r.criterion]))
        out.append((totals[k], tuple(reasons)))
    return out


class _PairFacts:
    """What the reasons for many pairs (e[k], m[k]) need, worked out for all pairs at once:
    the mentee's slots that meet the mentor's time, and the competency that fits best."""

    def __init__(self, pool: Pool, e: np.ndarray, m: np.ndarray, peer: bool):
        self.peer = peer
        self.mentees, self.mentors = e.tolist(), m.tolist()
        slot_names = list(SLOT_CODES)
        meets = np.zeros((len(e), len(slot_names)), bool)
        theirs = pool.avail[m].astype(np.float32)
        for shift in distinct(pool.shifts[e]):
            here = pool.shifts[e] == shift
            week = np.roll(LOCAL_WEEK, -int(shift), axis=1).astype(np.float32)
            meets[here] = theirs[here] @ week.T > 0
        meets &= pool.slots[e]
        self.shared_slots: list[list[str]] = [[] for _ in range(len(e))]
        for k, c in zip(*(x.tolist() for x in np.nonzero(meets)), strict=True):
            self.shared_slots[k].append(slot_names[c])
        self.domains = pool.domains
        fit, need, domain = _best_fit(pool, e, m)
        self.swapped = np.zeros(len(e), bool)
        if peer:
            # Either may be the one with the need; the mentee's direction wins ties.
            fit_b, need_b, domain_b = _best_fit(pool, m, e)
            self.swapped = _lexically_greater((fit_b, need_b, domain_b), (fit, need, domain))
            fit = np.where(self.swapped, fit_b, fit)
            domain = np.where(self.swapped, domain_b, domain)
        self.fit, self.domain = fit.tolist(), domain.tolist()


def _best_fit(pool: Pool, low: np.ndarray, high: np.ndarray):
    """Per pair: (fit, need, domain index) of the domain both rated where ``low`` needs most
    of what ``high`` is strong in; ties go to the larger need, then the later domain. -1 as
    the domain when they rated nothing in common."""
    common = (pool.rated[low] > 0) & (pool.rated[high] > 0)
    fit = np.where(common, pool.need[low] * pool.strength[high], -np.inf)
    need = np.where(common, pool.need[low], -np.inf)
    best = fit.max(1, initial=-np.inf)
    top = common & (fit == best[:, None])
    best_need = np.where(top, need, -np.inf).max(1, initial=-np.inf)
    top &= need == best_need[:, None]
    width = top.shape[1]
    if not width:
        return best, best_need, np.full(len(low), -1)
    domain = np.where(top.any(1), width - 1 - np.argmax(top[:, ::-1], axis=1), -1)
    return best, best_need, domain


def _lexically_greater(a: tuple, b: tuple) -> np.ndarray:
    """Element-wise ``a > b`` for tuples of equal-length arrays compared in order."""
    greater = np.zeros(len(a[0]), bool)
    equal = np.ones(len(a[0]), bool)
    for x, y in zip(a, b, strict=True):
        greater |= equal & (x > y)
        equal &= x == y
    return greater


def _text_expertise(mentor, mentee, pool, facts, k, value) -> str:
    if facts.peer:
        lines = []
        for a, b in ((mentee, mentor), (mentor, mentee)):
            if a.seeks & b.offers:
                lines.append(
                    f"{a.label} seeks {tags_text(a.seeks & b.offers)}, which {b.label} offers"
                )
        return "; ".join(lines) or "Neither offers what the other seeks"
    if not mentee.seeks:
        return f"{mentee.label} did not say what expertise they seek"
    covered, missing = mentee.seeks & mentor.offers, mentee.seeks - mentor.offers
    if not covered:
        return f"{mentor.label} offers none of what {mentee.label} seeks ({tags_text(missing)})"
    text = f"{mentee.label} seeks {tags_text(covered)}, which {mentor.label} offers"
    return text + (f" (but not {tags_text(missing)})" if missing else "")


def _text_goals(mentor, mentee, pool, facts, k, value) -> str:
    shared = pool.words[facts.mentees[k]] & pool.words[facts.mentors[k]]
    if not shared:
        return "Their goals have no words in common"
    return f"Their goals share the words {names_text(f'“{w}”' for w in shared)}"


def _text_availability(mentor, mentee, pool, facts, k, value) -> str:
    bits = []
    if mentor.slots and mentee.slots:
        slots = names_text(slot_words(s) for s in facts.shared_slots[k])
        bits.append(f"both free on {slots} ({mentee.label}'s time)")
    else:
        missing = [a.label for a in (mentor, mentee) if not a.slots]
        bits.append(f"no time slots from {names_text(missing)} (counted as half)")
    apart = abs(mentor.utc_offset - mentee.utc_offset)
    if apart > FAR_APART_HOURS:
        bits.append(f"time zones {count_of(apart, 'hour')} apart (halved)")
    if mentor.frequency == mentee.frequency and mentor.frequency:
        bits.append(f"both want to meet {frequency_words(mentor.frequency)}")
    else:
        bits.append(
            f"different frequencies ({frequency_words(mentor.frequency) or '?'} / "
            f"{frequency_words(mentee.frequency) or '?'})"
        )
    text = "; ".join(bits)
    return text[0].upper() + text[1:]


def _text_experience(mentor, mentee, pool, facts, k, value) -> str:
    if facts.peer:
        alike = "Similar" if value >= 0.5 else "Different"
        return f"{alike} experience: {mentee.years:g} and {mentor.years:g} years"
    gap = mentor.years - mentee.years
    low, high = IDEAL_GAP
    if mentee.model == "reverse":
        return (
            f"Reverse mentoring: {mentee.label} has {count_of(-gap, 'year')} more experience than "
            f"{mentor.label} ({low:g}-{high:g} is ideal)"
        )
    if gap >= 0:
        return (
            f"{mentor.label} has {count_of(gap, 'year')} more experience than {mentee.label} "
            f"({low:g}-{high:g} is ideal)"
        )
    return f"{mentor.label} has {count_of(-gap, 'year')} less experience than {mentee.label}"


def _text_competencies(mentor, mentee, pool, facts, k, value) -> str:
    domain = facts.domain[k]
    if domain < 0:
        return "No shared competency ratings to compare (counted as half)"
    if facts.fit[k] <= 0:
        return f"{mentor.label} is not strongest where {mentee.label} rated themselves lowest"
    low, high = (mentor, mentee) if facts.swapped[k] else (mentee, mentor)
    return (
        f"{low.label} rated {facts.domains[domain]} low, where {high.label} rated themselves highly"
    )


_TEXTS = {
    "expertise": _text_expertise,
    "goals": _text_goals,
    "availability": _text_availability,
    "experience_gap": _text_experience,
    "competencies": _text_competencies,
}


def why_unmatched(counts: np.ndarray, side: str, best: float, weights: Weights) -> str:
    """Why someone has no partner, from how their possible partners were ruled out."""
    other = {"mentee": "mentor", "mentor": "mentee", "peer": "peer"}[side]
    if counts.sum() == 0:
        if side == "mentee":
            return f"{NO_CAPACITY} (there were no mentors in this pool)"
        return f"There were no {other}s to match"
    if counts[OK]:
        if side == "mentee":
            n = int(counts[OK])
            return f"{NO_CAPACITY} ({n} suitable mentor{'s were' if n > 1 else ' was'} full)"
        return f"Every suitable {other} was paired with someone else"
    kinds = [k for k in range(1, 6) if counts[k]]
    if len(kinds) == 1:
        kind = kinds[0]
        if kind == AVOID:
            return ALL_AVOIDED.format(other=other)
        if kind == NO_SHARED_SLOT:
            return NO_SLOT.format(other=other)
        if kind == FORBID:
            return ALL_FORBIDDEN.format(other=other)
        if kind == SCORE_BELOW_MIN:
            return f"{BELOW_MIN} (best {best:.1f}, minimum {weights.min_score:g})"
        return f"No eligible {other}"
    phrases = {
        INELIGIBLE: "not eligible",
        AVOID: "on a not-to-pair list",
        NO_SHARED_SLOT: "with no shared time slot",
        FORBID: "ruled out by the facilitator",
        SCORE_BELOW_MIN: f"scoring below the minimum of {weights.min_score:g}",
    }
    detail = ", ".join(f"{int(counts[k])} {phrases[k]}" for k in kinds)
    return f"No possible {other}: {detail}"


def code_counts(codes: np.ndarray, axis: int) -> np.ndarray:
    """Per row (axis=1) or column (axis=0): how many entries have each code (skips ignored)."""
    if axis == 0:
        codes = codes.T
    # Codes run from _SKIP (-1) to 5: seven kinds per row, counted in one pass.
    flat = codes.astype(np.intp) + (np.arange(codes.shape[0])[:, None] * 7 + 1)
    counts = np.bincount(flat.ravel(), minlength=codes.shape[0] * 7)
    return counts.reshape(codes.shape[0], 7)[:, 1:]


class Tally:
    """Per row and per column of a built matrix: how many pairs have each rule code, and the
    best score among those below the minimum (for the reasons someone is left unmatched)."""

    def __init__(self, codes: np.ndarray, scores: np.ndarray):
        counts: tuple[list, list] = ([], [])
        for kind in range(6):
            has = codes == kind
            counts[0].append(has.sum(0))
            counts[1].append(has.sum(1))
        self.counts = (np.stack(counts[0], -1), np.stack(counts[1], -1))
        below = codes == SCORE_BELOW_MIN
        self.low = tuple(np.max(scores, axis=axis, where=below, initial=-np.inf) for axis in (0, 1))

    def lookup(self, built_rows, built_cols, rows, cols, axis: int, n: int):
        """(counts, lows) for ``rows`` (axis 1) or ``cols`` (axis 0) against all of the other
        side, or (None, None) when the built matrix does not answer exactly that."""
        mine, other, whole = (rows, cols, built_cols) if axis == 1 else (cols, rows, built_rows)
        built = built_rows if axis == 1 else built_cols
        if not np.array_equal(other, whole) or np.intersect1d(rows, cols).size:
            return None, None
        at = np.full(n, -1, np.intp)
        at[built] = np.arange(len(built))
        k = at[mine]
        if (k < 0).any():
            return None, None
        return self.counts[axis][k], self.low[axis][k]


def cached_block(cached, rows: np.ndarray, cols: np.ndarray, n: int):
    """The rows × cols part of a matrix already built, or (None, None) if it lacks some."""
    built_rows, built_cols, scores, codes = cached[:4]
    if np.array_equal(rows, built_rows):
        cpos = np.full(n, -1, np.intp)
        cpos[built_cols] = np.arange(len(built_cols))
        c = cpos[cols]
        return (None, None) if (c < 0).any() else (scores[:, c], codes[:, c])
    rpos = np.full(n, -1, np.intp)
    cpos = np.full(n, -1, np.intp)
    rpos[built_rows] = np.arange(len(built_rows))
    cpos[built_cols] = np.arange(len(built_cols))
    r, c = rpos[rows], cpos[cols]
    if (r < 0).any() or (c < 0).any():
        return None, None
    return scores[np.ix_(r, c)], codes[np.ix_(r, c)].copy()
