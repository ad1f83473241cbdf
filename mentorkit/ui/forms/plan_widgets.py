"""The small widgets the goal plan editor is made of, laid out and styled once: boxes, buttons,
text boxes, date pickers, and the notes shown beside an item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as w

from mentorkit.core.dates import parse_date
from mentorkit.core.text import escape
from mentorkit.programme.goal_plans import Note
from mentorkit.ui.forms.names import named


@cache
def layouts() -> dict[str, w.Layout]:
    """Shared layouts: one model each, however many rows use them."""
    return {
        "what": w.Layout(width="12rem"),
        "owner": w.Layout(width="6rem"),
        "due": w.Layout(width="9rem"),
        "status": w.Layout(width="7rem"),
        "resources": w.Layout(width="7rem"),
        "wide": w.Layout(width="100%", max_width="46rem"),
        "slider": w.Layout(width="16rem"),
        "auto": w.Layout(width="auto"),
        "box": w.Layout(),
    }


@cache
def styles() -> dict[str, Any]:
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


def layout_box(children: list, horizontal: bool = False) -> w.Box:
    """A box sharing one layout model with every other (never hidden on its own)."""
    kind = w.HBox if horizontal else w.VBox
    return kind(children, layout=layouts()["box"])


def plain_button(description: str, layout: str = "auto") -> w.Button:
    """A button that says what it does (no icons: their font would come from the internet)."""
    return w.Button(description=description, layout=layouts()[layout], style=styles()["button"])


def input_box(value: str, placeholder: str, layout: str, multiline: bool = False) -> w.Widget:
    """A text box, named by its placeholder ("What will be done")."""
    if multiline:
        box = w.Textarea(value=value, placeholder=placeholder, rows=3, layout=layouts()[layout])
    else:
        box = w.Text(
            value=value, placeholder=placeholder, layout=layouts()[layout], style=styles()["text"]
        )
    return named(box, placeholder)


def date_picker(value: Any, name: str) -> w.DatePicker:
    """A date box named for what it dates ("Due by")."""
    picker = w.DatePicker(value=parse_date(value), layout=layouts()["due"], style=styles()["plain"])
    return named(picker, name)


ACTION_HEADER = (
    '<div class="mk-action-header"><span style="width:12rem">Action</span>'
    '<span style="width:6rem">Who</span><span style="width:9rem">Due</span>'
    '<span style="width:7rem">Status</span><span style="width:7rem">Resources</span></div>'
)


def iso_day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def small_button(words: str, tooltip: str, action: Callable[[], None]) -> w.Button:
    """A small button in a row (its words say what it does; the tooltip says to what)."""
    button = w.Button(
        description=words, tooltip=tooltip, layout=layouts()["auto"], style=styles()["button"]
    )
    button.on_click(lambda _: action())
    return button


def notes_html(notes: list[Note], extra: str = "") -> str:
    parts = [
        f'<div class="mk-note{" mk-error" if n.blocking else ""}">{escape(n.text)}</div>'
        for n in notes
    ]
    return "".join(parts) + extra


def set_quietly(widget: w.Widget, attribute: str, value: Any) -> None:
    """Set a trait only when it differs (so a partner's save never resets someone's cursor)."""
    if getattr(widget, attribute) != value:
        setattr(widget, attribute, value)
