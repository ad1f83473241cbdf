"""One widget factory per field type, in a table that can be extended.

Each :class:`FieldWidget` wraps ipywidgets rather than subclassing one: ``.widget`` is what
to display, ``.value`` reads and writes the answer in its stored (JSON) shape, and the
``on_change`` callback fires when the person changes something (not when code sets it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from mentorkit.core.fieldtypes import NOT_APPLICABLE
from mentorkit.core.spec import Field
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
        # The page's script ties the label to the field's box or group of choices
        # (accessibility.js in mentorkit's template), and says "required" for the star.
        mark = (
            ' <span class="mk-required" aria-hidden="true" title="needed to complete">*</span>'
            if field.required
            else ""
        )
        required = "yes" if field.required else "no"
        self.title = (
            text(
                f'<label class="mk-label" data-required="{required}">'
                f"{escape(field.label)}{mark}</label>"
            )
            if field.label
            else None
        )
        self.help = text(f'<div class="mk-help">{escape(field.help)}</div>') if field.help else None
        self.message = text("")
        self.message.add_class("mk-field-message")  # announced when it changes
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
        options: list[tuple[str, int | str]] = [
            (str(point), point) for point in range(1, self.field.points + 1)
        ]
        tooltips = [anchors.get(point, "") for point in range(1, self.field.points + 1)]
        if self.field.not_applicable:
            options.append(("Not applicable", NOT_APPLICABLE))
            tooltips.append("This does not apply")
        self._buttons = w.ToggleButtons(
            options=options, value=None, tooltips=tooltips, style=_toggle_style()
        )
        self._buttons.add_class("mk-choice-buttons")  # one choice of several, to screen readers
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
        self._buttons.add_class("mk-choice-buttons")  # one choice of two, to screen readers
        self._buttons.observe(self.changed, "value")
        return self._buttons

    def get(self) -> Any:
        return self._buttons.value

    def put(self, value: Any) -> None:
        self._buttons.value = value


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
    "guidance": GuidanceBlock,
}


def register_field_widget(type_name: str, factory: type[FieldWidget]) -> None:
    """Use ``factory`` to draw fields of ``type_name`` (pairs with register_field_type)."""
    FIELD_WIDGETS[type_name] = factory


def make_field_widget(field: Field, on_change: OnChange) -> FieldWidget:
    """The widget for one field, from the table."""
    return FIELD_WIDGETS[field.type](field, on_change)
