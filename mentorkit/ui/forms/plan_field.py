"""The goal plan editor: goals, their objectives and actions, and check-ins on progress.

One field (type ``goal_plan``) holds the whole plan, so it saves, syncs and merges like any
other answer. The editor keeps the plan as plain data and draws only the goal that is open:
a plan of a hundred goals opens as fast as a plan of one. Every input writes straight into
the data and tells the form, which saves a moment later; the checker's gentle notes
(:func:`mentorkit.programme.goal_plans.check`) sit beside the items they are about and never stop a save.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as w

from mentorkit.core.dates import parse_date, short_date
from mentorkit.core.text import escape
from mentorkit.programme import goal_plans
from mentorkit.programme.schedule import Window
from mentorkit.ui.forms.fields import FieldWidget, text

NO_SESSION = 0
"""The session chooser's value for a check-in between sessions."""


@cache
def _layouts() -> dict[str, w.Layout]:
    """Shared layouts: one model each, however many rows use them."""
    return {
        "what": w.Layout(width="12rem"),
        "owner": w.Layout(width="6rem"),
        "due": w.Layout(width="9rem"),
        "status": w.Layout(width="7rem"),
        "resources": w.Layout(width="7rem"),
        "icon": w.Layout(width="2.2rem"),
        "wide": w.Layout(width="100%", max_width="46rem"),
        "slider": w.Layout(width="16rem"),
        "auto": w.Layout(width="auto"),
        "box": w.Layout(),
    }


@cache
def _styles() -> dict[str, Any]:
    from ipywidgets.widgets.widget_button import ButtonStyle
    from ipywidgets.widgets.widget_description import DescriptionStyle
    from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
    from ipywidgets.widgets.widget_string import TextStyle

    return {
        "text": TextStyle(),
        "plain": DescriptionStyle(description_width="initial"),
        "button": ButtonStyle(),
        "toggle": ToggleButtonsStyle(button_width="auto"),
    }


def _box(children: list, horizontal: bool = False) -> w.Box:
    """A box sharing one layout model with every other (never hidden on its own)."""
    kind = w.HBox if horizontal else w.VBox
    return kind(children, layout=_layouts()["box"])


def _button(description: str, icon: str = "", layout: str = "auto") -> w.Button:
    return w.Button(
        description=description, icon=icon, layout=_layouts()[layout], style=_styles()["button"]
    )


def _text_box(value: str, placeholder: str, layout: str, multiline: bool = False) -> w.Widget:
    if multiline:
        return w.Textarea(value=value, placeholder=placeholder, rows=3, layout=_layouts()[layout])
    return w.Text(
        value=value, placeholder=placeholder, layout=_layouts()[layout], style=_styles()["text"]
    )


def _date_picker(value: Any) -> w.DatePicker:
    return w.DatePicker(value=parse_date(value), layout=_layouts()["due"], style=_styles()["plain"])


