"""The goal plan editor, driven headlessly: add a goal, objectives and actions, check in,
and see notes, overdue flags, saving and merging as two people would."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit.programme import goal_plans
from mentorkit.programme.goal_plan_field import goal_plan_problem
from mentorkit.programme.schedule import Window
from mentorkit.ui.forms import PlanField, WorksheetForm

TODAY = dt.date(2027, 3, 10)
WINDOW = Window(
    dt.date(2027, 1, 10),
    dt.date(2027, 6, 30),
    tuple((m, dt.date(2027, m, 10)) for m in range(1, 7)),
)


@pytest.fixture
def goals(shipped):
    return shipped["goals-and-actions"]


def open_form(programme, goals, person):
    form = WorksheetForm(goals, programme.store, person, programme.pair)
    editor = form.fields["plan"]
    assert isinstance(editor, PlanField)
    editor.window, editor.today = WINDOW, TODAY
    editor.area_suggestions = ("Giving feedback",)
    editor.refresh()
    return form, editor


def open_objective(editor, number):
    """Click the objective's tab; returns its (only) drawn box."""
    editor.objective_tabs.value = editor.objective_tabs.options[number - 1][1]
    (box,) = editor.boxes.values()
    return box


def build_goal(editor):
    editor.add_goal()
    editor.goal_title.value = "Lead the weekly team meeting"
    editor.goal_why.value = "I want to grow as a leader"
    editor.suggestions.children[0].click()
    editor.goal_stretch.value = True
    editor.add_objective()
    editor.add_objective()
    first = open_objective(editor, 1)
    first.outcome.value = "Chaired two meetings"
    first.measure.value = "Feedback from two colleagues"
    first.target.value = dt.date(2027, 4, 1)
    for _ in range(2):
        first.widget.children[-1].click()  # "Add an action"
    rows = list(first.rows.values())
    second = open_objective(editor, 2)
    second.outcome.value = "Agendas go out a day early"
    second.target.value = dt.date(2027, 5, 1)
    second.widget.children[-1].click()
    rows += list(second.rows.values())
    for row, (what, owner, due) in zip(
        rows,
        [
            ("Observe Amara chair a meeting", "mentee", dt.date(2027, 2, 20)),
            ("Draft an agenda", "mentee", dt.date(2027, 3, 20)),
            ("Share agenda template", "mentor", dt.date(2027, 3, 15)),
        ],
        strict=True,
    ):
        row.what.value, row.owner.value, row.due.value = what, owner, due
    return first, second, rows


