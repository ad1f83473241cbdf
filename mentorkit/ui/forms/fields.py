"""One widget factory per field type, in a table that can be extended.

Each :class:`FieldWidget` wraps ipywidgets rather than subclassing one: ``.widget`` is what
to display, ``.value`` reads and writes the answer in its stored (JSON) shape, and the
``on_change`` callback fires when the person changes something (not when code sets it).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from mentorkit.core.fieldtypes import MISSING, NOT_APPLICABLE, check_answer, item_problems
from mentorkit.core.spec import Field, is_answered
from mentorkit.core.text import escape, markdown

OnChange = Callable[[], None]


@cache
def _text_layout() -> tuple[w.Layout, HTMLStyle]:
    return w.Layout(), HTMLStyle()


@cache
def _toggle_style() -> ToggleButtonsStyle:
    return ToggleButtonsStyle(button_width="auto")


def text(html: str) -> w.HTML:
    """An HTML widget for labels and messages. They share one layout and one style model:
    a page with hundreds of fields then sends far fewer models to the browser."""
    layout, style = _text_layout()
    return w.HTML(html, layout=layout, style=style)


class FieldWidget:
    """The label, input, help and message of one field."""

    def __init__(self, field: Field, on_change: OnChange):
        self.field = field
        self._on_change = on_change
        self._quiet = False
        mark = (
            ' <span class="mk-required" title="needed to complete">*</span>'
            if field.required
            else ""
        )
        self.title = (
            text(f'<label class="mk-label">{escape(field.label)}{mark}</label>')
            if field.label
            else None
        )
        self.help = text(f'<div class="mk-help">{escape(field.help)}</div>') if field.help else None
        self.message = text("")
        self.input = self.build()
        parts = [self.title, self.input, self.help, self.message]
        self.widget = w.VBox([p for p in parts if p is not None])
        self.widget.add_class("mk-field")
        self.widget.add_class(f"mk-field-{field.id}")
        if field.default is not None:
            self.value = field.default

    # subclasses implement build, get, put ----------------------------------------------
    def build(self) -> w.Widget:
        raise NotImplementedError

    def get(self) -> Any:
        raise NotImplementedError

    def put(self, value: Any) -> None:
        raise NotImplementedError

    # shared behaviour ------------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The answer in its stored shape (None when blank)."""
        return self.get()

    @value.setter
    def value(self, value: Any) -> None:
        self._quiet = True
        try:
            self.put(value)
        finally:
            self._quiet = False

    def changed(self, *_: Any) -> None:
        """Observer for the inner widgets: tell the form, unless code is setting the value."""
        if not self._quiet:
            self._on_change()

    def set_message(self, text: str | None, kind: str = "error") -> None:
        """Show (or clear) a message under the field."""
        self.message.value = (
            f'<div class="mk-message mk-{kind}">{escape(text)}</div>' if text else ""
        )

    def held_back(self, saved: Any) -> Any:
        """What to save while this answer has a problem (the screen keeps what was typed):
        the answer as last saved, ``saved``. Fields made of parts save the parts that are fine."""
        return saved

    def set_disabled(self, disabled: bool) -> None:
        """Make the field read-only (or editable again)."""
        for child in _descendants(self.input):
            if hasattr(child, "disabled"):
                child.disabled = disabled

    def show(self, visible: bool) -> None:
        self.widget.layout.display = None if visible else "none"


