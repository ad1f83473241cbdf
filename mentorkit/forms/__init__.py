"""Worksheet specs rendered as ipywidgets forms."""

from .fields import FIELD_WIDGETS, FieldWidget, make_field_widget, register_field_widget
from .form import WorksheetForm
from .plan_field import PlanField

register_field_widget("goal_plan", PlanField)

__all__ = [
    "FIELD_WIDGETS",
    "FieldWidget",
    "PlanField",
    "WorksheetForm",
    "make_field_widget",
    "register_field_widget",
]
