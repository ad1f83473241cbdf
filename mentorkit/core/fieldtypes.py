"""The table of field types: which settings each accepts and what answers it takes.

Each :class:`FieldType` knows the extra YAML keys it allows, how to turn them into
:class:`~mentorkit.core.spec.Field` settings (reporting problems), how to check an answer, and
how to write an answer as plain text for people to read (every export and report uses
that, through :func:`answer_text`). Add a type with :func:`register_field_type`: the layer that owns a type registers it (the
goal plan's in :mod:`mentorkit.programme.goal_plans`). The form side has a matching table in
:mod:`mentorkit.ui.forms.fields`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mentorkit.core.dates import date_words
from mentorkit.core.field_settings import (
    LENGTH_KEYS,
    Report,
    choice_settings,
    date_settings,
    group_settings,
    guidance_settings,
    length_settings,
    no_settings,
    number_settings,
    rating_settings,
)
from mentorkit.core.spec import Field, is_answered
from mentorkit.core.text import count_of

NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class FieldType:
    """How one kind of field is specified and what answers it accepts."""

    name: str
    summary: str
    keys: frozenset[str]
    settings: Callable[[dict[str, Any], Report], dict[str, Any]]
    check: Callable[[Field, Any], str | None]
    text: Callable[[Field, Any], str]
    """An answer (never empty) as a person would read it: labels, not codes; dates spelled
    out; never a raw Python list or dict. Required, so no type exports without one."""
    has_value: bool = True


FIELD_TYPES: dict[str, FieldType] = {}


def register_field_type(field_type: FieldType) -> None:
    """Add (or replace) a field type in the table."""
    FIELD_TYPES[field_type.name] = field_type


def check_answer(field: Field, value: Any) -> str | None:
    """A message saying what is wrong with ``value`` for ``field``, or None if it is fine.

    An empty answer is always acceptable here; whether it is required is a matter of
    completion, so that unfinished work can still be saved.
    """
    if value is None or value == "" or value == []:
        return None
    return FIELD_TYPES[field.type].check(field, value)


def answer_text(field: Field, value: Any) -> str:
    """A stored answer as a person would read it ("" when unanswered), in its type's own
    text form."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    return FIELD_TYPES[field.type].text(field, value)


