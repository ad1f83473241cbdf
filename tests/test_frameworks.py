"""Framework files: the shipped ones load; one file per invalid case reports what it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorkit.cli.main import main
from mentorkit.exceptions import SpecError
from mentorkit.programme.frameworks import load_frameworks, parse_framework
from mentorkit.programme.ratings import frameworks_for

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "specs" / "frameworks"
INVALID = sorted((CASES / "invalid").iterdir())


def test_shipped_frameworks_have_the_seed_domains():
    frameworks = load_frameworks(ROOT / "worksheets" / "frameworks")
    mentor, mentee = frameworks["mentor-competencies"], frameworks["mentee-competencies"]
    assert [d.title for d in mentor.domains] == [
        "Comprehend",
        "Relate",
        "Facilitate",
        "Inform",
        "Challenge",
        "Reflect",
        "Motivate",
        "Envision",
    ]
    assert [d.title for d in mentee.domains] == [
        "Respect",
        "Initiative",
        "Integrity",
        "Communication",
        "Independence",
    ]
    assert mentor.rated == "mentor" and mentee.rated == "mentee"
    assert all(f.sources for f in frameworks.values())
    assert mentor.scale.points == 5 and mentor.scale.not_applicable


def test_a_custom_seven_point_framework_loads():
    framework = parse_framework((CASES / "valid" / "seven-point.yaml").read_text())
    assert framework.scale.points == 7 and framework.scale.anchors[7] == "Strongly agree"
    assert len(framework.items) == 3


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_framework_reports_every_expected_problem(path: Path):
    expected = [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]
    with pytest.raises(SpecError) as caught:
        parse_framework(path.read_text(), path.name)
    report = str(caught.value)
    for fragment in expected:
        fragment = f"{path.name}{fragment}" if fragment.startswith(":") else fragment
        assert fragment in report, f"{fragment!r} missing from:\n{report}"


def test_check_reports_framework_problems_too(tmp_path, capsys):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "bad.yaml").write_text(
        (CASES / "invalid" / "bad-scale.yaml").read_text()
    )
    (tmp_path / "ok.yaml").write_text(
        (ROOT / "worksheets" / "mentoring-agreement.yaml").read_text()
    )
    assert main(["check", str(tmp_path)]) == 1
    assert "bad.yaml:7 at scale.points" in capsys.readouterr().err


def _framework(folder: Path, name: str, rated: str, extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"id: {name}\ntitle: {name.title()}\nrated: {rated}\n{extra}"
        "scale: {points: 5}\ndomains:\n  - id: d\n    title: D\n    items: [{id: x, text: X}]\n"
    )
    return path


def test_a_framework_that_replaces_another_is_the_only_one_rated(tmp_path):
    _framework(tmp_path, "mentor-competencies", "mentor")
    _framework(tmp_path, "our-mentor-framework", "mentor", "replaces: mentor-competencies\n")
    _framework(tmp_path, "mentee-competencies", "mentee")
    in_use = load_frameworks(tmp_path)
    assert set(in_use) == {"our-mentor-framework", "mentee-competencies"}
    assert [f.id for f in frameworks_for("mentor", in_use)] == ["our-mentor-framework"]
    assert [f.id for f in frameworks_for("peer", in_use)] == ["mentee-competencies"]


def test_a_framework_rated_alongside_another_adds_to_it(tmp_path):
    _framework(tmp_path, "mentor-competencies", "mentor")
    _framework(tmp_path, "leadership", "mentor", "alongside: true\n")
    in_use = load_frameworks(tmp_path)
    assert [f.id for f in frameworks_for("mentor", in_use)] == ["leadership", "mentor-competencies"]


@pytest.mark.parametrize(
    ("first", "second"), [("mentor", "mentor"), ("mentee", "mentee"), ("anyone", "mentee")]
)
def test_two_frameworks_for_the_same_people_without_saying_so_name_both_files(
    tmp_path, capsys, first, second
):
    (tmp_path / "frameworks").mkdir()
    a = _framework(tmp_path / "frameworks", "a-first", first)
    b = _framework(tmp_path / "frameworks", "b-second", second)
    with pytest.raises(SpecError) as caught:
        load_frameworks(tmp_path / "frameworks")
    report = str(caught.value)
    assert f"{b}:3 at rated: Both {a} and {b} are rated by" in report, report
    assert "add replaces: a-first to it" in report and "alongside: true" in report
    assert main(["check", str(tmp_path)]) == 1
    assert f"Both {a} and {b}" in capsys.readouterr().err


def test_replacing_a_framework_that_is_not_there_suggests_the_near_one(tmp_path):
    _framework(tmp_path, "mentor-competencies", "mentor")
    ours = _framework(tmp_path, "ours", "mentor", "replaces: mentor-competences\n")
    with pytest.raises(SpecError) as caught:
        load_frameworks(tmp_path)
    assert (
        f"{ours}:4 at replaces: It replaces 'mentor-competences', but no framework in this "
        "folder has that id. Fix: Did you mean 'mentor-competencies'?"
    ) in str(caught.value)


def test_two_frameworks_cannot_replace_the_same_one(tmp_path):
    _framework(tmp_path, "a", "mentor")
    b = _framework(tmp_path, "b", "mentor", "replaces: a\n")
    c = _framework(tmp_path, "c", "mentor", "replaces: a\n")
    with pytest.raises(SpecError) as caught:
        load_frameworks(tmp_path)
    assert f"{c}:4 at replaces: {b} replaces 'a' too." in str(caught.value)


def test_a_framework_must_say_whose_competencies_it_rates(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(_framework(tmp_path, "f", "mentor").read_text().replace("rated: mentor\n", ""))
    with pytest.raises(SpecError) as caught:
        load_frameworks(tmp_path)
    assert "does not say whose competencies it rates" in str(caught.value)
    assert "Add rated: mentor, rated: mentee or rated: anyone." in str(caught.value)
