"""Mentors with mentees (and group circles): sides, locks, the optimal assignment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np

from mentorkit.core.models import MIN_MENTOR_YEARS
from mentorkit.core.text import count_of
from mentorkit.exceptions import MentorkitError
from mentorkit.matching.arrays import as_set
from mentorkit.matching.criteria import OK, SCORE_BELOW_MIN, SKIP
from mentorkit.matching.matrix import score_matrix
from mentorkit.matching.model import Circle, Pairing, Proposal, Reason, Unmatched, Weights
from mentorkit.matching.pool import Pool, two_ids
from mentorkit.matching.reasons import (
    Tally,
    cached_block,
    code_counts,
    explain_pairs,
    lock_problem,
    names_text,
    why_unmatched,
)

_GUESS_BATCH = 64


def _assign(
    cost: np.ndarray,
    owner: np.ndarray,
    row_shift: np.ndarray,
    allowed: np.ndarray,
    alongside: Callable[[threading.Event], Any] | None = None,
) -> tuple[list[tuple[int, int]], Any]:
    """(row, column) pairs: as many rows matched as ``allowed`` permits, then the lowest total
    cost, each column used at most as often as it is repeated in ``cost`` (``owner`` gives
    the column of each repeat; all from :func:`score_matrix` with ``places``).

    Taking a constant off a row changes no choice when every row is matched, and the solver,
    which starts from zero, finds its way sooner; ``row_shift`` is put back when there are
    fewer places than rows. The solver lets go of the GIL, so ``alongside`` (if given) runs
    on another core meanwhile, told by an event when the solver is done; its result is
    returned with the pairs."""
    from scipy.optimize import linear_sum_assignment

    rows = np.flatnonzero(allowed.any(1))
    usable = np.asarray(allowed.any(0))[owner]
    if not len(rows) or not usable.any():
        done = threading.Event()
        done.set()
        return [], alongside(done) if alongside else None
    if len(rows) < len(allowed):
        cost = cost[rows]
    if not usable.all():
        cost, owner = np.compress(usable, cost, axis=1), owner[usable]
    if len(rows) > len(owner):
        cost = cost + row_shift[rows, None]
    with ThreadPoolExecutor(1) as beside:
        solved = threading.Event()
        extra = beside.submit(alongside, solved) if alongside else None
        try:
            r, c = linear_sum_assignment(cost)
        finally:
            solved.set()
    r, c = rows[r], owner[c]
    keep = allowed[r, c]
    pairs = list(zip(r[keep].tolist(), c[keep].tolist(), strict=True))
    return pairs, extra.result() if extra else None


def _lock_problems_bipartite(pool: Pool, locks, forbid_pairs) -> list[tuple[int, int]]:
    problems: list[str] = []
    pairs: list[tuple[int, int]] = []
    forbid = as_set(forbid_pairs)
    for item in locks:
        problem, pair = lock_problem(pool, *two_ids(item, "A lock"), forbid, peer=False)
        if problem:
            problems.append(problem)
        elif pair is not None and pair not in pairs:
            pairs.append(pair)
    mentors = {i for i, _ in pairs}
    mentees: dict[int, list[int]] = {}
    for i, j in pairs:
        mentees.setdefault(j, []).append(i)
    for j, mine in sorted(mentees.items()):
        if len(mine) > 1:
            problems.append(
                f"One mentor per mentee: {pool.apps[j].label} is locked to "
                f"{names_text(pool.apps[i].label for i in mine)}."
            )
    for person in sorted(mentors & set(mentees)):
        problems.append(
            f"Eligibility (one side only): {pool.apps[person].label} is locked both as a "
            "mentor and as a mentee."
        )
    load: dict[int, int] = {}
    for i, _ in pairs:
        load[i] = load.get(i, 0) + 1
    for i, count in sorted(load.items()):
        if count > pool.apps[i].capacity:
            problems.append(
                f"Capacity: {pool.apps[i].label} is locked to {count_of(count, 'mentee')} but can take "
                f"{pool.apps[i].capacity}."
            )
    if problems:
        raise MentorkitError(
            "These locks cannot all be kept, so nothing was proposed:\n  - "
            + "\n  - ".join(problems)
        )
    return sorted(pairs)


def match_bipartite(pool: Pool, weights: Weights, locks, forbid_pairs, mode: str) -> Proposal:
    apps = pool.apps
    locked = _lock_problems_bipartite(pool, locks, forbid_pairs)
    remaining = np.array([a.capacity for a in apps], np.int64)
    side = [""] * pool.n
    taken = np.zeros(pool.n, bool)
    for i, j in locked:
        side[i], side[j] = "mentor", "mentee"
        remaining[i] -= 1
        taken[j] = True
    notes: list[str] = []
    ineligible = []
    flexible = []
    for k, a in enumerate(apps):
        if side[k]:
            continue
        if a.role == "mentor":
            if a.years < MIN_MENTOR_YEARS:
                ineligible.append(k)
            else:
                side[k] = "mentor"
        elif a.role == "mentee" or a.years < MIN_MENTOR_YEARS:
            side[k] = "mentee"
        else:
            flexible.append(k)
    supply = int(sum(remaining[k] for k in range(pool.n) if side[k] == "mentor"))
    demand = int(sum(1 for k in range(pool.n) if side[k] == "mentee" and not taken[k]))
    for k in sorted(flexible, key=lambda k: (-apps[k].years, apps[k].id)):
        if supply < demand:
            side[k] = "mentor"
            supply += int(remaining[k])
            notes.append(
                f"{apps[k].label}, who could be either, was placed as a mentor: more mentees "
                "were waiting than there were mentor places."
            )
        else:
            side[k] = "mentee"
            demand += 1
            notes.append(
                f"{apps[k].label}, who could be either, was placed as a mentee: there were "
                "enough mentor places."
            )

    pairs: list[tuple[int, int]] = []
    rounds: list[tuple] = []
    explained: dict[tuple[int, int], tuple[float, tuple[Reason, ...]]] = {}

    def solve(mentees: list[int], mentors: list[int]) -> list[tuple[int, int, float]]:
        """(mentor, mentee, score) for this round; the first round's matrix is kept."""
        rows, cols = np.array(mentees, np.intp), np.array(mentors, np.intp)
        places = np.minimum(remaining[cols], len(rows))
        scores, codes, solver_input = score_matrix(
            pool, rows, cols, weights, forbid_pairs, places=places
        )
        assert solver_input is not None  # given places, the solver's input comes too
        cost, owner, row_shift, likely = solver_input
        # While the solver runs: the first round's tally (for the reasons someone is left
        # unmatched), and reasons for the pairs the solver is likely to choose.
        found, beside = _assign(
            cost,
            owner,
            row_shift,
            codes == OK,
            alongside=None
            if rounds
            else partial(_first_round_extras, pool, weights, rows, cols, scores, codes, likely),
        )
        tally, guessed = beside if beside else (None, {})
        explained.update(guessed)
        rounds.append((rows, cols, scores, codes, tally))
        return [(mentors[c], mentees[r], float(scores[r, c])) for r, c in found]

    def keep(found: list[tuple[int, int, float]]) -> None:
        for i, j, _ in found:
            pairs.append((i, j))
            remaining[i] -= 1
            taken[j] = True

    mentors = [k for k in range(pool.n) if side[k] == "mentor"]
    keep(solve([k for k in range(pool.n) if side[k] == "mentee" and not taken[k]], mentors))
    has_mentee = {i for i, _ in pairs} | {i for i, _ in locked}
    retry = [
        k
        for k in flexible
        if (side[k] == "mentor" and k not in has_mentee) or (side[k] == "mentee" and not taken[k])
    ]
    if retry:
        # Second round, among the people still unmatched, in two ways: every "either" left
        # over tries the other side; or the leftovers are split among themselves, the more
        # experienced half as mentors (so two leftovers who suit each other can pair). The
        # way with more pairs, then the higher total, is kept.
        first_side = {k: side[k] for k in retry}
        best: tuple[tuple[int, float], dict[int, str], list] | None = None
        for placement in _second_round_placements(retry, first_side, apps):
            trial = [placement.get(k, side[k]) for k in range(pool.n)]
            found = solve(
                [k for k in range(pool.n) if trial[k] == "mentee" and not taken[k]],
                [k for k in range(pool.n) if trial[k] == "mentor" and remaining[k] > 0],
            )
            value = (len(found), sum(score for _, _, score in found))
            if best is None or value > best[0]:
                best = (value, placement, found)
        assert best is not None
        for k, new_side in best[1].items():
            side[k] = new_side
        keep(best[2])
        has_mentee = {i for i, _ in pairs} | {i for i, _ in locked}
        for k in retry:
            role = side[k]
            matched = k in has_mentee if role == "mentor" else bool(taken[k])
            if matched:
                how = "instead" if role != first_side[k] else "in a second round"
                notes.append(
                    f"{apps[k].label}, who could be either, found no match on the first side "
                    f"and was matched as a {role} {how}."
                )

    unmatched = _why_bipartite(
        pool,
        weights,
        forbid_pairs,
        side,
        taken,
        has_mentee,
        retry,
        ineligible,
        {j for _, j in locked},
        rounds[0],
    )
    lock_set = set(locked)
    everything = sorted(set(locked) | set(pairs))  # apps are in id order
    missing = [p for p in everything if p not in explained]
    explained.update(
        zip(
            missing,
            explain_pairs(
                pool,
                np.array([j for _, j in missing], np.intp),
                np.array([i for i, _ in missing], np.intp),
                weights,
                peer=False,
            ),
            strict=True,
        )
    )
    out = tuple(
        Pairing(apps[i].id, apps[j].id, *explained[i, j], (i, j) in lock_set) for i, j in everything
    )
    circles: tuple[Circle, ...] = ()
    if mode == "group":
        groups: dict[str, list[Pairing]] = {}
        for p in out:
            groups.setdefault(p.mentor_id, []).append(p)
        circles = tuple(
            Circle(mid, tuple(p.mentee_id for p in ps), sum(p.score for p in ps))
            for mid, ps in sorted(groups.items())
        )
    return Proposal(
        pairs=out,
        unmatched=unmatched,
        total_score=float(sum(p.score for p in out)),
        circles=circles,
        notes=tuple(notes),
        mode=mode,
    )


