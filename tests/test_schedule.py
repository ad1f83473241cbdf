"""Session dates from the agreement: spacing, month ends, the end date, the next session."""

from __future__ import annotations

import datetime as dt

from mentorkit.programme import schedule

EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


def test_monthly_sessions_keep_the_day_and_clip_month_ends():
    dates = schedule.session_dates(dt.date(2027, 1, 31), "monthly", working_days=EVERY_DAY)
    assert [d.isoformat() for d in dates] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
    ]


def test_suggested_dates_on_a_weekend_move_to_the_next_working_day():
    # 31 January and 28 February 2027 are Sundays; the others are weekdays and stay.
    dates = schedule.session_dates(dt.date(2027, 1, 31), "monthly")
    assert [d.isoformat() for d in dates] == [
        "2027-02-01",
        "2027-03-01",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
    ]
    assert all(d.weekday() < 5 for d in dates)
    # Saturday 9 January 2027, fortnightly: every suggestion moves to the Monday after.
    fortnightly = schedule.session_dates(dt.date(2027, 1, 9), "fortnightly", 3)
    assert fortnightly == (dt.date(2027, 1, 11), dt.date(2027, 1, 25), dt.date(2027, 2, 8))


def test_moved_dates_never_share_a_day_or_go_backwards():
    from mentorkit.programme.plan import on_working_days

    # Friday, Saturday, Sunday, Monday: the weekend ones cannot all land on Monday.
    days = [dt.date(2027, 1, 8) + dt.timedelta(days=n) for n in range(4)]
    assert on_working_days(days) == (
        dt.date(2027, 1, 8),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 13),
    )
    assert on_working_days(days, EVERY_DAY) == tuple(days)


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
    from mentorkit.programme.plan import load_plan, plan_path

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
    # 10 January 2027 is a Sunday, and so is every fortnight after: each moves to Monday.
    assert [s.date.isoformat() for s in infos[:3]] == ["2027-01-11", "2027-01-25", "2027-02-08"]
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
    # A date the pair saved is kept as they chose it, Sunday or not; the others keep their
    # suggested dates.
    assert infos[2].date == dt.date(2027, 2, 8)
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
        wanted = "Session 2 is dated Wed 3 March 2027, before session 1 (Wed 10 March 2027)"
        assert wanted in str(error)
    else:
        raise AssertionError("the store saved sessions out of order")
