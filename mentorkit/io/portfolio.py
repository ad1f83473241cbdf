"""A person's CPD portfolio for one relationship, as a report (PDF or HTML).

It gathers the profile, a summary of the agreement, the goals with their outcomes, the
person's competency ratings at baseline and follow-up (charts), a session log with dates and
hours, the reflections the owner chose to include, and their evidence list. Everything is
read as the owner sees it, and a journal entry appears only if its owner ticked *Include in
my CPD portfolio*: a private entry they did not choose never does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mentorkit.core.dates import date_words
from mentorkit.core.display import answer_text
from mentorkit.core.models import Person, Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store
from mentorkit.core.text import count_of
from mentorkit.core.words import role_words
from mentorkit.core.worksheet_ids import CLOSING_REFLECTION, CLOSURE, EVIDENCE, JOURNAL
from mentorkit.io.documents.report import Bullets, Heading, Image, Paragraph, Report, Table
from mentorkit.programme import agenda, agreement, goal_plans, ratings, schedule
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.plan import ProgrammePlan

CLOSING = CLOSING_REFLECTION


def values_of(
    store: Store, worksheets: dict[str, Worksheet], worksheet_id: str, rel: int, person: int
) -> dict[str, Any]:
    """A person's own answers to a worksheet ({} if the worksheet is missing)."""
    worksheet = worksheets.get(worksheet_id)
    return store.load(worksheet, rel, person).values if worksheet else {}


def _hours(minutes: float) -> str:
    return count_of(minutes / 60, "hour")


def chosen_reflections(
    store: Store, worksheets: dict[str, Worksheet], relationship_id: int, person: Person
) -> list[dict[str, Any]]:
    """The journal entries their owner chose to include, in session order."""
    entries = values_of(store, worksheets, JOURNAL, relationship_id, person.id).get("entries") or []
    chosen = [e for e in entries if isinstance(e, dict) and e.get("portfolio") is True]
    return sorted(chosen, key=lambda e: (e.get("session") or 0, str(e.get("written_on") or "")))


def _profile(person: Person, relationship: Relationship, programme: str, window) -> list:
    role = relationship.role_of(person.id)
    partners = ", ".join(f"{m.name} ({m.role})" for m in relationship.partners_of(person.id))
    facts = [
        f"Name: {person.name}",
        f"Role in this relationship: {role_words(role) if role else ''}",
        f"Working with: {partners or 'nobody yet'}",
        f"Programme: {programme}",
    ]
    if window.start or window.end:
        facts.append(f"Dates: {date_words(window.start) or '?'} to {date_words(window.end) or '?'}")
    return [Heading("Profile"), Bullets(tuple(facts))]


def _agreement(store, worksheets, relationship, person) -> list:
    if agreement.AGREEMENT not in worksheets:
        return []
    doc = agreement.build_document(store, worksheets, relationship, person)
    blocks: list = [Heading("Our mentoring agreement")]
    answered = {q: a for section in doc.sections for q, a in section.items}
    purpose = next((a for q, a in answered.items() if "purpose" in q.lower()), "")
    if purpose:
        blocks.append(Paragraph(purpose))
    if doc.expectations:
        blocks.append(Bullets(tuple(e.wording for e in doc.expectations)))
    state = (
        f"Version {doc.version}, confirmed by everyone."
        if doc.confirmed
        else f"Version {doc.version}, not yet confirmed by everyone."
    )
    blocks.append(Paragraph(state, muted=True))
    return blocks


def _goals(store, worksheets, relationship, person) -> list:
    goals_ws = worksheets.get(goal_plans.WORKSHEET)
    if goals_ws is None:
        return []
    plan = store.load(goals_ws, relationship.id, person.id).values.get(goal_plans.PLAN_FIELD) or {}
    blocks: list = [Heading("Goals and outcomes")]
    goals = plan.get("goals") or []
    if not goals:
        return [*blocks, Paragraph("No goals were written.", muted=True)]
    check_ins = goal_plans.check_ins(plan)
    rows = []
    for goal in goals:
        actions = [a for o in goal.get("objectives") or [] for a in o.get("actions") or []]
        progress = goal_plans.goal_progress(plan, check_ins, goal["_id"])
        outcomes = "; ".join(
            f"{o.get('outcome') or '(objective)'}: "
            + (
                f"{latest[1]}%"
                if (latest := goal_plans.latest_progress(plan, o["_id"]))
                else "no check-in"
            )
            for o in goal.get("objectives") or []
        )
        rows.append(
            (
                str(goal.get("title") or "(untitled goal)"),
                outcomes or "no objectives",
                f"{sum(a.get('status') == 'done' for a in actions)} of {len(actions)}",
                f"{progress:.0f}%" if progress is not None else "—",
            )
        )
    blocks.append(
        Table(
            ("Goal", "Objectives and latest progress", "Actions done", "Progress"),
            tuple(rows),
            (3, 6, 1.6, 1.4),
        )
    )
    achieved = values_of(store, worksheets, CLOSURE, relationship.id, person.id).get("achieved")
    if achieved:
        blocks += [Heading("What we achieved", 3), Paragraph(str(achieved))]
    return blocks