def _second_round_placements(retry: list[int], first_side: dict[int, str], apps) -> list:
    """Sides to try for the "either" applicants left unmatched by the first round: all on
    the other side; and the leftovers split among themselves, most experienced first as
    mentors (those with under two years' experience are always mentees)."""
    switched = {k: "mentee" if first_side[k] == "mentor" else "mentor" for k in retry}
    ordered = sorted(retry, key=lambda k: (-apps[k].years, apps[k].id))
    split = {
        k: "mentor"
        if n < (len(ordered) + 1) // 2 and apps[k].years >= MIN_MENTOR_YEARS
        else "mentee"
        for n, k in enumerate(ordered)
    }
    return [switched] if split == switched else [switched, split]


def _first_round_extras(pool, weights, rows, cols, scores, codes, likely, solved):
    """What can be worked out while the solver runs: the :class:`Tally`, then the reasons
    for the pairs the solver is likely to choose (each mentee's best mentor, then second
    best: ``likely`` from :func:`score_matrix`) until ``solved`` is set. Returns (tally,
    {(mentor, mentee): (score, reasons)})."""
    tally = Tally(codes, scores)
    found: dict[tuple[int, int], tuple[float, tuple[Reason, ...]]] = {}
    for rank in range(likely.shape[1]):
        for start in range(0, len(rows), _GUESS_BATCH):
            if solved.is_set():
                return tally, found
            pick = likely[start : start + _GUESS_BATCH, rank]
            ok = pick >= 0
            e, m = rows[start : start + _GUESS_BATCH][ok], cols[pick[ok]]
            keys = zip(m.tolist(), e.tolist(), strict=True)
            found.update(zip(keys, explain_pairs(pool, e, m, weights, peer=False), strict=True))
    return tally, found


