"""The pool of applicants as arrays, for scoring many pairs at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

import numpy as np

from mentorkit.exceptions import MentorkitError
from mentorkit.matching.arrays import distinct, incidence, pair_index_arrays
from mentorkit.matching.features import SLOT_CODES, UNKNOWN, goal_words, utc_week
from mentorkit.matching.model import Applicant

_DENSE_WORDS = 512


def pool_list(applicants: Iterable[Applicant]) -> list[Applicant]:
    apps = list(applicants)
    for app in apps:
        if not isinstance(app, Applicant):
            raise MentorkitError(f"match() takes Applicant objects, not {type(app).__name__}.")
    seen: dict[str, int] = {}
    for app in apps:
        seen[app.id] = seen.get(app.id, 0) + 1
    twice = sorted(k for k, n in seen.items() if n > 1)
    if twice:
        more = f" and {len(twice) - 10} more" if len(twice) > 10 else ""
        raise MentorkitError(
            f"These ids are used by more than one applicant: {', '.join(twice[:10])}{more}. "
            "Give every applicant their own id."
        )
    return sorted(apps, key=lambda a: a.id)


class Pool:
    """Applicants as arrays, for scoring many pairs at once.

    Built from integer codes in flat passes (tags, slots, ratings, avoid entries), with no
    Python loop over pairs and no per-person array writes."""

    def __init__(self, apps: list[Applicant]):
        self.apps = apps
        n = self.n = len(apps)
        self.index = {a.id: i for i, a in enumerate(apps)}
        tags = sorted({t for a in apps for t in a.offers | a.seeks})
        tag_at = {t: i for i, t in enumerate(tags)}
        self.offers = incidence([[tag_at[t] for t in a.offers] for a in apps], len(tags))
        self.seeks = incidence([[tag_at[t] for t in a.seeks] for a in apps], len(tags))
        self.n_seeks = self.seeks.sum(1).astype(float)
        self.words = [goal_words(a.goals) for a in apps]
        self.n_words = np.array([len(w) for w in self.words], float)
        self._word_matrix = None
        self._avail_columns: tuple[np.ndarray, np.ndarray] | None = None
        self.slots = incidence([[SLOT_CODES[s] for s in a.slots] for a in apps], len(SLOT_CODES))
        self.shifts = np.array([round(a.utc_offset * 2) for a in apps], np.intp)
        self.avail = utc_week(self.slots, self.shifts)
        self.hours = self.avail.sum(1).astype(float)
        self.utc = np.array([a.utc_offset for a in apps], float)
        frequencies = {f: k for k, f in enumerate(sorted({a.frequency for a in apps}))}
        self.freq = np.array([frequencies[a.frequency] for a in apps], int)
        self.years = np.array([a.years for a in apps], float)
        self.reverse = np.array([a.model == "reverse" for a in apps], bool)
        self.mentor_only = np.array([a.role == "mentor" for a in apps], bool)
        self.mentee_only = np.array([a.role == "mentee" for a in apps], bool)
        domains = self.domains = sorted({d for a in apps for d in a.ratings})
        at = {d: k for k, d in enumerate(domains)}
        self.need = np.zeros((n, len(domains)))
        self.strength = np.zeros((n, len(domains)))
        self.rated = np.zeros((n, len(domains)))
        lengths = np.array([len(a.ratings) for a in apps], np.intp)
        if lengths.sum():
            # Each rating relative to the person's own lowest and highest: need is how far
            # below their best, strength how far above their worst (half when all equal).
            who = np.repeat(np.arange(n), lengths)
            where = np.array([at[d] for a in apps for d in a.ratings], np.intp)
            value = np.array([r for a in apps for r in a.ratings.values()], float)
            starts = np.cumsum(lengths) - lengths
            some = lengths > 0
            low = np.zeros(n)
            high = np.zeros(n)
            low[some] = np.minimum.reduceat(value, starts[some])
            high[some] = np.maximum.reduceat(value, starts[some])
            span = (high - low)[who]
            spread = span > 0
            need = np.full(len(value), UNKNOWN)
            strength = np.full(len(value), UNKNOWN)
            np.divide(high[who] - value, span, out=need, where=spread)
            np.divide(value - low[who], span, out=strength, where=spread)
            self.need[who, where] = need
            self.strength[who, where] = strength
            self.rated[who, where] = 1.0
        self.avoid_pairs = _avoid_pairs(apps)

    def word_matrix(self):
        """People × goal words held by at least two people (a word only one person uses is
        never shared, so it cannot change an intersection): dense float32 when there are few
        such words, sparse otherwise. ``words[r] @ words_c`` counts shared words either way."""
        if self._word_matrix is None:
            counts = Counter(chain.from_iterable(self.words))
            vocab = {w: k for k, w in enumerate(sorted(w for w, c in counts.items() if c > 1))}
            codes = [[vocab[w] for w in words if w in vocab] for words in self.words]
            if len(vocab) <= _DENSE_WORDS:
                self._word_matrix = incidence(codes, max(len(vocab), 1)).astype(np.float32)
            else:
                from scipy import sparse

                codes = [sorted(c) for c in codes]
                indptr = np.zeros(self.n + 1, np.int64)
                indptr[1:] = np.cumsum([len(c) for c in codes])
                indices = np.fromiter((k for c in codes for k in c), np.int64, int(indptr[-1]))
                self._word_matrix = sparse.csr_matrix(
                    (np.ones(len(indices)), indices, indptr), shape=(self.n, len(vocab))
                )
        return self._word_matrix

    def avail_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """(people × distinct half-hour columns as float32, how many half hours each column
        stands for): half hours everyone has alike are counted once, with a weight."""
        if self._avail_columns is None:
            packed = np.ascontiguousarray(np.packbits(self.avail, axis=0).T)
            keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
            _, first, counts = np.unique(keys, return_index=True, return_counts=True)
            used = self.avail[:, first].any(0)
            self._avail_columns = (
                np.ascontiguousarray(self.avail[:, first[used]], np.float32),
                counts[used].astype(np.float32),
            )
        return self._avail_columns


def shared_counts(words, rows: np.ndarray, cols_t) -> np.ndarray:
    """Dense rows × cols counts of shared goal words (``cols_t`` is ``words[cols].T``)."""
    product = words[rows] @ cols_t
    return product if isinstance(product, np.ndarray) else product.toarray()


def _avoid_pairs(apps: list[Applicant]) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) index arrays of every pair where one avoids the other (named by id or email),
    both directions, sorted and without repeats (as sorted(set(pairs)) would be)."""
    n = max(len(apps), 1)
    first: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    for i, a in enumerate(apps):
        for key in (a.id.lower(), a.email.lower()) if a.email else (a.id.lower(),):
            if key in first:
                more.setdefault(key, [first[key]]).append(i)
            else:
                first[key] = i
    named = [k for a in apps for k in a.avoid]
    who = np.repeat(np.arange(len(apps), dtype=np.int64), [len(a.avoid) for a in apps])
    whom = np.array([first.get(k, -1) for k in named], np.int64)
    flat = who * n + whom
    flat = flat[whom >= 0]
    if more:
        extra = [
            i * n + j
            for i, a in enumerate(apps)
            for k in a.avoid.intersection(more)
            for j in more[k][1:]
        ]
        flat = np.concatenate([flat, np.array(extra, np.int64)])
    flat = distinct(np.concatenate([flat, (flat % n) * n + flat // n]))
    return (flat // n).astype(np.intp), (flat % n).astype(np.intp)


def forbidden_pairs(forbids: Iterable[Sequence[str]], pool: Pool):
    pairs = set()
    for item in forbids:
        ids = two_ids(item, "A forbid")
        if all(x in pool.index for x in ids):
            i, j = (pool.index[x] for x in ids)
            pairs |= {(i, j), (j, i)}
    return pair_index_arrays(pairs)


def two_ids(item: Any, what: str) -> tuple[str, str]:
    if hasattr(item, "mentor_id"):
        return item.mentor_id, item.mentee_id
    if hasattr(item, "first_id"):
        return item.first_id, item.second_id
    try:
        first, second = item
    except (TypeError, ValueError):
        raise MentorkitError(f"{what} must be a pair of ids, not {item!r}.") from None
    return str(first), str(second)
