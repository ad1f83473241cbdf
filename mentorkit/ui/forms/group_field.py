"""A repeating group: a list of items (an expectation, a piece of evidence, a journal entry),
each made of sub-fields, with Add and Remove, starters to begin from, what is still needed said
beside the item it is about, and items that become shared when a chosen answer says so.
"""

from __future__ import annotations

import secrets
from typing import Any

import ipywidgets as w

from mentorkit.core.fieldtypes import MISSING, check_answer, item_problems
from mentorkit.core.spec import Field, is_answered
from mentorkit.core.text import escape
from mentorkit.ui.forms.fields import FieldWidget, make_field_widget, text


class GroupField(FieldWidget):
    """A list of items, each made of sub-fields, with add, remove and move up/down.

    Every item carries an ``_id`` (so two people's items merge one by one) and ``_by``, the
    name of whoever added it (set from ``author``, which the form fills in).

    A problem in an item is shown beside the sub-field it concerns (or under the item's
    heading when the item as a whole is empty), and only what causes it is held back from
    saving (see :meth:`held_back`): the rest of that item, and every other item, saves.
    """

    author: str | None = None

    def build(self) -> w.Widget:
        self._items: list[tuple[dict[str, Any], list[FieldWidget]]] = []
        self._rows: dict[str, tuple[w.VBox, w.HTML, w.HTML]] = {}
        self._list = w.VBox([])
        label = self.field.item_label
        self._add = w.Button(description=f"Add {label.lower()}")
        self._add.on_click(lambda _: self._insert({}, announce=True))
        parts: list[w.Widget] = [self._list, self._add]
        if self.field.starters:
            starters = []
            for text in self.field.starters:
                button = w.Button(
                    description=text,
                    tooltip=f"Add “{text}” as a new {label.lower()}",
                    layout=w.Layout(width="auto"),
                )
                button.on_click(lambda _, t=text: self._start_with(t))
                button.add_class("mk-starter")
                starters.append(button)
            parts.append(
                w.VBox(
                    [
                        w.HTML('<div class="mk-help">Or start from a topic:</div>'),
                        w.HBox(starters, layout=w.Layout(flex_flow="row wrap")),
                    ]
                )
            )
        return w.VBox(parts)

    def _start_with(self, text: str) -> None:
        first = next((f for f in self.field.fields if f.has_value), None)
        self._insert({first.id: text} if first else {}, announce=True)

    def _insert(self, values: dict, announce: bool = False) -> None:
        if self.field.max_items is not None and len(self._items) >= self.field.max_items:
            self.set_message(f"There is room for at most {self.field.max_items}.", "info")
            return
        self._items.append(self._make_item(values, announce))
        self._redraw()
        if announce:
            self.changed()

    def _make_item(self, values: dict, announce: bool = False) -> tuple[dict, list[FieldWidget]]:
        meta = {
            "_id": values.get("_id") or secrets.token_hex(4),
            "_by": values.get("_by", self.author if announce else None),
        }
        subs = [make_field_widget(sub, self._sub_changed) for sub in self.field.fields]
        for sub in subs:
            if sub.field.has_value and sub.field.id in values:
                sub.value = values[sub.field.id]
        return meta, subs

    def _sub_changed(self) -> None:
        self._apply_show_if()
        self.changed()

    def _apply_show_if(self) -> None:
        for _meta, subs in self._items:
            values = {s.field.id: s.value for s in subs}
            for sub in subs:
                sub.show(sub.field.show_if is None or sub.field.show_if.holds(values))

    def _index(self, item_id: str) -> int:
        return next(i for i, (meta, _) in enumerate(self._items) if meta["_id"] == item_id)

    def _move(self, item_id: str, step: int) -> None:
        index = self._index(item_id)
        target = index + step
        if 0 <= target < len(self._items):
            self._items[index], self._items[target] = self._items[target], self._items[index]
            self._redraw()
            self.changed()

    def _remove(self, item_id: str) -> None:
        del self._items[self._index(item_id)]
        self._redraw()
        self.changed()

    def _row(self, meta: dict, subs: list[FieldWidget]) -> tuple[w.VBox, w.HTML, w.HTML]:
        """The drawn item (made once per item, so redraws never disturb someone typing)."""
        item_id = meta["_id"]
        if item_id not in self._rows:
            buttons = []
            for words, action in (
                ("Move up", lambda _: self._move(item_id, -1)),
                ("Move down", lambda _: self._move(item_id, 1)),
                ("Remove", lambda _: self._remove(item_id)),
            ):
                button = w.Button(description=words, layout=w.Layout(width="auto"))
                button.on_click(action)
                buttons.append(button)
            heading, note = w.HTML(), text("")
            row = w.VBox([w.HBox([heading, *buttons]), note, *[s.widget for s in subs]])
            row.add_class("mk-group-item")
            self._rows[item_id] = (row, heading, note)
        return self._rows[item_id]

    def _redraw(self) -> None:
        label = escape(self.field.item_label)
        rows = []
        for index, (meta, subs) in enumerate(self._items):
            row, heading, _note = self._row(meta, subs)
            by = meta.get("_by")
            html = f"<b>{label} {index + 1}</b>" + (
                f' <span class="mk-help">raised by {escape(by)}</span>' if by else ""
            )
            if heading.value != html:
                heading.value = html
            rows.append(row)
        live = {meta["_id"] for meta, _ in self._items}
        self._rows = {key: value for key, value in self._rows.items() if key in live}
        if tuple(rows) != tuple(self._list.children):
            self._list.children = rows
        self._apply_show_if()
        if getattr(self, "_disabled", False):
            self.set_disabled(True)

    def get(self) -> Any:
        items = []
        for meta, subs in self._items:
            answers = {s.field.id: s.value for s in subs if s.field.has_value}
            if any(v is not None for v in answers.values()):
                items.append({**{k: v for k, v in meta.items() if v is not None}, **answers})
        return items or None

    def put(self, value: Any) -> None:
        """Show these items, updating the ones already drawn in place; a blank item just
        added here (not saved yet, so not in ``value``) stays."""
        current = {meta["_id"]: (meta, subs) for meta, subs in self._items}
        incoming = [dict(item) for item in value or []]
        wanted = {item.get("_id") for item in incoming}
        items = []
        for item in incoming:
            known = current.get(item.get("_id"))
            if known is None:
                items.append(self._make_item(item))
                continue
            meta, subs = known
            meta["_by"] = item.get("_by", meta.get("_by"))
            for sub in subs:
                if sub.field.has_value and sub.value != item.get(sub.field.id):
                    sub.value = item.get(sub.field.id)
            items.append(known)
        blank = [
            (meta, subs)
            for meta, subs in self._items
            if meta["_id"] not in wanted and all(s.value is None for s in subs if s.field.has_value)
        ]
        self._items = items + blank
        self._redraw()

    def set_disabled(self, disabled: bool) -> None:
        self._disabled = disabled
        super().set_disabled(disabled)

    # problems in items ----------------------------------------------------------------------
    def set_message(self, text: str | None, kind: str = "error") -> None:
        """Show a problem beside the sub-field (or item) it is about; a problem of the list
        as a whole (too many items) goes under the group."""
        if kind != "error":  # a note about the list (no room for more, a conflict)
            super().set_message(text, kind)
            return
        placed = self._show_item_problems(bool(text))
        super().set_message(None if placed else text, kind)

    def _show_item_problems(self, show: bool) -> bool:
        """Put each item's problems beside their sub-fields (or clear them); True if any."""
        placed = False
        for number, (meta, subs) in enumerate(self._items, start=1):
            values = {s.field.id: s.value for s in subs if s.field.has_value}
            blank = not any(v is not None for v in values.values())
            problems = {} if blank or not show else item_problems(self.field, values, number)
            placed = placed or bool(problems)
            for sub in subs:
                problem = problems.get(sub.field.id)
                if problem == MISSING:
                    problem = self._missing(sub.field)
                sub.set_message(problem)
            _row, _heading, note = self._row(meta, subs)
            whole = problems.get("")
            note.value = f'<div class="mk-message mk-error">{escape(whole)}</div>' if whole else ""
        return placed

    def _missing(self, sub: Field) -> str:
        """The message beside a required sub-field left blank: what needs it."""
        control = self._sub(sub.show_if.field) if sub.show_if else None
        if control is not None:
            return f"Please fill this in too: your choice under “{control.label or control.id}” needs it."
        return (
            f"Please fill this in too, so that this {self.field.item_label.lower()} can be saved."
        )

    def _sub(self, sub_id: str) -> Field | None:
        return next((f for f in self.field.fields if f.id == sub_id), None)

    def held_back(self, saved: Any) -> Any:
        """The items to save while some item has a problem: every item as on screen, except
        that in an item with a problem the answers causing it keep their saved value (a
        choice that asks for a blank sub-field, or an answer that does not fit). An item that
        cannot be saved at all (a new one left empty) is left out until it can."""
        before = {item.get("_id"): item for item in saved or [] if isinstance(item, dict)}
        items = []
        for item in self.get() or []:
            kept = self._savable(item, before.get(item["_id"]))
            if kept is not None:
                items.append(kept)
        result = items or None
        return saved if check_answer(self.field, result) else result

    def _savable(self, item: dict[str, Any], saved: dict[str, Any] | None) -> dict | None:
        """``item`` with what makes it fail put back as ``saved`` had it (None: not savable)."""
        was = saved or {}
        candidate = dict(item)
        for _ in range(len(self.field.fields) + 1):
            problems = item_problems(self.field, candidate, 1)
            if not problems:
                return candidate
            if "" in problems:  # the item as a whole is empty
                return saved
            for sub_id in problems:
                sub = self._sub(sub_id)
                control = sub.show_if.field if sub and sub.show_if else None
                blank = not is_answered(candidate.get(sub_id))
                if blank and control and candidate.get(control) != was.get(control):
                    candidate[control] = was.get(control)  # hold back the choice that asks for it
                else:
                    candidate[sub_id] = was.get(sub_id)
        return saved
