"""Small array helpers: incidence matrices, distinct values, pairs as index arrays."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of a 1-D array (as ``np.unique``, whose hashing path is slower
    here for large integer arrays)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def incidence(codes: list, width: int) -> np.ndarray:
    """Boolean n × width matrix with True at each person's listed column codes."""
    lengths = np.fromiter(map(len, codes), np.intp, count=len(codes))
    out = np.zeros((len(codes), width), bool)
    if lengths.sum():
        cols = np.fromiter((c for row in codes for c in row), np.intp, count=int(lengths.sum()))
        out[np.repeat(np.arange(len(codes)), lengths), cols] = True
    return out


def pair_index_arrays(pairs: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    ordered = sorted(pairs)
    return (
        np.array([p[0] for p in ordered], np.intp),
        np.array([p[1] for p in ordered], np.intp),
    )


def as_set(pair_arrays: tuple[np.ndarray, np.ndarray]) -> set[tuple[int, int]]:
    first, second = pair_arrays
    return set(zip(first.tolist(), second.tolist(), strict=True))
