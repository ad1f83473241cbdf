"""Reading stored dates (ISO text) and showing them the way people write them."""

from __future__ import annotations

import datetime as dt
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as plans and applications write them, Monday first (index = ``date.weekday()``)."""
FULL_DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
"""Whole day names are accepted too (in English, whatever the computer's language)."""


def parse_date(value: Any) -> dt.date | None:
    """A stored date ("2027-03-10", or a date) as a date; None when empty or not a date."""
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Day names as dates show them, Monday first (index = ``date.weekday()``)."""
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""Month names as dates show them, January first (index = ``date.month - 1``). Ours, in
English: never the computer's language (``strftime`` follows its locale)."""


def date_words(value: Any, *, year: bool = True) -> str:
    """A stored date (ISO text, or a date) the way people write it: "Tue 2 March 2027";
    without the ``year`` "Tue 2 March" (for dates in the coming weeks). The one way pages,
    documents and messages show a calendar date. "" when empty; anything else as it was
    written."""
    day = parse_date(value)
    if day is None:
        return str(value or "")
    words = f"{DAY_ABBREVIATIONS[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{words} {day.year}" if year else words


def short_date(value: Any) -> str:
    """A stored date as "9 Dec 2026", for the compact labels of charts only (people read
    dates everywhere else as :func:`date_words`); "" when empty; anything else as written."""
    day = parse_date(value)
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}" if day else str(value or "")


def moment_text(
    moment: str | None, *, year: bool = True, today: dt.date | None = None, empty: str = "—"
) -> str:
    """A stored moment (ISO 8601, UTC) in this computer's time zone, as people read it:
    "2 Mar 2027, 14:05"; without the ``year`` "2 Mar, 14:05"; on ``today`` just "14:05";
    ``empty`` when there is none."""
    if not moment:
        return empty
    local = dt.datetime.fromisoformat(moment).astimezone()
    if today is not None and local.date() == today:
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b}{f' {local:%Y}' if year else ''}, {local:%H:%M}"
