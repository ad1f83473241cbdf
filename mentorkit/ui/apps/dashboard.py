"""The facilitator's dashboard: every relationship's progress, refreshing by itself, with
filters, sorting and a room view for a projector."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from mentorkit.core.dates import date_words, moment_text
from mentorkit.core.text import count_of, escape
from mentorkit.exceptions import NotAllowed
from mentorkit.facilitator import dashboard
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.forms.timing import Repeater
from mentorkit.ui.page_log import log_exception

REFRESH_SECONDS = 5.0
BADGES = {
    "Complete": ("mk-ws-complete", "●"),
    "In progress": ("mk-ws-progress", "◐"),
    "Not started": ("mk-ws-new", "○"),
}


def require_facilitator(ctx: AppContext) -> None:
    """Refuse anyone but the programme's facilitator."""
    if not ctx.person.is_facilitator:
        raise NotAllowed(
            "This page is for the programme's facilitator. Your own worksheets are on your "
            "home page."
        )


def _table(rows: list[dashboard.RelationshipRow]) -> str:
    if not rows:
        return '<p class="mk-help">No relationships match.</p>'
    titles = [s.title for s in rows[0].worksheets]
    head = "".join(
        f'<th class="mk-ws-col" title="{escape(t)}">{n}</th>' for n, t in enumerate(titles, 1)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="mk-ws-cell {BADGES[s.label][0]}" title="{escape(s.title)}: '
            f'{escape(s.label)}">{BADGES[s.label][1]}</td>'
            for s in row.worksheets
        )
        upcoming = (
            f"Session {row.next_session[0]}, {date_words(row.next_session[1], year=False)}"
            if row.next_session
            else "—"
        )
        hours = f" ({row.minutes_logged / 60:.1f} h)" if row.minutes_logged else ""
        flags = "<br>".join(f'<span class="mk-flag">{escape(f)}</span>' for f in row.flags)
        members = ", ".join(f"{m.name} ({m.role})" for m in row.relationship.members)
        body.append(
            f'<tr class="mk-dash-row{" mk-flagged" if row.flags else ""}">'
            f"<td><b>{escape(row.relationship.title)}</b><br>"
            f'<span class="mk-help">{escape(members)}</span></td>{cells}'
            f"<td>{row.done} of {len(row.worksheets)}</td><td>{escape(moment_text(row.last_activity, year=False))}</td>"
            f"<td>{escape(upcoming)}</td><td>{row.sessions_logged}{hours}</td>"
            f"<td>{flags or '—'}</td></tr>"
        )
    key = "".join(f"<li>{n}. {escape(t)}</li>" for n, t in enumerate(titles, 1))
    return (
        '<table class="mk-table mk-dashboard"><thead><tr><th>Relationship</th>'
        f"{head}<th>Complete</th><th>Last activity</th><th>Next session</th>"
        f"<th>Sessions</th><th>Needs a check-in</th></tr></thead><tbody>{''.join(body)}</tbody>"
        f'</table><details class="mk-help"><summary>Worksheet numbers</summary><ol>{key}</ol>'
        "</details>"
    )


def _room(rows: list[dashboard.RelationshipRow]) -> str:
    """The room view, for a projector: each relationship's progress in large type, and the
    room's as a whole; nothing else (no flags, no activity: the whole room sees it)."""
    done = sum(row.done for row in rows)
    total_all = sum(len(row.worksheets) for row in rows) or 1
    cards = []
    for row in rows:
        total = len(row.worksheets) or 1
        share = 100 * row.done / total
        cards.append(
            f'<div class="mk-room-card"><div class="mk-room-title">'
            f"{escape(row.relationship.title)}</div>"
            f'<div class="mk-room-bar"><span style="width:{share:.0f}%"></span></div>'
            f"<div>{row.done} of {count_of(total, 'worksheet')} · "
            f"{count_of(row.sessions_logged, 'session')}</div></div>"
        )
    overall = (
        f'<p class="mk-room-overall">The room has done {done} of '
        f"{count_of(total_all, 'worksheet')} ({100 * done / total_all:.0f}%).</p>"
    )
    return f'{overall}<div class="mk-room">{"".join(cards)}</div>'


