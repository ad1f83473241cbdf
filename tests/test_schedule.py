"""Session dates from the agreement: spacing, month ends, the end date, the next session."""

from __future__ import annotations

import datetime as dt

from mentorkit import schedule


def test_monthly_sessions_keep_the_day_and_clip_month_ends():
    dates = schedule.session_dates(dt.date(2027, 1, 31), "monthly")
    assert [d.isoformat() for d in dates] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
    ]


def test_fortnightly_and_six_weekly_spacing_and_unknown_means_monthly():
    assert schedule.session_dates(dt.date(2027, 1, 1), "fortnightly", 3)[-1] == dt.date(2027, 1, 29)
    assert schedule.session_dates(dt.date(2027, 1, 1), "six_weekly", 2)[-1] == dt.date(2027, 2, 12)
    assert schedule.session_dates(dt.date(2027, 1, 1), "when we can", 2)[-1] == dt.date(2027, 2, 1)


def test_window_from_the_agreement(programme, shipped):
    agreement = shipped["mentoring-agreement"]
    store, pair = programme.store, programme.pair
    empty = schedule.window(store, shipped, pair.id, programme.mentee.id)
    assert empty.sessions == () and empty.next_session(dt.date(2027, 1, 1)) is None
    store.save(
        agreement,
        pair.id,
        programme.mentor.id,
        {"start_date": "2027-01-10", "end_date": "2027-04-30", "frequency": "monthly"},
        {},
    )
    window = schedule.window(store, shipped, pair.id, programme.mentee.id)
    assert window.start == dt.date(2027, 1, 10) and window.end == dt.date(2027, 4, 30)
    assert [d.month for d in window.sessions] == [1, 2, 3, 4, 5, 6]  # six, as planned
    assert window.next_session(dt.date(2027, 2, 11)) == (3, dt.date(2027, 3, 10))
    assert window.session_on_or_before(dt.date(2027, 2, 11)) == 2
    assert window.next_session(dt.date(2027, 6, 11)) is None


def test_the_plan_names_and_leads_sessions_and_saved_dates_win(programme, shipped):
    from conftest import ROOT
    from mentorkit.programme import load_plan, plan_path

    plan = load_plan(plan_path(ROOT / "worksheets"), set(shipped))
    store, pair, mentor = programme.store, programme.pair, programme.mentor
    store.save(
        shipped["mentoring-agreement"],
        pair.id,
        mentor.id,
        {"start_date": "2027-01-10", "frequency": "fortnightly"},
        {},
    )
    infos = schedule.sessions(store, shipped, pair.id, mentor.id, plan)
    assert [s.date.isoformat() for s in infos[:3]] == ["2027-01-10", "2027-01-24", "2027-02-07"]
    assert [s.lead for s in infos] == ["both", "mentor", "mentor", "mentee", "mentor", "both"]
    assert infos[1].title == "Setting objectives" and "goals-and-actions" in infos[1].worksheets
    store.save(
        shipped["our-sessions"],
        pair.id,
        mentor.id,
        {
            "schedule": [
                {
                    "_id": "s2",
                    "number": 2,
                    "date": "2027-01-31",
                    "time": "14:30",
                    "place": "Room 4",
                    "lead": "mentee",
                }
            ]
        },
        {},
    )
    infos = schedule.sessions(store, shipped, pair.id, mentor.id, plan)
    assert (infos[1].date, infos[1].time, infos[1].place, infos[1].lead) == (
        dt.date(2027, 1, 31),
        "14:30",
        "Room 4",
        "mentee",
    )
    assert infos[2].date == dt.date(2027, 2, 7)  # the others keep their suggested dates
    window = schedule.window(store, shipped, pair.id, mentor.id, plan)
    assert window.next_session(dt.date(2027, 1, 25)) == (2, dt.date(2027, 1, 31))


def test_a_session_before_the_previous_one_is_refused_with_a_clear_message(programme, shipped):
    from mentorkit.exceptions import InvalidAnswer

    rows = [
        {"_id": "s1", "number": 1, "date": "2027-03-10"},
        {"_id": "s2", "number": 2, "date": "2027-03-03"},
    ]
    try:
        programme.store.save(
            shipped["our-sessions"], programme.pair.id, programme.mentor.id, {"schedule": rows}, {}
        )
    except InvalidAnswer as error:
        assert "Session 2 is dated 3 March 2027, before session 1 (10 March 2027)" in str(error)
    else:
        raise AssertionError("the store saved sessions out of order")
