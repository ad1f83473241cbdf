"""Check-ins on a goal plan: at a session (or on a date between sessions) the pair records how
far each objective has come, and sees the history of earlier check-ins.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ipywidgets as w

from mentorkit.core.dates import date_words
from mentorkit.core.text import escape
from mentorkit.programme import goal_plans
from mentorkit.programme.goal_plans import (
    check_in_date,
    find_check_in,
    latest_progress,
    progress_history,
)
from mentorkit.programme.schedule import Window
from mentorkit.ui.forms.fields import text
from mentorkit.ui.forms.names import SCREEN_READER_LABEL
from mentorkit.ui.forms.plan_widgets import input_box, iso_day, layout_box, layouts, set_quietly

if TYPE_CHECKING:
    from mentorkit.ui.forms.plan_field import PlanField


NO_SESSION = 0
"""The session chooser's value for a check-in between sessions."""


class CheckInPanel:
    """Progress on the open goal's objectives at one session, kept as a history."""

    def __init__(self, editor: PlanField):
        self.editor = editor
        self.session = w.Dropdown(
            description="Session", options=[("Between sessions", NO_SESSION)], value=NO_SESSION
        )
        self.date = w.DatePicker(description="Date", value=editor.today)
        self.dated: tuple[tuple[int, dt.date], ...] = ()
        self._dating = False
        self.session.add_class("mk-check-in-session")
        self.date.add_class("mk-check-in-date")
        self.session.observe(lambda _: self._session_chosen(), "value")
        self.date.observe(lambda _: self._date_chosen(), "value")
        self.sliders: dict[str, tuple[w.HTML, w.IntSlider, w.Text]] = {}
        self.rows = layout_box([])
        self.history = text("")
        self.widget = layout_box(
            [
                text(
                    '<h4>Check-in</h4><p class="mk-help">At each session, move each slider '
                    "to where you are now and add a word on how it went. It saves by itself; "
                    "earlier check-ins are kept below.</p>"
                ),
                layout_box([self.session, self.date], horizontal=True),
                self.rows,
                self.history,
            ]
        )
        self.widget.add_class("mk-check-in")

    def set_sessions(self, window: Window | None, today: dt.date) -> None:
        """Offer the relationship's sessions, choose the current one and date the check-in."""
        options = [("Between sessions", NO_SESSION)]
        current = NO_SESSION
        self.dated = window.dated if window is not None else ()
        if window is not None:
            options += [
                (f"Session {n} ({date_words(day, year=False)})", n) for n, day in window.dated
            ]
            current = window.session_on_or_before(today) or NO_SESSION
        self.editor.quiet = True
        try:
            self.session.options = options
            self.session.value = current
        finally:
            self.editor.quiet = False
        self._date_the_check_in()

    def _session(self) -> int | None:
        return self.session.value or None

    def _date_the_check_in(self) -> None:
        """Put the chosen session's check-in date in the date box (see
        :func:`mentorkit.programme.goal_plans.check_in_date`); the pair can still change it."""
        day = check_in_date(self.editor.plan, self._session(), self.dated, self.editor.today)
        self._dating = True
        try:
            self.date.value = day
        finally:
            self._dating = False

    def _session_chosen(self) -> None:
        self._date_the_check_in()
        self.show()

    def _date_chosen(self) -> None:
        if not self._dating:
            self.show()

    def show(self) -> None:
        """Draw sliders for the open goal, set from this session's check-in (or the latest)."""
        goal = self.editor.open_goal()
        objectives = (goal or {}).get("objectives") or []
        plan = self.editor.plan
        recorded = find_check_in(plan, self._session(), iso_day(self.date.value) or "")
        rows = []
        self.editor.quiet = True
        try:
            for number, objective in enumerate(objectives, start=1):
                oid = objective["_id"]
                if oid not in self.sliders:
                    label = text("")
                    slider = w.IntSlider(
                        min=0, max=100, step=5, layout=layouts()["slider"], readout_format="d"
                    )
                    slider.add_class(SCREEN_READER_LABEL)  # named below, for screen readers
                    note = input_box("", "How it went", "resources")
                    slider.add_class("mk-check-in-percent")
                    note.add_class("mk-check-in-note")
                    slider.observe(lambda _, o=oid: self.record(o), "value")
                    note.observe(lambda _, o=oid: self.record(o), "value")
                    self.sliders[oid] = (label, slider, note)
                label, slider, note = self.sliders[oid]
                name = objective.get("outcome") or "(not written yet)"
                set_quietly(label, "value", f"<b>{number}.</b> {escape(name)} <b>%</b>")
                set_quietly(slider, "description", f"Progress on objective {number} (%)")
                entry = ((recorded or {}).get("progress") or {}).get(oid)
                if entry is None:
                    latest = latest_progress(plan, oid)
                    entry = {"percent": latest[1], "note": ""} if latest else {}
                set_quietly(slider, "value", int(entry.get("percent") or 0))
                set_quietly(note, "value", entry.get("note") or "")
                rows.append(layout_box([label, layout_box([slider, note], horizontal=True)]))
        finally:
            self.editor.quiet = False
        self.rows.children = rows or [
            text('<p class="mk-help">Add an objective to record progress on it.</p>')
        ]
        self.history.value = self._history(objectives)

    def record(self, objective_id: str) -> None:
        """Record the progress of the objective whose slider or note just changed (the
        others are recorded when they are moved: an untouched one is not set to 0%)."""
        if self.editor.quiet or self.date.value is None:
            return
        goal = self.editor.open_goal()
        if goal is None or objective_id not in self.sliders:
            return
        _label, slider, note = self.sliders[objective_id]
        progress = {objective_id: {"percent": slider.value, "note": note.value}}
        self.editor.record_check_in(self._session(), iso_day(self.date.value), progress)
        self.history.value = self._history(goal.get("objectives") or [])

    def _history(self, objectives: list[dict]) -> str:
        check_ins = goal_plans.check_ins(self.editor.plan)
        rows = []
        for number, objective in enumerate(objectives, start=1):
            steps = progress_history(check_ins, objective["_id"])
            if not steps:
                continue
            cells = " → ".join(
                f'<span title="{escape(note)}">{date_words(day, year=False)}: {percent}%</span>'
                + (f' <span class="mk-help">({escape(note)})</span>' if note else "")
                for day, percent, note in steps
            )
            rows.append(f"<li><b>Objective {number}</b>: {cells}</li>")
        if not rows:
            return '<p class="mk-help">No check-ins on this goal yet.</p>'
        return (
            f'<div class="mk-progress-history"><b>Progress so far</b><ul>{"".join(rows)}</ul></div>'
        )