ACTION_HEADER = (
    '<div class="mk-action-header"><span style="width:12rem">Action</span>'
    '<span style="width:6rem">Who</span><span style="width:9rem">Due</span>'
    '<span style="width:7rem">Status</span><span style="width:7rem">Resources</span></div>'
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _icon_button(icon: str, tooltip: str, action: Callable[[], None]) -> w.Button:
    button = w.Button(
        icon=icon, tooltip=tooltip, layout=_layouts()["icon"], style=_styles()["button"]
    )
    button.on_click(lambda _: action())
    return button


def _notes_html(notes: list[goal_plans.Note], extra: str = "") -> str:
    parts = [
        f'<div class="mk-note{" mk-error" if n.blocking else ""}">{escape(n.text)}</div>'
        for n in notes
    ]
    return "".join(parts) + extra


def _set(widget: w.Widget, attribute: str, value: Any) -> None:
    """Set a trait only when it differs (so a partner's save never resets someone's cursor)."""
    if getattr(widget, attribute) != value:
        setattr(widget, attribute, value)


class ActionRow:
    """One action: what, who, when, status, resources, and its notes."""

    def __init__(self, editor: PlanField, goal_id: str, objective_id: str, action_id: str):
        self.editor, self.ids = editor, (goal_id, objective_id, action_id)
        self.what = _text_box("", "What will be done", "what")
        self.owner = w.Dropdown(
            options=[("Who?", "")] + [(label, key) for key, label in goal_plans.OWNERS.items()],
            value="",
            layout=_layouts()["owner"],
            style=_styles()["plain"],
        )
        self.due = _date_picker(None)
        self.status = w.Dropdown(
            options=[(label, key) for key, label in goal_plans.STATUSES.items()],
            value="not_started",
            layout=_layouts()["status"],
            style=_styles()["plain"],
        )
        self.resources = _text_box("", "Resources needed", "resources")
        remove = _icon_button("trash", "Remove this action", self.remove)
        self.note = text("")
        for widget, key in (
            (self.what, "what"),
            (self.owner, "owner"),
            (self.due, "due"),
            (self.status, "status"),
            (self.resources, "resources"),
        ):
            widget.observe(lambda change, k=key: self.changed(k, change["new"]), "value")
        for widget, css in (
            (self.what, "mk-action-what"),
            (self.owner, "mk-action-owner"),
            (self.due, "mk-action-due"),
            (self.status, "mk-action-status"),
            (self.resources, "mk-action-resources"),
            (remove, "mk-remove-action"),
        ):
            widget.add_class(css)
        self.note.add_class("mk-action-note")
        self.widget = _box(
            [self.what, self.owner, self.due, self.status, self.resources, remove, self.note],
            horizontal=True,
        )
        self.widget.add_class("mk-action")
        self.widget.add_class("mk-action-row")

    def show(self, action: dict[str, Any]) -> None:
        _set(self.what, "value", action.get("what") or "")
        _set(self.owner, "value", action.get("owner") or "")
        _set(self.due, "value", parse_date(action.get("due")))
        _set(self.status, "value", action.get("status") or "not_started")
        _set(self.resources, "value", action.get("resources") or "")

    def changed(self, key: str, value: Any) -> None:
        if self.editor.quiet:
            return
        if key == "due":
            value = _iso(value)
        elif key == "owner":
            value = value or None
        self.editor.update(self.ids, key, value)

    def remove(self) -> None:
        self.editor.remove_action(*self.ids)

    def mark(self, notes: list[goal_plans.Note], overdue: bool, due: str | None) -> None:
        extra = (
            f'<div class="mk-note mk-overdue-note">Overdue: it was due {escape(short_date(due))}. '
            "Mark it done, move the date, or drop it.</div>"
            if overdue
            else ""
        )
        _set(self.note, "value", _notes_html(notes, extra))
        if overdue:
            self.widget.add_class("mk-overdue")
        else:
            self.widget.remove_class("mk-overdue")


class ObjectiveBox:
    """One objective: what will be true, how it is measured, by when; its actions."""

    def __init__(self, editor: PlanField, goal_id: str, objective_id: str):
        self.editor, self.ids = editor, (goal_id, objective_id)
        self.heading = text("")
        self.outcome = _text_box("", "What will be true", "wide")
        self.measure = _text_box("", "How it will be measured", "wide")
        self.target = _date_picker(None)
        for widget, key in (
            (self.outcome, "outcome"),
            (self.measure, "measure"),
            (self.target, "target"),
        ):
            widget.observe(lambda change, k=key: self.changed(k, change["new"]), "value")
        self.note = text("")
        self.progress = text("")
        self.rows: dict[str, ActionRow] = {}
        self.action_list = _box([])
        add = _button("Add an action", "plus")
        add.on_click(lambda _: editor.add_action(goal_id, objective_id))
        remove = _icon_button("trash", "Remove this objective and its actions", self.remove)
        for widget, css in (
            (self.outcome, "mk-objective-outcome"),
            (self.measure, "mk-objective-measure"),
            (self.target, "mk-objective-target"),
            (add, "mk-add-action"),
            (remove, "mk-remove-objective"),
        ):
            widget.add_class(css)
        self.widget = _box(
            [
                _box([self.heading, remove], horizontal=True),
                text('<span class="mk-label">What will be true</span>'),
                self.outcome,
                text('<span class="mk-label">How it will be measured</span>'),
                self.measure,
                text('<span class="mk-label">Target date</span>'),
                self.target,
                self.note,
                self.progress,
                text('<span class="mk-label">Actions</span>' + ACTION_HEADER),
                self.action_list,
                add,
            ]
        )
        self.widget.add_class("mk-objective")

    def changed(self, key: str, value: Any) -> None:
        if not self.editor.quiet:
            self.editor.update(self.ids, key, _iso(value) if key == "target" else value)

    def remove(self) -> None:
        self.editor.remove_objective(*self.ids)

    def show(self, number: int, objective: dict[str, Any]) -> None:
        _set(self.heading, "value", f"<h4>Objective {number}</h4>")
        _set(self.outcome, "value", objective.get("outcome") or "")
        _set(self.measure, "value", objective.get("measure") or "")
        _set(self.target, "value", parse_date(objective.get("target")))
        rows = []
        for action in objective.get("actions") or []:
            row = self.rows.get(action["_id"])
            if row is None:
                row = ActionRow(self.editor, *self.ids, action["_id"])
                self.rows[action["_id"]] = row
            row.show(action)
            rows.append(row.widget)
        live = {a["_id"] for a in objective.get("actions") or []}
        self.rows = {key: row for key, row in self.rows.items() if key in live}
        if tuple(rows) != tuple(self.action_list.children):
            self.action_list.children = rows


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
        self.rows = _box([])
        self.history = text("")
        self.widget = _box(
            [
                text(
                    '<h4>Check-in</h4><p class="mk-help">At each session, move each slider '
                    "to where you are now and add a word on how it went. It saves by itself; "
                    "earlier check-ins are kept below.</p>"
                ),
                _box([self.session, self.date], horizontal=True),
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
                (f"Session {n} ({day:%d %b})".replace("(0", "("), n) for n, day in window.dated
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
        day = goal_plans.check_in_date(
            self.editor.plan, self._session(), self.dated, self.editor.today
        )
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
        recorded = goal_plans.find_check_in(plan, self._session(), _iso(self.date.value) or "")
        rows = []
        self.editor.quiet = True
        try:
            for number, objective in enumerate(objectives, start=1):
                oid = objective["_id"]
                if oid not in self.sliders:
                    label = text("")
                    slider = w.IntSlider(
                        min=0, max=100, step=5, layout=_layouts()["slider"], readout_format="d"
                    )
                    note = _text_box("", "How it went", "resources")
                    slider.add_class("mk-check-in-percent")
                    note.add_class("mk-check-in-note")
                    slider.observe(lambda _, o=oid: self.record(o), "value")
                    note.observe(lambda _, o=oid: self.record(o), "value")
                    self.sliders[oid] = (label, slider, note)
                label, slider, note = self.sliders[oid]
                name = objective.get("outcome") or "(not written yet)"
                _set(label, "value", f"<b>{number}.</b> {escape(name)} <b>%</b>")
                entry = ((recorded or {}).get("progress") or {}).get(oid)
                if entry is None:
                    latest = goal_plans.latest_progress(plan, oid)
                    entry = {"percent": latest[1], "note": ""} if latest else {}
                _set(slider, "value", int(entry.get("percent") or 0))
                _set(note, "value", entry.get("note") or "")
                rows.append(_box([label, _box([slider, note], horizontal=True)]))
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
        self.editor.record_check_in(self._session(), _iso(self.date.value), progress)
        self.history.value = self._history(goal.get("objectives") or [])

    def _history(self, objectives: list[dict]) -> str:
        check_ins = goal_plans.check_ins(self.editor.plan)
        rows = []
        for number, objective in enumerate(objectives, start=1):
            steps = goal_plans.progress_history(check_ins, objective["_id"])
            if not steps:
                continue
            cells = " → ".join(
                f'<span title="{escape(note)}">{day:%d %b}: {percent}%</span>'.replace(">0", ">")
                + (f' <span class="mk-help">({escape(note)})</span>' if note else "")
                for day, percent, note in steps
            )
            rows.append(f"<li><b>Objective {number}</b>: {cells}</li>")
        if not rows:
            return '<p class="mk-help">No check-ins on this goal yet.</p>'
        return (
            f'<div class="mk-progress-history"><b>Progress so far</b><ul>{"".join(rows)}</ul></div>'
        )


class PlanField(FieldWidget):
    """The editor for a ``goal_plan`` field (see the module docstring).

    The page sets ``window`` (programme dates and sessions), ``today`` and
    ``area_suggestions`` (from the rating apps) and calls :meth:`refresh`.
    """

    author: str | None = None
    window: Window | None = None
    today: dt.date = dt.date.today()
    area_suggestions: tuple[str, ...] = ()

    def build(self) -> w.Widget:
        self.plan: dict[str, Any] = {"goals": [], "check_ins": []}
        self.quiet = False
        self.open_id: str | None = None
        self.boxes: dict[str, ObjectiveBox] = {}
        self.summary = text("")
        self.overall = text("")
        self.chooser = w.Dropdown(description="Open goal", options=[], style=_styles()["plain"])
        self.chooser.layout = w.Layout(width="30rem", max_width="100%")
        self.chooser.observe(self._chose, "value")
        add_goal = _button("Add a goal", "plus")
        add_goal.button_style = "info"
        add_goal.on_click(lambda _: self.add_goal())
        self.goal_title = _text_box("", "What is the goal?", "wide")
        self.goal_why = _text_box("", "Why it matters to you", "wide", multiline=True)
        self.goal_areas = w.TagsInput(value=[], allow_duplicates=False)
        self.goal_stretch = w.Checkbox(description="This is a stretch goal", indent=False)
        for widget, key in (
            (self.goal_title, "title"),
            (self.goal_why, "why"),
            (self.goal_areas, "areas"),
            (self.goal_stretch, "stretch"),
        ):
            widget.observe(lambda change, k=key: self._goal_changed(k, change["new"]), "value")
        self.goal_note = text("")
        self.suggestions = w.HBox([], layout=w.Layout(flex_flow="row wrap"))
        self.objective_list = _box([])
        self.objective_summary = text("")
        self.objective_tabs = w.ToggleButtons(options=[], style=_styles()["toggle"])
        self.objective_tabs.add_class("mk-objective-chooser")
        self.objective_tabs.observe(self._chose_objective, "value")
        self.open_objectives: dict[str, str] = {}
        add_objective = _button("Add an objective", "plus")
        add_objective.on_click(lambda _: self.add_objective())
        remove_goal = _button("Remove this goal", "trash")
        remove_goal.on_click(lambda _: self.remove_goal())
        for widget, css in (
            (self.chooser, "mk-goal-chooser"),
            (add_goal, "mk-add-goal"),
            (self.goal_title, "mk-goal-title"),
            (self.goal_why, "mk-goal-why"),
            (self.goal_areas, "mk-goal-areas"),
            (self.goal_stretch, "mk-goal-stretch"),
            (add_objective, "mk-add-objective"),
            (remove_goal, "mk-remove-goal"),
        ):
            widget.add_class(css)
        self.check_in = CheckInPanel(self)
        self.goal_panel = w.VBox(
            [
                text('<span class="mk-label">The goal</span>'),
                self.goal_title,
                self.goal_note,
                text('<span class="mk-label">Why it matters</span>'),
                self.goal_why,
                text(
                    '<span class="mk-label">Competency areas it develops</span>'
                    '<span class="mk-help">Type an area and press Enter, or pick one you '
                    "marked to develop in your ratings:</span>"
                ),
                self.goal_areas,
                self.suggestions,
                self.goal_stretch,
                text("<h3>Objectives</h3>"),
                self.objective_summary,
                self.objective_tabs,
                self.objective_list,
                add_objective,
                self.check_in.widget,
                remove_goal,
            ]
        )
        self.goal_panel.add_class("mk-goal")
        self.empty = w.HTML(  # its own layout: it is hidden and shown on its own
            '<p class="mk-help">No goals yet. Start with the one that matters most to you.</p>'
        )
        return w.VBox(
            [
                self.summary,
                self.overall,
                _box([self.chooser, add_goal], horizontal=True),
                self.empty,
                self.goal_panel,
            ]
        )

    # --- reading the data ------------------------------------------------------------------

    def get(self) -> Any:
        if not self.plan.get("goals") and not self.plan.get("check_ins"):
            return None
        return copy.deepcopy(self.plan)

    def put(self, value: Any) -> None:
        incoming = copy.deepcopy(value) if isinstance(value, dict) else {}
        self.plan = {
            "goals": list(incoming.get("goals") or []),
            "check_ins": list(incoming.get("check_ins") or []),
        }
        goals = self.plan["goals"]
        if self.open_id not in {g["_id"] for g in goals}:
            self.open_id = goals[0]["_id"] if goals else None
        self.redraw()

    def goal(self, goal_id: str | None) -> dict[str, Any] | None:
        return next((g for g in self.plan["goals"] if g["_id"] == goal_id), None)

    def open_goal(self) -> dict[str, Any] | None:
        return self.goal(self.open_id)

    def _find(self, ids: tuple[str, ...]) -> dict[str, Any] | None:
        item = self.goal(ids[0])
        for key, item_id in zip(("objectives", "actions"), ids[1:], strict=False):
            if item is None:
                return None
            item = next((i for i in item.get(key) or [] if i["_id"] == item_id), None)
        return item

    # --- changing the data -----------------------------------------------------------------

    def update(self, ids: tuple[str, ...], key: str, value: Any) -> None:
        """One input changed: write it into the plan and tell the form."""
        item = self._find(ids)
        if item is None:
            return
        item[key] = value
        self._after_edit(redraw_panel=False)

    def _goal_changed(self, key: str, value: Any) -> None:
        if self.quiet or self.open_goal() is None:
            return
        self.update((self.open_id,), key, list(value) if key == "areas" else value)

    def _after_edit(self, redraw_panel: bool = True) -> None:
        if redraw_panel:
            self.redraw()
        else:
            self.refresh_notes()
        self.changed()

    def add_goal(self) -> None:
        goal = goal_plans.new_goal(self.author or "")
        self.plan["goals"].append(goal)
        self.open_id = goal["_id"]
        self._after_edit()

    def remove_goal(self) -> None:
        goal = self.open_goal()
        if goal is None:
            return
        self.plan["goals"].remove(goal)
        goals = self.plan["goals"]
        self.open_id = goals[0]["_id"] if goals else None
        self._after_edit()

    def add_objective(self) -> None:
        goal = self.open_goal()
        if goal is not None:
            objective = goal_plans.new_objective()
            goal.setdefault("objectives", []).append(objective)
            self.open_objectives[goal["_id"]] = objective["_id"]
            self._after_edit()

    def remove_objective(self, goal_id: str, objective_id: str) -> None:
        goal = self.goal(goal_id)
        if goal is not None:
            goal["objectives"] = [
                o for o in goal.get("objectives") or [] if o["_id"] != objective_id
            ]
            self._after_edit()

    def add_action(self, goal_id: str, objective_id: str) -> None:
        objective = self._find((goal_id, objective_id))
        if objective is not None:
            objective.setdefault("actions", []).append(goal_plans.new_action(None))
            self._after_edit()

    def remove_action(self, goal_id: str, objective_id: str, action_id: str) -> None:
        objective = self._find((goal_id, objective_id))
        if objective is not None:
            objective["actions"] = [
                a for a in objective.get("actions") or [] if a["_id"] != action_id
            ]
            self._after_edit()

    def add_area(self, area: str) -> None:
        if area not in self.goal_areas.value:
            self.goal_areas.value = [*self.goal_areas.value, area]

    def record_check_in(
        self, session: int | None, date: str | None, progress: dict[str, dict[str, Any]]
    ) -> None:
        """Record progress for some objectives at a session (or on a date between sessions)."""
        if not date:
            return
        existing = goal_plans.find_check_in(self.plan, session, date)
        if existing is None:
            existing = {
                "_id": goal_plans.check_in_id(session, date),
                "session": session,
                "date": date,
                "progress": {},
            }
            self.plan["check_ins"].append(existing)
        existing["date"] = date
        existing.setdefault("progress", {}).update(copy.deepcopy(progress))
        self._after_edit(redraw_panel=False)

    # --- drawing ---------------------------------------------------------------------------

    def _chose(self, change: dict) -> None:
        if self.quiet or change["new"] is None:
            return
        self.open_id = change["new"]
        self.redraw()

    def refresh(self) -> None:
        """Redraw after the page changed ``window``, ``today`` or ``area_suggestions``."""
        self.check_in.set_sessions(self.window, self.today)
        self.redraw()

    def redraw(self) -> None:
        """Draw the goal chooser and the open goal from the data (in place where possible)."""
        self.quiet = True
        try:
            goals = self.plan["goals"]
            options = [
                (f"{n}. {g.get('title') or '(untitled goal)'}"[:90], g["_id"])
                for n, g in enumerate(goals, start=1)
            ]
            if list(self.chooser.options) != options:
                self.chooser.options = options
            _set(self.chooser, "value", self.open_id)
            goal = self.open_goal()
            self.empty.layout.display = "none" if goals else None
            self.goal_panel.layout.display = None if goal else "none"
            self.chooser.layout.display = None if goals else "none"
            if goal is not None:
                self._draw_goal(goal)
        finally:
            self.quiet = False
        if goal is not None:
            self.check_in.show()
        self.refresh_notes()
        if getattr(self, "_disabled", False):
            super().set_disabled(True)

    def _draw_goal(self, goal: dict[str, Any]) -> None:
        _set(self.goal_title, "value", goal.get("title") or "")
        _set(self.goal_why, "value", goal.get("why") or "")
        _set(self.goal_areas, "value", list(goal.get("areas") or []))
        _set(self.goal_stretch, "value", bool(goal.get("stretch")))
        buttons = []
        for area in self.area_suggestions:
            button = _button(f"+ {area}"[:60])
            button.on_click(lambda _, a=area: self.add_area(a))
            button.add_class("mk-starter")
            buttons.append(button)
        if len(buttons) != len(self.suggestions.children):
            self.suggestions.children = buttons
        objectives = goal.get("objectives") or []
        ids = [o["_id"] for o in objectives]
        open_id = self.open_objectives.get(goal["_id"])
        if open_id not in ids:
            open_id = ids[0] if ids else None
            if open_id:
                self.open_objectives[goal["_id"]] = open_id
        options = [(f"Objective {n}", oid) for n, oid in enumerate(ids, start=1)]
        if list(self.objective_tabs.options) != options:
            self.objective_tabs.options = options
        _set(self.objective_tabs, "value", open_id)
        self.objective_tabs.layout.display = None if len(ids) > 1 else "none"
        boxes = []
        if open_id is not None:
            key = f"{goal['_id']}/{open_id}"
            box = self.boxes.get(key) or ObjectiveBox(self, goal["_id"], open_id)
            box.show(ids.index(open_id) + 1, objectives[ids.index(open_id)])
            boxes.append(box)
        self.boxes = {f"{goal['_id']}/{b.ids[1]}": b for b in boxes}
        children = tuple(b.widget for b in boxes)
        if children != tuple(self.objective_list.children):
            self.objective_list.children = children

    def _chose_objective(self, change: dict) -> None:
        goal = self.open_goal()
        if self.quiet or change["new"] is None or goal is None:
            return
        self.open_objectives[goal["_id"]] = change["new"]
        self.redraw()

    def _objectives_html(
        self, goal: dict[str, Any], by_item: dict[str, list[goal_plans.Note]], late: set[str]
    ) -> str:
        """Every objective of the open goal in one table: the open one is edited below."""
        objectives = goal.get("objectives") or []
        if not objectives:
            return '<p class="mk-help">No objectives yet: what would be true when this goal is reached?</p>'
        rows = []
        for number, objective in enumerate(objectives, start=1):
            actions = objective.get("actions") or []
            done = sum(1 for a in actions if a.get("status") == "done")
            overdue = sum(1 for a in actions if a["_id"] in late)
            notes = len(by_item.get(objective["_id"], [])) + sum(
                len(by_item.get(a["_id"], [])) for a in actions if str(a.get("what") or "").strip()
            )
            latest = goal_plans.latest_progress(self.plan, objective["_id"])
            rows.append(
                f"<tr><td>{number}. {escape(objective.get('outcome') or '(not written yet)')}</td>"
                f"<td>{escape(short_date(objective.get('target')) or '—')}</td>"
                f"<td>{done} of {len(actions)} done"
                + (f' · <span class="mk-error">{overdue} overdue</span>' if overdue else "")
                + "</td>"
                f"<td>{f'{latest[1]}%' if latest else '—'}</td>"
                f"<td>{f'{notes} note' + ('s' if notes != 1 else '') if notes else ''}</td></tr>"
            )
        return (
            '<table class="mk-table mk-objective-summary"><thead><tr><th>Objective</th>'
            "<th>Target</th><th>Actions</th><th>Progress</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def refresh_notes(self) -> None:
        """Run the checker and put its notes beside the items; update the summary."""
        window = self.window
        notes = goal_plans.check(
            self.plan, window.start if window else None, window.end if window else None
        )
        by_item: dict[str, list[goal_plans.Note]] = {}
        for note in notes:
            by_item.setdefault(note.item_id, []).append(note)
        late = {a["_id"] for a in goal_plans.overdue(self.plan, self.today)}
        goal = self.open_goal()
        if goal is not None:
            _set(self.goal_note, "value", _notes_html(by_item.get(goal["_id"], [])))
            _set(self.objective_summary, "value", self._objectives_html(goal, by_item, late))
            for box in self.boxes.values():
                oid = box.ids[1]
                _set(box.note, "value", _notes_html(by_item.get(oid, [])))
                latest = goal_plans.latest_progress(self.plan, oid)
                _set(
                    box.progress,
                    "value",
                    f'<div class="mk-help">Latest check-in: <b>{latest[1]}%</b> on '
                    f"{latest[0]:%d %b %Y}</div>".replace("on 0", "on ")
                    if latest
                    else "",
                )
                objective = self._find(box.ids) or {}
                for action in objective.get("actions") or []:
                    row = box.rows.get(action["_id"])
                    if row is None:
                        continue
                    unwritten = not str(action.get("what") or "").strip()
                    own = [] if unwritten else by_item.get(action["_id"], [])
                    row.mark(own, action["_id"] in late, action.get("due"))
        overall = [n for n in notes if n.item_id in goal_plans.OWNERS]
        _set(self.overall, "value", _notes_html(overall))
        _set(self.summary, "value", self._summary(late))

    def _summary(self, late: set[str]) -> str:
        goals = self.plan["goals"]
        if not goals:
            return ""
        rows = []
        check_ins = goal_plans.check_ins(self.plan)
        for number, goal in enumerate(goals, start=1):
            objectives = goal.get("objectives") or []
            actions = [a for o in objectives for a in o.get("actions") or []]
            done = sum(1 for a in actions if a.get("status") == "done")
            overdue = sum(1 for a in actions if a["_id"] in late)
            progress = goal_plans.goal_progress(self.plan, check_ins, goal["_id"])
            bar = (
                f'<span class="mk-bar"><span style="width:{progress:.0f}%"></span></span> '
                f"{progress:.0f}%"
                if progress is not None
                else '<span class="mk-help">no check-in yet</span>'
            )
            stretch = ' <span class="mk-badge">stretch</span>' if goal.get("stretch") else ""
            late_text = f' · <span class="mk-error">{overdue} overdue</span>' if overdue else ""
            rows.append(
                f"<tr><td>{number}. {escape(goal.get('title') or '(untitled goal)')}{stretch}</td>"
                f"<td>{len(objectives)}</td><td>{done} of {len(actions)} done{late_text}</td>"
                f"<td>{bar}</td></tr>"
            )
        return (
            '<table class="mk-table mk-goal-summary"><thead><tr><th>Goal</th><th>Objectives'
            "</th><th>Actions</th><th>Progress</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def set_disabled(self, disabled: bool) -> None:
        self._disabled = disabled
        super().set_disabled(disabled)
