"""The facilitator's dashboard: states, activity, sessions, flags, filters, and no content."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit.core.dates import date_words
from mentorkit.facilitator import dashboard
from mentorkit.programme import agreement
from mentorkit.programme.plan import add_months, load_plan, next_working_day, plan_path
from mentorkit.ui.apps.dashboard import _room, _table

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL

SECRET = "SECRET-kestrel-5521"


@pytest.fixture
def plan(shipped):
    from pathlib import Path

    return load_plan(plan_path(Path(__file__).parent.parent / "worksheets"), set(shipped))


def rows_for(programme, shipped, plan, today, quiet_days=14):
    return {
        r.relationship.id: r
        for r in dashboard.dashboard_rows(
            programme.store, programme.mentor.programme_id, shipped, plan, today, quiet_days
        )
    }


def test_states_activity_sessions_and_flags(programme, shipped, plan):
    store, pair, mentor, mentee = (
        programme.store,
        programme.pair,
        programme.mentor,
        programme.mentee,
    )
    today = dt.date.today()
    start = today - dt.timedelta(days=45)
    store.save(
        shipped["mentoring-agreement"],
        pair.id,
        mentor.id,
        {"start_date": start.isoformat(), "frequency": "monthly", "purpose": SECRET},
        {},
    )
    store.save(
        shipped["getting-to-know-each-other"], pair.id, mentor.id, {"mentor_background": SECRET}, {}
    )
    store.save(
        shipped["goals-and-actions"],
        pair.id,
        mentee.id,
        {
            "plan": {
                "goals": [
                    {
                        "_id": "g",
                        "title": SECRET,
                        "objectives": [
                            {
                                "_id": "o",
                                "outcome": SECRET,
                                "actions": [
                                    {
                                        "_id": "a",
                                        "what": SECRET,
                                        "owner": "mentee",
                                        "status": "not_started",
                                        "due": (today - dt.timedelta(days=2)).isoformat(),
                                    }
                                ],
                            }
                        ],
                    }
                ]
            }
        },
        {},
    )
    notes = shipped["session-notes"].for_session(1)
    store.save(
        notes,
        pair.id,
        mentor.id,
        {"held_on": start.isoformat(), "minutes": 90, "covered": SECRET},
        {},
    )
    rows = rows_for(programme, shipped, plan, today)
    row = rows[pair.id]
    states = {s.worksheet_id: s.label for s in row.worksheets}
    assert states["getting-to-know-each-other"] == "In progress"
    assert states["closure"] == "Not started"
    assert "session-notes" not in states  # counted as sessions instead
    assert (row.sessions_logged, row.minutes_logged) == (1, 90)
    assert row.next_session == (3, next_working_day(add_months(start, 2)))  # weekends skipped
    assert row.overdue_actions == 1
    assert "1 overdue action" in row.flags
    assert "Agreement not confirmed by session 2" in row.flags
    other = rows[next(r for r in rows if r != pair.id)]
    assert other.last_activity is None and other.started == 0
    # Confirming the agreement as it stands clears that flag.
    for person in (mentor, mentee):
        agreement.confirm(store, shipped, pair.id, person)
    assert (
        "Agreement not confirmed by session 2"
        not in rows_for(programme, shipped, plan, today)[pair.id].flags
    )
    # Twenty days later with nothing saved: quiet.
    later = rows_for(programme, shipped, plan, today + dt.timedelta(days=20), quiet_days=14)
    assert any(f.startswith("No activity for 20 days") for f in later[pair.id].flags)
    # Nothing pairs wrote reaches the dashboard's output.
    html = _table(list(rows.values())) + _room(list(rows.values()))
    assert SECRET not in html and SECRET not in repr(row)
    assert f"<td>Session 3, {date_words(row.next_session[1], year=False)}</td>" in html


def test_filters_search_and_sort(programme, shipped, plan):
    store, pair, mentor = programme.store, programme.pair, programme.mentor
    store.save(
        shipped["getting-to-know-each-other"], pair.id, mentor.id, {"mentor_background": "x"}, {}
    )
    rows = list(rows_for(programme, shipped, plan, dt.date.today()).values())
    assert [r.relationship.id for r in dashboard.select(rows, "not-started", "", "name")] != [
        pair.id
    ]
    assert [r.relationship.id for r in dashboard.select(rows, "all", "amara", "name")] == [pair.id]
    assert dashboard.select(rows, "complete", "", "name") == []
    by_activity = dashboard.select(rows, "all", "", "activity")
    assert by_activity[-1].relationship.id == pair.id  # the most recent last


def test_individual_worksheets_count_every_member(programme, shipped, plan):
    store, pair = programme.store, programme.pair
    journal = shipped["closing-reflection"]
    store.save(journal, pair.id, programme.mentee.id, {"thanks": "t", "take_away": "k"}, {})
    state = next(
        s
        for s in rows_for(programme, shipped, plan, dt.date.today())[pair.id].worksheets
        if s.worksheet_id == "closing-reflection"
    )
    assert state.label == "In progress"  # one of two members done
    store.save(journal, pair.id, programme.mentor.id, {"thanks": "t", "take_away": "k"}, {})
    state = next(
        s
        for s in rows_for(programme, shipped, plan, dt.date.today())[pair.id].worksheets
        if s.worksheet_id == "closing-reflection"
    )
    assert state.label == "Complete"


def test_the_page_reads_again_only_when_something_changed(programme, shipped, plan):
    from mentorkit.ui.apps.common import AppContext
    from mentorkit.ui.apps.dashboard import Dashboard

    store, pair = programme.store, programme.pair
    ctx = AppContext(store, programme.facilitator, shipped, {}, plan)
    board = Dashboard(ctx)
    board._repeater.stop()
    first = board.rows
    board.refresh()
    assert board.rows is first  # nothing saved: not read again
    store.save(
        shipped["getting-to-know-each-other"],
        pair.id,
        programme.mentor.id,
        {"mentor_background": "x"},
        {},
    )
    board.refresh()
    assert board.rows is not first
    row = next(r for r in board.rows if r.relationship.id == pair.id)
    assert row.started == 1 and "0 of" in board.table.value