def _why_bipartite(
    pool, weights, forbid_pairs, side, taken, has_mentee, retry, ineligible, locked, first
) -> tuple[Unmatched, ...]:
    """Why each person without a partner has none, from all their possible partners on the
    other side (mentees locked elsewhere do not count). Reuses the first round's matrix when
    it covers everyone asked about."""
    apps = pool.apps
    mentors = np.array([k for k in range(pool.n) if side[k] == "mentor"], np.intp)
    mentees = np.array(
        [k for k in range(pool.n) if side[k] == "mentee" and k not in locked], np.intp
    )
    lonely_mentees = [int(k) for k in mentees if not taken[k]]
    lonely_mentors = [int(k) for k in mentors if k not in has_mentee]
    retry_set = set(retry)
    as_mentee = sorted(set(lonely_mentees) | (retry_set & set(lonely_mentors)))
    as_mentor = sorted(set(lonely_mentors) | (retry_set & set(lonely_mentees)))
    why: dict[int, list[tuple[str, str]]] = {}

    def explain(rows, cols, role, axis) -> None:
        if not len(rows if axis == 1 else cols):
            return
        rows, cols = np.asarray(rows, np.intp), np.asarray(cols, np.intp)
        tally = first[4]
        counts, low = (
            tally.lookup(first[0], first[1], rows, cols, axis, pool.n) if tally else (None, None)
        )
        if counts is None:
            scores, codes = cached_block(first, rows, cols, pool.n)
            if scores is None:
                scores, codes, _ = score_matrix(pool, rows, cols, weights, forbid_pairs)
            if np.intersect1d(rows, cols).size:
                codes[rows[:, None] == cols[None, :]] = SKIP
            counts = code_counts(codes, axis)
            low = np.full(codes.shape[1 - axis], -np.inf)
            below = np.nonzero(codes == SCORE_BELOW_MIN)
            if below[0].size:
                np.maximum.at(low, below[1 - axis], scores[below])
        people = rows if axis == 1 else cols
        for k, person in enumerate(people):
            why.setdefault(person, []).append(
                (role, why_unmatched(counts[k], role, float(low[k]), weights))  # type: ignore[index]
            )

    explain(as_mentee, mentors, "mentee", axis=1)
    explain(mentees, as_mentor, "mentor", axis=0)
    out = []
    for k in ineligible:
        out.append(
            Unmatched(
                apps[k].id,
                f"Eligibility: under two years' experience ({apps[k].years:g}), so can only be "
                "a mentee, but applied only as a mentor",
            )
        )
    for k, reasons in why.items():
        if k in retry_set:
            text = "Tried on both sides. " + " ".join(
                f"As a {role}: {reason}." for role, reason in sorted(reasons)
            )
        else:
            text = reasons[0][1]
        out.append(Unmatched(apps[k].id, text))
    return tuple(sorted(out, key=lambda u: u.applicant_id))
