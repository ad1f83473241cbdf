"""Goals, objectives and actions: the plan's shape, a gentle checker, and progress logic.

Plain functions over the plan as it is stored (nested JSON), so they can be tested on
hand-made plans and used by any page. A plan::

    {"goals": [{"_id", "title", "why", "areas": [...], "stretch": bool,
                "objectives": [{"_id", "outcome", "measure", "target": "YYYY-MM-DD",
                                "actions": [{"_id", "what", "owner", "due", "status",
                                             "resources"}]}]}]}

Check-ins live beside the goals, as ``plan["check_ins"]``: a list of ``{"_id", "session": n,
"date": "YYYY-MM-DD", "progress": {objective id: {"percent": 0..100, "note": str}}}``.
The whole plan is one answer (field type ``goal_plan``) of a joint worksheet, so two people
editing it at once merge item by item (see :mod:`mentorkit.core.merge`).

The checker's findings are notes, not errors: they never stop a save, except the few that
make an item meaningless (an empty goal, an action with no owner), which say so beside it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from mentorkit.core.dates import date_words, parse_date
from mentorkit.core.worksheet_ids import GOALS

WORKSHEET = GOALS
PLAN_FIELD = "plan"
"""The goals worksheet and the field that holds the plan (home and the exports read them)."""

Owner = Literal["mentor", "mentee", "both"]
Status = Literal["not_started", "in_progress", "done", "dropped"]


class Action(TypedDict):
    """Something one of the pair will do, by when."""

    _id: str
    what: str
    owner: Owner | None
    due: str | None  # YYYY-MM-DD
    status: Status
    resources: str


class Objective(TypedDict):
    """What will be true when a goal is reached, how it is measured, and the actions."""

    _id: str
    outcome: str
    measure: str
    target: str | None  # YYYY-MM-DD
    actions: list[Action]


class Goal(TypedDict):
    """A goal: the mentee's aim and why it matters, its areas and objectives."""

    _id: str
    _by: str
    title: str
    why: str
    areas: list[str]
    stretch: bool
    objectives: list[Objective]


class Progress(TypedDict, total=False):
    percent: int
    note: str


class CheckIn(TypedDict):
    """Progress recorded at a session (or on a date between sessions)."""

    _id: str
    session: int | None
    date: str
    progress: dict[str, Progress]  # objective id -> progress


class GoalPlan(TypedDict):
    """The whole plan, as the ``goal_plan`` field stores it."""

    goals: list[Goal]
    check_ins: list[CheckIn]


OWNERS: dict[str, str] = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
OPEN = ("not_started", "in_progress")
MANAGEABLE_OPEN_ACTIONS = 8
"""More open actions than this for one person at once gets a gentle note."""

LIMITS = {"goals": 100, "objectives": 50, "actions": 50, "check_ins": 200}
"""The most items of each kind a plan keeps (far more than a pair needs; it stays usable)."""

TEXT_LIMITS = {
    "title": 200,
    "why": 2000,
    "outcome": 300,
    "measure": 300,
    "what": 300,
    "resources": 300,
    "note": 1000,
    "area": 100,
}
"""The longest text each kind of entry keeps, in characters."""


