"""When a relationship's sessions fall, and the programme window its plans must fit in.

The dates come from the mentoring agreement: its start date, how often the pair meets, and
its end date. By default a relationship has six sessions (the six-session programme), the
first on the start date, then one per agreed interval.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from .spec import Worksheet
from .store import Store

AGREEMENT = "mentoring-agreement"
DEFAULT_SESSIONS = 6
SPACING_DAYS = {"fortnightly": 14, "six_weekly": 42}
"""Intervals in days; "monthly" (and anything unrecognised) means the same day each month."""


@dataclass(frozen=True)
class Window:
    """The programme's dates for one relationship (any may be unknown)."""

    start: dt.date | None
    end: dt.date | None
    sessions: tuple[dt.date, ...]

    def next_session(self, today: dt.date) -> tuple[int, dt.date] | None:
        """(number, date) of the first session on or after ``today``, if any is planned."""
        for number, day in enumerate(self.sessions, start=1):
            if day >= today:
                return number, day
        return None

    def session_on_or_before(self, day: dt.date) -> int | None:
        """The number of the latest session held on or before ``day``."""
        held = [n for n, when in enumerate(self.sessions, start=1) if when <= day]
        return held[-1] if held else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def session_dates(
    start: dt.date, frequency: str | None, count: int = DEFAULT_SESSIONS
) -> tuple[dt.date, ...]:
    """``count`` session dates from ``start`` at the agreed frequency."""
    days = SPACING_DAYS.get(frequency or "")
    if days:
        return tuple(start + dt.timedelta(days=days * n) for n in range(count))
    return tuple(add_months(start, n) for n in range(count))


def window(
    store: Store, worksheets: dict[str, Worksheet], relationship_id: int, viewer_id: int
) -> Window:
    """The programme window of a relationship, from its agreement (empty if none yet)."""
    worksheet = worksheets.get(AGREEMENT)
    values = store.load(worksheet, relationship_id, viewer_id).values if worksheet else {}
    start, end = _date(values.get("start_date")), _date(values.get("end_date"))
    sessions = session_dates(start, values.get("frequency")) if start else ()
    if end is not None:
        sessions = tuple(day for day in sessions if day <= end) or sessions[:1]
    return Window(start, end, sessions)
