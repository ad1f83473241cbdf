"""The goal plan editor: goals, their objectives and actions, and check-ins on progress.

One field (type ``goal_plan``) holds the whole plan, so it saves, syncs and merges like any
other answer. The editor keeps the plan as plain data and draws only the goal that is open:
a plan of a hundred goals opens as fast as a plan of one. Every input writes straight into
the data and tells the form, which saves a moment later; the checker's gentle notes
(:func:`mentorkit.programme.goal_plans.check`) sit beside the items they are about and never stop a save."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import ipywidgets as w

from mentorkit.core.dates import date_words
from mentorkit.core.text import escape
from mentorkit.programme import goal_plan_edits as edits
from mentorkit.programme import goal_plans
from mentorkit.programme.goal_plans import (
    OWNERS,
    Note,
    check,
    goal_progress,
    latest_progress,
    overdue,
)
from mentorkit.programme.schedule import Window
from mentorkit.ui.forms.fields import FieldWidget, text
from mentorkit.ui.forms.plan_check_ins import CheckInPanel
from mentorkit.ui.forms.plan_items import ObjectiveBox
from mentorkit.ui.forms.plan_widgets import (
    input_box,
    layout_box,
    notes_html,
    plain_button,
    set_quietly,
    styles,
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
        self.chooser = w.Dropdown(description="Open goal", options=[], style=styles()["plain"])
        self.chooser.layout = w.Layout(width="30rem", max_width="100%")
        self.chooser.observe(self._chose, "value")
        add_goal = plain_button("Add a goal")
        add_goal.button_style = "info"
        add_goal.on_click(lambda _: self.add_goal())
        self.goal_title = input_box("", "What is the goal?", "wide")
        self.goal_why = input_box("", "Why it matters to you", "wide", multiline=True)
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
        self.objective_list = layout_box([])
        self.objective_summary = text("")
        self.objective_tabs = w.ToggleButtons(options=[], style=styles()["toggle"])
        self.objective_tabs.add_class("mk-objective-chooser")
        self.objective_tabs.observe(self._chose_objective, "value")
        self.open_objectives: dict[str, str] = {}
        add_objective = plain_button("Add an objective")
        add_objective.on_click(lambda _: self.add_objective())
        remove_goal = plain_button("Remove this goal")
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
                layout_box([self.chooser, add_goal], horizontal=True),
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
        return edits.find_goal(self.plan, goal_id)

    def open_goal(self) -> dict[str, Any] | None:
        return self.goal(self.open_id)

    # --- changing the data (the edits themselves are in goal_plan_edits) -------------------

    def update(self, ids: tuple[str, ...], key: str, value: Any) -> None:
        """One input changed: write it into the plan and tell the form."""
        if edits.set_value(self.plan, ids, key, value):
            self._after_edit(redraw_panel=False)

    def _goal_changed(self, key: str, value: Any) -> None:
        if self.quiet or self.open_id is None or self.open_goal() is None:
            return
        self.update((self.open_id,), key, list(value) if key == "areas" else value)

    def _after_edit(self, redraw_panel: bool = True) -> None:
        if redraw_panel:
            self.redraw()
        else:
            self.refresh_notes()
        self.changed()

    def add_goal(self) -> None:
        self.open_id = edits.add_goal(self.plan, self.author or "")["_id"]
        self._after_edit()

    def remove_goal(self) -> None:
        if self.open_goal() is not None:
            self.open_id = edits.remove_goal(self.plan, self.open_id)
            self._after_edit()

    def add_objective(self) -> None:
        objective = edits.add_objective(self.plan, self.open_id)
        if objective is not None and self.open_id is not None:
            self.open_objectives[self.open_id] = objective["_id"]
            self._after_edit()

    def remove_objective(self, goal_id: str, objective_id: str) -> None:
        if edits.remove_objective(self.plan, goal_id, objective_id):
            self._after_edit()

    def add_action(self, goal_id: str, objective_id: str) -> None:
        if edits.add_action(self.plan, goal_id, objective_id):
            self._after_edit()

    def remove_action(self, goal_id: str, objective_id: str, action_id: str) -> None:
        if edits.remove_action(self.plan, goal_id, objective_id, action_id):
            self._after_edit()

    def add_area(self, area: str) -> None:
        if area not in self.goal_areas.value:
            self.goal_areas.value = [*self.goal_areas.value, area]

    def record_check_in(
        self, session: int | None, date: str | None, progress: dict[str, dict[str, Any]]
    ) -> None:
        """Record progress for some objectives at a session (or on a date between sessions)."""
        if edits.record_check_in(self.plan, session, date, progress):
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
            set_quietly(self.chooser, "value", self.open_id)
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
        set_quietly(self.goal_title, "value", goal.get("title") or "")
        set_quietly(self.goal_why, "value", goal.get("why") or "")
        set_quietly(self.goal_areas, "value", list(goal.get("areas") or []))
        set_quietly(self.goal_stretch, "value", bool(goal.get("stretch")))
        buttons = []
        for area in self.area_suggestions:
            button = plain_button(f"+ {area}"[:60])
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
        set_quietly(self.objective_tabs, "value", open_id)
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
        self, goal: dict[str, Any], by_item: dict[str, list[Note]], late: set[str]
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
            latest = latest_progress(self.plan, objective["_id"])
            rows.append(
                f"<tr><td>{number}. {escape(objective.get('outcome') or '(not written yet)')}</td>"
                f"<td>{escape(date_words(objective.get('target')) or '—')}</td>"
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
        notes = check(self.plan, window.start if window else None, window.end if window else None)
        by_item: dict[str, list[Note]] = {}
        for note in notes:
            by_item.setdefault(note.item_id, []).append(note)
        late = {a["_id"] for a in overdue(self.plan, self.today)}
        goal = self.open_goal()
        if goal is not None:
            set_quietly(self.goal_note, "value", notes_html(by_item.get(goal["_id"], [])))
            set_quietly(self.objective_summary, "value", self._objectives_html(goal, by_item, late))
            for box in self.boxes.values():
                oid = box.ids[1]
                set_quietly(box.note, "value", notes_html(by_item.get(oid, [])))
                latest = latest_progress(self.plan, oid)
                set_quietly(
                    box.progress,
                    "value",
                    f'<div class="mk-help">Latest check-in: <b>{latest[1]}%</b> on '
                    f"{date_words(latest[0])}</div>"
                    if latest
                    else "",
                )
                objective = edits.find_item(self.plan, box.ids) or {}
                for action in objective.get("actions") or []:
                    row = box.rows.get(action["_id"])
                    if row is None:
                        continue
                    unwritten = not str(action.get("what") or "").strip()
                    own = [] if unwritten else by_item.get(action["_id"], [])
                    row.mark(own, action["_id"] in late, action.get("due"))
        overall = [n for n in notes if n.item_id in OWNERS]
        set_quietly(self.overall, "value", notes_html(overall))
        set_quietly(self.summary, "value", self._summary(late))

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
            progress = goal_progress(self.plan, check_ins, goal["_id"])
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
