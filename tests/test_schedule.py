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
    assert [d.month for d in window.sessions] == [1, 2, 3, 4]  # none after the end date
    assert window.next_session(dt.date(2027, 2, 11)) == (3, dt.date(2027, 3, 10))
    assert window.session_on_or_before(dt.date(2027, 2, 11)) == 2
    assert window.next_session(dt.date(2027, 5, 1)) is None
