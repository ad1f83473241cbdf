"""The goal plan as a worksheet field (type ``goal_plan``): what shape a stored plan must have
(a plan that does not is refused with where and what is wrong), and the field type itself,
registered here by the layer that owns goal plans.
"""

from __future__ import annotations

from typing import Any

from mentorkit.core.dates import parse_date
from mentorkit.core.field_settings import no_settings
from mentorkit.core.fieldtypes import FieldType, register_field_type
from mentorkit.programme.goal_plans import LIMITS, OWNERS, STATUSES, TEXT_LIMITS, goal_plan_text

# --- checking the stored shape -----------------------------------------------------------

LABELS = {
    "title": "What is the goal?",
    "why": "Why it matters",
    "outcome": "What will be true",
    "measure": "How it will be measured",
    "what": "What will be done",
    "resources": "Resources needed",
    "note": "How it went",
}
"""Each stored text as the page labels it, for the messages below (never the key itself)."""
KINDS = {
    "goals": "goals",
    "objectives": "objectives",
    "actions": "actions",
    "check_ins": "check-ins",
}


def _text_problem(item: dict, key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{where}: “{LABELS.get(key, key)}” should be text."
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        return (
            f"{where}: “{LABELS.get(key, key)}” is {len(value):,} characters long; the limit "
            f"is {limit:,}. "
            "Please shorten it."
        )
    return None


def _date_problem(item: dict, key: str, where: str) -> str | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    if parse_date(value) is None:
        return f"{where}: {value!r} is not a date; pick one from the calendar."
    return None


def _items_problem(value: Any, kind: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(i, dict) and "_id" in i for i in value):
        return f"{where}: the {KINDS[kind]} should be a list of items."
    if len(value) > LIMITS[kind]:
        return f"{where}: there is room for {LIMITS[kind]} {KINDS[kind]}; please remove some."
    return None


def _action_problem(action: dict, where: str) -> str | None:
    for key in ("what", "resources"):
        if problem := _text_problem(action, key, where):
            return problem
    if action.get("owner") not in (None, "", *OWNERS):
        return f"{where}: {action['owner']!r} is not mentor, mentee or both."
    if action.get("status", "not_started") not in STATUSES:
        return f"{where}: {action['status']!r} is not a status; choose one from the list."
    return _date_problem(action, "due", where)


def _goal_problem(goal: dict, number: int) -> str | None:
    where = f"Goal {number}"
    for key in ("title", "why"):
        if problem := _text_problem(goal, key, where):
            return problem
    areas = goal.get("areas") or []
    if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
        return f"{where}: the areas should be a list of names."
    if any(len(a) > TEXT_LIMITS["area"] for a in areas):
        return f"{where}: an area name is longer than {TEXT_LIMITS['area']} characters."
    if not isinstance(goal.get("stretch", False), bool):
        return f"{where}: 'stretch' should be yes or no."
    if problem := _items_problem(goal.get("objectives"), "objectives", where):
        return problem
    for o_number, objective in enumerate(goal.get("objectives") or [], start=1):
        o_where = f"{where}, objective {o_number}"
        for key in ("outcome", "measure"):
            if problem := _text_problem(objective, key, o_where):
                return problem
        problem = _date_problem(objective, "target", o_where) or _items_problem(
            objective.get("actions"), "actions", o_where
        )
        if problem:
            return problem
        for a_number, action in enumerate(objective.get("actions") or [], start=1):
            if problem := _action_problem(action, f"{o_where}, action {a_number}"):
                return problem
    return None


def _check_in_problem(check_in: dict, number: int) -> str | None:
    where = f"Check-in {number}"
    session = check_in.get("session")
    if session is not None and (isinstance(session, bool) or not isinstance(session, int)):
        return f"{where}: the session should be a number."
    if parse_date(check_in.get("date")) is None:
        return f"{where}: please give the date of the check-in."
    progress = check_in.get("progress") or {}
    if not isinstance(progress, dict):
        return f"{where}: progress should be recorded per objective."
    for entry in progress.values():
        percent = entry.get("percent") if isinstance(entry, dict) else "?"
        if percent is not None and (
            isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100
        ):
            return f"{where}: progress is a percentage from 0 to 100."
        if problem := _text_problem(entry, "note", where):
            return problem
    return None


def goal_plan_problem(value: Any) -> str | None:
    """What is wrong with the shape of a stored plan, or None. Drafts are fine: empty
    titles, missing owners and dates are the checker's business, not the store's."""
    if not isinstance(value, dict):
        return "The plan should be a set of goals and check-ins."
    unknown = set(value) - {"goals", "check_ins"}
    if unknown:
        return f"The plan has entries this version does not know: {', '.join(sorted(unknown))}."
    problem = _items_problem(value.get("goals"), "goals", "The plan") or _items_problem(
        value.get("check_ins"), "check_ins", "The plan"
    )
    if problem:
        return problem
    for number, goal in enumerate(value.get("goals") or [], start=1):
        if problem := _goal_problem(goal, number):
            return problem
    for number, check_in in enumerate(value.get("check_ins") or [], start=1):
        if problem := _check_in_problem(check_in, number):
            return problem
    return None


register_field_type(
    FieldType(
        "goal_plan",
        "goals with objectives and actions, and check-ins on their progress",
        frozenset(),
        no_settings,
        lambda field, value: goal_plan_problem(value),
        lambda field, value: goal_plan_text(value),
    )
)
