"""The schedule editor: one row per session with its date, time, place and who leads.

Until someone changes a row the editor shows the suggested schedule (from the programme
plan and the agreement) and stores nothing; the first change stores every row, so later
changes to the agreement never move dates the pair already settled. A date before the
previous session's gets a message beside its row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w

from mentorkit.core.dates import date_words, parse_date
from mentorkit.core.fieldtypes import LEADS
from mentorkit.core.text import escape
from mentorkit.ui.forms.fields import FieldWidget, text
from mentorkit.ui.forms.names import named

LEAD_LABELS = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}


class SessionRow:
    """The inputs of one session."""

    def __init__(self, editor: ScheduleField, number: int):
        self.editor, self.number = editor, number
        self.heading = text("")
        # Each box is named for its session, for screen readers and the keyboard (the row's
        # heading says it on screen).
        self.date = named(w.DatePicker(layout=w.Layout(width="10rem")), f"Session {number} date")
        self.time = named(
            w.Text(placeholder="e.g. 14:00", layout=w.Layout(width="6rem")),
            f"Session {number} time",
        )
        self.place = named(
            w.Text(placeholder="Where, or a video link", layout=w.Layout(width="14rem")),
            f"Session {number} place",
        )
        self.lead = named(
            w.Dropdown(
                options=[("Who leads?", "")] + [(LEAD_LABELS[k], k) for k in LEADS],
                layout=w.Layout(width="8rem"),
            ),
            f"Who leads session {number}",
        )
        for widget, css in (
            (self.date, "mk-session-date"),
            (self.time, "mk-session-time"),
            (self.place, "mk-session-place"),
            (self.lead, "mk-session-lead"),
        ):
            widget.add_class(css)
            widget.observe(lambda _: editor.changed(), "value")
        self.message = text("")
        self.widget = w.VBox(
            [self.heading, w.HBox([self.date, self.time, self.place, self.lead]), self.message]
        )
        self.widget.add_class("mk-session-row")

    def show(self, row: dict[str, Any], title: str) -> None:
        heading = f"<b>Session {self.number}</b>" + (f": {escape(title)}" if title else "")
        if self.heading.value != heading:
            self.heading.value = heading
        for widget, value in (
            (self.date, parse_date(row.get("date"))),
            (self.time, row.get("time") or ""),
            (self.place, row.get("place") or ""),
            (self.lead, row.get("lead") or ""),
        ):
            if widget.value != value:
                widget.value = value

    def read(self) -> dict[str, Any]:
        return {
            "_id": f"s{self.number}",
            "number": self.number,
            "date": self.date.value.isoformat() if self.date.value else None,
            "time": self.time.value.strip(),
            "place": self.place.value.strip(),
            "lead": self.lead.value or None,
        }


class ScheduleField(FieldWidget):
    """The editor for a ``session_schedule`` field; the page sets ``suggested`` (a list of
    ``{"number", "title", "date", "lead"}``) and calls :meth:`refresh`."""

    suggested: tuple[dict[str, Any], ...] = ()

    def build(self) -> w.Widget:
        self.rows: dict[int, SessionRow] = {}
        self.stored: list[dict[str, Any]] | None = None
        self.touched = False
        self.note = text("")
        self.list = w.VBox([])
        return w.VBox([self.note, self.list])

    def refresh(self) -> None:
        """Redraw from the stored rows, or the suggestion where nothing is stored."""
        self._quiet = True
        try:
            self._draw()
        finally:
            self._quiet = False

    def _titles(self) -> dict[int, str]:
        return {int(s["number"]): str(s.get("title") or "") for s in self.suggested}

    def _draw(self) -> None:
        shown = {int(s["number"]): dict(s) for s in self.suggested}
        for stored in self.stored or []:
            shown[int(stored["number"])] = {**shown.get(int(stored["number"]), {}), **stored}
        titles = self._titles()
        widgets = []
        for number in sorted(shown):
            row = self.rows.get(number)
            if row is None:
                row = self.rows[number] = SessionRow(self, number)
            row.show(shown[number], titles.get(number, ""))
            widgets.append(row.widget)
        if tuple(widgets) != tuple(self.list.children):
            self.list.children = widgets
        self.note.value = (
            ""
            if self.stored
            else '<p class="mk-help">Suggested dates: change any of them and the whole '
            "schedule is saved as yours.</p>"
            if shown
            else '<p class="mk-help">No dates to suggest yet: set the start date in your '
            "mentoring agreement, or pick the dates here.</p>"
        )
        self._mark_order()
        if getattr(self, "_disabled", False):
            super().set_disabled(True)
            self.note.value = ""

    def set_disabled(self, disabled: bool) -> None:
        self._disabled = disabled
        super().set_disabled(disabled)

    def _mark_order(self) -> None:
        previous: tuple[int, dt.date] | None = None
        for number in sorted(self.rows):
            row = self.rows[number]
            day = row.date.value
            message = ""
            if day is not None and previous is not None and day < previous[1]:
                earlier = previous[1]
                message = (
                    f'<div class="mk-message mk-error">This is before session {previous[0]} '
                    f"({date_words(earlier)}). Please choose a later date.</div>"
                )
            if row.message.value != message:
                row.message.value = message
            if day is not None:
                previous = (number, day)

    def changed(self, *_: Any) -> None:
        if self._quiet:
            return
        self.touched = True
        self._mark_order()
        super().changed()

    def get(self) -> Any:
        if not self.touched and not self.stored:
            return None
        return [self.rows[n].read() for n in sorted(self.rows)]

    def put(self, value: Any) -> None:
        self.stored = [dict(row) for row in value] if isinstance(value, list) else None
        self.touched = False
        self._draw()

    def dates(self) -> dict[int, dt.date]:
        """The date on screen for each session that has one."""
        return {n: row.date.value for n, row in self.rows.items() if row.date.value}
