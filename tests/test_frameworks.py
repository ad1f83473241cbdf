"""Framework files: the shipped ones load; one file per invalid case reports what it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorkit.cli.main import main
from mentorkit.exceptions import SpecError
from mentorkit.programme.frameworks import load_frameworks, parse_framework

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