def _text_length_problem(field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "This answer should be text."
    length = len(value)
    if field.max_length is not None and length > field.max_length:
        over = length - field.max_length
        return (
            f"This is {length:,} characters long; the limit is {field.max_length:,}. "
            f"Shorten it by {count_of(over, 'character')} to save it."
        )
    if field.min_length is not None and 0 < length < field.min_length:
        return f"Please write at least {field.min_length:,} characters (you have {length:,})."
    return None


def _check_number(field: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "Please enter a number."
    if field.integer and value != int(value):
        return "Please enter a whole number."
    if field.minimum is not None and value < field.minimum:
        return f"Please enter a number of at least {field.minimum:g}."
    if field.maximum is not None and value > field.maximum:
        return f"Please enter a number no larger than {field.maximum:g}."
    return None


def _check_date(field: Field, value: Any) -> str | None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return "Please pick a date (year-month-day)."
    return None


def _check_choice(field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "Please choose one of the options."
    if field.allow_other or value in {o.value for o in field.options}:
        return None
    return f"{value!r} is not one of the options; please choose from the list."


def _check_multichoice(field: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "Please tick the options that apply."
    known = {o.value for o in field.options}
    unknown = [v for v in value if v not in known]
    if unknown and not field.allow_other:
        return f"{unknown[0]!r} is not one of the options; please choose from the list."
    return None


def _check_rating(field: Field, value: Any) -> str | None:
    if value == NOT_APPLICABLE and field.not_applicable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= field.points:
        return f"Please choose a point from 1 to {field.points}."
    return None


def _check_yesno(field: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else "Please answer yes or no."


MISSING = "please fill this in too."
"""The problem of a required sub-field that is shown but left blank."""


def item_problems(field: Field, item: dict[str, Any], number: int) -> dict[str, str]:
    """What is wrong with item ``number`` (from 1) of a group, by sub-field id; the key ""
    is the item as a whole (none of ``required_any`` written). Empty when it is fine."""
    if field.required_any and not any(is_answered(item.get(k)) for k in field.required_any):
        labels = {
            sub.id: (sub.label or sub.id)[:1].lower() + (sub.label or sub.id)[1:]
            for sub in field.fields
        }
        wanted = [labels.get(k, k) for k in field.required_any]
        listed = ", ".join(wanted[:-1]) + (" or " if len(wanted) > 1 else "") + wanted[-1]
        return {"": f"{field.item_label} {number} is empty: please write {listed} (or remove it)."}
    problems = {}
    for sub in field.fields:
        shown = sub.show_if is None or sub.show_if.holds(item)
        answer = item.get(sub.id)
        problem = check_answer(sub, answer)
        if shown and sub.required and sub.has_value and not is_answered(answer):
            problem = MISSING
        if problem:
            problems[sub.id] = problem
    return problems


def _check_group(field: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return "This answer should be a list of items."
    if field.max_items is not None and len(value) > field.max_items:
        return f"There is room for at most {count_of(field.max_items, 'item')}; please remove one."
    labels = {sub.id: sub.label or sub.id for sub in field.fields}
    for number, item in enumerate(value, start=1):
        problems = item_problems(field, item, number)
        if problems:
            sub_id, problem = next(iter(problems.items()))
            return (
                f"{field.item_label} {number}, {labels[sub_id]}: {problem}" if sub_id else problem
            )
    return None


LEADS = ("mentor", "mentee", "both")


def _check_schedule(field: Field, value: Any) -> str | None:
    """A schedule: one row per session with a date, and the dates in session order."""
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        return "The schedule should be a list of sessions."
    dated: list[tuple[int, dt.date]] = []
    for row in value:
        number = row.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            return "Each session needs its number (1, 2, 3 …)."
        try:
            day = dt.date.fromisoformat(str(row["date"])) if row.get("date") else None
        except ValueError:
            return f"Session {number}: please pick a date (year-month-day)."
        time = str(row.get("time") or "")
        if time and not (
            len(time) == 5
            and time[2] == ":"
            and time.replace(":", "").isdigit()
            and int(time[:2]) < 24
            and int(time[3:]) < 60
        ):
            return f"Session {number}: write the time as hours:minutes, for example 14:30."
        if row.get("lead") not in (None, "", *LEADS):
            return f"Session {number}: who leads should be the mentor, the mentee or both."
        if len(str(row.get("place") or "")) > 200:
            return f"Session {number}: the place is longer than 200 characters."
        if day is not None:
            dated.append((number, day))
    dated.sort()
    for (before, earlier), (number, day) in zip(dated, dated[1:], strict=False):
        if day < earlier:
            return (
                f"Session {number} is dated {date_words(day)}, before session {before} "
                f"({date_words(earlier)}). Please choose {date_words(earlier)} or later."
            )
    return None


def check_relations(fields: tuple[Field, ...], values: dict[str, Any]) -> dict[str, str]:
    """Problems between fields (a date before the one it must follow), keyed by field id."""
    problems: dict[str, str] = {}
    labels = {f.id: f.label or f.id for f in fields}
    for field in fields:
        if field.type != "date" or not field.not_before:
            continue
        mine, earlier = values.get(field.id), values.get(field.not_before)
        if mine and earlier and str(mine) < str(earlier):
            problems[field.id] = (
                f"This date is before “{labels.get(field.not_before, field.not_before)}” "
                f"({date_words(earlier)}); please choose {date_words(earlier)} or later."
            )
    return problems


# --- answers as text ----------------------------------------------------------------------


def _plain_text(field: Field, value: Any) -> str:
    return str(value)


def _date_text(field: Field, value: Any) -> str:
    return date_words(value)


def _labels(field: Field) -> dict[str, str]:
    return {o.value: o.label for o in field.options}


def _choice_text(field: Field, value: Any) -> str:
    return _labels(field).get(value, str(value))


def _multichoice_text(field: Field, value: Any) -> str:
    labels = _labels(field)
    values = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(v, str(v)) for v in values)


def _rating_text(field: Field, value: Any) -> str:
    if value == NOT_APPLICABLE:
        return "Not applicable"
    anchor = field.anchors.get(value)
    return f"{value} of {field.points}" + (f" ({anchor})" if anchor else "")


def _yesno_text(field: Field, value: Any) -> str:
    return "Yes" if value else "No"


def _group_text(field: Field, value: Any) -> str:
    parts = []
    for number, item in enumerate(value if isinstance(value, list) else [], start=1):
        bits = [answer_text(sub, item.get(sub.id)) for sub in field.fields]
        parts.append(f"{number}. " + "; ".join(b for b in bits if b))
    return "\n".join(parts)


LEAD_WORDS = {"mentor": "the mentor leads", "mentee": "the mentee leads", "both": "both lead"}


def _schedule_text(field: Field, value: Any) -> str:
    """One line per session:
    "Session 2: Mon 8 February 2027 at 14:30, Room 4 (the mentee leads)"."""
    lines = []
    rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
    for row in sorted(rows, key=lambda r: r.get("number") or 0):
        when = date_words(row.get("date")) or "no date yet"
        if row.get("time"):
            when += f" at {row['time']}"
        if row.get("place"):
            when += f", {row['place']}"
        lead = LEAD_WORDS.get(row.get("lead") or "")
        lines.append(f"Session {row.get('number')}: {when}" + (f" ({lead})" if lead else ""))
    return "\n".join(lines)


def _no_text(field: Field, value: Any) -> str:
    return ""


for _type in (
    FieldType(
        "text",
        "a short line of text",
        LENGTH_KEYS,
        length_settings,
        _text_length_problem,
        _plain_text,
    ),
    FieldType(
        "paragraph",
        "a few lines of text",
        LENGTH_KEYS,
        length_settings,
        _text_length_problem,
        _plain_text,
    ),
    FieldType(
        "number",
        "a number",
        frozenset({"minimum", "maximum", "integer"}),
        number_settings,
        _check_number,
        _plain_text,
    ),
    FieldType(
        "date",
        "a calendar date",
        frozenset({"not_before"}),
        date_settings,
        _check_date,
        _date_text,
    ),
    FieldType(
        "choice",
        "one option from a list",
        frozenset({"options", "allow_other", "options_from"}),
        choice_settings,
        _check_choice,
        _choice_text,
    ),
    FieldType(
        "multichoice",
        "any number of options from a list, plus own tags if allowed",
        frozenset({"options", "allow_other", "options_from"}),
        choice_settings,
        _check_multichoice,
        _multichoice_text,
    ),
    FieldType(
        "rating",
        "a point on a labelled scale",
        frozenset({"points", "anchors", "not_applicable"}),
        rating_settings,
        _check_rating,
        _rating_text,
    ),
    FieldType("yesno", "yes or no", frozenset(), no_settings, _check_yesno, _yesno_text),
    FieldType(
        "group",
        "a list of items, each made of sub-fields",
        frozenset(
            {
                "fields",
                "min_items",
                "max_items",
                "item_label",
                "starters",
                "shared_when",
                "required_any",
            }
        ),
        group_settings,
        _check_group,
        _group_text,
    ),
    FieldType(
        "session_schedule",
        "the date, time, place and leader of each session",
        frozenset(),
        no_settings,
        _check_schedule,
        _schedule_text,
    ),
    FieldType(
        "guidance",
        "Markdown guidance text",
        frozenset({"text"}),
        guidance_settings,
        lambda field, value: None,
        _no_text,
        has_value=False,
    ),
):
    register_field_type(_type)
