"""One spec file per case: every valid file loads; every invalid one reports what it expects.

An invalid file lists the fragments its report must contain in ``# expect:`` comment lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorkit.core.spec_loader import load_folder, load_worksheet
from mentorkit.exceptions import SpecError

SPECS = Path(__file__).resolve().parent / "specs"
VALID = sorted((SPECS / "valid").iterdir())
INVALID = sorted((SPECS / "invalid").iterdir())


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_spec_loads(path: Path) -> None:
    worksheet = load_worksheet(path)
    assert worksheet.id == path.stem
    assert worksheet.fields


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_spec_reports_every_expected_problem(path: Path) -> None:
    expected = [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]
    assert expected, f"{path.name} lists no '# expect:' lines"
    with pytest.raises(SpecError) as caught:
        load_worksheet(path)
    report = str(caught.value)
    for fragment in expected:
        if fragment.startswith(":"):
            fragment = f"{path.name}{fragment}"
        assert fragment in report, f"{fragment!r} missing from:\n{report}"
    assert all(problem.fix for problem in caught.value.problems)


def test_folder_reports_problems_from_every_file_at_once() -> None:
    with pytest.raises(SpecError) as caught:
        load_folder(SPECS / "invalid")
    files = {Path(problem.file).name for problem in caught.value.problems}
    assert files == {p.name for p in INVALID}


def test_two_worksheets_with_one_id_are_refused(tmp_path: Path) -> None:
    text = (SPECS / "valid" / "minimal.yml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    with pytest.raises(SpecError, match="also used by"):
        load_folder(tmp_path)


def test_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="does not exist"):
        load_folder(tmp_path / "nowhere")
