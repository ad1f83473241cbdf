"""Editing a goal plan: pure functions over the plan as it is stored (see
:mod:`mentorkit.programme.goal_plans` for its shape), which the goals page calls for each
click. Each changes the plan in place and says whether anything changed, so they can be
tested on hand-made plans without a page."""

from __future__ import annotations

import copy
from typing import Any

from mentorkit.programme.goal_plans import (
    Goal,
    Objective,
    check_in_id,
    find_check_in,
    new_action,
    new_goal,
    new_objective,
)

Ids = tuple[str, ...]
"""A path to one item: (goal id,), (goal id, objective id) or (goal, objective, action id)."""


def find_goal(plan: dict[str, Any], goal_id: str | None) -> dict[str, Any] | None:
    """The goal with this id, or None."""
    return next((g for g in plan.get("goals") or [] if g["_id"] == goal_id), None)


def find_item(plan: dict[str, Any], ids: Ids) -> dict[str, Any] | None:
    """The goal, objective or action at ``ids``, or None if any step is gone."""
    item = find_goal(plan, ids[0]) if ids else None
    for key, item_id in zip(("objectives", "actions"), ids[1:], strict=False):
        if item is None:
            return None
        item = next((i for i in item.get(key) or [] if i["_id"] == item_id), None)
    return item


def set_value(plan: dict[str, Any], ids: Ids, key: str, value: Any) -> bool:
    """Write one answer into the item at ``ids`` (False if that item is gone)."""
    item = find_item(plan, ids)
    if item is None:
        return False
    item[key] = value
    return True


def add_goal(plan: dict[str, Any], by: str = "") -> Goal:
    """Add an empty goal at the end; returns it."""
    goal = new_goal(by)
    plan.setdefault("goals", []).append(goal)
    return goal


def remove_goal(plan: dict[str, Any], goal_id: str | None) -> str | None:
    """Remove a goal; returns the id of the goal to show next (the first left, or None)."""
    goal = find_goal(plan, goal_id)
    if goal is not None:
        plan["goals"].remove(goal)
    goals = plan.get("goals") or []
    return goals[0]["_id"] if goals else None


def add_objective(plan: dict[str, Any], goal_id: str | None) -> Objective | None:
    """Add an empty objective to a goal; returns it (None if the goal is gone)."""
    goal = find_goal(plan, goal_id)
    if goal is None:
        return None
    objective = new_objective()
    goal.setdefault("objectives", []).append(objective)
    return objective


def remove_objective(plan: dict[str, Any], goal_id: str, objective_id: str) -> bool:
    """Remove an objective (and its actions) from a goal."""
    goal = find_goal(plan, goal_id)
    if goal is None:
        return False
    goal["objectives"] = [o for o in goal.get("objectives") or [] if o["_id"] != objective_id]
    return True


def add_action(plan: dict[str, Any], goal_id: str, objective_id: str) -> bool:
    """Add an empty action, not yet owned by anyone, to an objective."""
    objective = find_item(plan, (goal_id, objective_id))
    if objective is None:
        return False
    objective.setdefault("actions", []).append(new_action(None))
    return True


def remove_action(plan: dict[str, Any], goal_id: str, objective_id: str, action_id: str) -> bool:
    """Remove one action from an objective."""
    objective = find_item(plan, (goal_id, objective_id))
    if objective is None:
        return False
    objective["actions"] = [a for a in objective.get("actions") or [] if a["_id"] != action_id]
    return True


def record_check_in(
    plan: dict[str, Any],
    session: int | None,
    date: str | None,
    progress: dict[str, dict[str, Any]],
) -> bool:
    """Record progress on some objectives at a session (or on a date between sessions),
    adding to that session's check-in if there is one already."""
    if not date:
        return False
    existing = find_check_in(plan, session, date)
    if existing is None:
        existing = {
            "_id": check_in_id(session, date),
            "session": session,
            "date": date,
            "progress": {},
        }
        plan.setdefault("check_ins", []).append(existing)
    existing["date"] = date
    existing.setdefault("progress", {}).update(copy.deepcopy(progress))
    return True


def add_agreed_action(
    plan: dict[str, Any],
    objective_id: str | None,
    action: dict[str, Any],
    new_goal_title: str = "Actions agreed in our sessions",
) -> dict[str, Any]:
    """The plan with ``action`` added under an objective; with no objective, under a goal
    (made if needed) that gathers actions agreed in sessions."""
    plan = {"goals": list(plan.get("goals") or []), "check_ins": list(plan.get("check_ins") or [])}
    for goal in plan["goals"]:
        for objective in goal.get("objectives") or []:
            if objective["_id"] == objective_id:
                objective.setdefault("actions", []).append(action)
                return plan
    gathering = next((g for g in plan["goals"] if g.get("title") == new_goal_title), None)
    if gathering is None:
        gathering = {**new_goal(), "title": new_goal_title}
        plan["goals"].append(gathering)
    if not gathering.get("objectives"):
        gathering["objectives"] = [
            {**new_objective(), "outcome": "Do what we agreed", "measure": "Each action done"}
        ]
    gathering["objectives"][0].setdefault("actions", []).append(action)
    return plan
