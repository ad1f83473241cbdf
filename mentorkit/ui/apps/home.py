"""The home app: your relationships, and every worksheet with its status."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from mentorkit.core.dates import date_words, moment_text
from mentorkit.core.models import RELATIONSHIP_KINDS, Relationship, Status
from mentorkit.core.spec import PHASES, Worksheet
from mentorkit.core.text import escape
from mentorkit.programme import agreement, goal_plans, schedule
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.links import worksheet_link
from mentorkit.ui.apps.session_list import sessions_table


def _badge(status: Status) -> str:
    css = {"Complete": "complete", "In progress": "progress"}.get(status.label, "")
    detail = f" ({status.answered}/{status.counted})" if status.label == "In progress" else ""
    return f'<span class="mk-badge {css}">{status.label}{detail}</span>'


def ordered(worksheets: dict[str, Worksheet]) -> list[Worksheet]:
    """Worksheets in programme order: by first session, then title."""
    return sorted(worksheets.values(), key=lambda ws: (min(ws.sessions, default=99), ws.title))


def _status_cell(
    ctx: AppContext, ws: Worksheet, relationship: Relationship, subject_id: int | None
) -> tuple[str, str | None]:
    """Badge HTML and newest save time; individual worksheets show each member for facilitators."""
    if ws.mode == "joint":
        status = ctx.store.status(ws, relationship.id, subject_id)
        return _badge(status), status.saved_at
    members = (
        [m for m in relationship.members if m.person_id == subject_id]
        if subject_id
        else list(relationship.members)
    )
    badges, newest = [], None
    for member in members:
        status = ctx.store.status(ws, relationship.id, member.person_id)
        who = "" if subject_id else f"{escape(member.name)}: "
        badges.append(f"{who}{_badge(status)}")
        newest = max(newest or "", status.saved_at or "") or None
    return "<br>".join(badges), newest


def _table(ctx: AppContext, relationship: Relationship, subject_id: int | None) -> str:
    rows = []
    for ws in ordered(ctx.worksheets):
        if ws.per_session:  # one copy per session: listed with the sessions instead
            continue
        badge, saved_at = _status_cell(ctx, ws, relationship, subject_id)
        sessions = ", ".join(str(s) for s in ws.sessions) or "any"
        link = worksheet_link(ws.id, relationship.id)
        rows.append(
            f'<tr><td><a href="{escape(link)}" class="mk-open">{escape(ws.title)}</a></td>'
            f"<td>{escape(sessions)}</td><td>{escape(PHASES.get(ws.phase, ws.phase))}</td>"
            f"<td>{'Together' if ws.mode == 'joint' else 'Each of you'}</td>"
            f"<td>{badge}</td><td>{moment_text(saved_at)}</td></tr>"
        )
    return (
        '<table class="mk-table"><thead><tr><th>Worksheet</th><th>Session</th><th>Phase</th>'
        "<th>Filled in</th><th>Status</th><th>Last saved</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _more_links(ctx: AppContext, relationship: Relationship) -> str:
    """Links to the apps that are not single worksheets."""
    if relationship.role_of(ctx.person.id) is None:
        return ""
    query = f"relationship={relationship.id}"
    return (
        f'<p class="mk-more"><a href="ratings.ipynb?{query}">Competency ratings</a> · '
        f'<a href="results.ipynb?{query}">What the ratings show</a> · '
        f'<a href="portfolio.ipynb?{query}">My CPD portfolio</a></p>'
    )


def _open_points(ctx: AppContext, relationship: Relationship) -> str:
    """Expectations the pair parked, listed under the session they come back in."""
    if agreement.EXPECTATIONS not in ctx.worksheets or relationship.role_of(ctx.person.id) is None:
        return ""
    items = agreement.expectation_items(ctx.store, ctx.worksheets, relationship.id, ctx.person.id)
    by_when: dict[str, list[str]] = {}
    for point in agreement.open_points(items):
        by_when.setdefault(point.when, []).append(
            f'<li>{escape(point.text)} <span class="mk-help">raised by '
            f"{escape(point.raised_by)}</span></li>"
        )
    if not by_when:
        return ""
    groups = "".join(
        f"<h4>{escape(when)}</h4><ul>{''.join(rows)}</ul>" for when, rows in sorted(by_when.items())
    )
    return f'<div class="mk-open-points"><h3>To come back to</h3>{groups}</div>'


GOALS = goal_plans.WORKSHEET
LOOK_AHEAD = dt.timedelta(days=28)
"""Without a next session date, home lists actions due in the next four weeks."""


def _due_actions(ctx: AppContext, relationship: Relationship, today: dt.date) -> str:
    """The signed-in person's open actions due before their next session (overdue first)."""
    role = relationship.role_of(ctx.person.id)
    worksheet = ctx.worksheets.get(GOALS)
    if worksheet is None or role is None:
        return ""
    plan = (
        ctx.store.load(worksheet, relationship.id, ctx.person.id).values.get(goal_plans.PLAN_FIELD)
        or {}
    )
    window = schedule.window(
        ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan
    )
    upcoming = window.next_session(today)
    before = upcoming[1] if upcoming else today + LOOK_AHEAD
    heading = (
        f"Your actions before session {upcoming[0]} ({date_words(before, year=False)})"
        if upcoming
        else "Your actions due in the next four weeks"
    )
    due = goal_plans.due_before(plan, role if role in ("mentor", "mentee") else None, before)
    if not due:
        return ""
    rows = []
    for action in due:
        day = dt.date.fromisoformat(action["due"])
        late = ' <span class="mk-error">overdue</span>' if day < today else ""
        owner = goal_plans.OWNERS.get(action.get("owner") or "", "")
        rows.append(
            f"<li>{escape(action.get('what') or '(not written yet)')} "
            f'<span class="mk-help">due {date_words(day, year=False)}'
            f"{' · ' + owner if owner else ''}</span>{late}</li>"
        )
    link = escape(worksheet_link(GOALS, relationship.id))
    return (
        f'<div class="mk-due-actions"><h3>{escape(heading)}</h3><ul>{"".join(rows)}</ul>'
        f'<p><a href="{link}">Open the goals and action plan</a></p></div>'
    )


