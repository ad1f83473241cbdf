"""The mentoring programme: what a programme is made of, in the field's own terms.

The programme plan and the dates of its sessions, session agendas and calendar files, the
mentoring agreement and the document it becomes, goal plans (and the worksheet field that
holds one), competency frameworks and ratings with their scores, and the demo programme.

May import: :mod:`mentorkit.core` and :mod:`mentorkit.exceptions`.
"""

from mentorkit.programme import goal_plan_field as _goal_plan_field  # registers the field type

del _goal_plan_field
