"""A relationship's sessions: when they fall, who leads, and the programme window.

Dates are suggested from the programme plan (``worksheets/programme.yaml``: how many
sessions, how far apart) and the mentoring agreement (its start date, and the meeting
frequency the pair chose, which wins over the plan's spacing). A suggested date that falls
on a day off (Saturday or Sunday, unless the plan's ``working_days`` say otherwise) moves to
the next working day; every page, the calendar file and the goals timeline read these same
dates. Once the pair saves their own dates in *Our sessions*, those are used instead, as
they are (a pair may choose to meet on a Saturday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mentorkit.core.dates import parse_date
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store
from mentorkit.core.worksheet_ids import AGREEMENT, SCHEDULE
from mentorkit.programme.plan import WORKING_DAYS, ProgrammePlan, spaced_dates
from mentorkit.programme.plan import session_dates as planned_dates

SCHEDULE_FIELD = "schedule"
DEFAULT_SESSIONS = 6


@dataclass(frozen=True)
class SessionInfo:
    """One session of a relationship, as planned and scheduled."""

    number: int
    title: str = ""
    purpose: str = ""
    date: dt.date | None = None
    time: str = ""
    place: str = ""
    lead: str | None = None
    worksheets: tuple[str, ...] = ()
    minutes: int = 60


@dataclass(frozen=True)
class Window:
    """The programme's dates for one relationship (any may be unknown)."""

    start: dt.date | None
    end: dt.date | None
    dated: tuple[tuple[int, dt.date], ...]

    @property
    def sessions(self) -> tuple[dt.date, ...]:
        """The session dates, in session order."""
        return tuple(day for _, day in self.dated)

    def next_session(self, today: dt.date) -> tuple[int, dt.date] | None:
        """(number, date) of the first session on or after ``today``, if any is planned."""
        return next(((n, day) for n, day in self.dated if day >= today), None)

    def session_on_or_before(self, day: dt.date) -> int | None:
        """The number of the latest session held on or before ``day``."""
        held = [n for n, when in self.dated if when <= day]
        return held[-1] if held else None


def session_dates(
    start: dt.date,
    frequency: str | None,
    count: int = DEFAULT_SESSIONS,
    working_days: tuple[int, ...] = WORKING_DAYS,
) -> tuple[dt.date, ...]:
    """``count`` suggested session dates from ``start`` at the agreed frequency (monthly by
    default), on working days (Monday to Friday by default)."""
    return spaced_dates(start, frequency, count, working_days)


def _values(store: Store, worksheet: Worksheet | None, relationship_id: int, viewer_id: int):
    return store.load(worksheet, relationship_id, viewer_id).values if worksheet else {}


def build_sessions(
    agreement: dict[str, Any],
    saved: list[dict[str, Any]],
    plan: ProgrammePlan | None = None,
) -> list[SessionInfo]:
    """Sessions from an agreement's answers, the pair's saved schedule rows and the plan."""
    start = parse_date(agreement.get("start_date"))
    frequency = agreement.get("frequency")
    if plan is not None:
        suggested = planned_dates(plan, start, frequency) if start else ()
        leads = plan.leads()
        infos = {
            s.number: SessionInfo(
                s.number,
                s.title,
                s.purpose,
                suggested[i] if i < len(suggested) else None,
                lead=leads.get(s.number),
                worksheets=s.worksheets,
                minutes=s.minutes,
            )
            for i, s in enumerate(plan.sessions)
        }
    else:
        suggested = session_dates(start, frequency) if start else ()
        count = len(suggested) or DEFAULT_SESSIONS
        infos = {
            n: SessionInfo(n, date=suggested[n - 1] if suggested else None)
            for n in range(1, count + 1)
        }
    for row in saved:
        number = int(row["number"])
        base = infos.get(number, SessionInfo(number))
        infos[number] = SessionInfo(
            number,
            base.title,
            base.purpose,
            parse_date(row.get("date")),
            str(row.get("time") or ""),
            str(row.get("place") or ""),
            row.get("lead") or base.lead,
            base.worksheets,
            base.minutes,
        )
    return [infos[n] for n in sorted(infos)]


def sessions(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    viewer_id: int,
    plan: ProgrammePlan | None = None,
    include_saved: bool = True,
) -> list[SessionInfo]:
    """Every session of the relationship: the plan's, dated from the agreement, with the
    pair's own dates, times, places and leaders where they saved them (unless
    ``include_saved`` is False: then only the suggestion). Reads what ``viewer_id`` may see."""
    agreement = _values(store, worksheets.get(AGREEMENT), relationship_id, viewer_id)
    stored = (
        _values(store, worksheets.get(SCHEDULE), relationship_id, viewer_id)
        if include_saved
        else {}
    )
    return build_sessions(agreement, list(stored.get(SCHEDULE_FIELD) or []), plan)


def window(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    viewer_id: int,
    plan: ProgrammePlan | None = None,
) -> Window:
    """The programme window of a relationship: its agreement's dates and its sessions."""
    agreement = _values(store, worksheets.get(AGREEMENT), relationship_id, viewer_id)
    start, end = parse_date(agreement.get("start_date")), parse_date(agreement.get("end_date"))
    infos = sessions(store, worksheets, relationship_id, viewer_id, plan)
    dated = tuple((s.number, s.date) for s in infos if s.date is not None)
    return Window(start, end, dated)
