"""Names for boxes that sit in a row without a label of their own (a session's date, time and
place; a goal plan's owner and status): screen readers read the name, the screen does not show
it, because the row around the box says the same in sight (a placeholder, a heading)."""

from __future__ import annotations

import ipywidgets as w

SCREEN_READER_LABEL = "mk-sr-label"
"""The class mentorkit.css gives a widget whose description is for screen readers only."""


def named(widget: w.Widget, name: str) -> w.Widget:
    """``widget`` with ``name`` as the label tied to it, read aloud but not shown."""
    widget.description = name
    widget.add_class(SCREEN_READER_LABEL)
    return widget
