"""The goal checker and progress logic, on hand-made plans."""

from __future__ import annotations

import datetime as dt

from mentorkit.programme import goal_plans
from mentorkit.programme.goal_plan_field import goal_plan_problem

START, END = dt.date(2027, 1, 1), dt.date(2027, 6, 30)


def action(aid, owner="mentee", due="2027-02-01", status="not_started"):
    return {"_id": aid, "what": f"Do {aid}", "owner": owner, "due": due, "status": status}


def plan(**changes):
    base = {
        "goals": [
            {
                "_id": "g1",
                "title": "Lead a team meeting",
                "stretch": True,
                "objectives": [
                    {
                        "_id": "o1",
                        "outcome": "Chaired one meeting",
                        "measure": "Feedback from two people",
                        "target": "2027-03-01",
                        "actions": [action("a1"), action("a2", "both", "2027-02-20")],
                    },
                    {
                        "_id": "o2",
                        "outcome": "Agenda skills",
                        "measure": "",
                        "target": None,
                        "actions": [action("a3", "mentor", "2027-01-10", "done")],
                    },
                ],
            }
        ]
    }
    base.update(changes)
    return base


def texts(notes):
    return {(n.item_id, n.text.split(".")[0].split("?")[0], n.blocking) for n in notes}


def test_a_sound_plan_gets_only_the_notes_it_needs():
    notes = goal_plans.check(plan(), START, END)
    assert texts(notes) == {
        ("o2", "How will you know this is done", False),
        ("o2", "When would you like this to be true", False),
    }


def test_dates_outside_the_programme_and_missing_owner():
    bad = plan()
    bad["goals"][0]["objectives"][0]["target"] = "2026-12-01"
    bad["goals"][0]["objectives"][1]["target"] = "2027-09-01"
    bad["goals"][0]["objectives"][1]["measure"] = "Done"
    bad["goals"][0]["objectives"][0]["actions"][0]["owner"] = None
    notes = goal_plans.check(bad, START, END)

    def about(item_id):
        return [n for n in notes if n.item_id == item_id]

    assert any(n.blocking and "before the programme starts" in n.text for n in about("o1"))
    assert any(not n.blocking and "after the programme ends" in n.text for n in about("o2"))
    texts = " ".join(n.text for n in notes)
    assert "(Fri 1 January 2027)" in texts and "(Wed 30 June 2027)" in texts
    assert any(n.blocking and "Who will do this" in n.text for n in about("a1"))


def test_empty_goal_and_too_many_open_actions():
    crowded = plan(
        goals=[
            {
                "_id": "g",
                "title": " ",
                "objectives": [
                    {
                        "_id": "o",
                        "outcome": "x",
                        "measure": "y",
                        "target": "2027-02-01",
                        "actions": [action(f"a{i}", "mentee", "2027-01-20") for i in range(9)],
                    }
                ],
            }
        ]
    )
    notes = goal_plans.check(crowded, START, END, limit=8)
    assert any(n.item_id == "g" and n.blocking for n in notes)
    assert any(n.item_id == "mentee" and "9 open actions" in n.text for n in notes)
    assert not any(n.item_id == "mentor" for n in notes)


def test_overdue_ignores_done_and_dropped():
    p = plan()
    p["goals"][0]["objectives"][0]["actions"].append(
        action("a4", due="2027-01-05", status="dropped")
    )
    late = goal_plans.overdue(p, dt.date(2027, 2, 10))
    assert [a["_id"] for a in late] == ["a1"]


def test_actions_due_before_the_next_session_by_role():
    p = plan()
    assert [a["_id"] for a in goal_plans.due_before(p, "mentee", dt.date(2027, 2, 28))] == [
        "a1",
        "a2",
    ]
    assert [a["_id"] for a in goal_plans.due_before(p, "mentor", dt.date(2027, 2, 28))] == ["a2"]
    assert goal_plans.due_before(p, "mentee", dt.date(2027, 1, 15)) == []


