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


def short_date(value: Any) -> str:
    """A stored date as "9 Dec 2026"; "" when empty; anything else as it was written."""
    day = parse_date(value)
    return f"{day.day} {day:%b %Y}" if day else str(value or "")
