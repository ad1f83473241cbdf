"""The cells of an application, read one by one: role, years, expertise tags, choices, free
times, time zone, capacity, people to avoid and ratings. Each returns the value and adds what is
wrong to ``problems``, in words a facilitator can act on.
"""

from __future__ import annotations

import difflib
import re

from mentorkit.core.words import names_in_words
from mentorkit.exceptions import MentorkitError
from mentorkit.io.people_import import (
    NEGATIVE_NUMBER,
    parse_years,
)
from mentorkit.io.spreadsheet import (
    quoted,
)
from mentorkit.matching import MODELS, parse_slot

KNOWN_TAGS = ("management", "interpersonal", "specialist-technical")
OWN_PREFIX = "own:"
FREQUENCIES = ("fortnightly", "monthly", "six_weekly")
RATING = "rating:"
SAY = {
    "id": "id",
    "name": "name",
    "email": "email",
    "role": "role",
    "years": "years of experience",
    "offers": "expertise offered",
    "seeks": "expertise sought",
    "goals": "goals",
    "model": "mentoring model",
    "frequency": "meeting frequency",
    "slots": "time slots",
    "utc_offset": "time zone",
    "capacity": "capacity",
    "avoid": "not-to-pair list",
}
LIST_SEPARATOR = re.compile(r"[;,]")


ROLE_WORDS = {
    "mentor": "mentor",
    "senior": "mentor",
    "mentee": "mentee",
    "junior": "mentee",
    "either": "either",
    "both": "either",
}
_TAG_ALIASES = {
    "technical": "specialist-technical",
    "specialist": "specialist-technical",
    "interpersonal-skill": "interpersonal",
}
_MODEL_ALIASES = {"1-to-1": "one-to-one", "1-1": "one-to-one", "1:1": "one-to-one"}
_FREQUENCY_ALIASES = {
    "every_two_weeks": "fortnightly",
    "every_2_weeks": "fortnightly",
    "biweekly": "fortnightly",
    "every_month": "monthly",
    "every_six_weeks": "six_weekly",
    "every_6_weeks": "six_weekly",
    "6_weekly": "six_weekly",
    "sixweekly": "six_weekly",
}
_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?:([+\-−]?)\s*(\d{1,2})(?:([:.,])(\d{1,2}))?)?")
_WHOLE = re.compile(r"[0-9]+")


def read_role(value: str, problems: list[str]) -> str:
    key = value.casefold()
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    choices = "mentor (senior), mentee (junior) or either"
    if not key:
        problems.append(f"the role is empty. Write {choices}.")
    else:
        problem = f"the role {quoted(value)} is not one we know."
        close = difflib.get_close_matches(key, list(ROLE_WORDS), n=1, cutoff=0.6)
        if close:
            problem += f" Did you mean '{close[0]}'?"
        problems.append(f"{problem} Write {choices}.")
    return ""


def read_years(value: str, problems: list[str]) -> float | None:
    if not value:
        problems.append(
            "the years of experience is empty. Write a number, like 1 or 12 (under two "
            "years means applying as a mentee)."
        )
        return None
    if NEGATIVE_NUMBER.fullmatch(value):
        problems.append(
            f"years cannot be negative, but this row has {quoted(value)}. Write 0 or more."
        )
        return None
    years, found = parse_years(value)
    problems += found
    return years


def tag_key(text: str) -> str:
    key = re.sub(r"[\s_-]+", "-", text.casefold()).strip("-")
    key = re.sub(r"-skills?$", "", key)
    return _TAG_ALIASES.get(key, key)


def read_tags(value: str, which: str, tags: list[str], problems: list[str]) -> frozenset[str]:
    out: set[str] = set()
    what = SAY[which]
    for raw in (t.strip() for t in LIST_SEPARATOR.split(value)):
        if not raw:
            continue
        if raw.casefold().startswith(OWN_PREFIX):
            key = tag_key(raw[len(OWN_PREFIX) :])
            if not key:
                problems.append(
                    f"the {what} has {quoted(raw)} with nothing after 'own:'. Write the tag, "
                    "like own:grant writing."
                )
            else:
                out.add(key)
            continue
        key = tag_key(raw)
        if key in tags:
            out.add(key)
            continue
        problem = f"the {what} {quoted(raw)} is not a tag we know."
        close = difflib.get_close_matches(key, tags, n=1, cutoff=0.6)
        if close:
            problem += f" Did you mean '{close[0]}'?"
        problems.append(
            f"{problem} Use {names_in_words(tags, 'or')}, or write own:{raw} for a tag of the applicant's own."
        )
    return frozenset(out)


