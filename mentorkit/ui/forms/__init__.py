"""Worksheet specs rendered as ipywidgets forms."""

from mentorkit.ui.forms.fields import (
    FIELD_WIDGETS,
    FieldWidget,
    make_field_widget,
    register_field_widget,
)
from mentorkit.ui.forms.form import WorksheetForm
from mentorkit.ui.forms.plan_field import PlanField
from mentorkit.ui.forms.schedule_field import ScheduleField

register_field_widget("goal_plan", PlanField)
register_field_widget("session_schedule", ScheduleField)

__all__ = [
    "FIELD_WIDGETS",
    "FieldWidget",
    "PlanField",
    "ScheduleField",
    "WorksheetForm",
    "make_field_widget",
    "register_field_widget",
]