class Dashboard:
    """The dashboard's controls and table, redrawn every few seconds."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.show = w.Dropdown(
            description="Show",
            options=[(label, key) for key, label in dashboard.FILTERS.items()],
            value="all",
        )
        self.search = w.Text(description="Search", placeholder="a name", continuous_update=True)
        self.sort = w.Dropdown(
            description="Sort",
            options=[(label, key) for key, (label, _) in dashboard.SORTS.items()],
            value="name",
        )
        self.quiet_days = w.BoundedIntText(
            value=ctx.settings.quiet_days,
            min=1,
            max=365,
            description="Flag after (days quiet)",
            style={"description_width": "initial"},
            layout=w.Layout(width="14rem"),
        )
        self.room = w.ToggleButton(
            description="Room view",
            value=False,
            tooltip="Progress only, in large type, for a projector (F11 fills the screen)",
        )
        for control, css in (
            (self.show, "mk-dash-show"),
            (self.search, "mk-dash-search"),
            (self.sort, "mk-dash-sort"),
            (self.quiet_days, "mk-dash-quiet"),
            (self.room, "mk-dash-room"),
        ):
            control.add_class(css)
            redraw = self.refresh if control is self.quiet_days else self.draw
            control.observe(lambda _, again=redraw: again(), "value")
        self.updated = w.HTML()
        self.summary = w.HTML()
        self.summary.add_class("mk-dash-summary")
        self.table = w.HTML()
        self.table.add_class("mk-dash-table")
        self.rows: list[dashboard.RelationshipRow] = []
        self._marker: object = None
        controls = w.HBox(
            [self.show, self.search, self.sort, self.quiet_days, self.room],
            layout=w.Layout(flex_flow="row wrap", gap="0.4rem"),
        )
        controls.add_class("mk-dash-controls")
        self.widget = w.VBox([controls, self.updated, self.summary, self.table])
        self.refresh()
        self._repeater = Repeater(REFRESH_SECONDS, self.refresh)
        self._repeater.start()

    def refresh(self, force: bool = False) -> None:
        """Read the programme again and redraw (skipped when nothing was saved, confirmed
        or paired since, the day is the same and the settings have not changed)."""
        try:
            marker = (
                self.ctx.store.change_marker(self.ctx.person.programme_id),
                dt.date.today(),
                self.quiet_days.value,
            )
            if marker == self._marker and not force:
                self.updated.value = (
                    f'<p class="mk-help mk-dash-updated">Updates by itself. Last checked '
                    f"{dt.datetime.now():%H:%M:%S}.</p>"
                )
                return
            self._marker = marker
            self.rows = dashboard.dashboard_rows(
                self.ctx.store,
                self.ctx.person.programme_id,
                self.ctx.worksheets,
                self.ctx.programme_plan,
                quiet_days=self.quiet_days.value,
            )
            self.updated.value = (
                f'<p class="mk-help mk-dash-updated">Updates by itself. Last read '
                f"{dt.datetime.now():%H:%M:%S}.</p>"
            )
            self.draw()
        except Exception:
            log_exception("while refreshing the dashboard")

    def draw(self) -> None:
        """Redraw from the last read with the current filters (no database read)."""
        rows = dashboard.select(self.rows, self.show.value, self.search.value, self.sort.value)
        flagged = sum(1 for r in self.rows if r.flags)
        self.summary.value = (
            f"<p>{count_of(len(self.rows), 'relationship')} · {flagged} needing a check-in · showing "
            f"{len(rows)}.</p>"
        )
        if self.room.value:  # the page becomes the projector's (see mentorkit.css)
            self.widget.add_class("mk-room-mode")
            self.room.description = "Back to the dashboard"
        else:
            self.widget.remove_class("mk-room-mode")
            self.room.description = "Room view"
        html = _room(rows) if self.room.value else _table(rows)
        if self.table.value != html:
            self.table.value = html


def build_dashboard(ctx: AppContext) -> w.Widget:
    """The dashboard page (facilitators only)."""
    require_facilitator(ctx)
    board = Dashboard(ctx)
    box = board.widget
    box.board = board
    return box


def dashboard_app() -> w.Widget:
    """The dashboard app, ready to display."""
    return page(build_dashboard)
