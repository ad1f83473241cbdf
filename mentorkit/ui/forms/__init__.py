"""Worksheet specs rendered as ipywidgets forms.

The simple field types are drawn by :mod:`.fields`; a field type with an editor of its own
(a repeating group, a goal plan, a session schedule) is registered here.
"""

from mentorkit.ui.forms.fields import (
    FIELD_WIDGETS,
    FieldWidget,
    make_field_widget,
    register_field_widget,
)
from mentorkit.ui.forms.form import WorksheetForm
from mentorkit.ui.forms.group_field import GroupField
from mentorkit.ui.forms.plan_field import PlanField
from mentorkit.ui.forms.schedule_field import ScheduleField

register_field_widget("group", GroupField)
register_field_widget("goal_plan", PlanField)
register_field_widget("session_schedule", ScheduleField)

__all__ = [
    "FIELD_WIDGETS",
    "FieldWidget",
    "GroupField",
    "PlanField",
    "ScheduleField",
    "WorksheetForm",
    "make_field_widget",
    "register_field_widget",
]
