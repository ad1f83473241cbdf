"""Analysis of ratings on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from mentorkit.programme import rating_analysis


def record(person, relation, round_id, domain, item, value, rater=None):
    return {
        "person_id": 1 if person == "Amara" else 2,
        "person": person,
        "rater_id": rater or 9,
        "rater": "r",
        "relation": relation,
        "round": round_id,
        "framework": "mentor",
        "domain_id": domain.lower(),
        "domain": domain,
        "item": item,
        "value": value,
        "rated_on": None,
    }


@pytest.fixture
def scores():
    records = [
        record("Amara", "self", "baseline", "Relate", "a", 4),
        record("Amara", "self", "baseline", "Relate", "b", 2),
        record("Amara", "self", "baseline", "Relate", "c", "n/a"),
        record("Amara", "self", "baseline", "Challenge", "a", 5),
        record("Amara", "self", "baseline", "Inform", "a", "n/a"),
        record("Amara", "partner", "baseline", "Relate", "a", 5),
        record("Amara", "partner", "baseline", "Relate", "b", 4),
        record("Amara", "partner", "baseline", "Challenge", "a", 3),
        record("Amara", "self", "follow-up", "Relate", "a", 5),
        record("Amara", "self", "follow-up", "Relate", "b", 4),
    ]
    return rating_analysis.domain_scores(rating_analysis.tidy(records))


def row(frame, **where):
    mask = True
    for key, value in where.items():
        mask = mask & (frame[key] == value)
    (found,) = frame[mask].to_dict("records")
    return found


def test_not_applicable_is_left_out_and_counted(scores):
    relate = row(scores, relation="self", round="baseline", domain="Relate")
    assert relate["score"] == 3.0 and relate["n_items"] == 2
    inform = row(scores, relation="self", round="baseline", domain="Inform")
    assert math.isnan(inform["score"]) and inform["n_items"] == 0


def test_gap_is_partner_minus_self(scores):
    gaps = rating_analysis.gaps(scores)
    assert row(gaps, round="baseline", domain="Relate")["gap"] == 1.5
    assert row(gaps, round="baseline", domain="Challenge")["gap"] == -2.0
    assert math.isnan(row(gaps, round="baseline", domain="Inform")["gap"])


def test_change_from_baseline_to_follow_up(scores):
    change = rating_analysis.change(scores)
    assert row(change, relation="self", domain="Relate")["change"] == 1.5
    assert math.isnan(row(change, relation="self", domain="Challenge")["change"])


def test_a_single_round_has_no_change_but_no_error():
    scores = rating_analysis.domain_scores(
        rating_analysis.tidy([record("Ben", "self", "baseline", "Respect", "a", 3)])
    )
    change = rating_analysis.change(scores)
    assert math.isnan(change.iloc[0]["follow_up"]) and math.isnan(change.iloc[0]["change"])
    assert rating_analysis.gaps(scores).iloc[0]["self"] == 3


def test_highlights_break_ties_in_framework_order(scores):
    strongest, develop = rating_analysis.highlights(scores, 1, "baseline", count=1)
    assert strongest == ["Challenge"] and develop == ["Relate"]
    tie = rating_analysis.domain_scores(
        rating_analysis.tidy(
            [
                record("Ben", "self", "baseline", "Respect", "a", 4),
                record("Ben", "self", "baseline", "Initiative", "a", 4),
                record("Ben", "self", "baseline", "Integrity", "a", 2),
            ]
        )
    )
    assert rating_analysis.highlights(tie, 2, "baseline", count=1) == (["Respect"], ["Integrity"])


def test_no_ratings_give_empty_tables():
    empty = rating_analysis.domain_scores(rating_analysis.tidy([]))
    assert empty.empty and rating_analysis.gaps(empty).empty and rating_analysis.change(empty).empty
