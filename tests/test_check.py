"""``mentorkit check`` on every kind of kit file, one file per case: each valid file is
fine and named as its kind; each invalid one reports every problem its ``expect`` lines name,
in the one form (file:line at place: what. Fix: how)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mentorkit.cli.main import main
from mentorkit.io.kit_check import kind_of

SPECS = Path(__file__).resolve().parent / "specs"
ROOT = SPECS.parent.parent
KINDS = {
    SPECS: "worksheet",
    SPECS / "frameworks": "framework",
    SPECS / "programmes": "programme plan",
    SPECS / "weights": "weights",
    SPECS / "notebooks": "notebook",
    SPECS / "settings": "settings",
}
LABELS = {
    "worksheet": "the worksheet",
    "framework": "the framework",
    "programme plan": "the programme plan",
    "weights": "the matching weights",
    "notebook": "the notebook",
    "settings": "the programme settings",
}


def _cases(state: str) -> list[tuple[Path, str]]:
    return [
        (path, kind)
        for folder, kind in KINDS.items()
        for path in sorted((folder / state).iterdir())
    ]


def _expected(path: Path) -> list[str]:
    text = path.read_text()
    if path.suffix == ".ipynb" and text.lstrip().startswith("{"):
        return json.loads(text)["metadata"].get("expect", [])
    return [
        line.split("# expect:", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("# expect:")
    ]


VALID, INVALID = _cases("valid"), _cases("invalid")


@pytest.mark.parametrize(("path", "kind"), VALID, ids=[f"{k}:{p.name}" for p, k in VALID])
def test_a_valid_file_of_each_kind_is_fine(path, kind, capsys):
    assert kind_of(path) == kind
    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    assert f"All is fine in {path}: {LABELS[kind]}" in capsys.readouterr().out


@pytest.mark.parametrize(("path", "kind"), INVALID, ids=[f"{k}:{p.name}" for p, k in INVALID])
def test_an_invalid_file_of_each_kind_reports_every_problem(path, kind, capsys):
    assert kind_of(path) == kind
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    expected = _expected(path)
    assert expected, f"{path} names no expected problem"
    for fragment in expected:
        fragment = f"{path}{fragment}" if fragment.startswith(":") else fragment
        assert fragment in err, f"{fragment!r} missing from:\n{err}"
    assert "Traceback" not in err


def test_a_kit_is_checked_whole_worksheets_frameworks_plan_weights_and_notebooks(tmp_path, capsys):
    kit = tmp_path / "kit"
    assert main(["kit", "new", str(kit)]) == 0
    capsys.readouterr()
    assert main(["check", str(kit)]) == 0
    said = capsys.readouterr().out
    for part in (
        "10 worksheets",
        "2 frameworks",
        "1 application form",
        "the programme plan (6 sessions)",
        "the matching weights",
        "the programme settings",
        "17 notebooks",
    ):
        assert part in said, said

    (kit / "worksheets" / "matching" / "weights.yaml").write_text("goals: -5\n")
    shutil.copy(
        SPECS / "notebooks" / "invalid" / "missing-worksheet.ipynb", kit / "notebooks" / "x.ipynb"
    )
    (kit / "worksheets" / "closure.yaml").unlink()
    assert main(["check", str(kit)]) == 1
    err = capsys.readouterr().err
    assert f"{kit}/worksheets/matching/weights.yaml:1 at goals: goals is -5" in err
    assert f"{kit}/notebooks/x.ipynb at cells[1]: It shows the worksheet 'clousre'" in err
    assert f"{kit}/worksheets/programme.yaml:" in err
    assert "names the worksheet 'closure', but there is no worksheet with that id" in err
    assert "Note: There is no 'closure' worksheet" in err


def test_a_misnamed_field_type_from_another_tool_gets_the_type_that_does_its_job(tmp_path, capsys):
    sheet = tmp_path / "w.yaml"
    sheet.write_text(
        "id: w\ntitle: W\nmode: joint\nphase: define-scope\nfields:\n"
        "  - {id: a, type: textarea, label: A}\n  - {id: b, type: Likert, label: B}\n"
    )
    assert main(["check", str(sheet)]) == 1
    err = capsys.readouterr().err
    assert "w.yaml:6 at fields[0].type: Unknown field type 'textarea'. Fix: Did you mean " in err
    assert "'paragraph' (a few lines of text)?" in err
    assert "at fields[1].type: Unknown field type 'Likert'. Fix: Did you mean 'rating'" in err
