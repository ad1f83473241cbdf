"""Mentoring sessions as an iCalendar (``.ics``) file that Outlook and Google Calendar import.

Each session becomes one VEVENT with a stable UID, so importing the file again updates the
events instead of duplicating them. Timed sessions use *floating* local times (no time zone):
they appear at the same clock time wherever the file is imported. Sessions without a start
time become all-day events. Each event carries a display reminder one day before.

Serialisation (escaping, folding at 75 octets, CRLF line endings) is done by ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event

from mentorkit.core.words import names_in_words

PRODID = "-//mentorkit//mentoring sessions//EN"
REMINDER_BEFORE = dt.timedelta(days=1)


@dataclass(frozen=True)
class CalendarSession:
    """One mentoring session to put in a calendar file."""

    uid: str
    """Stable per relationship and session, e.g. ``mentorkit-<programme>-<pair>-s3@mentorkit``."""
    number: int
    title: str
    day: dt.date
    start: dt.time | None = None
    """Local clock time; ``None`` makes an all-day event."""
    minutes: int = 60
    location: str = ""
    description: str = ""
    attendees: tuple[str, ...] = ()
    """Display names only; they are listed in the description as ``With: A, B and C``."""


def _check(session: CalendarSession) -> None:
    """Raise ``ValueError`` if the session cannot become a valid event."""
    if not session.uid.strip():
        raise ValueError(f"Session {session.number} ({session.title!r}) has an empty uid.")
    if session.minutes < 1:
        raise ValueError(
            f"Session {session.number} ({session.title!r}) must last at least one minute, "
            f"not {session.minutes}."
        )


def _description(session: CalendarSession) -> str:
    """The session's description with the attendees' names appended."""
    parts = [session.description] if session.description else []
    if session.attendees:
        parts.append("With: " + names_in_words(session.attendees))
    return "\n\n".join(parts)


def _event(session: CalendarSession, stamp: dt.datetime) -> Event:
    """One VEVENT, with its reminder, for ``session``."""
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("summary", session.title)
    if session.start is None:
        event.add("dtstart", session.day)
        event.add("dtend", session.day + dt.timedelta(days=1))
    else:
        begin = dt.datetime.combine(session.day, session.start).replace(tzinfo=None)
        event.add("dtstart", begin)
        event.add("dtend", begin + dt.timedelta(minutes=session.minutes))
    description = _description(session)
    if description:
        event.add("description", description)
    if session.location:
        event.add("location", session.location)

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", session.title)
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    return event


def calendar_ics(
    sessions: Sequence[CalendarSession], name: str, stamp: dt.datetime | None = None
) -> bytes:
    """The sessions, sorted by number, as an RFC 5545 calendar named ``name``.

    ``stamp`` is the DTSTAMP of every event (default: now); a naive stamp is taken as UTC.
    Raises ``ValueError`` for a session with an empty uid or fewer than one minute.
    """
    for session in sessions:
        _check(session)
    if stamp is None:
        stamp = dt.datetime.now(dt.timezone.utc)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    else:
        stamp = stamp.astimezone(dt.timezone.utc)
    stamp = stamp.replace(microsecond=0)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for session in sorted(sessions, key=lambda s: s.number):
        calendar.add_component(_event(session, stamp))
    return calendar.to_ical()
