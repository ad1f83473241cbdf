"""The worksheet app: one worksheet for one relationship, as a form that saves itself."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w

from mentorkit.core.models import Member, Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError, MissingEntry, NotAllowed
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.home import ordered
from mentorkit.ui.apps.links import worksheet_link
from mentorkit.ui.forms import WorksheetForm


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
        if not relationship.visible_to(person):
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
    return w.HTML(f"<h1>Choose a worksheet</h1><ul>{''.join(items)}</ul>")


def only_its_owner_sees(worksheet: Worksheet) -> bool:
    """True for an individual worksheet nobody else ever sees any of (every field private,
    with no item its owner can share): there is no one else's copy to offer or open."""
    return worksheet.mode == "individual" and all(
        f.visibility == "private" and not f.shared_when for f in worksheet.answer_fields
    )


def whose_title(title: str, name: str) -> str:
    """A worksheet's title for someone else's copy: "My reflection journal" becomes "Ben's
    reflection journal"."""
    if title.startswith("My ") and len(title) > 3:
        return f"{name}'s {title[3:]}"
    return f"{name}'s copy of {title}"


def _copies_line(
    ctx: AppContext, worksheet: Worksheet, relationship: Relationship, owner: Member | None
) -> w.HTML:
    """Above an individual worksheet: whose copy this is, with links to the other copies
    the viewer may read (none for a worksheet only its owner sees)."""
    if only_its_owner_sees(worksheet):
        return w.HTML('<p class="mk-help">Each of you keeps your own; nobody else sees yours.</p>')
    member = relationship.role_of(ctx.person.id) is not None
    mine = owner is None or owner.person_id == ctx.person.id
    links = [
        f'<a href="{escape(worksheet_link(worksheet.id, relationship.id, m.person_id))}">'
        f"{escape(whose_title(worksheet.title, m.name))}</a>"
        for m in relationship.members
        if m.person_id != ctx.person.id and (owner is None or m.person_id != owner.person_id)
    ]
    if not mine and member:
        links.append(
            f'<a href="{escape(worksheet_link(worksheet.id, relationship.id))}">Your own</a>'
        )
    if not member and owner is None:
        text = "Each member fills in their own copy. Choose whose to read:"
    elif mine:
        text = "Each of you fills in your own copy; this is yours."
    else:
        whose = owner.name if owner is not None else "your partner"
        text = f"This is {escape(whose)}'s copy, read only: you see what they share with you."
    more = (" " if text.endswith(":") else " Also: ") + " · ".join(links) if links else ""
    return w.HTML(f'<p class="mk-help mk-copies">{text}{more}</p>')


def build_worksheet(ctx: AppContext, worksheet_id: str | None = None) -> w.Widget:
    """The page for one worksheet (id from the argument or the link's ``worksheet``).

    A worksheet's own notebook titles its page; the page for any worksheet (named by the
    link) shows the worksheet's title itself, and so does someone else's copy ("Ben's
    reflection journal")."""
    heading = None if worksheet_id else "h1"
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
    owner = next((m for m in relationship.members if m.person_id == subject), None)
    shown = worksheet
    if owner is not None and owner.person_id != ctx.person.id and worksheet.mode == "individual":
        if only_its_owner_sees(worksheet):
            raise NotAllowed(
                f"“{worksheet.title}” is private to whoever fills it in: only {owner.name} "
                "can open their copy."
            )
        # someone else's copy: titled for whose it is; the introduction speaks to its owner
        shown = replace(worksheet, title=whose_title(worksheet.title, owner.name), introduction="")
        heading = heading or "h2"
    form = WorksheetForm(
        shown, ctx.store, ctx.person, relationship, subject_id=subject, heading=heading
    )
    parts: list[w.Widget] = []
    if worksheet.mode == "individual":
        parts.append(_copies_line(ctx, worksheet, relationship, owner))
    parts.append(form.widget)
    box = w.VBox(parts)
    box.form = form  # keeps the form (and its timers) alive with the page
    return box


def worksheet(worksheet_id: str | None = None) -> w.Widget:
    """The worksheet app, ready to display."""
    return page(lambda ctx: build_worksheet(ctx, worksheet_id))
