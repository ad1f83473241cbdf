"""Scores, rule codes and the solver's cost matrix for every pair of two sides at once."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from mentorkit.core.models import MIN_MENTOR_YEARS
from mentorkit.matching.criteria import (
    AVOID,
    FAR_APART_HOURS,
    FORBID,
    FREQUENCY_SHARE,
    GAP_CURVE,
    INELIGIBLE,
    NO_SHARED_SLOT,
    OK,
    SCORE_BELOW_MIN,
    mutual_criteria,
    ratio,
    total_score,
)
from mentorkit.matching.features import UNKNOWN
from mentorkit.matching.model import CRITERIA, EPS, Weights
from mentorkit.matching.pool import Pool, shared_counts

# Rows are filled in chunks of at most _CHUNK rows and about _CELLS cells (so each temporary
# array stays in cache), by up to _WORKERS threads (their matrix products are kept to one
# BLAS thread meanwhile, see _one_blas_thread).
_CHUNK = 1024
_CELLS = 1 << 18
_WORKERS = min(8, os.cpu_count() or 1)


def _block_pairs(pool_pairs, rows: np.ndarray, cols: np.ndarray, n: int):
    """(row positions, column positions) in the rows × cols block of those ``pool_pairs``
    that fall inside it, ordered by row."""
    first, second = pool_pairs
    if not (len(first) and len(rows) and len(cols)):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    rpos = np.full(n, -1, np.intp)
    cpos = np.full(n, -1, np.intp)
    rpos[rows] = np.arange(len(rows))
    cpos[cols] = np.arange(len(cols))
    r, c = rpos[first], cpos[second]
    keep = (r >= 0) & (c >= 0)
    r, c = r[keep], c[keep]
    order = np.argsort(r, kind="stable")
    return r[order], c[order]


def _put(code: np.ndarray, where: np.ndarray, kind: int) -> None:
    """``code[where] = kind`` for int8 codes, without branches: the masks here are scattered,
    and a masked store that branches per cell is many times slower."""
    flip = where.view(np.int8) * np.int8(-1)  # all bits set where True
    code ^= (code ^ np.int8(kind)) & flip


def _mark(code: np.ndarray, pairs, part: slice, kind: int) -> None:
    """Set ``kind`` at the block pairs (from :func:`_block_pairs`) inside the rows ``part``."""
    r, c = pairs
    lo, hi = np.searchsorted(r, (part.start, part.stop))
    if hi > lo:
        code[r[lo:hi] - part.start, c[lo:hi]] = kind


def score_matrix(
    pool: Pool,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: Weights,
    forbid_pairs,
    peer: bool = False,
    places: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """Scores and rule codes for every row × column pair (mentees × mentors, or peers × peers),
    built with matrix products in chunks of rows; no Python loop over pairs.

    Given ``places`` (how many partners each column can take), also the solver's input, made
    while each chunk is still in cache: ``(cost, owner, row_shift, likely)``. ``cost`` has
    column j repeated ``places[j]`` times (``owner`` maps them back) and holds minus the
    score where the pair is allowed, :func:`_forbidden_cost` where not, less each row's
    least cost (``row_shift``); ``likely`` holds each row's two best allowed columns or -1.
    See :func:`.bipartite._assign`.

    For mentors and mentees, whatever depends only on the column (or on a column's years,
    time zone and frequency) is worked out once, and each criterion is added to the scores
    as soon as it is known, with the arithmetic of :func:`.criteria._directed` and
    :func:`.criteria._total` (equal to within rounding: weights are folded into per-row
    factors where that saves a pass)."""
    rows = np.asarray(rows, np.intp)
    cols = np.asarray(cols, np.intp)
    scores = np.zeros((len(rows), len(cols)))
    codes = np.zeros((len(rows), len(cols)), np.int8)
    owner = None if places is None else np.repeat(np.arange(len(cols)), places)
    cost = None if owner is None else np.empty((len(rows), len(owner)))
    row_shift = np.zeros(len(rows))
    likely = np.full((len(rows), 2), -1, np.intp)
    big = _forbidden_cost(weights, len(rows))
    solver_input = None if cost is None else (cost, owner, row_shift, likely)
    if not len(rows) or not len(cols):
        return scores, codes, solver_input
    words = pool.word_matrix()
    words_c = words[cols].T if isinstance(words, np.ndarray) else words[cols].T.tocsc()
    avail, hours_per_column = pool.avail_columns()
    offers_c = pool.offers[cols].T.astype(np.float32)
    seeks_c = pool.seeks[cols].T.astype(np.float32)
    avail_c = np.ascontiguousarray(avail[cols].T)
    strength_c = pool.strength[cols].T
    rated_c = pool.rated[cols].T
    has_c = pool.hours[cols] > 0
    avoid = _block_pairs(pool.avoid_pairs, rows, cols, pool.n)
    ruled_out = _block_pairs(forbid_pairs, rows, cols, pool.n)
    # People who gave no time slots: whole rows or columns, so no per-cell mask is needed.
    slotless_c = np.flatnonzero(~has_c)
    bad_r = np.flatnonzero(pool.mentor_only[rows]) if not peer else np.zeros(0, np.intp)
    cpos = np.full(pool.n, -1, np.intp)
    cpos[cols] = np.arange(len(cols))
    m = cols[None, :]
    used = [(name, getattr(weights, name)) for name in CRITERIA if getattr(weights, name)]
    bad_c = (
        np.flatnonzero(pool.mentee_only[cols] | (pool.years[cols] < MIN_MENTOR_YEARS))
        if not peer
        else np.zeros(0, np.intp)
    )
    years_u, years_at = np.unique(pool.years[cols], return_inverse=True)
    meet = np.stack([pool.utc[cols], pool.freq[cols].astype(float)], 1)
    meet_u, meet_at = np.unique(meet, axis=0, return_inverse=True)
    years_at, meet_at = years_at.ravel(), meet_at.ravel()
    far_share = (1.0 - FREQUENCY_SHARE) * 0.5  # exactly half of 1 - FREQUENCY_SHARE

    def directed(r: np.ndarray, total: np.ndarray, overlap: np.ndarray, slotless_r) -> None:
        """Add each weighted criterion to ``total`` (as ``criteria._directed`` and ``total_score``,
        with the weight folded into per-row factors where that saves a pass)."""
        e = r[:, None]
        for name, weight in used:
            if name == "expertise":
                tags = pool.seeks[r].astype(np.float32) @ offers_c
                total += tags * ratio(weight, pool.n_seeks[e])
            elif name == "goals":
                inter = shared_counts(words, r, words_c)
                value = np.add.outer(pool.n_words[r], pool.n_words[cols])
                value -= inter
                np.maximum(value, 1.0, out=value)  # no words on either side: 0 of 0 shared
                np.divide(inter, value, out=value)
                value *= weight
                total += value
            elif name == "availability":
                # As _availability: the share of the smaller availability (half when either
                # gave none), halved when far apart, then the frequency share.
                value = np.minimum.outer(pool.hours[r], pool.hours[cols])
                np.maximum(value, 1.0, out=value)  # no slots: no overlap, set just below
                np.divide(overlap, value, out=value)
                value[slotless_r] = UNKNOWN
                value[:, slotless_c] = UNKNOWN
                far = np.abs(pool.utc[e] - meet_u[None, :, 0]) > FAR_APART_HOURS
                factor = weight * np.where(far, far_share, 1.0 - FREQUENCY_SHARE)
                value *= np.take(factor, meet_at, axis=1)
                same = pool.freq[e] == meet_u[None, :, 1]
                value += np.take(np.where(same, weight * FREQUENCY_SHARE, 0.0), meet_at, axis=1)
                total += value
            elif name == "experience_gap":
                gap = years_u[None, :] - pool.years[e]
                gap = np.where(pool.reverse[e], -gap, gap)
                table = weight * np.interp(gap, *GAP_CURVE, left=0.0, right=0.0)
                total += np.take(table, years_at, axis=1)
            else:
                num = pool.need[r] @ strength_c
                den = pool.need[r] @ rated_c
                # As _competency, without a masked divide: UNKNOWN where nothing compares.
                none = den <= EPS
                np.maximum(den, EPS, out=den)
                value = num / den
                value *= ~none
                value += none * UNKNOWN
                value *= weight
                total += value

    def fill(part: slice) -> None:
        r = rows[part]
        e = r[:, None]
        code = codes[part]
        total = scores[part]
        overlap = (avail[r] * hours_per_column) @ avail_c
        slotless_r = np.flatnonzero(pool.hours[r] <= 0)
        if peer:
            inter_words = shared_counts(words, r, words_c).astype(float)
            tags_em = (pool.seeks[r].astype(np.float32) @ offers_c).astype(float)
            comp_em = (pool.need[r] @ strength_c, pool.need[r] @ rated_c)
            tags_me = (pool.offers[r].astype(np.float32) @ seeks_c).astype(float)
            comp_me = (pool.strength[r] @ pool.need[cols].T, pool.rated[r] @ pool.need[cols].T)
            parts = mutual_criteria(
                pool, e, m, tags_em, tags_me, inter_words, overlap.astype(float), comp_em, comp_me
            )
            total += total_score(parts, weights)
        else:
            directed(r, total, overlap, slotless_r)
        _put(code, total < weights.min_score - EPS, SCORE_BELOW_MIN)
        _mark(code, ruled_out, part, FORBID)
        no_slot = overlap == 0
        no_slot[slotless_r] = False
        no_slot[:, slotless_c] = False
        _put(code, no_slot, NO_SHARED_SLOT)
        _mark(code, avoid, part, AVOID)
        lo, hi = np.searchsorted(bad_r, (part.start, part.stop))
        code[bad_r[lo:hi] - part.start] = INELIGIBLE
        if bad_c.size:
            code[:, bad_c] = INELIGIBLE
        same = cpos[r]
        hit = np.flatnonzero(same >= 0)
        code[hit, same[hit]] = INELIGIBLE
        if cost is not None and owner is not None and places is not None:
            mine = np.negative(total)
            # Forbidden pairs cost ``big``: -total + (big + total), without branches.
            ruled = (code != OK).astype(float)
            ruled *= big + total
            mine += ruled
            mine.min(1, out=row_shift[part])
            mine -= row_shift[part, None]
            # Each row's two best columns (the solver's likely choices), -1 if not allowed.
            at = np.arange(len(r))
            first = mine.argmin(1)
            held = mine[at, first]
            mine[at, first] = np.inf
            second = mine.argmin(1)
            mine[at, first] = held
            for rank, pick in enumerate((first, second)):
                useful = (code[at, pick] == OK) & (places[pick] > 0)
                if rank:
                    useful &= pick != first
                likely[part, rank] = np.where(useful, pick, -1)
            # mode="clip" writes straight into out ("raise" buffers); owner is always in range.
            np.take(mine, owner, axis=1, out=cost[part], mode="clip")

    # Rows are independent, so chunks can be filled by threads (numpy releases the GIL);
    # the numbers do not depend on how the rows are split. Chunks of about _CELLS cells
    # keep each temporary array in cache.
    workers = max(1, min(_WORKERS, len(rows) * len(cols) // 250_000))
    size = max(1, min(_CHUNK, -(-len(rows) // workers), _CELLS // len(cols)))
    parts = [slice(start, start + size) for start in range(0, len(rows), size)]
    if workers == 1 or len(parts) == 1:
        for part in parts:
            fill(part)
    else:
        with _one_blas_thread(), ThreadPoolExecutor(workers) as pool_of_threads:
            list(pool_of_threads.map(fill, parts))
    return scores, codes, solver_input


_blas_controller = None
_blas_controller_made = threading.Lock()


def _one_blas_thread():
    """While chunks are filled in parallel, each matrix product runs on its own core (BLAS
    threads on top of ours would fight over the same cores). The limit is process-wide and
    put back on exit, so two matchings at once in one process only cost each other speed."""
    global _blas_controller
    from threadpoolctl import ThreadpoolController

    with _blas_controller_made:
        if _blas_controller is None:
            _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


def _forbidden_cost(weights: Weights, rows: int) -> float:
    """The solver's cost for a pair that is not allowed: more than any set of allowed pairs
    could ever make up, so the solver first matches as many rows as the rules permit."""
    return (weights.total + 1.0) * (rows + 1.0)
