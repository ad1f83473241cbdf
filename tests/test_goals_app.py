"""The goals page, home's actions due, and the goals exports (PDF, Markdown, HTML, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from pages import sign_in_as, text_of
from pypdf import PdfReader

from mentorkit.cli.main import main
from mentorkit.core.dates import date_words
from mentorkit.core.paths import worksheets_folder
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.io.documents import goals as goal_exports
from mentorkit.programme import goal_plans
from mentorkit.programme.schedule import Window
from mentorkit.ui.apps import goals_app, home

TODAY = dt.date.today()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def sample_plan() -> dict:
    return {
        "goals": [
            {
                "_id": "g1",
                "title": "Lead <b>meetings</b>",
                "why": "Grow as a leader",
                "areas": ["Giving feedback"],
                "stretch": True,
                "objectives": [
                    {
                        "_id": "o1",
                        "outcome": "Chaired two meetings",
                        "measure": "Feedback from two colleagues",
                        "target": days(40),
                        "actions": [
                            {
                                "_id": "a1",
                                "what": '=HYPERLINK("x")',
                                "owner": "mentee",
                                "due": days(-3),
                                "status": "in_progress",
                                "resources": "@team",
                            },
                            {
                                "_id": "a2",
                                "what": "Share a template",
                                "owner": "mentor",
                                "due": days(5),
                                "status": "not_started",
                                "resources": "",
                            },
                        ],
                    }
                ],
            }
        ],
        "check_ins": [
            {
                "_id": "c1",
                "session": 2,
                "date": days(-10),
                "by": "Ben",
                "progress": {"o1": {"percent": 30, "note": "Κάτι καλό"}},
            }
        ],
    }


@pytest.fixture
def with_plan(demo, tmp_path):
    store = Store(tmp_path / "mentorkit.sqlite3")
    worksheets = load_folder(worksheets_folder())
    pair = store.relationship(1)
    mentee = next(m for m in pair.members if m.role == "mentee")
    store.save(worksheets["goals-and-actions"], 1, mentee.person_id, {"plan": sample_plan()}, {})
    store.save(
        worksheets["mentoring-agreement"],
        1,
        mentee.person_id,
        {"start_date": days(-45), "end_date": days(150), "frequency": "monthly"},
        {},
    )
    store.close()
    return demo


def test_goals_page_shows_the_plan_and_next_session(with_plan, monkeypatch):
    sign_in_as(monkeypatch, with_plan, "Ben Hughes")
    page = goals_app()
    text = text_of(page)
    assert re.search(r"Next session: session 3, [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+ \d{4}\.", text)
    assert "Lead <b>meetings</b>" in text  # shown as text (unescaped here by text_of)
    assert "1 overdue" in text
    goals_page = page.children[-1].page
    assert goals_page.editor.goal_title.value == "Lead <b>meetings</b>"
    goals_page.tabs.selected_index = 1
    images = text_of(goals_page.charts)
    assert images.count("data:image/png;base64,") == 2


def test_goals_page_downloads_each_format(with_plan, monkeypatch):
    sign_in_as(monkeypatch, with_plan, "Amara Okafor")
    goals_page = goals_app().children[-1].page
    for fmt in ("pdf", "md", "csv"):
        goals_page.prepare_download(fmt)
        assert f'download="goals-and-actions.{fmt}"' in goals_page.downloads.value


def test_home_lists_actions_due_before_the_next_session_by_person(with_plan, monkeypatch):
    sign_in_as(monkeypatch, with_plan, "Ben Hughes")
    ben = text_of(home())
    assert re.search(r"Your actions before session 3 \([A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+\)", ben)
    assert re.search(r"due [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+( · |</span>)", ben)
    assert '=HYPERLINK("x")' in ben and "overdue" in ben
    assert "Share a template" not in ben  # due before the session, but the mentor's
    sign_in_as(monkeypatch, with_plan, "Amara Okafor")
    amara = text_of(home())
    assert "Share a template" in amara and "HYPERLINK" not in amara


def test_facilitator_home_shows_no_actions(with_plan, monkeypatch):
    sign_in_as(monkeypatch, with_plan, "Fran Fletcher")
    assert "Share a template" not in text_of(home())


def test_csv_neutralises_formulas_and_flags_overdue():
    text = goal_exports.actions_csv(sample_plan(), TODAY)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["action"] == '\'=HYPERLINK("x")'
    assert rows[0]["resources"] == "'@team"
    assert [r["overdue"] for r in rows] == ["yes", "no"]
    assert rows[1]["owner"] == "Mentor" and rows[1]["status"] == "Not started"


def test_markdown_and_pdf_carry_the_whole_plan():
    window = Window(TODAY - dt.timedelta(days=45), TODAY + dt.timedelta(days=150), ())
    relationship = type("R", (), {"title": "Amara & Ben"})()
    md = goal_exports.export(sample_plan(), "md", relationship, "Demo", window, TODAY)[0].decode()
    assert "Lead \\<b\\>meetings\\</b\\>" in md
    assert "\\(overdue\\)" in md and "Κάτι καλό" in md and "30%" in md
    assert f"Target date: {date_words(days(40))}" in md
    assert f"30% on {date_words(days(-10))}" in md  # the latest check-in
    assert f"| {date_words(days(-3))} |" in md  # the action's due date, in the table
    pdf, media = goal_exports.export(sample_plan(), "pdf", relationship, "Demo", window, TODAY)
    assert media == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Lead <b>meetings</b>" in text
    assert "Chaired two meetings" in text and "Κάτι καλό" in text
    assert sum(len(page.images) for page in reader.pages) == 2  # timeline and progress


def test_an_empty_plan_exports_a_plain_note():
    window = Window(None, None, ())
    relationship = type("R", (), {"title": "Pair"})()
    html = goal_exports.export({}, "html", relationship, "Demo", window, TODAY)[0].decode()
    assert "No goals have been written yet." in html
    assert goal_exports.actions_csv({}, TODAY).startswith("goal,objective,action")


def test_cli_exports_the_goals(with_plan, tmp_path, capsys, monkeypatch):
    out = tmp_path / "plan.csv"
    main(
        [
            "export",
            "goals",
            "--relationship",
            "1",
            "--code",
            with_plan["Ben Hughes"],
            "--format",
            "csv",
            "--out",
            str(out),
            "--data",
            str(tmp_path),
        ]
    )
    assert "Wrote the goals and action plan" in capsys.readouterr().out
    assert "Share a template" in out.read_text(encoding="utf-8-sig")
    assert (
        main(
            [
                "export",
                "agreement",
                "--relationship",
                "1",
                "--code",
                with_plan["Ben Hughes"],
                "--format",
                "csv",
                "--data",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "csv is for the goals" in capsys.readouterr().err


def test_plans_helpers_agree_with_the_sample():
    assert [a["_id"] for a in goal_plans.overdue(sample_plan(), TODAY)] == ["a1"]
