"""The facilitator's view of every relationship: progress, activity, sessions and flags.

Everything comes from one programme-wide read (:meth:`Store.latest_answers`) and is turned
into counts, dates and flags here; no answer leaves this module. That keeps the dashboard
fast for hundreds of relationships and keeps what pairs write between themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mentorkit.core.models import LatestAnswers, Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import SHARED, Store
from mentorkit.core.text import count_of
from mentorkit.core.worksheet_ids import EXPECTATIONS, NOTES, split_session_id
from mentorkit.programme import goal_plans
from mentorkit.programme.plan import ProgrammePlan
from mentorkit.programme.schedule import (
    AGREEMENT,
    SCHEDULE,
    SCHEDULE_FIELD,
    SessionInfo,
    build_sessions,
)

QUIET_DAYS = 14
"""Flag a relationship with no activity for this many days (the facilitator can change it)."""
STATES = ("Not started", "In progress", "Complete")


@dataclass(frozen=True)
class WorksheetState:
    """How far one relationship is with one worksheet (counts only)."""

    worksheet_id: str
    title: str
    label: str
    answered: int
    counted: int


@dataclass(frozen=True)
class RelationshipRow:
    """One relationship on the dashboard."""

    relationship: Relationship
    worksheets: tuple[WorksheetState, ...]
    last_activity: str | None
    next_session: tuple[int, dt.date] | None
    sessions_logged: int
    minutes_logged: int
    overdue_actions: int
    goal_progress: float | None
    agreement_confirmed: bool
    flags: tuple[str, ...]

    @property
    def done(self) -> int:
        """How many worksheets are complete."""
        return sum(1 for s in self.worksheets if s.label == "Complete")

    @property
    def started(self) -> int:
        """How many worksheets are started (complete ones included)."""
        return sum(1 for s in self.worksheets if s.label != "Not started")


def tracked_worksheets(worksheets: dict[str, Worksheet]) -> list[Worksheet]:
    """The worksheets the dashboard shows, in programme order (per-session ones are counted
    as sessions instead)."""
    shown = [ws for ws in worksheets.values() if not ws.per_session]
    return sorted(shown, key=lambda ws: (min(ws.sessions, default=99), ws.title))


def _state(worksheet: Worksheet, layers: list[LatestAnswers]) -> tuple[int, int, bool]:
    values: dict[str, Any] = {}
    for layer in layers:
        values.update(layer.values)
    answered, counted = worksheet.completion(values)
    return answered, counted, bool(layers)


def _worksheet_state(
    worksheet: Worksheet, relationship: Relationship, answers: dict[tuple, LatestAnswers]
) -> WorksheetState:
    if worksheet.mode == "joint":
        layer = answers.get((worksheet.id, relationship.id, SHARED))
        answered, counted, saved = _state(worksheet, [layer] if layer else [])
        complete = saved and counted and answered >= counted
    else:
        answered = counted = 0
        started, complete = False, bool(relationship.members)
        for member in relationship.members:
            layer = answers.get((worksheet.id, relationship.id, member.person_id))
            a, c, saved = _state(worksheet, [layer] if layer else [])
            answered, counted = answered + a, counted + c
            started = started or saved
            complete = complete and saved and c > 0 and a >= c
        saved = started
    label = "Not started" if not saved else "Complete" if complete else "In progress"
    return WorksheetState(worksheet.id, worksheet.title, label, answered, counted)


def _age_days(moment: str | None, today: dt.date) -> int | None:
    if not moment:
        return None
    return (today - dt.datetime.fromisoformat(moment).date()).days


def _confirmed(
    relationship: Relationship,
    answers: dict[tuple, LatestAnswers],
    confirmations: dict[tuple[str, int], tuple[str, set[int]]],
) -> bool:
    fingerprint = ":".join(
        str(answers[key].revision_id) if (key := (w, relationship.id, SHARED)) in answers else "0"
        for w in (AGREEMENT, EXPECTATIONS)
    )
    confirmed_print, people = confirmations.get((AGREEMENT, relationship.id), ("", set()))
    members = {m.person_id for m in relationship.members}
    return confirmed_print == fingerprint and bool(members) and members <= people


def _flags(
    relationship: Relationship,
    last_activity: str | None,
    overdue: int,
    confirmed: bool,
    sessions: list[SessionInfo],
    today: dt.date,
    quiet_days: int,
    agreement_by: int = 2,
) -> tuple[str, ...]:
    flags = []
    quiet = _age_days(last_activity or relationship.created_at or None, today)
    if quiet is not None and quiet >= quiet_days:
        flags.append(
            f"No activity for {count_of(quiet, 'day')}"
            if last_activity
            else f"Nothing saved in {count_of(quiet, 'day')}"
        )
    if overdue:
        flags.append(count_of(overdue, "overdue action"))
    due = next((s for s in sessions if s.number == agreement_by), None)
    if not confirmed and due is not None and due.date is not None and due.date <= today:
        flags.append(f"Agreement not confirmed by session {agreement_by}")
    return tuple(flags)


def dashboard_rows(
    store: Store,
    programme_id: int,
    worksheets: dict[str, Worksheet],
    plan: ProgrammePlan | None = None,
    today: dt.date | None = None,
    quiet_days: int = QUIET_DAYS,
) -> list[RelationshipRow]:
    """Every relationship of the programme with its progress, activity, sessions and flags."""
    today = today or dt.date.today()
    latest = store.latest_answers(programme_id)
    answers = {(a.worksheet_id, a.relationship_id, a.owner_id): a for a in latest}
    newest: dict[int, str] = {}
    notes: dict[int, list[LatestAnswers]] = {}
    for a in latest:
        newest[a.relationship_id] = max(newest.get(a.relationship_id, ""), a.saved_at)
        if split_session_id(a.worksheet_id)[0] == NOTES and split_session_id(a.worksheet_id)[1]:
            notes.setdefault(a.relationship_id, []).append(a)
    confirmations = store.confirmed_documents(programme_id)
    shown = tracked_worksheets(worksheets)
    # The agreement is due by the last session the plan works on it in (2 in the shipped plan).
    agreement_by = max(worksheets[AGREEMENT].sessions or (2,)) if AGREEMENT in worksheets else 2
    rows = []
    for relationship in store.relationships(programme_id):
        rid = relationship.id

        def shared(worksheet_id: str, rid: int = rid) -> dict[str, Any]:
            found = answers.get((worksheet_id, rid, SHARED))
            return found.values if found else {}

        sessions = build_sessions(
            shared(AGREEMENT), list(shared(SCHEDULE).get(SCHEDULE_FIELD) or []), plan
        )
        upcoming = next(
            ((s.number, s.date) for s in sessions if s.date is not None and s.date >= today), None
        )
        plan_values = shared(goal_plans.WORKSHEET).get(goal_plans.PLAN_FIELD) or {}
        overdue = len(goal_plans.overdue(plan_values, today))
        progress = [
            p
            for goal in plan_values.get("goals") or []
            if (
                p := goal_plans.goal_progress(
                    plan_values, goal_plans.check_ins(plan_values), goal["_id"]
                )
            )
            is not None
        ]
        logged = notes.get(rid, [])
        minutes = sum(
            int(n.values["minutes"])
            for n in logged
            if isinstance(n.values.get("minutes"), (int, float))
        )
        confirmed = _confirmed(relationship, answers, confirmations)
        rows.append(
            RelationshipRow(
                relationship,
                tuple(_worksheet_state(ws, relationship, answers) for ws in shown),
                newest.get(rid),
                upcoming,
                len(logged),
                minutes,
                overdue,
                sum(progress) / len(progress) if progress else None,
                confirmed,
                _flags(
                    relationship,
                    newest.get(rid),
                    overdue,
                    confirmed,
                    sessions,
                    today,
                    quiet_days,
                    agreement_by,
                ),
            )
        )
    return rows


SORTS = {
    "name": ("Name", lambda row: row.relationship.title.lower()),
    "activity": ("Least recent activity first", lambda row: row.last_activity or ""),
    "progress": ("Least progress first", lambda row: (row.done, row.started)),
    "flags": ("Most flags first", lambda row: -len(row.flags)),
}
FILTERS = {
    "all": "Every relationship",
    "flagged": "Needing a check-in",
    "not-started": "Nothing started yet",
    "complete": "Every worksheet complete",
}


def select(rows: list[RelationshipRow], show: str, search: str, sort: str) -> list[RelationshipRow]:
    """The rows a facilitator asked for: filtered, searched by name and sorted."""
    wanted = search.strip().lower()
    kept = [
        row
        for row in rows
        if (show != "flagged" or row.flags)
        and (show != "not-started" or row.started == 0)
        and (show != "complete" or (row.worksheets and row.done == len(row.worksheets)))
        and (
            not wanted
            or wanted in row.relationship.title.lower()
            or any(wanted in m.name.lower() for m in row.relationship.members)
        )
    ]
    return sorted(kept, key=SORTS.get(sort, SORTS["name"])[1])
