"""Text that names sessions comes from the programme plan, so a four-session plan reads
right everywhere: the sessions of each worksheet, the rating rounds, the sessions a parked
expectation can come back in, and the last session's agenda."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mentorkit.programme import agenda, ratings
from mentorkit.programme.kit_specs import load_specs
from mentorkit.programme.plan import load_plan
from mentorkit.programme.schedule import SessionInfo

ROOT = Path(__file__).resolve().parent.parent
FOUR = Path(__file__).resolve().parent / "specs" / "programmes" / "valid" / "four-monthly.yaml"


@pytest.fixture
def four(tmp_path):
    """The shipped worksheets with a four-session monthly plan."""
    folder = tmp_path / "worksheets"
    shutil.copytree(ROOT / "worksheets", folder)
    shutil.copy(FOUR, folder / "programme.yaml")
    return load_specs(folder)


def test_closure_and_the_rounds_follow_a_four_session_plan(four):
    assert four.worksheets["closure"].sessions == (4,)
    assert four.worksheets["goals-and-actions"].sessions == (2, 3, 4)
    assert ratings.round_sessions("baseline", four.plan) == (1, 2)
    assert ratings.round_sessions("follow-up", four.plan) == (4,)
    assert ratings.round_label("follow-up", four.plan) == "Follow-up (session 4)"
    three = load_plan(ROOT / "tests" / "specs" / "programmes" / "valid" / "every-three-weeks.yaml")
    last = three.sessions[-1].number
    assert ratings.round_label("follow-up", three) == f"Follow-up (session {last})"


def test_the_shipped_plan_keeps_the_six_session_rounds():
    shipped = load_specs(ROOT / "worksheets")
    assert ratings.round_label("baseline", shipped.plan) == "Baseline (sessions 1–2)"
    assert ratings.round_label("follow-up", shipped.plan) == "Follow-up (session 6)"
    assert ratings.round_label("follow-up", None) == "Follow-up (session 6)"


def test_a_round_as_an_aside_has_no_brackets_inside_brackets(four):
    assert ratings.round_when("baseline", four.plan) == "sessions 1–2"
    assert ratings.round_when("follow-up", four.plan) == "session 4"
    assert ratings.round_aside("baseline", four.plan) == "baseline, sessions 1–2"
    assert ratings.round_aside("follow-up", None) == "follow-up, session 6"


def test_a_parked_expectation_can_come_back_only_in_the_plans_later_sessions(four):
    items = four.worksheets["negotiating-expectations"].field("expectations").fields
    later = next(f for f in items if f.id == "later_session")
    assert [(o.value, o.label) for o in later.options] == [
        ("2", "Session 2: Setting objectives"),
        ("3", "Session 3: Progress check"),
        ("4", "Session 4: Reflection and closure"),
    ]


def test_the_last_sessions_agenda_looks_beyond_the_programme(store, programme, four):
    sheets, plan = four.worksheets, four.plan
    pair, viewer = programme.pair.id, programme.mentee.id
    for planned in plan.sessions:
        info = SessionInfo(planned.number, planned.title, worksheets=planned.worksheets)
        last = planned.number == plan.sessions[-1].number
        items = agenda.agenda(store, sheets, pair, viewer, info, last)
        assert ("before the next session" in items[-1]) is not last, (planned.number, items)
    assert "carry on after the programme" in items[-1]