def test_progress_history_and_goal_progress():
    check_ins = [
        {"session": 4, "date": "2027-03-01", "progress": {"o1": {"percent": 60, "note": "Better"}}},
        {
            "session": 3,
            "date": "2027-02-01",
            "progress": {"o1": {"percent": 20, "note": "Begun"}, "o2": {"percent": 50}},
        },
    ]
    history = goal_plans.progress_history(check_ins, "o1")
    assert [(d.month, pct) for d, pct, _ in history] == [(2, 20), (3, 60)]
    assert goal_plans.goal_progress(plan(), check_ins, "g1") == 55.0
    assert goal_plans.goal_progress(plan(), [], "g1") is None


def test_peers_see_every_open_action_due():
    p = plan()
    assert [a["_id"] for a in goal_plans.due_before(p, None, dt.date(2027, 2, 28))] == ["a1", "a2"]


def test_the_store_accepts_drafts_but_not_malformed_plans():
    draft = plan()
    draft["goals"][0]["title"] = ""
    draft["goals"][0]["objectives"][0]["actions"][0]["owner"] = None
    assert goal_plan_problem(draft) is None
    assert goal_plan_problem([]) == "The plan should be a set of goals and check-ins."
    bad_status = plan()
    bad_status["goals"][0]["objectives"][0]["actions"][1]["status"] = "finished"
    assert "action 2" in goal_plan_problem(bad_status)
    assert "not a status" in goal_plan_problem(bad_status)
    long_title = plan()
    long_title["goals"][0]["title"] = "x" * 201
    assert "limit is 200" in goal_plan_problem(long_title)
    bad_date = plan()
    bad_date["goals"][0]["objectives"][1]["target"] = "31/02/2027"
    assert "objective 2" in goal_plan_problem(bad_date)
    too_much = plan(
        check_ins=[{"_id": "c", "date": "2027-02-01", "progress": {"o1": {"percent": 120}}}]
    )
    assert "0 to 100" in goal_plan_problem(too_much)


def test_check_ins_are_found_by_session_or_by_date():
    p = plan(
        check_ins=[
            {"_id": "c2", "session": 2, "date": "2027-02-01", "progress": {}},
            {"_id": "c0", "session": None, "date": "2027-02-15", "progress": {}},
        ]
    )
    assert goal_plans.find_check_in(p, 2, "2027-03-01")["_id"] == "c2"
    assert goal_plans.find_check_in(p, None, "2027-02-15")["_id"] == "c0"
    assert goal_plans.find_check_in(p, None, "2027-02-16") is None
    assert [c["_id"] for c in goal_plans.check_ins(p)] == ["c2", "c0"]


SESSIONS = ((1, dt.date(2027, 1, 11)), (2, dt.date(2027, 2, 10)), (3, dt.date(2027, 3, 10)))


def test_a_check_in_for_a_past_session_carries_that_sessions_date():
    today = dt.date(2027, 3, 12)  # session 3 (10 March) is the current one
    empty = {"goals": [], "check_ins": []}
    assert goal_plans.check_in_date(empty, 1, SESSIONS, today) == dt.date(2027, 1, 11)
    assert goal_plans.check_in_date(empty, 2, SESSIONS, today) == dt.date(2027, 2, 10)


def test_the_current_session_a_future_one_and_between_sessions_are_dated_today():
    today = dt.date(2027, 3, 12)
    empty = {"goals": [], "check_ins": []}
    assert goal_plans.check_in_date(empty, 3, SESSIONS, today) == today  # the current session
    assert goal_plans.check_in_date(empty, 4, SESSIONS, today) == today  # not dated yet
    early = dt.date(2027, 2, 1)  # session 3 is still to come
    assert goal_plans.check_in_date(empty, 3, SESSIONS, early) == early
    assert goal_plans.check_in_date(empty, None, SESSIONS, today) == today
    assert goal_plans.check_in_date(empty, 1, (), today) == today  # no schedule yet


def test_a_recorded_check_in_keeps_its_date():
    recorded = {
        "goals": [],
        "check_ins": [{"_id": "session-3", "session": 3, "date": "2027-03-11"}],
    }
    later = dt.date(2027, 5, 2)  # session 3 is long past now
    assert goal_plans.check_in_date(recorded, 3, SESSIONS, later) == dt.date(2027, 3, 11)
