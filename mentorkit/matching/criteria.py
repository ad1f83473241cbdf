"""The scoring criteria and hard rules, pair by pair (and as arrays of pairs)."""

from __future__ import annotations

import numpy as np

from mentorkit.core.models import MIN_MENTOR_YEARS
from mentorkit.matching.features import UNKNOWN, avoids, halfhours
from mentorkit.matching.model import CRITERIA, EPS, Applicant, Weights
from mentorkit.matching.pool import Pool

IDEAL_GAP = (3.0, 15.0)
GAP_CURVE = ((0.0, IDEAL_GAP[0], IDEAL_GAP[1], 25.0), (0.0, 1.0, 1.0, 0.0))
PEER_YEARS_SPAN = 10.0
FAR_APART_HOURS = 6.0
FREQUENCY_SHARE = 0.2


# Rule codes in the score matrices (0 = allowed).
OK, INELIGIBLE, AVOID, NO_SHARED_SLOT, FORBID, SCORE_BELOW_MIN = range(6)
SKIP = -1


def forbidden(mentor: Applicant, mentee: Applicant, *, peer: bool = False) -> str | None:
    """The hard rule that forbids this pair, in plain words (rule name first), or None.

    With ``peer=True`` roles and years do not matter; the other rules still apply.
    """
    if mentor.id == mentee.id:
        return f"Same person: {mentor.label} cannot be paired with themselves."
    if not peer:
        if mentor.role == "mentee":
            return f"Eligibility: {mentor.label} applied only as a mentee, so cannot be a mentor."
        if mentee.role == "mentor":
            return f"Eligibility: {mentee.label} applied only as a mentor, so cannot be a mentee."
        if mentor.years < MIN_MENTOR_YEARS:
            return (
                f"Eligibility: {mentor.label} has under two years' experience "
                f"({mentor.years:g}), so can only be a mentee."
            )
    for asker, other in ((mentee, mentor), (mentor, mentee)):
        if avoids(asker, other):
            return f"Not-to-pair: {asker.label} asked not to be paired with {other.label}."
    if mentor.slots and mentee.slots and not (halfhours(mentor) & halfhours(mentee)):
        return (
            f"No common availability: {mentor.label} and {mentee.label} share no time slot, "
            "even allowing for time zones."
        )
    return None


def ratio(part, whole):
    """``part / whole``, 0 where ``whole`` is 0 (``whole`` is per person, so this is cheap)."""
    whole = np.asarray(whole, float)
    return part * np.divide(1.0, whole, out=np.zeros_like(whole), where=whole > 0)


def _jaccard(inter, size_a, size_b):
    union = size_a + size_b - inter
    return np.divide(inter, union, out=np.zeros(union.shape), where=union > 0)


def _availability(overlap, hours_a, hours_b, delta_utc, same_frequency):
    smaller = np.minimum(hours_a, hours_b) + np.zeros(np.shape(overlap))
    slots = np.divide(overlap, smaller, out=np.full(smaller.shape, UNKNOWN), where=smaller > 0)
    slots[np.abs(delta_utc) > FAR_APART_HOURS] *= 0.5
    slots *= 1.0 - FREQUENCY_SHARE
    slots[same_frequency] += FREQUENCY_SHARE
    return slots


def _competency(num, den):
    return np.divide(num, den, out=np.full(np.shape(num), UNKNOWN), where=den > EPS)


def _directed(pool: Pool, e, m, tags, words, overlap, num, den) -> dict[str, np.ndarray]:
    """Criteria (0..1) for mentees ``e`` with mentors ``m`` (broadcastable index arrays),
    given the exact intersection counts and competency sums."""
    gap = pool.years[m] - pool.years[e]
    gap = np.where(pool.reverse[e], -gap, gap)
    return {
        "expertise": ratio(tags, pool.n_seeks[e]),
        "goals": _jaccard(words, pool.n_words[e], pool.n_words[m]),
        "availability": _availability(
            overlap,
            pool.hours[e],
            pool.hours[m],
            pool.utc[e] - pool.utc[m],
            pool.freq[e] == pool.freq[m],
        ),
        "experience_gap": np.interp(gap, *GAP_CURVE, left=0.0, right=0.0),
        "competencies": _competency(num, den),
    }


def mutual_criteria(pool: Pool, a, b, tags_ab, tags_ba, words, overlap, comp_ab, comp_ba):
    """Peer criteria for ``a`` with ``b``: the directed ones averaged over both directions."""
    return {
        "expertise": (ratio(tags_ab, pool.n_seeks[a]) + ratio(tags_ba, pool.n_seeks[b])) / 2,
        "goals": _jaccard(words, pool.n_words[a], pool.n_words[b]),
        "availability": _availability(
            overlap,
            pool.hours[a],
            pool.hours[b],
            pool.utc[a] - pool.utc[b],
            pool.freq[a] == pool.freq[b],
        ),
        "experience_gap": np.clip(
            1.0 - np.abs(pool.years[a] - pool.years[b]) / PEER_YEARS_SPAN, 0.0, 1.0
        ),
        "competencies": (_competency(*comp_ab) + _competency(*comp_ba)) / 2,
    }


def total_score(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    total = np.zeros(np.shape(parts["expertise"]))
    for name in CRITERIA:
        weight = getattr(weights, name)
        if weight:
            total += weight * parts[name]
    return total


def pair_parts(pool: Pool, e: np.ndarray, m: np.ndarray, peer: bool) -> dict[str, np.ndarray]:
    """Criteria for the pairs (e[k], m[k]), one by one (for explanations)."""
    words = np.array([len(pool.words[i] & pool.words[j]) for i, j in zip(e, m, strict=True)], float)
    overlap = (pool.avail[e] & pool.avail[m]).sum(1).astype(float)
    tags_em = (pool.seeks[e] & pool.offers[m]).sum(1).astype(float)
    comp_em = ((pool.need[e] * pool.strength[m]).sum(1), (pool.need[e] * pool.rated[m]).sum(1))
    if not peer:
        return _directed(pool, e, m, tags_em, words, overlap, *comp_em)
    tags_me = (pool.seeks[m] & pool.offers[e]).sum(1).astype(float)
    comp_me = ((pool.need[m] * pool.strength[e]).sum(1), (pool.need[m] * pool.rated[e]).sum(1))
    return mutual_criteria(pool, e, m, tags_em, tags_me, words, overlap, comp_em, comp_me)