def _sessions(ctx: AppContext, relationship: Relationship) -> str:
    """The relationship's sessions: dates, who leads, and each session's notes."""
    infos = schedule.sessions(
        ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan
    )
    if not infos:
        return ""
    return f'<div class="mk-home-sessions"><h3>Sessions</h3>{sessions_table(ctx, relationship, infos)}</div>'


def _relationship_block(ctx: AppContext, relationship: Relationship, subject_id: int | None) -> str:
    members = ", ".join(f"{escape(m.name)} ({escape(m.role)})" for m in relationship.members)
    kind = RELATIONSHIP_KINDS.get(relationship.kind, relationship.kind)
    return (
        f'<section class="mk-relationship"><h2>{escape(relationship.title)}</h2>'
        f'<div class="mk-help">{escape(kind)}: {members}</div>'
        f"{_due_actions(ctx, relationship, dt.date.today())}"
        f"{_table(ctx, relationship, subject_id)}{_more_links(ctx, relationship)}"
        f"{_sessions(ctx, relationship)}"
        f"{_open_points(ctx, relationship)}</section>"
    )


def build_home(ctx: AppContext) -> w.Widget:
    """The home page for the signed-in person."""
    person = ctx.person
    programme = ctx.store.programme(person.programme_id)
    parts = [
        f'<p class="mk-lead">Hello, {escape(person.name)}</p>',
    ]
    if person.is_facilitator:
        relationships = ctx.store.relationships(programme.id)
        parts.append(
            "<p>You are this programme's facilitator. Below is every relationship's "
            "progress. You see dates and completion for everything, and the content of "
            "fields marked for the programme only.</p>"
            '<p class="mk-facilitator-links"><a href="programme-setup.ipynb">Set up the '
            'programme</a> · <a href="matching.ipynb">Matching</a> · '
            '<a href="dashboard.ipynb">Dashboard</a> · '
            '<a href="cohort.ipynb">Cohort report</a></p>'
        )
        parts += [_relationship_block(ctx, r, None) for r in relationships]
        if not relationships:
            parts.append("<p>No relationships yet.</p>")
    else:
        relationships = ctx.store.relationships_of(person.id)
        if not relationships:
            parts.append(
                "<p>You are not in a mentoring relationship yet. Fill in "
                '<a class="mk-apply" href="application.ipynb">your application</a> so your '
                "facilitator can match you; they will let you know when you have been matched.</p>"
            )
        else:
            parts.append(
                '<p class="mk-help"><a class="mk-apply" href="application.ipynb">My '
                "application</a> (for the next round of matching)</p>"
            )
        parts += [_relationship_block(ctx, r, person.id) for r in relationships]
    return w.HTML("".join(parts))


def home() -> w.Widget:
    """The home app, ready to display."""
    return page(build_home)
