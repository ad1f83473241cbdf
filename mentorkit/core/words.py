"""Stored codes as people say them: ``tue-pm`` is "Tuesday afternoon", ``specialist-technical``
is "Specialist / technical", ``six_weekly`` is "every six weeks". Pages and documents show
these, never the codes."""

from __future__ import annotations

_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_PARTS = {"am": "morning", "pm": "afternoon", "eve": "evening"}
_TAGS = {
    "management": "Management",
    "interpersonal": "Interpersonal",
    "specialist-technical": "Specialist / technical",
}
_FREQUENCIES = {
    "weekly": "every week",
    "fortnightly": "every two weeks",
    "monthly": "once a month",
    "six_weekly": "every six weeks",
}


def slot_words(slot: str) -> str:
    """A time slot (``tue-pm``) in words ("Tuesday afternoon"); anything else as it is."""
    day, _, part = slot.partition("-")
    if day in _DAYS and part in _PARTS:
        return f"{_DAYS[day]} {_PARTS[part]}"
    return slot


def tag_words(tag: str) -> str:
    """An expertise tag in words: the known ones by name ("Specialist / technical"), others
    with their hyphens and underscores read as spaces and a capital first letter."""
    if tag in _TAGS:
        return _TAGS[tag]
    spaced = " ".join(tag.replace("_", " ").replace("-", " ").split())
    return spaced[:1].upper() + spaced[1:]


def frequency_words(frequency: str) -> str:
    """How often to meet (``six_weekly``) in words ("every six weeks")."""
    return _FREQUENCIES.get(frequency, frequency.replace("_", " "))
