"""The goal plan editor's rows: an objective with its actions, and one action (what, who, by
when, status, resources), each writing its inputs into the plan through the editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mentorkit.core.dates import date_words, parse_date
from mentorkit.core.text import escape
from mentorkit.programme.goal_plans import OWNERS, STATUSES, Note
from mentorkit.ui.forms.fields import text
from mentorkit.ui.forms.names import named
from mentorkit.ui.forms.plan_widgets import (
    ACTION_HEADER,
    date_picker,
    input_box,
    iso_day,
    layout_box,
    layouts,
    notes_html,
    plain_button,
    set_quietly,
    small_button,
    styles,
)

if TYPE_CHECKING:
    from mentorkit.ui.forms.plan_field import PlanField


class ActionRow:
    """One action: what, who, when, status, resources, and its notes."""

    def __init__(self, editor: PlanField, goal_id: str, objective_id: str, action_id: str):
        self.editor, self.ids = editor, (goal_id, objective_id, action_id)
        self.what = input_box("", "What will be done", "what")
        self.owner = named(
            w.Dropdown(
                options=[("Who?", "")] + [(label, key) for key, label in OWNERS.items()],
                value="",
                layout=layouts()["owner"],
                style=styles()["plain"],
            ),
            "Who does it",
        )
        self.due = date_picker(None, "Due by")
        self.status = named(
            w.Dropdown(
                options=[(label, key) for key, label in STATUSES.items()],
                value="not_started",
                layout=layouts()["status"],
                style=styles()["plain"],
            ),
            "Status",
        )
        self.resources = input_box("", "Resources needed", "resources")
        remove = small_button("Remove", "Remove this action", self.remove)
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
        self.widget = layout_box(
            [self.what, self.owner, self.due, self.status, self.resources, remove, self.note],
            horizontal=True,
        )
        self.widget.add_class("mk-action")
        self.widget.add_class("mk-action-row")

    def show(self, action: dict[str, Any]) -> None:
        set_quietly(self.what, "value", action.get("what") or "")
        set_quietly(self.owner, "value", action.get("owner") or "")
        set_quietly(self.due, "value", parse_date(action.get("due")))
        set_quietly(self.status, "value", action.get("status") or "not_started")
        set_quietly(self.resources, "value", action.get("resources") or "")

    def changed(self, key: str, value: Any) -> None:
        if self.editor.quiet:
            return
        if key == "due":
            value = iso_day(value)
        elif key == "owner":
            value = value or None
        self.editor.update(self.ids, key, value)

    def remove(self) -> None:
        self.editor.remove_action(*self.ids)

    def mark(self, notes: list[Note], overdue: bool, due: str | None) -> None:
        extra = (
            f'<div class="mk-note mk-overdue-note">Overdue: it was due {escape(date_words(due))}. '
            "Mark it done, move the date, or drop it.</div>"
            if overdue
            else ""
        )
        set_quietly(self.note, "value", notes_html(notes, extra))
        if overdue:
            self.widget.add_class("mk-overdue")
        else:
            self.widget.remove_class("mk-overdue")


class ObjectiveBox:
    """One objective: what will be true, how it is measured, by when; its actions."""

    def __init__(self, editor: PlanField, goal_id: str, objective_id: str):
        self.editor, self.ids = editor, (goal_id, objective_id)
        self.heading = text("")
        self.outcome = input_box("", "What will be true", "wide")
        self.measure = input_box("", "How it will be measured", "wide")
        self.target = date_picker(None, "Target date")
        for widget, key in (
            (self.outcome, "outcome"),
            (self.measure, "measure"),
            (self.target, "target"),
        ):
            widget.observe(lambda change, k=key: self.changed(k, change["new"]), "value")
        self.note = text("")
        self.progress = text("")
        self.rows: dict[str, ActionRow] = {}
        self.action_list = layout_box([])
        add = plain_button("Add an action")
        add.on_click(lambda _: editor.add_action(goal_id, objective_id))
        remove = small_button(
            "Remove objective", "Remove this objective and its actions", self.remove
        )
        for widget, css in (
            (self.outcome, "mk-objective-outcome"),
            (self.measure, "mk-objective-measure"),
            (self.target, "mk-objective-target"),
            (add, "mk-add-action"),
            (remove, "mk-remove-objective"),
        ):
            widget.add_class(css)
        self.widget = layout_box(
            [
                layout_box([self.heading, remove], horizontal=True),
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
            self.editor.update(self.ids, key, iso_day(value) if key == "target" else value)

    def remove(self) -> None:
        self.editor.remove_objective(*self.ids)

    def show(self, number: int, objective: dict[str, Any]) -> None:
        set_quietly(self.heading, "value", f"<h4>Objective {number}</h4>")
        set_quietly(self.outcome, "value", objective.get("outcome") or "")
        set_quietly(self.measure, "value", objective.get("measure") or "")
        set_quietly(self.target, "value", parse_date(objective.get("target")))
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
