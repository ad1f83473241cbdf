"""Answers as text: every field type writes its own, so goal plans and schedules marked
``programme`` reach the cohort exports as sentences; and worksheets rebuild cleanly."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mentorkit.core import spec_loader
from mentorkit.core.display import answer_text
from mentorkit.core.fieldtypes import FIELD_TYPES, FieldType
from mentorkit.core.spec_loader import parse_worksheet
from mentorkit.facilitator import dashboard
from mentorkit.facilitator.programme_answers import programme_tables
from mentorkit.io.tables import to_csv, to_xlsx

SHARED_PLANS = """
id: shared-plans
title: Shared plans
version: 1
mode: joint
phase: define-scope
sessions: [2]
introduction: Plans the facilitator may read.
fields:
  - {id: intro, type: guidance, text: Read me.}
  - {id: plan, type: goal_plan, label: Our goals, visibility: programme}
  - {id: schedule, type: session_schedule, label: Our sessions, visibility: programme}
"""

PLAN = {
    "goals": [
        {
            "_id": "g1",
            "title": "Lead the weekly team meeting",
            "why": "I want to grow as a leader",
            "areas": ["Giving feedback"],
            "stretch": True,
            "objectives": [
                {
                    "_id": "o1",
                    "outcome": "Chaired two meetings",
                    "measure": "Feedback from two colleagues",
                    "target": "2027-04-01",
                    "actions": [
                        {
                            "_id": "a1",
                            "what": "Observe Amara chair a meeting",
                            "owner": "mentee",
                            "due": "2027-02-20",
                            "status": "in_progress",
                            "resources": "",
                        }
                    ],
                }
            ],
        }
    ],
    "check_ins": [
        {
            "_id": "session-3",
            "session": 3,
            "date": "2027-03-10",
            "progress": {"o1": {"percent": 40}},
        }
    ],
}
SCHEDULE = [
    {"_id": "s1", "number": 1, "date": "2027-01-11", "time": "", "place": "", "lead": None},
    {
        "_id": "s2",
        "number": 2,
        "date": "2027-02-08",
        "time": "14:30",
        "place": "Room 4",
        "lead": "mentee",
    },
]


@pytest.fixture
def shared_plans():
    return parse_worksheet(SHARED_PLANS)


def test_every_field_type_has_a_text_form_and_a_new_one_needs_one():
    assert all(callable(field_type.text) for field_type in FIELD_TYPES.values())
    with pytest.raises(TypeError):
        FieldType("colour", "a colour", frozenset(), lambda raw, report: {}, lambda f, v: None)


def test_a_goal_plan_and_a_schedule_read_as_text(shared_plans):
    plan = answer_text(shared_plans.field("plan"), PLAN)
    assert plan.splitlines() == [
        "Goal 1: Lead the weekly team meeting (a stretch goal); why: I want to grow as a "
        "leader; areas: Giving feedback",
        "  Objective 1.1: Chaired two meetings; measured by: Feedback from two colleagues; "
        "target Thu 1 April 2027; 40% on Wed 10 March 2027",
        "    Action: Observe Amara chair a meeting; mentee; due Sat 20 February 2027; in progress",
        "Check-ins: 1, the latest on Wed 10 March 2027",
    ]
    assert answer_text(shared_plans.field("schedule"), SCHEDULE).splitlines() == [
        "Session 1: Mon 11 January 2027",
        "Session 2: Mon 8 February 2027 at 14:30, Room 4 (the mentee leads)",
    ]
    assert answer_text(shared_plans.field("plan"), {}) == ""
    assert answer_text(shared_plans.field("intro"), "anything") == ""


def _csv_answers(data: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("answers.csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_programme_visible_plans_and_schedules_export_as_readable_text(programme, shared_plans):
    store, pair = programme.store, programme.pair
    store.save(shared_plans, pair.id, programme.mentee.id, {"plan": PLAN, "schedule": SCHEDULE}, {})
    worksheets = {shared_plans.id: shared_plans}
    rows = dashboard.dashboard_rows(store, pair.programme_id, worksheets)
    tables = programme_tables(store, pair.programme_id, worksheets, rows)

    answers = {row[3]: row[4] for row in _csv_answers(to_csv(tables))[1:]}
    assert set(answers) == {"Our goals", "Our sessions"}
    assert answers["Our goals"].startswith("Goal 1: Lead the weekly team meeting")
    assert (
        "Action: Observe Amara chair a meeting; mentee; due Sat 20 February 2027"
        in answers["Our goals"]
    )
    assert answers["Our sessions"].endswith(
        "Session 2: Mon 8 February 2027 at 14:30, Room 4 (the mentee leads)"
    )

    sheet = load_workbook(io.BytesIO(to_xlsx(tables)))["answers"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(cell.startswith("Goal 1: Lead the weekly team meeting") for cell in cells)
    for text in [*answers.values(), *cells]:
        assert "{'" not in text and "[{" not in text and "'_id'" not in text


def test_a_worksheet_rebuilds_after_its_answer_fields_were_read(monkeypatch, shared_plans):
    parse = spec_loader.parse_worksheet

    def parse_and_read(text: str, file: str = "<text>"):
        worksheet = parse(text, file)
        assert worksheet.answer_fields  # cached now, as any reader of the answers does
        return worksheet

    monkeypatch.setattr(spec_loader, "parse_worksheet", parse_and_read)
    path = Path(__file__).resolve().parent.parent / "worksheets" / "closure.yaml"
    loaded = spec_loader.load_worksheet(path)
    assert loaded.source == str(path) and loaded.answer_fields

    ids = [f.id for f in shared_plans.answer_fields]  # read, so cached
    assert ids == ["plan", "schedule"]
    fewer = dataclasses.replace(shared_plans, fields=shared_plans.fields[:2])
    assert [f.id for f in fewer.answer_fields] == ["plan"]  # not the cached copy's
    assert copy.copy(shared_plans).answer_fields == shared_plans.answer_fields
