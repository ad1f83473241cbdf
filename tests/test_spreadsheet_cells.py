"""The one neutraliser for cells of every table mentorkit writes, and the one formula test
every import uses (both in mentorkit.core.text)."""

from __future__ import annotations

import pytest

from mentorkit.core.text import looks_like_formula, neutralise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 20", "'+44 20"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, "'-3"),
        (4.5, "4.5"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+2", True), ("  @SUM(1)", True), ("\t-2", True), ("+44", True), ("Ana", False)],
)
def test_looks_like_formula(text, expected):
    assert looks_like_formula(text) is expected


def test_goal_actions_csv_neutralises_every_cell():
    import datetime as dt

    from mentorkit.io.documents.goals import actions_csv

    plan = {
        "goals": [
            {
                "_id": "g",
                "title": "=goal",
                "objectives": [
                    {
                        "_id": "o",
                        "outcome": "@outcome",
                        "target": "-2026",
                        "actions": [{"_id": "a", "what": "+do", "due": "=1", "resources": "-r"}],
                    }
                ],
            }
        ]
    }
    text = actions_csv(plan, dt.date(2026, 1, 1))
    row = text.splitlines()[1].split(",")
    assert row[:3] == ["'=goal", "'@outcome", "'+do"]
    assert row[4] == "'=1" and row[7] == "'-r" and row[8] == "'-2026"
