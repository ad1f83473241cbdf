"""The worksheet app: one worksheet for one relationship, as a form that saves itself."""

from __future__ import annotations

import ipywidgets as w

from ..exceptions import MentorkitError, MissingEntry, NotAllowed
from ..forms import WorksheetForm
from ..models import Relationship
from ..text import escape
from .common import AppContext, page
from .home import ordered
from .links import worksheet_link


def _number(ctx: AppContext, key: str) -> int | None:
    raw = ctx.query.get(key)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise MentorkitError(
            f"The link's {key} ({raw!r}) is not a number. Go back to Home and "
            "open the worksheet from there."
        )
    return int(raw)


def choose_relationship(ctx: AppContext, worksheet_id: str) -> Relationship | w.Widget:
    """The relationship the link names, the person's only one, or a chooser."""
    person = ctx.person
    wanted = _number(ctx, "relationship")
    if wanted is not None:
        try:
            relationship = ctx.store.relationship(wanted)
        except MissingEntry:
            raise MentorkitError(
                "That relationship does not exist. Go back to Home and open the "
                "worksheet from there."
            ) from None
        allowed = relationship.role_of(person.id) is not None or (
            person.is_facilitator and relationship.programme_id == person.programme_id
        )
        if not allowed:
            raise NotAllowed("This worksheet belongs to a relationship you are not part of.")
        return relationship
    mine = ctx.store.relationships_of(person.id)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise MentorkitError(
            "You are not in a mentoring relationship yet, so there is nothing to fill in here."
        )
    links = "".join(
        f'<li><a href="{escape(worksheet_link(worksheet_id, r.id))}">{escape(r.title)}</a></li>'
        for r in mine
    )
    return w.HTML(
        f"<p>You are in more than one relationship. Which one is this for?</p><ul>{links}</ul>"
    )


def _chooser(ctx: AppContext) -> w.Widget:
    """With no worksheet named in the link: every worksheet, to pick one."""
    relationship = _number(ctx, "relationship")
    items = []
    for ws in ordered(ctx.worksheets):
        link = f"worksheet.ipynb?worksheet={ws.id}" + (
            f"&relationship={relationship}" if relationship is not None else ""
        )
        items.append(f'<li><a href="{escape(link)}" class="mk-open">{escape(ws.title)}</a></li>')
    return w.HTML(f"<h2>Choose a worksheet</h2><ul>{''.join(items)}</ul>")


def build_worksheet(ctx: AppContext, worksheet_id: str | None = None) -> w.Widget:
    """The page for one worksheet (id from the argument or the link's ``worksheet``)."""
    worksheet_id = worksheet_id or ctx.query.get("worksheet", "")
    if not worksheet_id:
        return _chooser(ctx)
    worksheet = ctx.worksheets.get(worksheet_id)
    if worksheet is None:
        raise MentorkitError(
            f"There is no worksheet called {worksheet_id!r}. Go back to Home "
            "and choose one from the list."
        )
    relationship = choose_relationship(ctx, worksheet.id)
    if not isinstance(relationship, Relationship):
        return relationship
    subject = _number(ctx, "person")
    if subject is not None and relationship.role_of(subject) is None:
        raise NotAllowed("That person is not part of this relationship.")
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship, subject_id=subject)
    parts: list[w.Widget] = []
    if worksheet.mode == "individual":
        others = [m for m in relationship.members if m.person_id != (subject or ctx.person.id)]
        links = " · ".join(
            f'<a href="{escape(worksheet_link(worksheet.id, relationship.id, m.person_id))}">'
            f"{escape(m.name)}'s answers</a>"
            for m in others
        )
        whose = "your own" if form.subject_id == ctx.person.id else "someone else's (read only)"
        parts.append(
            w.HTML(
                f'<p class="mk-help">Each person fills in their own copy. This is '
                f"{whose}. {links}</p>"
            )
        )
    parts.append(form.widget)
    box = w.VBox(parts)
    box.form = form  # keeps the form (and its timers) alive with the page
    return box


def worksheet(worksheet_id: str | None = None) -> w.Widget:
    """The worksheet app, ready to display."""
    return page(lambda ctx: build_worksheet(ctx, worksheet_id))
