"""Goals, objectives and actions: the plan's shape, a gentle checker, and progress logic.

Plain functions over the plan as it is stored (nested JSON), so they can be tested on
hand-made plans and used by any page. A plan::

    {"goals": [{"_id", "title", "why", "areas": [...], "stretch": bool,
                "objectives": [{"_id", "outcome", "measure", "target": "YYYY-MM-DD",
                                "actions": [{"_id", "what", "owner", "due", "status",
                                             "resources"}]}]}]}

Check-ins are a list of ``{"session": n, "date": "YYYY-MM-DD", "progress":
{objective id: {"percent": 0..100, "note": str}}}``, oldest first.

The checker's findings are notes, not errors: they never stop a save, except the few that
make an item meaningless (an empty goal, an action with no owner), which say so beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

OWNERS = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
OPEN = ("not_started", "in_progress")
MANAGEABLE_OPEN_ACTIONS = 8
"""More open actions than this for one person at once gets a gentle note."""


@dataclass(frozen=True)
class Note:
    """A finding about one item: ``blocking`` ones mean the item cannot be kept as it is."""

    item_id: str
    text: str
    blocking: bool = False


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def objectives(plan: dict[str, Any]) -> list[tuple[dict, dict]]:
    """Every (goal, objective) pair, in order."""
    return [
        (goal, objective)
        for goal in plan.get("goals") or []
        for objective in goal.get("objectives") or []
    ]


def actions(plan: dict[str, Any]) -> list[tuple[dict, dict, dict]]:
    """Every (goal, objective, action) triple, in order."""
    return [
        (goal, objective, action)
        for goal, objective in objectives(plan)
        for action in objective.get("actions") or []
    ]


def check(
    plan: dict[str, Any],
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = MANAGEABLE_OPEN_ACTIONS,
) -> list[Note]:
    """Gentle notes on a plan; ``start`` and ``end`` are the programme's dates, if known."""
    notes: list[Note] = []
    for goal in plan.get("goals") or []:
        if not str(goal.get("title") or "").strip():
            notes.append(Note(goal["_id"], "Say what this goal is, or remove it.", blocking=True))
        if not goal.get("objectives"):
            notes.append(
                Note(
                    goal["_id"],
                    "What would be true when this goal is reached? Add an objective or two.",
                )
            )
    for _goal, objective in objectives(plan):
        oid = objective["_id"]
        if not str(objective.get("measure") or "").strip():
            notes.append(Note(oid, "How will you know this is done?"))
        target = _date(objective.get("target"))
        if target is None:
            notes.append(Note(oid, "When would you like this to be true? A target date helps."))
        elif start and target < start:
            notes.append(
                Note(
                    oid,
                    f"The target date is before the programme starts "
                    f"({start:%d %B %Y}). Please choose a later date.",
                    blocking=True,
                )
            )
        elif end and target > end:
            notes.append(
                Note(
                    oid,
                    f"The target is after the programme ends ({end:%d %B %Y}). "
                    "Is that what you meant?",
                )
            )
        for action in objective.get("actions") or []:
            if action.get("owner") not in OWNERS:
                notes.append(
                    Note(
                        action["_id"],
                        "Who will do this: the mentor, the mentee or both?",
                        blocking=True,
                    )
                )
            due = _date(action.get("due"))
            if due and target and due > target:
                notes.append(
                    Note(
                        action["_id"],
                        "This is due after its objective's target date. Worth moving one of them?",
                    )
                )
    for role in ("mentor", "mentee"):
        count = sum(
            1
            for *_, a in actions(plan)
            if a.get("status", "not_started") in OPEN and a.get("owner") in (role, "both")
        )
        if count > limit:
            notes.append(
                Note(
                    role,
                    f"The {role} has {count} open actions. That is a lot to "
                    "carry at once: could some wait, or be dropped?",
                )
            )
    return notes


def overdue(plan: dict[str, Any], today: dt.date) -> list[dict]:
    """Open actions whose due date has passed."""
    return [
        a
        for *_, a in actions(plan)
        if a.get("status", "not_started") in OPEN and (_date(a.get("due")) or today) < today
    ]


def due_before(plan: dict[str, Any], role: str, before: dt.date) -> list[dict]:
    """Open actions for ``role`` (or both) due on or before ``before``, soonest first."""
    found = [
        a
        for *_, a in actions(plan)
        if a.get("status", "not_started") in OPEN
        and a.get("owner") in (role, "both")
        and (due := _date(a.get("due"))) is not None
        and due <= before
    ]
    return sorted(found, key=lambda a: a["due"])


def progress_history(
    check_ins: list[dict[str, Any]], objective_id: str
) -> list[tuple[dt.date, int, str]]:
    """(date, percent, note) for one objective across check-ins, oldest first."""
    history = []
    for check_in in check_ins:
        entry = (check_in.get("progress") or {}).get(objective_id)
        when = _date(check_in.get("date"))
        if entry is not None and when is not None and entry.get("percent") is not None:
            history.append((when, int(entry["percent"]), str(entry.get("note") or "")))
    return sorted(history, key=lambda row: row[0])


def goal_progress(
    plan: dict[str, Any], check_ins: list[dict[str, Any]], goal_id: str
) -> float | None:
    """A goal's progress: the mean of its objectives' latest percentages (None if none yet)."""
    goal = next((g for g in plan.get("goals") or [] if g.get("_id") == goal_id), None)
    if goal is None:
        return None
    latest = [
        history[-1][1]
        for o in goal.get("objectives") or []
        if (history := progress_history(check_ins, o["_id"]))
    ]
    return sum(latest) / len(latest) if latest else None