def _competencies(store, frameworks, relationship, person) -> list:
    """Own ratings, baseline against follow-up, per framework the person is rated on."""
    records = [
        r
        for r in ratings.rating_records(store, frameworks, relationship, person)
        if r["person_id"] == person.id and r["relation"] == "self"
    ]
    if not records:
        return []
    from mentorkit.io.charts import alt_text, figure_bytes
    from mentorkit.io.charts.ratings import radar
    from mentorkit.programme import rating_analysis

    scores = rating_analysis.domain_scores(rating_analysis.tidy(records))
    blocks: list = [Heading("Competencies: baseline and follow-up")]
    for framework in frameworks.values():
        mine = scores[scores.framework == framework.id]
        if mine.empty:
            continue
        domains = [d.title for d in framework.domains]
        series = {}
        for round_id, (label, *_rest) in ratings.ROUNDS.items():
            by_domain = mine[mine["round"] == round_id].set_index("domain")["score"]
            if not by_domain.empty:
                series[label] = [float(by_domain.get(d, float("nan"))) for d in domains]
        figure = radar(domains, series, f"{framework.title}: own ratings", framework.scale.points)
        blocks.append(Image(figure_bytes(figure, "png"), alt_text(figure)))
    return blocks


def _sessions(
    store, worksheets, relationship, person, plan: ProgrammePlan | None
) -> tuple[list, int]:
    infos = schedule.sessions(store, worksheets, relationship.id, person.id, plan)
    log = agenda.session_log(store, worksheets, relationship.id, person.id, infos)
    blocks: list = [Heading("Session log")]
    if not log:
        return [*blocks, Paragraph("No session notes yet.", muted=True)], 0
    rows = tuple(
        (
            f"{entry.number}" + (f". {entry.title}" if entry.title else ""),
            date_words(entry.held_on),
            _hours(entry.minutes) if entry.minutes else "",
            entry.covered,
        )
        for entry in log
    )
    total = sum(entry.minutes or 0 for entry in log)
    blocks += [
        Table(("Session", "Date", "Length", "What we covered"), rows, (2.6, 2, 1.5, 6)),
        Paragraph(f"Total: {count_of(len(log), 'session')}, {_hours(total)}."),
    ]
    return blocks, total


def _reflections(entries: list[dict[str, Any]]) -> list:
    blocks: list = [Heading("Reflections")]
    if not entries:
        return [*blocks, Paragraph("No reflections chosen for the portfolio.", muted=True)]
    for entry in entries:
        when = ", ".join(
            part
            for part in (
                f"after session {entry['session']}" if entry.get("session") else "",
                date_words(entry.get("written_on")),
            )
            if part
        )
        blocks.append(Heading(f"Reflection{' ' + when if when else ''}", 3))
        for key, label in (
            ("happened", "What happened"),
            ("learned", "What I learned"),
            ("differently", "What I will do differently"),
        ):
            if entry.get(key):
                blocks.append(Paragraph(f"{label}: {entry[key]}"))
    return blocks


def _evidence(items: list[dict[str, Any]], worksheet: Worksheet | None) -> tuple[list, float]:
    blocks: list = [Heading("Evidence")]
    if not items:
        return [*blocks, Paragraph("No evidence recorded yet.", muted=True)], 0.0
    group = next((f for f in worksheet.fields if f.id == "evidence"), None) if worksheet else None
    kind = next((f for f in group.fields if f.id == "kind"), None) if group else None
    rows = tuple(
        (
            # the kind's label as the worksheet words it (a trainer may add kinds)
            answer_text(kind, item.get("kind")) if kind else str(item.get("kind") or ""),
            str(item.get("title") or ""),
            date_words(item.get("date")),
            f"{item['hours']:g}" if isinstance(item.get("hours"), (int, float)) else "",
            str(item.get("details") or ""),
        )
        for item in items
    )
    hours = sum(i["hours"] for i in items if isinstance(i.get("hours"), (int, float)))
    blocks.append(
        Table(("Kind", "What", "Date", "Hours", "Details"), rows, (2.2, 3.5, 1.8, 1, 4.5))
    )
    return blocks, float(hours)


def build_portfolio(
    store: Store,
    worksheets: dict[str, Worksheet],
    frameworks: dict[str, Framework],
    relationship: Relationship,
    person: Person,
    plan: ProgrammePlan | None = None,
    today: dt.date | None = None,
) -> Report:
    """The CPD portfolio of ``person`` (a member of ``relationship``), read as they see it."""
    today = today or dt.date.today()
    programme = store.programme(relationship.programme_id).name
    window = schedule.window(store, worksheets, relationship.id, person.id, plan)
    blocks: list = []
    blocks += _profile(person, relationship, programme, window)
    blocks += _agreement(store, worksheets, relationship, person)
    blocks += _goals(store, worksheets, relationship, person)
    blocks += _competencies(store, frameworks, relationship, person)
    session_blocks, session_minutes = _sessions(store, worksheets, relationship, person, plan)
    blocks += session_blocks
    blocks += _reflections(chosen_reflections(store, worksheets, relationship.id, person))
    evidence = (
        values_of(store, worksheets, EVIDENCE, relationship.id, person.id).get("evidence") or []
    )
    evidence_blocks, evidence_hours = _evidence(evidence, worksheets.get(EVIDENCE))
    blocks += evidence_blocks
    closing = values_of(store, worksheets, CLOSING, relationship.id, person.id)
    if closing.get("take_away"):
        blocks += [Heading("What I take away"), Paragraph(str(closing["take_away"]))]
    evidence_minutes = evidence_hours * 60
    blocks.append(
        Paragraph(
            f"CPD time recorded here: {_hours(session_minutes + evidence_minutes)} "
            f"({_hours(session_minutes)} in mentoring sessions, {_hours(evidence_minutes)} "
            "from evidence)."
        )
    )
    return Report(
        title=f"CPD portfolio: {person.name}",
        subtitle=(programme, relationship.title, f"Prepared {date_words(today)}"),
        blocks=tuple(blocks),
        footer=f"CPD portfolio · {person.name}",
        generated_at=dt.datetime.now().astimezone().isoformat(timespec="minutes"),
    )
