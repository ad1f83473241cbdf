"""Stored codes as people say them: ``tue-pm`` is "Tuesday afternoon", ``specialist-technical``
is "Specialist / technical", ``six_weekly`` is "every six weeks", the role ``mentee`` is
"Mentee". Pages, documents and messages show these, never the codes; a count and its noun
agree through :func:`mentorkit.core.text.count_of` ("1 session", "2 sessions"), and a list of
names reads as a sentence says it through :func:`names_in_words` ("A, B and C")."""

from __future__ import annotations

from collections.abc import Sequence

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
_ROLES = {
    "mentor": "Mentor",
    "mentee": "Mentee",
    "peer": "Peer",
    "either": "Mentor or mentee",
    "facilitator": "Facilitator",
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


def role_words(role: str) -> str:
    """A person's role (``mentee``, ``either``) as a heading or table cell says it ("Mentee",
    "Mentor or mentee"); others read like :func:`tag_words`. Within a sentence, lower-case it."""
    return _ROLES.get(role) or tag_words(role)


def names_in_words(names: Sequence[str], word: str = "and") -> str:
    """Names (or any items) listed as a sentence says them: "Amara", "Amara and Ben",
    "Farah Khan, George Li and Hana Sato"; ``word`` joins the last two ("A, B or C")."""
    items = [str(name) for name in names]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