def _descendants(widget: w.Widget) -> list[w.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(_descendants(child))
    return found


def _layout(width: str = "100%") -> w.Layout:
    return w.Layout(width=width, max_width="46rem")


class TextField(FieldWidget):
    multiline = False

    def build(self) -> w.Widget:
        cls = w.Textarea if self.multiline else w.Text
        box = cls(placeholder=self.field.placeholder, continuous_update=True, layout=_layout())
        if self.multiline:
            box.rows = 5
        box.observe(self.changed, "value")
        self._box = box
        return box

    def get(self) -> Any:
        return self._box.value if self._box.value.strip() else None

    def put(self, value: Any) -> None:
        self._box.value = "" if value is None else str(value)


class ParagraphField(TextField):
    multiline = True


class NumberField(FieldWidget):
    """A text box that takes a number, so a blank answer and a typo can both be told apart."""

    def build(self) -> w.Widget:
        self._box = w.Text(continuous_update=True, layout=_layout("12rem"))
        self._box.observe(self.changed, "value")
        return self._box

    def get(self) -> Any:
        text = self._box.value.strip().replace(",", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return self._box.value  # kept as typed; the check says what is wrong
        return (
            int(number)
            if number.is_integer() and (self.field.integer or "." not in text)
            else number
        )

    def put(self, value: Any) -> None:
        self._box.value = (
            "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        )


class DateField(FieldWidget):
    def build(self) -> w.Widget:
        self._picker = w.DatePicker(layout=_layout("14rem"))
        self._picker.observe(self.changed, "value")
        return self._picker

    def get(self) -> Any:
        return self._picker.value.isoformat() if self._picker.value else None

    def put(self, value: Any) -> None:
        self._picker.value = dt.date.fromisoformat(value) if value else None


class ChoiceField(FieldWidget):
    OTHER = "__other__"

    def build(self) -> w.Widget:
        options = [(o.label, o.value) for o in self.field.options]
        if self.field.allow_other:
            options.append(("Something else…", self.OTHER))
        self._radio = w.RadioButtons(options=options, value=None, layout=_layout("auto"))
        self._other = w.Text(
            placeholder="Say what", continuous_update=True, layout=_layout("20rem")
        )
        self._other.layout.display = "none"
        self._radio.observe(self._picked, "value")
        self._other.observe(self.changed, "value")
        return w.VBox([self._radio, self._other])

    def _picked(self, change: dict) -> None:
        self._other.layout.display = None if change["new"] == self.OTHER else "none"
        self.changed()

    def get(self) -> Any:
        if self._radio.value == self.OTHER:
            return self._other.value.strip() or None
        return self._radio.value

    def put(self, value: Any) -> None:
        known = {o.value for o in self.field.options}
        if value is None or value in known:
            self._radio.value = value
            self._other.value = ""
        else:
            self._radio.value = self.OTHER
            self._other.value = str(value)
        self._other.layout.display = None if self._radio.value == self.OTHER else "none"


class MultiChoiceField(FieldWidget):
    def build(self) -> w.Widget:
        self._boxes = {
            o.value: w.Checkbox(description=o.label, indent=False, layout=_layout("auto"))
            for o in self.field.options
        }
        for box in self._boxes.values():
            box.observe(self.changed, "value")
        parts: list[w.Widget] = list(self._boxes.values())
        self._tags = None
        if self.field.allow_other:
            self._tags = w.TagsInput(
                value=[], allow_duplicates=False, placeholder="Add your own: type and press Enter"
            )
            self._tags.observe(self.changed, "value")
            parts.append(self._tags)
        return w.VBox(parts)

    def get(self) -> Any:
        chosen = [value for value, box in self._boxes.items() if box.value]
        if self._tags is not None:
            chosen += [t.strip() for t in self._tags.value if t.strip() and t.strip() not in chosen]
        return chosen or None

    def put(self, value: Any) -> None:
        value = list(value or [])
        for key, box in self._boxes.items():
            box.value = key in value
        if self._tags is not None:
            self._tags.value = [v for v in value if v not in self._boxes]


class RatingField(FieldWidget):
    def build(self) -> w.Widget:
        anchors = self.field.anchors
        options = [(str(point), point) for point in range(1, self.field.points + 1)]
        tooltips = [anchors.get(point, "") for point in range(1, self.field.points + 1)]
        if self.field.not_applicable:
            options.append(("Not applicable", NOT_APPLICABLE))
            tooltips.append("This does not apply")
        self._buttons = w.ToggleButtons(
            options=options, value=None, tooltips=tooltips, style=_toggle_style()
        )
        self._buttons.observe(self.changed, "value")
        if not anchors or not self.field.show_anchors:
            return self._buttons
        legend = " · ".join(
            f"{point} = {escape(label)}" for point, label in sorted(anchors.items())
        )
        return w.VBox([self._buttons, text(f'<div class="mk-help">{legend}</div>')])

    def get(self) -> Any:
        return self._buttons.value

    def put(self, value: Any) -> None:
        self._buttons.value = value


class YesNoField(FieldWidget):
    def build(self) -> w.Widget:
        self._buttons = w.ToggleButtons(options=[("Yes", True), ("No", False)], value=None)
        self._buttons.observe(self.changed, "value")
        return self._buttons

    def get(self) -> Any:
        return self._buttons.value

    def put(self, value: Any) -> None:
        self._buttons.value = value


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
        self._add = w.Button(description=f"Add {label.lower()}", icon="plus")
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
            for icon, tip, action in (
                ("arrow-up", "Move up", lambda _: self._move(item_id, -1)),
                ("arrow-down", "Move down", lambda _: self._move(item_id, 1)),
                ("trash", "Remove", lambda _: self._remove(item_id)),
            ):
                button = w.Button(icon=icon, tooltip=tip, layout=w.Layout(width="2.6rem"))
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


class GuidanceBlock(FieldWidget):
    def build(self) -> w.Widget:
        return w.HTML(f'<div class="mk-guidance">{markdown(self.field.text)}</div>')

    def get(self) -> Any:
        return None

    def put(self, value: Any) -> None:
        pass


FIELD_WIDGETS: dict[str, type[FieldWidget]] = {
    "text": TextField,
    "paragraph": ParagraphField,
    "number": NumberField,
    "date": DateField,
    "choice": ChoiceField,
    "multichoice": MultiChoiceField,
    "rating": RatingField,
    "yesno": YesNoField,
    "group": GroupField,
    "guidance": GuidanceBlock,
}


def register_field_widget(type_name: str, factory: type[FieldWidget]) -> None:
    """Use ``factory`` to draw fields of ``type_name`` (pairs with register_field_type)."""
    FIELD_WIDGETS[type_name] = factory


def make_field_widget(field: Field, on_change: OnChange) -> FieldWidget:
    """The widget for one field, from the table."""
    return FIELD_WIDGETS[field.type](field, on_change)
