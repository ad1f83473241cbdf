"""What each session is for, and what happened: agendas and the session log.

An agenda is built from the programme plan (the session's purpose and worksheets), the
expectations the pair parked for that session, and the open actions due by its date. The
log reads each session's notes (date, minutes, what was covered) for the CPD portfolio.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentorkit.core.dates import date_words, parse_date
from mentorkit.core.models import Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store
from mentorkit.core.words import names_in_words
from mentorkit.core.worksheet_ids import NOTES
from mentorkit.programme import agreement, goal_plans
from mentorkit.programme.schedule import SessionInfo


@dataclass(frozen=True)
class LoggedSession:
    """One session as its notes record it."""

    number: int
    title: str
    held_on: dt.date | None
    minutes: int | None
    covered: str


def notes_worksheet(worksheets: dict[str, Worksheet], session: SessionInfo) -> Worksheet | None:
    """The notes worksheet kept for one session (None if the trainer removed it)."""
    base = worksheets.get(NOTES)
    return base.for_session(session.number, session.title) if base else None


def agenda(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    viewer_id: int,
    session: SessionInfo,
    last: bool = False,
) -> list[str]:
    """The session's agenda items, in order, as plain text (``last``: the programme's final
    session, which looks beyond the programme rather than to a next session)."""
    items: list[str] = []
    for worksheet_id in session.worksheets:
        worksheet = worksheets.get(worksheet_id)
        if worksheet is not None and not worksheet.per_session:
            items.append(f"Work through “{worksheet.title}”.")
    if agreement.EXPECTATIONS in worksheets:
        parked = agreement.open_points(
            agreement.expectation_items(store, worksheets, relationship_id, viewer_id)
        )
        marker = f"Session {session.number}"
        day = date_words(session.date) if session.date else None  # as open_points writes it
        items += [
            f"Come back to: {point.text} (raised by {point.raised_by})."
            for point in parked
            if point.when.startswith(marker) or (day is not None and day in point.when)
        ]
    goals = worksheets.get(goal_plans.WORKSHEET)
    if goals is not None:
        plan = store.load(goals, relationship_id, viewer_id).values.get(goal_plans.PLAN_FIELD) or {}
        if plan.get("goals") and session.number > 1:
            items.append("Check in on each goal: move its objectives' progress sliders.")
        if session.date is not None:
            for action in goal_plans.due_before(plan, None, session.date):
                owner = goal_plans.OWNERS.get(action.get("owner") or "", "someone")
                due = parse_date(action.get("due"))
                items.append(
                    f"Action due {date_words(due, year=False)}: "
                    f"{action.get('what') or '(not written)'} ({owner.lower()})."
                    if due
                    else f"Action: {action.get('what')}."
                )
    if last:
        items.append(
            "Agree how each of you will carry on after the programme, and whether you will "
            "stay in touch."
        )
    else:
        items.append("Agree what happens before the next session, and write it down.")
    return items


def session_log(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    viewer_id: int,
    sessions: list[SessionInfo],
) -> list[LoggedSession]:
    """Every session that has notes, in order, with its date and length."""
    logged = []
    for session in sessions:
        worksheet = notes_worksheet(worksheets, session)
        if worksheet is None:
            continue
        values = store.load(worksheet, relationship_id, viewer_id).values
        if not values:
            continue
        minutes = values.get("minutes")
        logged.append(
            LoggedSession(
                session.number,
                session.title,
                parse_date(values.get("held_on")),
                int(minutes) if isinstance(minutes, (int, float)) else None,
                str(values.get("covered") or ""),
            )
        )
    return logged


def total_hours(log: list[LoggedSession]) -> float:
    """The hours of every logged session together."""
    return sum(entry.minutes or 0 for entry in log) / 60


def _start_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def lead_people(relationship: Relationship, lead: str | None) -> tuple[str, ...]:
    """The names of the people who lead a session the plan gives to the mentor or the mentee
    (several in a group); none when everyone leads, or when nobody here plays that role (a
    peer pair or group has no mentor or mentee)."""
    if lead in ("mentor", "mentee"):
        return tuple(m.name for m in relationship.members if m.role == lead)
    return ()


def lead_names(relationship: Relationship, lead: str | None) -> str:
    """Who leads a session, as the schedule, the session page and the calendar say it: by
    name ("Amara Okafor", "Farah Khan, George Li and Hana Sato"); "both of you" (or "all of
    you" when there are more than two) when everyone leads; and for a mentor's or mentee's
    session among peers, who have neither, "either of you" (or "one of you"). "" for none."""
    names = lead_people(relationship, lead)
    if names:
        return names_in_words(names)
    several = len(relationship.members) > 2
    if lead == "both":
        return "all of you" if several else "both of you"
    if lead in ("mentor", "mentee"):
        return "one of you" if several else "either of you"
    return ""


def calendar_title(relationship: Relationship, session: SessionInfo) -> str:
    """A session's title in the calendar file: "Session 2: Setting objectives (Amara Okafor
    leads)", "… (Farah Khan and George Li lead)"; without the leads when they are not named
    (everyone leads, or among peers either of them may)."""
    heading = f"Session {session.number}" + (f": {session.title}" if session.title else "")
    names = lead_people(relationship, session.lead)
    if not names:
        return heading
    return f"{heading} ({names_in_words(names)} {'leads' if len(names) == 1 else 'lead'})"


def calendar_file(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship: Relationship,
    viewer_id: int,
    sessions: list[SessionInfo],
) -> bytes:
    """The dated sessions as an ``.ics`` file, each with its purpose, who leads it (as the
    schedule says it) and its agenda."""
    from mentorkit.programme.calendar_file import CalendarSession, calendar_ics

    events = []
    final = max((s.number for s in sessions), default=0)
    for session in sessions:
        if session.date is None:
            continue
        items = agenda(
            store, worksheets, relationship.id, viewer_id, session, session.number == final
        )
        leads = lead_names(relationship, session.lead)
        description = "\n".join(
            [
                session.purpose.strip(),
                *(["", f"Led by {leads}."] if leads else []),
                "",
                "Agenda:",
                *[f"- {item}" for item in items],
            ]
        ).strip()
        events.append(
            CalendarSession(
                uid=f"mentorkit-{relationship.programme_id}-{relationship.id}-s{session.number}"
                "@mentorkit",
                number=session.number,
                title=calendar_title(relationship, session),
                day=session.date,
                start=_start_time(session.time),
                minutes=session.minutes,
                location=session.place,
                description=description,
                attendees=tuple(m.name for m in relationship.members),
            )
        )
    return calendar_ics(events, f"Mentoring: {relationship.title}")
