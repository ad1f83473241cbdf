"""Stored codes are shown as words, and counts agree with their nouns."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit.core.fieldtypes import check_answer
from mentorkit.core.models import Member, Relationship
from mentorkit.core.spec import Field
from mentorkit.core.text import count_of
from mentorkit.core.words import (
    frequency_words,
    names_in_words,
    role_words,
    slot_words,
    tag_words,
)
from mentorkit.facilitator import dashboard
from mentorkit.matching.reasons import tags_text
from mentorkit.programme.goal_plan_field import goal_plan_problem
from mentorkit.programme.goal_plans import LIMITS, TEXT_LIMITS


@pytest.mark.parametrize(
    ("code", "words"),
    [("tue-pm", "Tuesday afternoon"), ("mon-am", "Monday morning"), ("fri-eve", "Friday evening")],
)
def test_time_slots_read_as_days_and_parts_of_the_day(code, words):
    assert slot_words(code) == words


def test_expertise_tags_read_as_names():
    assert tag_words("specialist-technical") == "Specialist / technical"
    assert tag_words("data_science") == "Data science"
    assert tags_text({"specialist-technical", "management"}) == (
        "management and specialist / technical"
    )


def test_frequencies_read_as_how_often():
    assert frequency_words("six_weekly") == "every six weeks"
    assert frequency_words("fortnightly") == "every two weeks"
    assert frequency_words("every_so_often") == "every so often"


@pytest.mark.parametrize(
    ("role", "words"),
    [
        ("mentor", "Mentor"),
        ("mentee", "Mentee"),
        ("peer", "Peer"),
        ("either", "Mentor or mentee"),
        ("facilitator", "Facilitator"),
        ("team_lead", "Team lead"),
    ],
)
def test_roles_read_as_words(role, words):
    assert role_words(role) == words


def test_counts_agree_with_their_nouns():
    assert count_of(1, "session") == "1 session"
    assert count_of(0, "session") == "0 sessions"
    assert count_of(1, "person", "people") == "1 person"
    assert count_of(1.5, "hour") == "1.5 hours"
    assert count_of(1500, "character") == "1,500 characters"


def test_plan_messages_name_what_the_page_shows_never_a_stored_key():
    many = [{"_id": str(n), "date": "2027-01-01"} for n in range(LIMITS["check_ins"] + 1)]
    problem = goal_plan_problem({"goals": [], "check_ins": many})
    assert "check-ins" in problem and "check_ins" not in problem
    long_why = {"_id": "g", "why": "x" * (TEXT_LIMITS["why"] + 1)}
    assert goal_plan_problem({"goals": [long_why]}).startswith("Goal 1: “Why it matters” is 2,001")


def test_a_group_of_one_item_says_item():
    one = Field(id="g", type="group", label="Things", max_items=1, fields=())
    assert check_answer(one, [{}, {}]) == "There is room for at most 1 item; please remove one."


def test_dashboard_flags_count_in_words():
    today = dt.date(2027, 3, 2)
    pair = Relationship(1, 1, "one-to-one", "", (Member(1, "Amara", "mentor"),))
    yesterday = "2027-03-01T12:00:00+00:00"
    flags = dashboard._flags(pair, yesterday, 1, True, [], today, quiet_days=1)
    assert flags == ("No activity for 1 day", "1 overdue action")


@pytest.mark.parametrize(
    ("names", "words"),
    [
        ([], ""),
        (["Amara"], "Amara"),
        (["Amara", "Ben"], "Amara and Ben"),
        (["Farah Khan", "George Li", "Hana Sato"], "Farah Khan, George Li and Hana Sato"),
        (("A", "B", "C", "D"), "A, B, C and D"),
    ],
)
def test_names_read_as_a_sentence_lists_them(names, words):
    assert names_in_words(names) == words


def test_a_list_can_end_with_or():
    assert names_in_words(["mentor", "mentee", "either"], "or") == "mentor, mentee or either"
