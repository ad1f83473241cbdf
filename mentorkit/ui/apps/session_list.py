"""The table of a relationship's sessions, shared by home and the sessions pages."""

from __future__ import annotations

from urllib.parse import urlencode

from mentorkit.core.dates import date_words
from mentorkit.core.models import Relationship
from mentorkit.core.text import escape
from mentorkit.programme import agenda
from mentorkit.programme.schedule import SessionInfo
from mentorkit.ui.apps.common import AppContext

NOTES_APP = "session-notes.ipynb"


def notes_link(relationship_id: int, number: int) -> str:
    """The notes page of one session."""
    return f"{NOTES_APP}?{urlencode({'relationship': relationship_id, 'session': number})}"


def sessions_table(ctx: AppContext, relationship: Relationship, infos: list[SessionInfo]) -> str:
    """Every session with its date, who leads and its notes' status, as an HTML table."""
    notes = ctx.worksheets.get(agenda.NOTES)
    member = relationship.role_of(ctx.person.id) is not None
    rows = []
    for info in infos:
        status = "—"
        if notes is not None:
            state = ctx.store.status(notes.for_session(info.number), relationship.id, None)
            status = state.label
        title = escape(f"Session {info.number}" + (f": {info.title}" if info.title else ""))
        link = (
            f'<a class="mk-open-session" href="{escape(notes_link(relationship.id, info.number))}">'
            f"{title}</a>"
            if member and notes is not None
            else title
        )
        when = (date_words(info.date) or "no date yet") + (f", {info.time}" if info.time else "")
        rows.append(
            f"<tr><td>{link}</td><td>{escape(when)}</td>"
            f"<td>{escape(agenda.lead_names(relationship, info.lead))}</td>"
            f"<td>{escape(status)}</td></tr>"
        )
    return (
        '<table class="mk-table mk-sessions"><thead><tr><th>Session</th><th>When</th>'
        "<th>Leads</th><th>Notes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