def test_a_goal_with_objectives_and_actions_saves_and_reloads(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    first, second, rows = build_goal(editor)
    assert form.save()
    again, editor2 = open_form(programme, goals, programme.mentor)
    plan = editor2.value
    goal = plan["goals"][0]
    assert goal["title"] == "Lead the weekly team meeting"
    assert goal["areas"] == ["Giving feedback"] and goal["stretch"] is True
    assert goal["_by"] == "Ben"
    assert [o["outcome"] for o in goal["objectives"]] == [
        "Chaired two meetings",
        "Agendas go out a day early",
    ]
    assert [len(o["actions"]) for o in goal["objectives"]] == [2, 1]
    assert goal["objectives"][0]["actions"][0]["due"] == "2027-02-20"
    assert "1 overdue" in editor2.summary.value  # due 20 Feb, today is 10 Mar
    overdue_row = next(iter(editor2.boxes.values())).rows[rows[0].ids[2]]
    assert "mk-overdue" in overdue_row.widget._dom_classes
    assert "Overdue" in overdue_row.note.value


def test_checker_notes_sit_beside_items_and_never_block_saving(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    editor.add_goal()
    assert "Say what this goal is" in editor.goal_note.value
    editor.goal_title.value = "Speak at a conference"
    assert "Add an objective" in editor.goal_note.value
    editor.add_objective()
    (box,) = editor.boxes.values()
    box.outcome.value = "Gave one talk"
    box.target.value = dt.date(2026, 12, 1)  # before the programme starts
    assert "before the programme starts" in box.note.value
    assert "How will you know this is done?" in box.note.value
    box.widget.children[-1].click()
    row = next(iter(box.rows.values()))
    assert row.note.value == ""  # a blank new action is not nagged
    row.what.value = "Find a conference"
    assert "Who will do this" in row.note.value
    assert form.save()  # notes are not errors: everything is kept
    stored = programme.store.load(goals, programme.pair.id, programme.mentee.id).values["plan"]
    assert stored["goals"][0]["objectives"][0]["target"] == "2026-12-01"
    assert stored["goals"][0]["objectives"][0]["actions"][0]["owner"] is None
    row.owner.value = "both"
    assert "Who will do this" not in row.note.value


def test_check_ins_are_kept_per_session_as_a_history(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    first, second, _ = build_goal(editor)
    panel = editor.check_in
    assert panel.session.value == 3  # session 3 was on 10 March
    assert dict(panel.session.options)["Session 3 (Wed 10 March)"] == 3
    panel.date.value = dt.date(2027, 3, 10)
    label, slider, note = panel.sliders[first.ids[1]]
    slider.value = 40
    note.value = "Chaired one"
    assert form.save()
    panel.session.value = 4
    panel.date.value = dt.date(2027, 4, 10)
    assert panel.sliders[first.ids[1]][1].value == 40  # starts from the latest
    panel.sliders[first.ids[1]][1].value = 100
    assert form.save()
    plan = programme.store.load(goals, programme.pair.id, programme.mentor.id).values["plan"]
    history = goal_plans.progress_history(goal_plans.check_ins(plan), first.ids[1])
    assert [(d.isoformat(), p) for d, p, _ in history] == [("2027-03-10", 40), ("2027-04-10", 100)]
    assert [c["session"] for c in plan["check_ins"]] == [3, 4]
    assert "Wed 10 March: 40%" in panel.history.value and "100%" in panel.history.value
    assert "Chaired one" in panel.history.value
    assert (
        "Latest check-in: <b>100%</b> on Sat 10 April 2027"
        in open_objective(editor, 1).progress.value
    )


def test_two_people_editing_different_actions_both_keep_theirs(programme, goals):
    mentee_form, mentee = open_form(programme, goals, programme.mentee)
    build_goal(mentee)
    assert mentee_form.save()
    mentor_form, mentor = open_form(programme, goals, programme.mentor)
    list(open_objective(mentee, 1).rows.values())[0].status.value = "done"
    list(open_objective(mentor, 2).rows.values())[0].status.value = "in_progress"
    open_objective(mentor, 1).widget.children[-1].click()
    assert mentee_form.save()
    assert mentor_form.save()  # stale: merges item by item, then saves
    assert not mentor_form.conflicts
    plan = programme.store.load(goals, programme.pair.id, programme.mentee.id).values["plan"]
    statuses = [a["status"] for *_, a in goal_plans.actions(plan)]
    assert statuses == ["done", "not_started", "not_started", "in_progress"]
    mentee_form.refresh()
    assert [a["status"] for *_, a in goal_plans.actions(mentee.value)] == statuses


def test_markup_in_a_goal_is_shown_as_text(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    editor.add_goal()
    editor.goal_title.value = "<img src=x onerror=alert(1)>"
    assert "<img" not in editor.summary.value
    assert "&lt;img" in editor.summary.value


def test_a_large_plan_opens_with_only_the_open_goal_drawn(programme, goals):
    plan = {"goals": [], "check_ins": []}
    for g in range(20):
        goal = goal_plans.new_goal()
        goal["title"] = f"Goal {g}"
        for o in range(5):
            objective = goal_plans.new_objective()
            objective.update(outcome=f"Objective {g}.{o}", measure="m", target="2027-05-01")
            objective["actions"] = [
                {**goal_plans.new_action("mentee"), "what": f"Action {a}", "due": "2027-04-01"}
                for a in range(5)
            ]
            goal["objectives"].append(objective)
        plan["goals"].append(goal)
    assert goal_plan_problem(plan) is None
    programme.store.save(goals, programme.pair.id, programme.mentee.id, {"plan": plan}, {})
    form, editor = open_form(programme, goals, programme.mentee)
    assert len(editor.chooser.options) == 20
    assert len(editor.objective_tabs.options) == 5
    assert len(editor.boxes) == 1  # only the open objective is drawn
    assert sum(len(b.rows) for b in editor.boxes.values()) == 5
    assert editor.objective_summary.value.count("<tr>") == 6  # every objective, summarised
    editor.chooser.value = plan["goals"][7]["_id"]
    assert editor.goal_title.value == "Goal 7"
    assert form.data["plan"] == plan


def test_a_partner_sees_it_read_only_when_not_a_member(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    build_goal(editor)
    form.save()
    facilitator_form = WorksheetForm(goals, programme.store, programme.facilitator, programme.pair)
    assert facilitator_form.read_only
    assert facilitator_form.fields["plan"].value is None  # the pair's plan is theirs


def test_two_people_checking_in_at_once_share_one_check_in(programme, goals):
    mentee_form, mentee = open_form(programme, goals, programme.mentee)
    first, second, _ = build_goal(mentee)
    assert mentee_form.save()
    mentor_form, mentor = open_form(programme, goals, programme.mentor)
    mentee.check_in.sliders[first.ids[1]][1].value = 40
    mentor.check_in.sliders[second.ids[1]][1].value = 70
    assert mentee_form.save()
    assert mentor_form.save()  # stale: merged into the same session's check-in
    plan = programme.store.load(goals, programme.pair.id, programme.mentee.id).values["plan"]
    assert len(plan["check_ins"]) == 1
    progress = plan["check_ins"][0]["progress"]
    assert {k: v["percent"] for k, v in progress.items()} == {first.ids[1]: 40, second.ids[1]: 70}
    mentee.check_in.sliders[first.ids[1]][1].value = 50
    mentor.check_in.sliders[first.ids[1]][1].value = 60
    assert mentee_form.save()
    mentor_form.save()
    assert "plan" in mentor_form.conflicts  # both changed the same objective: nobody's is lost


def test_an_untouched_objective_is_not_recorded_at_zero(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    first, second, _ = build_goal(editor)
    editor.check_in.sliders[first.ids[1]][1].value = 30
    assert form.save()
    progress = editor.value["check_ins"][0]["progress"]
    assert list(progress) == [first.ids[1]]
    assert goal_plans.goal_progress(editor.value, editor.value["check_ins"], first.ids[0]) == 30


def test_choosing_a_past_session_dates_the_check_in_on_that_session(programme, goals):
    form, editor = open_form(programme, goals, programme.mentee)
    first, _second, _ = build_goal(editor)
    panel = editor.check_in
    assert (panel.session.value, panel.date.value) == (3, TODAY)  # the current session: today
    panel.session.value = 2  # catching up on session 2, held on 10 February
    assert panel.date.value == dt.date(2027, 2, 10)
    panel.sliders[first.ids[1]][1].value = 20
    panel.session.value = 3
    assert panel.date.value == TODAY
    panel.sliders[first.ids[1]][1].value = 40
    assert form.save()
    plan = programme.store.load(goals, programme.pair.id, programme.mentor.id).values["plan"]
    dated = {c["session"]: c["date"] for c in plan["check_ins"]}
    assert dated == {2: "2027-02-10", 3: TODAY.isoformat()}
    history = goal_plans.progress_history(goal_plans.check_ins(plan), first.ids[1])
    assert [p for _d, p, _n in history] == [20, 40]  # in the order the sessions were held
