"""Who leads a session, in words that fit the relationship: names for the mentor or the
mentees, "both of you" for a pair and "all of you" for a group, and "either of you" among
peers, who have no mentor or mentee; the calendar file says the same, with verbs that agree."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from mentorkit.core.models import Member, Relationship
from mentorkit.programme import agenda
from mentorkit.programme.schedule import SessionInfo

PAIR = Relationship(
    1, 1, "one-to-one", "", (Member(1, "Amara Okafor", "mentor"), Member(2, "Ben Hughes", "mentee"))
)
PEERS = Relationship(
    2, 1, "peer", "", (Member(3, "Chen Wei", "peer"), Member(4, "Dana Kowalski", "peer"))
)
GROUP = Relationship(
    3,
    1,
    "group",
    "",
    (
        Member(5, "Esther Mensah", "mentor"),
        Member(6, "Farah Khan", "mentee"),
        Member(7, "George Li", "mentee"),
        Member(8, "Hana Sato", "mentee"),
    ),
)
PEER_GROUP = Relationship(
    4, 1, "peer", "", tuple(Member(9 + i, name, "peer") for i, name in enumerate("IJKL"))
)


@pytest.mark.parametrize(
    ("relationship", "lead", "words"),
    [
        (PAIR, "mentor", "Amara Okafor"),
        (PAIR, "mentee", "Ben Hughes"),
        (PAIR, "both", "both of you"),
        (PAIR, None, ""),
        (PEERS, "mentor", "either of you"),
        (PEERS, "mentee", "either of you"),
        (PEERS, "both", "both of you"),
        (PEERS, None, ""),
        (GROUP, "mentor", "Esther Mensah"),
        (GROUP, "mentee", "Farah Khan, George Li and Hana Sato"),
        (GROUP, "both", "all of you"),
        (PEER_GROUP, "mentor", "one of you"),
        (PEER_GROUP, "both", "all of you"),
    ],
)
def test_the_leads_read_as_the_relationship_would_say_them(relationship, lead, words):
    assert agenda.lead_names(relationship, lead) == words


@pytest.mark.parametrize(
    ("relationship", "lead", "title"),
    [
        (PAIR, "mentor", "Session 2: Setting objectives (Amara Okafor leads)"),
        (
            GROUP,
            "mentee",
            "Session 2: Setting objectives (Farah Khan, George Li and Hana Sato lead)",
        ),
        (PAIR, "both", "Session 2: Setting objectives"),
        (GROUP, "both", "Session 2: Setting objectives"),
        (PEERS, "mentor", "Session 2: Setting objectives"),
        (PEERS, None, "Session 2: Setting objectives"),
    ],
)
def test_the_calendar_title_names_the_leads_with_a_verb_that_agrees(relationship, lead, title):
    session = SessionInfo(2, "Setting objectives", lead=lead)
    assert agenda.calendar_title(relationship, session) == title


def _events(relationship: Relationship, leads: dict[int, str | None]) -> list:
    sessions = [
        SessionInfo(n, f"Session title {n}", "Why we meet.", dt.date(2030, n, 15), lead=lead)
        for n, lead in leads.items()
    ]
    ics = agenda.calendar_file(None, {}, relationship, 0, sessions)  # type: ignore[arg-type]
    return Calendar.from_ical(ics).walk("VEVENT")


def test_the_calendar_file_says_who_leads_as_the_schedule_does():
    events = _events(PEERS, {1: "both", 2: "mentor", 3: None})
    descriptions = [str(e["DESCRIPTION"]) for e in events]
    assert "Led by both of you." in descriptions[0]
    assert "Led by either of you." in descriptions[1]
    assert "Led by" not in descriptions[2]
    assert [str(e["SUMMARY"]) for e in events] == [
        f"Session {n}: Session title {n}" for n in (1, 2, 3)
    ]
    assert descriptions[0].endswith("With: Chen Wei and Dana Kowalski")

    group = _events(GROUP, {1: "both", 2: "mentee"})
    assert "Led by all of you." in str(group[0]["DESCRIPTION"])
    assert "Led by Farah Khan, George Li and Hana Sato." in str(group[1]["DESCRIPTION"])
    assert str(group[1]["SUMMARY"]) == (
        "Session 2: Session title 2 (Farah Khan, George Li and Hana Sato lead)"
    )
    assert str(group[0]["DESCRIPTION"]).endswith(
        "With: Esther Mensah, Farah Khan, George Li and Hana Sato"
    )
