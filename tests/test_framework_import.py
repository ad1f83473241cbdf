"""A framework typed once in a spreadsheet becomes a framework file in a kit, through
``mentorkit kit import-framework``; every bad row is named and nothing is written."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mentorkit.cli.main import main
from mentorkit.exceptions import ImportRefused
from mentorkit.io.framework_import import ScaleOptions, read_framework
from mentorkit.programme.frameworks import load_frameworks
from mentorkit.programme.ratings import frameworks_for

ROWS = [
    ["Domain", "Item", "Description"],
    ["Relate", "Listens without judging", "Building the relationship."],
    ["Relate", "Asks open questions", ""],
    ["Challenge", "Gives honest feedback", "Stretching the mentee."],
    ["Challenge", "Names what is being avoided", ""],
    ["Challenge", "Holds the mentee to their commitments", ""],
]


def to_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode()


def to_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, name: str = "ours.csv", **scale) -> object:
    return read_framework(
        data,
        name,
        framework_id="ours",
        title="Our mentor framework",
        rated="mentor",
        scale=ScaleOptions(**scale),
    )


def test_a_spreadsheet_gives_domains_items_and_descriptions_in_order():
    framework = read(to_csv(ROWS))
    assert [(d.id, d.title, d.description) for d in framework.domains] == [
        ("relate", "Relate", "Building the relationship."),
        ("challenge", "Challenge", "Stretching the mentee."),
    ]
    assert [i.text for i in framework.domains[1].items] == [r[1] for r in ROWS[3:]]
    assert framework.domains[0].items[0].id == "listens_without_judging"
    assert framework.scale.points == 5 and framework.scale.not_applicable


def test_xlsx_and_csv_give_the_same_framework():
    assert read(to_xlsx(ROWS), "ours.xlsx").domains == read(to_csv(ROWS)).domains


def test_every_bad_row_is_named_and_nothing_is_read():
    rows = [
        ["Domain", "Item", "Description"],
        ["Relate", "Listens", ""],
        ["", "An item without a domain", ""],  # row 3
        ["Relate", "listens", ""],  # row 4: the same item again
        ["Envision", "", "A domain with no items."],  # row 5
    ]
    with pytest.raises(ImportRefused) as caught:
        read(to_csv(rows), points=1, anchors={1: "Low", 7: "High"})
    report = str(caught.value)
    assert report.startswith("Nothing was imported from ours.csv: 4 things to fix first.")
    assert "The scale has 1 point: a rating needs at least two" in report
    assert "Row 3: the item 'An item without a domain' has no domain." in report
    assert "Row 4: the item 'listens' is already in 'Relate' (row 2)." in report
    assert "Row 5: the domain 'Envision' has no items to rate." in report


def test_anchors_that_do_not_fit_the_scale_are_named():
    with pytest.raises(ImportRefused) as caught:
        read(to_csv(ROWS), points=4, anchors={1: "Not yet", 5: "Always"})
    assert "The anchor 5='Always' is not a point of the scale (1 to 4)." in str(caught.value)


def test_a_sheet_without_an_item_column_says_which_headings_it_has():
    with pytest.raises(ImportRefused) as caught:
        read(to_csv([["Domain", "Behaviours list"], ["Relate", "Listens"]]))
    assert "there is no 'item' column (the headings are 'Domain', 'Behaviours list')" in str(
        caught.value
    )


def _kit(tmp_path, capsys):
    kit = tmp_path / "kit"
    assert main(["kit", "new", str(kit)]) == 0
    capsys.readouterr()
    return kit


def test_import_into_a_kit_replacing_the_mentor_framework(tmp_path, capsys):
    kit = _kit(tmp_path, capsys)
    sheet = tmp_path / "Our mentor framework.xlsx"
    sheet.write_bytes(to_xlsx(ROWS))
    args = ["kit", "import-framework", str(sheet), "--rated", "mentor", "--kit", str(kit)]
    extra = ["--replaces", "mentor-competencies", "--points", "4", "--anchor", "1=Not yet"]
    assert main([*args, *extra, "--source", "Our own instrument (2026)"]) == 0
    said = capsys.readouterr().out
    assert "2 domains, 5 items, rated by mentors on a 4-point scale" in said
    assert "instead of 'mentor-competencies'" in said
    in_use = load_frameworks(kit / "worksheets" / "frameworks")
    mentor = frameworks_for("mentor", in_use)
    assert [f.id for f in mentor] == ["our-mentor-framework"]
    assert mentor[0].scale.anchors == {1: "Not yet"} and mentor[0].sources
    assert main(["check", "--kit", str(kit)]) == 0


def test_an_import_that_would_give_mentors_two_frameworks_writes_nothing(tmp_path, capsys):
    kit = _kit(tmp_path, capsys)
    before = sorted((kit / "worksheets" / "frameworks").iterdir())
    sheet = tmp_path / "ours.csv"
    sheet.write_bytes(to_csv(ROWS))
    assert (
        main(["kit", "import-framework", str(sheet), "--rated", "mentor", "--kit", str(kit)]) == 2
    )
    err = capsys.readouterr().err
    assert "mentor-competencies.yaml and" in err and "ours.yaml are rated by mentors" in err
    assert "Give --replaces ID" in err and "Traceback" not in err
    assert sorted((kit / "worksheets" / "frameworks").iterdir()) == before
    assert (
        main(
            [
                "kit",
                "import-framework",
                str(sheet),
                "--rated",
                "mentor",
                "--alongside",
                "--kit",
                str(kit),
            ]
        )
        == 0
    )
    assert len(frameworks_for("mentor", load_frameworks(kit / "worksheets" / "frameworks"))) == 2


def test_import_refuses_the_shipped_kit_and_an_existing_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MENTORKIT_KIT", raising=False)
    sheet = tmp_path / "ours.csv"
    sheet.write_bytes(to_csv(ROWS))
    data = ["--data", str(tmp_path / "data")]
    assert main(["kit", "import-framework", str(sheet), "--rated", "mentee", *data]) == 2
    assert "needs a kit of your own" in capsys.readouterr().err
    kit = _kit(tmp_path, capsys)
    args = ["kit", "import-framework", str(sheet), "--rated", "mentee", "--alongside"]
    assert main([*args, "--kit", str(kit)]) == 0
    assert main([*args, "--kit", str(kit)]) == 2
    assert "ours.yaml already exists. Give another --id, or add --force" in capsys.readouterr().err
    assert main([*args, "--kit", str(kit), "--force"]) == 0
