"""The .ics calendar file: events, floating and all-day times, escaping, folding, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from mentorkit.programme.calendar_file import CalendarSession, calendar_ics

STAMP = dt.datetime(2027, 1, 5, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
AWKWARD = (
    "Purpose: agree goals, plan; review.\n"
    "Agenda:\n1. Καλημέρα — ξεκινάμε 🎉🙂\n2. Back-slash \\ and caret ^ stay; commas, too"
)


def session(number: int, **changes) -> CalendarSession:
    values = {
        "uid": f"mentorkit-prog-rel-s{number}@mentorkit",
        "number": number,
        "title": f"Session {number}: Two-way discussion (Ben leads)",
        "day": dt.date(2027, 2, number),
        "start": dt.time(17, 45),
        "minutes": 90,
    }
    values.update(changes)
    return CalendarSession(**values)


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_calendar_header_and_one_event_per_session_sorted_by_number():
    data = calendar_ics([session(3), session(1), session(2)], "Ana & Ben: mentoring", STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//mentorkit//mentoring sessions//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Ana & Ben: mentoring"
    found = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in found] == [
        "mentorkit-prog-rel-s1@mentorkit",
        "mentorkit-prog-rel-s2@mentorkit",
        "mentorkit-prog-rel-s3@mentorkit",
    ]
    assert all(int(e["SEQUENCE"]) == 0 and str(e["STATUS"]) == "CONFIRMED" for e in found)


def test_text_round_trips_exactly_with_punctuation_newlines_greek_and_emoji():
    title = "Session 1: Γνωριμία, goals; 🎯 (Ben leads)"
    where = "Café Ωmega, Room 2; Level 1"
    data = calendar_ics(
        [session(1, title=title, description=AWKWARD, location=where)], "Κύκλος 🌱", STAMP
    )
    (event,) = events(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == AWKWARD
    assert str(event["LOCATION"]) == where
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Κύκλος 🌱"


def test_attendees_are_named_in_the_description_and_location_is_optional():
    data = calendar_ics(
        [session(1, description="Agenda", attendees=("Ana Pérez", "Ben O'Neil")), session(2)],
        "x",
        STAMP,
    )
    first, second = events(data)
    assert str(first["DESCRIPTION"]) == "Agenda\n\nWith: Ana Pérez and Ben O'Neil"
    assert "LOCATION" not in first and "ATTENDEE" not in first
    assert "DESCRIPTION" not in second


def test_timed_event_is_floating_local_time_lasting_the_given_minutes():
    (event,) = events(calendar_ics([session(1, day=dt.date(2027, 3, 28))], "x", STAMP))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert isinstance(start, dt.datetime) and start.tzinfo is None
    assert start == dt.datetime(2027, 3, 28, 17, 45)
    assert isinstance(end, dt.datetime) and end.tzinfo is None
    assert end == dt.datetime(2027, 3, 28, 19, 15)
    assert "TZID" not in event["DTSTART"].params


def test_all_day_event_is_a_date_ending_the_next_day():
    data = calendar_ics([session(1, day=dt.date(2027, 12, 31), start=None)], "x", STAMP)
    (event,) = events(data)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is dt.date and start == dt.date(2027, 12, 31)
    assert type(end) is dt.date and end == dt.date(2028, 1, 1)
    assert b"DTSTART;VALUE=DATE:20271231\r\n" in data


def test_reminder_one_day_before():
    (event,) = events(calendar_ics([session(1)], "x", STAMP))
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=1)
    assert "TRIGGER:-P1D" in alarm.to_ical().decode()


def test_dtstamp_is_the_given_stamp_in_utc():
    data = calendar_ics([session(1)], "x", STAMP)
    (event,) = events(data)
    stamp = event.decoded("DTSTAMP")
    assert stamp == STAMP and stamp.utcoffset() == dt.timedelta(0)
    assert stamp.replace(tzinfo=None) == dt.datetime(2027, 1, 5, 12, 30)
    assert b"DTSTAMP:20270105T123000Z\r\n" in data


def test_naive_stamp_is_taken_as_utc():
    data = calendar_ics([session(1)], "x", dt.datetime(2027, 1, 5, 9, 15, 42, 999))
    assert b"DTSTAMP:20270105T091542Z\r\n" in data


def test_dtstamp_defaults_to_now_in_utc():
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    (event,) = events(calendar_ics([session(1)], "x"))
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == dt.timedelta(0)
    assert before <= stamp <= dt.datetime.now(dt.timezone.utc)


def test_lines_are_crlf_and_folded_at_75_octets():
    long_text = (AWKWARD + " ") * 8
    data = calendar_ics(
        [session(1, title="Σ🎉," * 40, description=long_text, location="Ω" * 100)],
        "κ" * 60,
        STAMP,
    )
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "long values should be folded"
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    assert str(events(data)[0]["DESCRIPTION"]) == long_text


@pytest.mark.parametrize("minutes", [0, -30])
def test_too_few_minutes_are_refused(minutes):
    with pytest.raises(ValueError, match="at least one minute"):
        calendar_ics([session(1), session(2, minutes=minutes)], "x", STAMP)


@pytest.mark.parametrize("uid", ["", "   "])
def test_empty_uid_is_refused(uid):
    with pytest.raises(ValueError, match="empty uid"):
        calendar_ics([session(1, uid=uid)], "x", STAMP)
