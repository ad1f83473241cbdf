"""The goals and action plan as a document (PDF, HTML, Markdown) and the actions as CSV.

The document is a :class:`~mentorkit.io.documents.report.Report`, so every renderer escapes user
text for its own format. The CSV neutralises cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from mentorkit.core.dates import date_words
from mentorkit.core.models import Relationship
from mentorkit.core.text import neutralise
from mentorkit.exceptions import ConfigError
from mentorkit.io.documents.report import (
    MEDIA_TYPES,
    Bullets,
    Heading,
    Image,
    Paragraph,
    Report,
    Table,
)
from mentorkit.io.documents.report_formats import render_report
from mentorkit.programme import goal_plans
from mentorkit.programme.schedule import Window

CSV_COLUMNS = (
    "goal",
    "objective",
    "action",
    "owner",
    "due",
    "status",
    "overdue",
    "resources",
    "objective_target",
)


def actions_csv(plan: dict[str, Any], today: dt.date) -> str:
    """Every action, one row each, with its goal and objective; every cell neutralised."""
    late = {a["_id"] for a in goal_plans.overdue(plan, today)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for goal, objective, action in goal_plans.actions(plan):
        cells = [
            goal.get("title"),
            objective.get("outcome"),
            action.get("what"),
            goal_plans.OWNERS.get(action.get("owner") or "", ""),
            action.get("due"),
            goal_plans.STATUSES.get(action.get("status") or "not_started", ""),
            "yes" if action["_id"] in late else "no",
            action.get("resources"),
            objective.get("target"),
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()


def _charts(plan: dict[str, Any], window: Window, today: dt.date) -> list[Image]:
    from mentorkit.io.charts import alt_text, figure_bytes
    from mentorkit.io.charts.goals import goal_progress_chart, goal_timeline

    timeline = goal_timeline(plan, today, window.sessions)
    progress = goal_progress_chart(plan, goal_plans.check_ins(plan))
    return [
        Image(figure_bytes(timeline, "png"), alt_text(timeline)),
        Image(figure_bytes(progress, "png"), alt_text(progress)),
    ]


def _objective_blocks(
    plan: dict[str, Any], g: int, o: int, objective: dict[str, Any], late: set[str]
) -> list:
    blocks: list = [Heading(f"Objective {g}.{o}: {objective.get('outcome') or '(not written)'}", 3)]
    facts = [
        f"Measured by: {objective.get('measure') or 'not said yet'}",
        f"Target date: {date_words(objective.get('target')) or 'not set'}",
    ]
    latest = goal_plans.latest_progress(plan, objective["_id"])
    if latest:
        facts.append(f"Latest check-in: {latest[1]}% on {date_words(latest[0])}")
    blocks.append(Bullets(tuple(facts)))
    rows = tuple(
        (
            str(action.get("what") or ""),
            goal_plans.OWNERS.get(action.get("owner") or "", "not said"),
            date_words(action.get("due")),
            goal_plans.STATUSES.get(action.get("status") or "not_started", "")
            + (" (overdue)" if action["_id"] in late else ""),
            str(action.get("resources") or ""),
        )
        for action in objective.get("actions") or []
    )
    if rows:
        blocks.append(
            Table(("Action", "Who", "Due", "Status", "Resources"), rows, (5, 2, 2.2, 2.4, 3.5))
        )
    else:
        blocks.append(Paragraph("No actions yet.", muted=True))
    return blocks


def goals_report(
    plan: dict[str, Any],
    relationship: Relationship,
    programme: str,
    window: Window,
    today: dt.date,
    with_charts: bool = True,
) -> Report:
    """The goals and action plan as a report: summary, each goal in full, check-ins, charts."""
    goals = plan.get("goals") or []
    late = {a["_id"] for a in goal_plans.overdue(plan, today)}
    check_ins = goal_plans.check_ins(plan)
    subtitle = [programme, relationship.title]
    if window.start or window.end:
        subtitle.append(
            f"Programme dates: {date_words(window.start) or '?'} to {date_words(window.end) or '?'}"
        )
    blocks: list = []
    if not goals:
        blocks.append(Paragraph("No goals have been written yet."))
    else:
        summary = []
        for number, goal in enumerate(goals, start=1):
            actions = [a for o in goal.get("objectives") or [] for a in o.get("actions") or []]
            progress = goal_plans.goal_progress(plan, check_ins, goal["_id"])
            summary.append(
                (
                    f"{number}. {goal.get('title') or '(untitled goal)'}",
                    str(len(goal.get("objectives") or [])),
                    f"{sum(a.get('status') == 'done' for a in actions)} of {len(actions)}",
                    str(sum(a["_id"] in late for a in actions)),
                    f"{progress:.0f}%" if progress is not None else "no check-in yet",
                )
            )
        blocks += [
            Heading("Summary"),
            Table(("Goal", "Objectives", "Actions done", "Overdue", "Progress"), tuple(summary)),
        ]
    for g, goal in enumerate(goals, start=1):
        stretch = " (stretch goal)" if goal.get("stretch") else ""
        blocks.append(Heading(f"Goal {g}: {goal.get('title') or '(untitled goal)'}{stretch}"))
        if goal.get("why"):
            blocks.append(Paragraph(f"Why it matters: {goal['why']}"))
        if goal.get("areas"):
            blocks.append(Paragraph(f"Areas it develops: {', '.join(goal['areas'])}", muted=True))
        for o, objective in enumerate(goal.get("objectives") or [], start=1):
            blocks += _objective_blocks(plan, g, o, objective, late)
    if check_ins:
        names = {
            o["_id"]: f"{g}.{n}"
            for g, goal in enumerate(goals, start=1)
            for n, o in enumerate(goal.get("objectives") or [], start=1)
        }
        rows = tuple(
            (
                date_words(c.get("date")),
                str(c.get("session") or "between sessions"),
                f"Objective {names.get(oid, '(removed)')}",
                f"{entry.get('percent', 0)}%",
                str(entry.get("note") or ""),
            )
            for c in check_ins
            for oid, entry in (c.get("progress") or {}).items()
        )
        blocks += [
            Heading("Check-ins"),
            Table(
                ("Date", "Session", "Objective", "Progress", "Note"), rows, (2.4, 1.6, 2, 1.6, 5)
            ),
        ]
    if with_charts and goals:
        blocks.append(Heading("Timeline and progress"))
        blocks += _charts(plan, window, today)
    return Report(
        title="Goals and action plan",
        subtitle=tuple(s for s in subtitle if s),
        blocks=tuple(blocks),
        footer=f"Goals and action plan · {relationship.title}",
        generated_at=dt.datetime.now().astimezone().isoformat(timespec="minutes"),
    )


def export(
    plan: dict[str, Any],
    fmt: str,
    relationship: Relationship,
    programme: str,
    window: Window,
    today: dt.date,
) -> tuple[bytes, str]:
    """The plan as ``fmt`` ("pdf", "html", "md" or "csv"): the file's bytes and media type."""
    if fmt == "csv":
        return actions_csv(plan, today).encode("utf-8-sig"), "text/csv"
    if fmt not in MEDIA_TYPES:
        raise ConfigError(f"Unknown export format {fmt!r}. Choose one of: csv, html, md, pdf.")
    report = goals_report(plan, relationship, programme, window, today)
    return render_report(report, fmt), MEDIA_TYPES[fmt]