def read_choice(value: str, which: str, problems: list[str]) -> str:
    allowed: tuple[str, ...]
    if which == "model":
        default, allowed, aliases = "one-to-one", MODELS, _MODEL_ALIASES
        key = re.sub(r"[\s_-]+", "-", value.casefold()).strip("-")
        key = key.removesuffix("-mentoring")
    else:
        default, allowed, aliases = "monthly", FREQUENCIES, _FREQUENCY_ALIASES
        key = re.sub(r"[\s_-]+", "_", value.casefold()).strip("_")
    if not key:
        return default
    key = aliases.get(key, key)
    if key in allowed:
        return key
    problem = f"the {SAY[which]} {quoted(value)} is not one we know."
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        problem += f" Did you mean '{close[0]}'?"
    problems.append(
        f"{problem} Write {names_in_words(list(allowed), 'or')}, or leave it empty for {default}."
    )
    return default


def read_slots(value: str, problems: list[str]) -> frozenset[str]:
    out = set()
    for raw in (s.strip() for s in LIST_SEPARATOR.split(value)):
        if not raw:
            continue
        try:
            out.add(parse_slot(raw, "x"))
        except MentorkitError:
            problems.append(
                f"the time slot {quoted(raw)} is not a day and part of the day. Write slots "
                "like mon-am; wed-pm; fri-eve (am, pm or eve), separated by ';'."
            )
    return frozenset(out)


def read_offset(value: str, problems: list[str]) -> float:
    if not value:
        return 0.0
    found = _OFFSET.fullmatch(value.casefold().strip())
    hours = None
    if found:
        sign, whole, mark, part = found.groups()
        if whole is None:
            hours = 0.0
        else:
            if mark == ":":
                hours = int(whole) + (int(part) / 60 if part else 0)
                if part and int(part) >= 60:
                    hours = None
            else:
                hours = float(whole + ("." + part if part else ""))
            if hours is not None and sign in ("-", "−"):
                hours = -hours
    if hours is None or not -12 <= hours <= 14:
        problems.append(
            f"the time zone {quoted(value)} is not a UTC offset from -12 to +14. Write it like "
            "+1, -5 or UTC+5:30, or leave it empty for UTC."
        )
        return 0.0
    return float(hours)


def read_capacity(value: str, role: str, problems: list[str]) -> int:
    if role == "mentee" or not value:
        return 1  # a mentee takes no mentees; the value is not used
    if NEGATIVE_NUMBER.fullmatch(value):
        problems.append(
            f"the capacity cannot be negative, but this row has {quoted(value)}. Write how many "
            "mentees this mentor can take: 1 or more."
        )
        return 1
    if not _WHOLE.fullmatch(value):
        problems.append(
            f"the capacity {quoted(value)} is not a whole number. Write how many mentees this "
            "mentor can take, like 1 or 3."
        )
        return 1
    capacity = int(value)
    if capacity < 1:
        problems.append(
            "the capacity is 0, so this mentor could take no mentees. Write 1 or more, or leave "
            "the row out of this round (or apply as a mentee)."
        )
        return 1
    return capacity


def read_avoid(value: str, known: dict[str, str], problems: list[str]) -> frozenset[str]:
    out = set()
    for raw in (s.strip() for s in LIST_SEPARATOR.split(value)):
        if not raw:
            continue
        key = raw.casefold()
        if key in known:
            out.add(key)
            continue
        problem = (
            f"the not-to-pair list names {quoted(raw)}, but nobody in this file has that email "
            "or id."
        )
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
        if close:
            problem += f" Did you mean '{known[close[0]]}'?"
        problems.append(f"{problem} Correct it, or remove it from the list.")
    return frozenset(out)


def read_ratings(values: dict[str, str], problems: list[str]) -> dict[str, float]:
    out = {}
    for name, value in values.items():
        if not name.startswith(RATING) or not value:
            continue
        domain = name[len(RATING) :]
        try:
            out[domain] = float(value.replace(",", "."))
        except ValueError:
            problems.append(
                f"the rating for {domain} {quoted(value)} is not a number. Write a number, like "
                "3, or leave it empty."
            )
    return out
