"""The matcher's speed-ups change nothing in what it proposes.

Each speed-up (goal words as a dense or a sparse matrix, chunks filled by several threads,
reasons written while the solver runs, branch-free stores) is switched off or forced, and the
proposal must be exactly the same."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.matching import Applicant, Weights, bipartite, features, match, matrix, pool

TAGS = ["leadership", "writing", "statistics", "python", "teaching", "policy", "finance"]
WORDS = [
    "grow",
    "lead",
    "confident",
    "research",
    "teams",
    "publish",
    "grants",
    "network",
    "career",
    "writing",
]
SLOTS = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri") for p in ("am", "pm", "eve")]


def random_pool(mentors: int, mentees: int, seed: int = 7) -> list[Applicant]:
    rng = np.random.default_rng(seed)
    people = []
    for k in range(mentors + mentees):
        mentor = k < mentors
        people.append(
            Applicant(
                id=f"{'m' if mentor else 'e'}{k:04d}",
                name=f"Person {k}",
                role="mentor" if mentor else "mentee",
                years=float(rng.integers(3, 30) if mentor else rng.integers(0, 6)),
                offers=frozenset(rng.choice(TAGS, rng.integers(0, 4), replace=False)),
                seeks=frozenset(rng.choice(TAGS, rng.integers(0, 3), replace=False)),
                goals=" ".join(rng.choice(WORDS, rng.integers(0, 6))),
                frequency=str(rng.choice(["monthly", "fortnightly"])),
                slots=frozenset(rng.choice(SLOTS, rng.integers(0, 4), replace=False)),
                utc_offset=float(rng.choice([-5, 0, 1, 5.5, 10])),
                capacity=int(rng.integers(1, 4)) if mentor else 1,
                avoid=frozenset(
                    f"m{j:04d}" if not mentor else f"e{j:04d}"
                    for j in rng.integers(0, mentors + mentees, rng.integers(0, 3))
                ),
                ratings={d: float(rng.integers(1, 6)) for d in ("listening", "planning")}
                if rng.random() < 0.7
                else {},
            )
        )
    return people


@pytest.fixture(scope="module")
def people() -> list[Applicant]:
    return random_pool(600, 1000)  # 600,000 pairs: enough for two threads


@pytest.fixture(scope="module")
def expected(people) -> object:
    return match(people, Weights())


def test_the_fixture_pool_is_big_enough_to_be_split_and_leaves_people_out(expected):
    assert len(expected.pairs) == 1000
    assert expected.unmatched
    assert all("paired with someone else" in u.why for u in expected.unmatched)


def test_sparse_goal_words_give_the_same_proposal(people, expected, monkeypatch):
    monkeypatch.setattr(pool, "_DENSE_WORDS", 0)
    assert match(people, Weights()) == expected


def test_one_thread_gives_the_same_proposal_as_several(people, expected, monkeypatch):
    monkeypatch.setattr(matrix, "_WORKERS", 1)
    assert match(people, Weights()) == expected
    monkeypatch.setattr(matrix, "_WORKERS", 3)
    monkeypatch.setattr(matrix, "_CELLS", 1 << 12)  # many small chunks
    assert match(people, Weights()) == expected


def test_reasons_written_during_the_solve_match_those_written_after(people, expected, monkeypatch):
    def nothing_guessed(pool_, weights, rows, cols, scores, codes, likely, solved):
        return bipartite.Tally(codes, scores), {}

    monkeypatch.setattr(bipartite, "_first_round_extras", nothing_guessed)
    assert match(people, Weights()) == expected


def test_branch_free_store_matches_a_masked_store():
    rng = np.random.default_rng(1)
    codes = rng.integers(-1, 6, (50, 70)).astype(np.int8)
    where = rng.random((50, 70)) < 0.4
    expected = codes.copy()
    expected[where] = 3
    matrix._put(codes, where, 3)
    assert np.array_equal(codes, expected)


def test_distinct_values_are_sorted_and_unique():
    from mentorkit.matching.arrays import distinct

    values = np.array([5, 1, 5, 3, 1, 9], np.int64)
    assert distinct(values).tolist() == [1, 3, 5, 9]
    assert distinct(np.array([], np.int64)).tolist() == []


def test_reasons_guessed_during_the_solve_are_for_each_mentees_best_mentors():
    import threading

    people = random_pool(40, 60, seed=5)
    built = pool.Pool(pool.pool_list(people))
    weights = Weights()
    rows = np.array([k for k, a in enumerate(built.apps) if a.role == "mentee"])
    cols = np.array([k for k, a in enumerate(built.apps) if a.role == "mentor"])
    places = np.array([built.apps[k].capacity for k in cols])
    no_forbids = (np.zeros(0, np.intp), np.zeros(0, np.intp))
    scores, codes, (_, _, _, likely) = matrix.score_matrix(
        built, rows, cols, weights, no_forbids, places=places
    )
    _, guessed = bipartite._first_round_extras(
        built, weights, rows, cols, scores, codes, likely, threading.Event()
    )
    allowed = np.where(codes == 0, scores, -np.inf)
    best = {
        (int(cols[allowed[r].argmax()]), int(rows[r]))
        for r in range(len(rows))
        if np.isfinite(allowed[r]).any()
    }
    assert len(best) > 30
    assert best <= set(guessed)
    assert len(guessed) > len(best)  # second choices too
    for (mentor, mentee), (total, reasons) in guessed.items():
        again = bipartite.explain_pairs(
            built, np.array([mentee]), np.array([mentor]), weights, False
        )
        assert (total, reasons) == again[0]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_goal_words_split_as_the_regular_expression_does(text):
    assert features._words_in(text) == re.findall(r"[a-z0-9]+", text.lower())
