"""Editing a goal plan as plain data: what each click on the goals page does to the plan."""

from __future__ import annotations

from mentorkit.programme import goal_plan_edits as edits
from mentorkit.programme.goal_plans import check_in_id


def empty_plan() -> dict:
    return {"goals": [], "check_ins": []}


def test_goals_are_added_at_the_end_and_removing_one_opens_the_first_left():
    plan = empty_plan()
    first = edits.add_goal(plan, "mentee")
    second = edits.add_goal(plan)
    assert [g["_id"] for g in plan["goals"]] == [first["_id"], second["_id"]]
    assert edits.remove_goal(plan, second["_id"]) == first["_id"]
    assert edits.remove_goal(plan, first["_id"]) is None
    assert plan["goals"] == []
    assert edits.remove_goal(plan, "gone") is None  # a goal removed twice: nothing happens


def test_objectives_and_actions_are_found_changed_and_removed_by_their_path():
    plan = empty_plan()
    goal = edits.add_goal(plan)
    objective = edits.add_objective(plan, goal["_id"])
    assert objective is not None
    assert edits.add_action(plan, goal["_id"], objective["_id"])
    action = objective["actions"][0]
    assert action["owner"] is None  # nobody is given an action they did not take on

    path = (goal["_id"], objective["_id"], action["_id"])
    assert edits.set_value(plan, path, "what", "Shadow a senior colleague")
    assert edits.find_item(plan, path)["what"] == "Shadow a senior colleague"
    assert edits.remove_action(plan, *path)
    assert edits.find_item(plan, path) is None
    assert not edits.set_value(plan, path, "what", "lost")  # the action is gone: refused

    assert edits.remove_objective(plan, goal["_id"], objective["_id"])
    assert goal["objectives"] == []
    assert edits.add_objective(plan, "no such goal") is None
    assert not edits.add_action(plan, goal["_id"], "no such objective")


def test_two_check_ins_at_one_session_make_one_check_in_with_both_objectives():
    plan = empty_plan()
    assert not edits.record_check_in(plan, 3, None, {"o1": {"percent": 10}})  # no date: nothing
    assert edits.record_check_in(plan, 3, "2026-03-02", {"o1": {"percent": 40, "note": "ok"}})
    assert edits.record_check_in(plan, 3, "2026-03-03", {"o2": {"percent": 20}})
    (check_in,) = plan["check_ins"]
    assert check_in["_id"] == check_in_id(3, "2026-03-02")
    assert check_in["date"] == "2026-03-03"  # the latest date it was recorded on
    assert check_in["progress"] == {"o1": {"percent": 40, "note": "ok"}, "o2": {"percent": 20}}

    between = {"o1": {"percent": 50}}
    assert edits.record_check_in(plan, None, "2026-03-10", between)
    between["o1"]["percent"] = 99  # the plan keeps its own copy
    assert plan["check_ins"][1]["progress"]["o1"]["percent"] == 50
