"""Worksheet specs rendered as ipywidgets forms."""

from .fields import FIELD_WIDGETS, FieldWidget, make_field_widget, register_field_widget
from .form import WorksheetForm

__all__ = [
    "FIELD_WIDGETS",
    "FieldWidget",
    "WorksheetForm",
    "make_field_widget",
    "register_field_widget",
]
