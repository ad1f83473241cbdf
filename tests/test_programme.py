"""Programme plans: the shipped six sessions, who leads, dates, and one file per invalid case."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from mentorkit.cli.main import main
from mentorkit.core.spec import PHASES
from mentorkit.core.spec_loader import load_folder
from mentorkit.exceptions import SpecError
from mentorkit.programme import schedule
from mentorkit.programme.kit_specs import load_specs
from mentorkit.programme.plan import (
    DEFAULT_PLAN_FILE,
    load_plan,
    parse_plan,
    plan_path,
    session_dates,
    spacing_days,
)

ROOT = Path(__file__).resolve().parent.parent
WORKSHEETS = ROOT / "worksheets"
CASES = Path(__file__).resolve().parent / "specs" / "programmes"
INVALID = sorted((CASES / "invalid").iterdir())
SHIPPED = plan_path(WORKSHEETS)


def worksheet_ids() -> set[str]:
    return set(load_folder(WORKSHEETS))


@pytest.fixture(scope="module")
def plan():
    return load_plan(SHIPPED, worksheet_ids())


def test_shipped_plan_is_the_six_session_programme(plan):
    assert plan.spacing == "monthly" and spacing_days(plan) is None
    assert [s.number for s in plan.sessions] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in plan.sessions] == [
        "Getting to know each other",
        "Setting objectives",
        "Two-way discussion",
        "Two-way discussion",
        "Two-way discussion",
        "Reflection and closure",
    ]
    assert [s.phase for s in plan.sessions] == [
        "find-relationship",
        "define-scope",
        "implement-and-evaluate",
        "implement-and-evaluate",
        "implement-and-evaluate",
        "end-relationship",
    ]
    assert [s.lead for s in plan.sessions] == [
        "both",
        "mentor",
        "alternate",
        "alternate",
        "alternate",
        "both",
    ]
    assert plan.session(1).worksheets == (
        "getting-to-know-each-other",
        "negotiating-expectations",
        "mentoring-agreement",
        "our-sessions",
        "session-notes",
        "reflection-journal",
    )
    assert plan.session(6).worksheets == (
        "closure",
        "closing-reflection",
        "goals-and-actions",
        "cpd-evidence",
        "session-notes",
        "reflection-journal",
    )
    assert all(s.purpose.strip() and s.minutes == 60 for s in plan.sessions)
    assert "Cooper & Wheeler" in plan.notes and "Institute of Medical" in plan.notes


def test_each_worksheet_takes_its_sessions_from_the_plan(plan):
    assert not any(ws.sessions for ws in load_folder(WORKSHEETS).values())  # said once only
    for worksheet in load_specs(WORKSHEETS).worksheets.values():
        assert worksheet.sessions == plan.sessions_for(worksheet.id) != (), worksheet.id


def test_a_four_session_plan_moves_closure_to_session_four(tmp_path):
    folder = _worksheets_folder(tmp_path, CASES / "valid" / "four-monthly.yaml")
    specs = load_specs(folder)
    assert specs.worksheets["closure"].sessions == specs.plan.sessions_for("closure")
    assert max(specs.worksheets["closure"].sessions) == len(specs.plan.sessions) == 4


def test_a_worksheet_whose_sessions_disagree_with_the_plan_names_both(tmp_path, capsys):
    folder = _worksheets_folder(tmp_path, CASES / "valid" / "four-monthly.yaml")
    closure = folder / "closure.yaml"
    text = closure.read_text()
    closure.write_text(text.replace("\nphase:", "\nsessions: [6]\nphase:", 1))
    line = closure.read_text().splitlines().index("sessions: [6]") + 1
    planned = load_plan(plan_path(folder)).sessions_for("closure")
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert (
        f"closure.yaml:{line} at sessions: It says sessions: [6], but the programme plan uses "
        f"it in session {planned[0]}. Fix: Remove sessions: from this file (the plan, "
        f"{plan_path(folder)}, says when each worksheet is used)"
    ) in err


def test_alternate_sessions_take_turns(plan):
    assert plan.leads() == {
        1: "both",
        2: "mentor",
        3: "mentor",
        4: "mentee",
        5: "mentor",
        6: "both",
    }
    mentee_first = plan.leads(mentor_first=False)
    assert [mentee_first[n] for n in (3, 4, 5)] == ["mentee", "mentor", "mentee"]


def test_session_lookup_and_sessions_for_a_worksheet(plan):
    assert plan.session(2).title == "Setting objectives"
    assert plan.session(7) is None and plan.session(0) is None
    assert plan.sessions_for("session-notes") == (1, 2, 3, 4, 5, 6)
    assert plan.sessions_for("goals-and-actions") == (2, 3, 4, 5, 6)
    assert plan.sessions_for("mentoring-agreement") == (1, 2)
    assert plan.sessions_for("closure") == (6,)
    assert plan.sessions_for("no-such-worksheet") == ()


def test_monthly_dates_reuse_the_schedule(plan):
    start = dt.date(2027, 1, 31)
    dates = session_dates(plan, start)
    assert dates == schedule.session_dates(start, "monthly", 6)
    # 31 January and 28 February 2027 are Sundays: they move to the Monday after.
    assert [d.isoformat() for d in dates][:3] == ["2027-02-01", "2027-03-01", "2027-03-31"]


def test_the_pairs_agreed_frequency_overrides_the_plan(plan):
    start = dt.date(2027, 1, 1)
    fortnightly = session_dates(plan, start, "fortnightly")
    assert len(fortnightly) == 6 and fortnightly[-1] == dt.date(2027, 3, 12)
    assert session_dates(plan, start, "six_weekly")[1] == dt.date(2027, 2, 12)
    assert session_dates(plan, start, "days:10")[2] == dt.date(2027, 1, 21)
    assert session_dates(plan, start, "when we can") == session_dates(plan, start)


def test_custom_days_spacing():
    plan = load_plan(CASES / "valid" / "every-three-weeks.yaml")
    assert plan.spacing == "days:21" and spacing_days(plan) == 21
    dates = session_dates(plan, dt.date(2027, 3, 1))
    assert dates == (dt.date(2027, 3, 1), dt.date(2027, 3, 22), dt.date(2027, 4, 12))


def test_working_days_default_to_monday_to_friday_and_a_plan_can_choose_its_own(plan):
    assert plan.working_days == (0, 1, 2, 3, 4)
    weekend = load_plan(CASES / "valid" / "weekend-workshops.yaml")
    assert weekend.working_days == (5, 6)
    # Wednesday 3 March 2027, fortnightly: each suggestion moves on to the Saturday.
    assert session_dates(weekend, dt.date(2027, 3, 3)) == (
        dt.date(2027, 3, 6),
        dt.date(2027, 3, 20),
        dt.date(2027, 4, 3),
    )


def test_spacing_days_of_each_form():
    assert [spacing_days(s) for s in ("monthly", "fortnightly", "six_weekly", "days:5")] == [
        None,
        14,
        42,
        5,
    ]
    assert spacing_days(None) is None and spacing_days("days:0") is None


def test_a_custom_four_session_fortnightly_plan_loads():
    plan = load_plan(CASES / "valid" / "four-fortnightly.yaml", worksheet_ids())
    assert plan.id == "taster-four" and plan.spacing == "fortnightly"
    assert [s.minutes for s in plan.sessions] == [45, 60, 30, 60]
    assert plan.session(4).worksheets == ()
    assert plan.leads() == {1: "both", 2: "mentee", 3: "mentor", 4: "mentee"}
    assert {s.phase for s in plan.sessions} <= set(PHASES)
    dates = session_dates(plan, dt.date(2027, 5, 3))
    assert dates[-1] == dt.date(2027, 6, 14)


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_plan_reports_every_expected_problem(path: Path):
    expected = [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]
    assert expected, f"{path.name} has no # expect: lines"
    with pytest.raises(SpecError) as caught:
        parse_plan(path.read_text(), path.name, worksheet_ids())
    report = str(caught.value)
    for fragment in expected:
        fragment = f"{path.name}{fragment}" if fragment.startswith(":") else fragment
        assert fragment in report, f"{fragment!r} missing from:\n{report}"


def test_worksheet_ids_are_only_checked_when_given():
    text = (CASES / "invalid" / "missing-worksheet.yaml").read_text()
    plan = parse_plan(text)
    assert plan.session(1).worksheets == ("session-notes", "goal-and-actions", "zzz-unheard-of")


def test_a_missing_worksheet_says_where_worksheets_live(tmp_path):
    shutil.copy(CASES / "invalid" / "missing-worksheet.yaml", plan_path(tmp_path))
    with pytest.raises(SpecError) as caught:
        load_plan(plan_path(tmp_path), {"goals-and-actions", "session-notes"})
    report = str(caught.value)
    assert f"{plan_path(tmp_path)}:16 at sessions[0].worksheets[1]" in report
    assert f"Worksheets are the .yaml files in {tmp_path}:" in report


def test_an_unreadable_plan_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match="cannot be read"):
        load_plan(tmp_path / "nowhere.yaml")


def _worksheets_folder(tmp_path: Path, plan: Path) -> Path:
    for path in WORKSHEETS.glob("*.yaml"):
        if path.name != DEFAULT_PLAN_FILE:
            shutil.copy(path, tmp_path)
    shutil.copy(plan, plan_path(tmp_path))
    return tmp_path


def test_check_also_checks_the_programme_plan(tmp_path, capsys):
    folder = _worksheets_folder(tmp_path, CASES / "valid" / "four-fortnightly.yaml")
    assert main(["check", str(folder)]) == 0
    assert "the programme plan (4 sessions)" in capsys.readouterr().out


def test_check_reports_a_missing_worksheet_with_its_line(tmp_path, capsys):
    folder = _worksheets_folder(tmp_path, CASES / "invalid" / "missing-worksheet.yaml")
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "programme.yaml:16 at sessions[0].worksheets[1]" in err
    assert "Did you mean 'goals-and-actions'?" in err
    assert f"Worksheets are the .yaml files in {folder}:" in err


def test_check_reports_a_misspelt_working_day_with_its_line(tmp_path, capsys):
    folder = _worksheets_folder(tmp_path, CASES / "invalid" / "bad-working-days.yaml")
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "programme.yaml:9 at working_days[1]: 'satday' is not a day of the week." in err
    assert "Did you mean 'sat'?" in err


def test_check_does_not_blame_the_plan_for_a_broken_worksheet(tmp_path, capsys):
    folder = _worksheets_folder(tmp_path, CASES / "valid" / "four-fortnightly.yaml")
    shutil.copy(ROOT / "tests" / "specs" / "invalid" / "unknown-field-type.yaml", folder)
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "unknown-field-type.yaml:9" in err
    assert "programme.yaml" not in err


def test_check_passes_on_the_shipped_worksheets_and_plan(capsys):
    assert main(["check", str(WORKSHEETS)]) == 0
    assert "the programme plan (6 sessions)" in capsys.readouterr().out
