"""The matcher's entry points: :func:`match` for a whole pool, :func:`score` for one pair."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from mentorkit.exceptions import MentorkitError
from mentorkit.matching.bipartite import match_bipartite
from mentorkit.matching.criteria import forbidden
from mentorkit.matching.model import MODES, Applicant, Proposal, Reason, Weights
from mentorkit.matching.peers import match_peers
from mentorkit.matching.pool import Pool, forbidden_pairs, pool_list
from mentorkit.matching.reasons import explain_pairs


def score(
    mentor: Applicant, mentee: Applicant, weights: Weights | None = None, *, peer: bool = False
) -> tuple[float, tuple[Reason, ...]] | None:
    """The pair's score and its reasons (largest share first), or None when a hard rule
    forbids it (see :func:`forbidden`). ``min_score`` is not applied here."""
    weights = Weights() if weights is None else weights
    if forbidden(mentor, mentee, peer=peer) is not None:
        return None
    pool = Pool([mentor, mentee])
    return explain_pairs(pool, np.array([1]), np.array([0]), weights, peer)[0]


def match(
    applicants: Iterable[Applicant],
    weights: Weights | None = None,
    locks: Iterable[Any] = (),
    forbids: Iterable[Sequence[str]] = (),
    mode: str = "one-to-one",
) -> Proposal:
    """Propose pairs (or circles, or peer pairs) for the whole pool at once.

    ``locks`` are pairs to keep whatever else happens: ``(mentor id, mentee id)`` tuples (for
    peers, any order), or :class:`Pairing`/:class:`PeerPair` objects, e.g.
    ``proposal.as_locks()``. They are fixed first and use up capacity. ``forbids`` are pairs of
    ids (either order) never to be paired, on top of the hard rules; ids not in the pool are
    ignored, so the same lists can be passed to every re-run.

    Raises :class:`MentorkitError` naming every rule that makes the locks impossible; nothing
    is ever proposed in part.
    """
    weights = Weights() if weights is None else weights
    if mode not in MODES:
        raise MentorkitError(f"Unknown matching mode {mode!r}; use one of {', '.join(MODES)}.")
    with _collector_paused():
        apps = pool_list(applicants)
        pool = Pool(apps)
        forbid_set = forbidden_pairs(forbids, pool)
        if mode == "peer":
            return match_peers(pool, weights, locks, forbid_set)
        return match_bipartite(pool, weights, locks, forbid_set, mode)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while matching: the matcher makes many small objects
    (sets, texts, reasons) and no reference cycles, so collections would only cost time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
