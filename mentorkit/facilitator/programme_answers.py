"""The answers a facilitator may read, and the programme's tables for download.

The only answers are read with :meth:`Store.load` *as the facilitator*, which hands out
``programme`` fields only, and each is checked against its field's visibility again here.
The tables (people, relationships, answers) hold states, dates and those answers, nothing
else; :mod:`mentorkit.io.tables` writes them as CSV or XLSX.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentorkit.core.display import answer_text
from mentorkit.core.models import RELATIONSHIP_KINDS, Person, Relationship
from mentorkit.core.spec import Field, Worksheet, is_answered
from mentorkit.core.store import SHARED, Store
from mentorkit.core.words import role_words
from mentorkit.core.worksheet_ids import split_session_id
from mentorkit.exceptions import NotAllowed
from mentorkit.facilitator import dashboard

TABLES = ("people", "relationships", "answers")

# --- answers a facilitator may read --------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeAnswer:
    """One answer to a ``programme``-visibility field, as the facilitator may read it."""

    relationship: Relationship
    person: str  # "" for a joint worksheet's shared answer
    worksheet: Worksheet
    field: Field
    value: Any

    @property
    def text(self) -> str:
        return answer_text(self.field, self.value)


def facilitator_of(store: Store, programme_id: int, viewer: Person | None = None) -> Person | None:
    """``viewer`` once checked to be this programme's facilitator, or the programme's first
    facilitator when no viewer is given (None if it has none)."""
    if viewer is not None:
        if not viewer.is_facilitator or viewer.programme_id != programme_id:
            raise NotAllowed("Only the programme's facilitator can see the cohort's figures.")
        return viewer
    return next((p for p in store.people(programme_id) if p.is_facilitator), None)


def programme_fields(worksheet: Worksheet) -> list[Field]:
    return [f for f in worksheet.answer_fields if f.visibility == "programme"]


def _worksheet_for(worksheet_id: str, worksheets: Mapping[str, Worksheet]) -> Worksheet | None:
    """The worksheet a stored response belongs to, per-session copies included."""
    if worksheet_id in worksheets:
        return worksheets[worksheet_id]
    base, number = split_session_id(worksheet_id)
    found = worksheets.get(base)
    if found is not None and found.per_session and number is not None:
        return found.for_session(number)
    return None


def programme_answers(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    viewer: Person | None = None,
) -> list[ProgrammeAnswer]:
    """Every answer to a ``programme``-visibility field, read through :meth:`Store.load` as
    the facilitator (``viewer``, or the programme's facilitator)."""
    facilitator = facilitator_of(store, programme_id, viewer)
    shown = {wid: ws for wid, ws in worksheets.items() if programme_fields(ws)}
    if facilitator is None or not shown:
        return []
    relationships = {r.id: r for r in store.relationships(programme_id)}
    # Which responses exist (ids only); what is in them is read through load below.
    saved = sorted(
        {
            (a.relationship_id, a.worksheet_id, a.owner_id)
            for a in store.latest_answers(programme_id)
        }
    )
    order = {wid: n for n, wid in enumerate(worksheets)}
    found: list[tuple[tuple, ProgrammeAnswer]] = []
    for relationship_id, worksheet_id, owner_id in saved:
        worksheet = _worksheet_for(worksheet_id, shown)
        relationship = relationships.get(relationship_id)
        if worksheet is None or relationship is None or not relationship.members:
            continue
        if worksheet.mode == "joint":
            if owner_id != SHARED:
                continue  # a person's own layer of a joint worksheet holds private fields only
            subject, person = relationship.members[0].person_id, ""
        else:
            member = next((m for m in relationship.members if m.person_id == owner_id), None)
            if member is None:
                continue
            subject, person = member.person_id, member.name
        values = store.load(worksheet, relationship_id, facilitator.id, subject).values
        for position, field in enumerate(programme_fields(worksheet)):
            value = values.get(field.id)
            if is_answered(value):
                base = split_session_id(worksheet_id)[0]
                key = (
                    relationship.title.lower(),
                    relationship_id,
                    person,
                    order.get(base, 0),
                    worksheet_id,
                    position,
                )
                found.append((key, ProgrammeAnswer(relationship, person, worksheet, field, value)))
    return [answer for _, answer in sorted(found, key=lambda pair: pair[0])]


# --- tables and spreadsheets ---------------------------------------------------------------


def _when(moment: str | None) -> str:
    if not moment:
        return ""
    return dt.datetime.fromisoformat(moment).astimezone().strftime("%Y-%m-%d %H:%M")


def programme_tables(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    rows: Sequence[dashboard.RelationshipRow],
    viewer: Person | None = None,
) -> dict[str, pd.DataFrame]:
    """The programme's data for a facilitator, as three tables and nothing else.

    * ``people``: name, email, role, unit and years (as imported), and their relationships;
    * ``relationships``: title, kind, members, each worksheet's state, last activity,
      sessions, hours and flags (from ``rows``, see :func:`dashboard.dashboard_rows`);
    * ``answers``: one row per relationship, person, worksheet and ``programme``-visibility
      field, read as the facilitator (``viewer``, or the programme's facilitator).
    """
    relationships = store.relationships(programme_id)
    memberships: dict[int, list[tuple[str, str]]] = {}
    for relationship in relationships:
        for member in relationship.members:
            memberships.setdefault(member.person_id, []).append((relationship.title, member.role))
    people = []
    for person in store.people(programme_id):
        details = store.person_details(person.id)
        joined = memberships.get(person.id, [])
        roles = (
            [details["role"]] if details.get("role") else list(dict.fromkeys(r for _, r in joined))
        )
        if not roles and person.is_facilitator:
            roles = ["facilitator"]
        years = details.get("years")
        people.append(
            {
                "Name": person.name,
                "Email": person.email,
                "Role": ", ".join(role_words(r) for r in roles),
                "Unit": details.get("unit") or "",
                "Years of experience": float(years) if isinstance(years, (int, float)) else None,
                "Relationships": "; ".join(f"{title} ({r})" for title, r in joined),
            }
        )
    people_columns = ["Name", "Email", "Role", "Unit", "Years of experience", "Relationships"]

    titles = [state.title for state in rows[0].worksheets] if rows else []
    relationship_rows = []
    for row in rows:
        record: dict[str, Any] = {
            "Relationship": row.relationship.title,
            "Kind": RELATIONSHIP_KINDS.get(row.relationship.kind, row.relationship.kind),
            "Members": ", ".join(f"{m.name} ({m.role})" for m in row.relationship.members),
        }
        record.update({state.title: state.label for state in row.worksheets})
        record.update(
            {
                "Last activity": _when(row.last_activity),
                "Sessions": row.sessions_logged,
                "Hours": round(row.minutes_logged / 60, 2),
                "Flags": "; ".join(row.flags),
            }
        )
        relationship_rows.append(record)
    relationship_columns = [
        "Relationship",
        "Kind",
        "Members",
        *titles,
        "Last activity",
        "Sessions",
        "Hours",
        "Flags",
    ]

    answers = [
        {
            "Relationship": a.relationship.title,
            "Person": a.person,
            "Worksheet": a.worksheet.title,
            "Question": a.field.label or a.field.id,
            "Answer": a.text,
        }
        for a in programme_answers(store, programme_id, worksheets, viewer)
    ]
    answer_columns = ["Relationship", "Person", "Worksheet", "Question", "Answer"]
    return {
        "people": pd.DataFrame(people, columns=people_columns),
        "relationships": pd.DataFrame(relationship_rows, columns=relationship_columns),
        "answers": pd.DataFrame(answers, columns=answer_columns),
    }