@dataclass(frozen=True)
class Note:
    """A finding about one item: ``blocking`` ones mean the item cannot be kept as it is."""

    item_id: str
    text: str
    blocking: bool = False


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
        target = parse_date(objective.get("target"))
        if target is None:
            notes.append(Note(oid, "When would you like this to be true? A target date helps."))
        elif start and target < start:
            notes.append(
                Note(
                    oid,
                    f"The target date is before the programme starts "
                    f"({date_words(start)}). Please choose a later date.",
                    blocking=True,
                )
            )
        elif end and target > end:
            notes.append(
                Note(
                    oid,
                    f"The target is after the programme ends ({date_words(end)}). "
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
            due = parse_date(action.get("due"))
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
        if a.get("status", "not_started") in OPEN and (parse_date(a.get("due")) or today) < today
    ]


def due_before(plan: dict[str, Any], role: str | None, before: dt.date) -> list[dict]:
    """Open actions for ``role`` (theirs and shared ones; None: everyone's) due on or before
    ``before``, soonest first."""
    found = [
        a
        for *_, a in actions(plan)
        if a.get("status", "not_started") in OPEN
        and (role is None or a.get("owner") in (role, "both"))
        and (due := parse_date(a.get("due"))) is not None
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
        when = parse_date(check_in.get("date"))
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


def goal_plan_text(plan: Any) -> str:
    """A plan as plain lines for people to read (exports, reports, spreadsheets): each goal,
    its objectives with their measure, target and latest progress, and their actions."""
    if not isinstance(plan, dict):
        return str(plan)
    lines: list[str] = []
    for g_number, goal in enumerate(plan.get("goals") or [], start=1):
        bits = [f"Goal {g_number}: {_written(goal.get('title'))}"]
        if goal.get("stretch"):
            bits[0] += " (a stretch goal)"
        if why := str(goal.get("why") or "").strip():
            bits.append(f"why: {why}")
        if areas := [str(a) for a in goal.get("areas") or [] if a]:
            bits.append(f"areas: {', '.join(areas)}")
        lines.append("; ".join(bits))
        for o_number, objective in enumerate(goal.get("objectives") or [], start=1):
            bits = [f"  Objective {g_number}.{o_number}: {_written(objective.get('outcome'))}"]
            if measure := str(objective.get("measure") or "").strip():
                bits.append(f"measured by: {measure}")
            if target := date_words(objective.get("target")):
                bits.append(f"target {target}")
            if latest := latest_progress(plan, objective.get("_id", "")):
                day, percent, _note = latest
                bits.append(f"{percent}% on {date_words(day)}")
            lines.append("; ".join(bits))
            for action in objective.get("actions") or []:
                bits = [f"    Action: {_written(action.get('what'))}"]
                if owner := OWNERS.get(action.get("owner") or ""):
                    bits.append(owner.lower())
                if due := date_words(action.get("due")):
                    bits.append(f"due {due}")
                bits.append(STATUSES.get(action.get("status") or "", "Not started").lower())
                lines.append("; ".join(bits))
    check_ins = plan.get("check_ins") or []
    if check_ins:
        newest = sorted(str(c.get("date") or "") for c in check_ins if isinstance(c, dict))
        lines.append(
            f"Check-ins: {len(check_ins)}"
            + (f", the latest on {date_words(newest[-1])}" if newest else "")
        )
    return "\n".join(lines)


def _written(value: Any) -> str:
    return str(value or "").strip() or "(not written yet)"


# --- making items ------------------------------------------------------------------------


def new_id() -> str:
    """A random id for a new goal, objective, action or check-in."""
    return secrets.token_hex(5)


def new_goal(by: str = "") -> Goal:
    """An empty goal, ready to fill in."""
    return {
        "_id": new_id(),
        "_by": by,
        "title": "",
        "why": "",
        "areas": [],
        "stretch": False,
        "objectives": [],
    }


def new_objective() -> Objective:
    """An empty objective."""
    return {"_id": new_id(), "outcome": "", "measure": "", "target": None, "actions": []}


def new_action(owner: Owner | None = "mentee") -> Action:
    """An empty action, not started."""
    return {
        "_id": new_id(),
        "what": "",
        "owner": owner,
        "due": None,
        "status": "not_started",
        "resources": "",
    }


def check_ins(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The plan's check-ins, oldest first."""
    found = list((plan or {}).get("check_ins") or [])
    return sorted(found, key=lambda c: (str(c.get("date") or ""), c.get("session") or 0))


def check_in_id(session: int | None, date: str) -> str:
    """The id of a session's check-in: the same on every page, so two people checking in at
    once add to one check-in (and a clash on one objective shows as a conflict)."""
    return f"session-{session}" if session is not None else f"date-{date}"


def find_check_in(plan: dict[str, Any], session: int | None, date: str) -> dict | None:
    """The check-in already recorded for this session (or, with no session, this date)."""
    for check_in in plan.get("check_ins") or []:
        if session is not None and check_in.get("session") == session:
            return check_in
        if session is None and check_in.get("session") is None and check_in.get("date") == date:
            return check_in
    return None


def check_in_date(
    plan: dict[str, Any],
    session: int | None,
    sessions: Iterable[tuple[int, dt.date]],
    today: dt.date,
) -> dt.date:
    """The date a check-in for ``session`` carries, as the pair would expect it.

    ``sessions`` are the relationship's (number, date) pairs, from its schedule.

    * A check-in already recorded for that session keeps its date: moving a slider again
      later does not move the check-in.
    * A past session (one before the current session) is dated the day it was held, so a
      check-in caught up on afterwards sits in its place in the history.
    * The current session (the latest held on or before ``today``), a session still to
      come, and a check-in between sessions are dated ``today``: progress is recorded as it
      stands now, never on a date that has not come yet.
    """
    if session is not None:
        recorded = find_check_in(plan, session, "")
        if recorded is not None and (day := parse_date(recorded.get("date"))) is not None:
            return day
    held = sorted((day, number) for number, day in sessions if day <= today)
    current = held[-1][1] if held else None
    for day, number in held:
        if number == session and number != current:
            return day
    return today


def latest_progress(plan: dict[str, Any], objective_id: str) -> tuple[dt.date, int, str] | None:
    """The newest (date, percent, note) recorded for an objective, if any."""
    history = progress_history(check_ins(plan), objective_id)
    return history[-1] if history else None
