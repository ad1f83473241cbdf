"""The command line, called as ``main([...])``."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from mentorkit import access
from mentorkit.cli import main
from mentorkit.migrations import SCHEMA_VERSION
from mentorkit.paths import DATABASE_NAME
from mentorkit.store import Store

SPECS = Path(__file__).resolve().parent / "specs"
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def test_check_passes_on_the_shipped_worksheets(capsys):
    assert main(["check"]) == 0
    assert "are fine" in capsys.readouterr().out


def test_check_reports_every_problem_with_file_and_line(capsys):
    assert main(["check", str(SPECS / "invalid")]) == 1
    err = capsys.readouterr().err
    assert "unknown-field-type.yaml:9 at fields[0].type: Unknown field type 'txt'" in err
    assert "duplicate-ids.yaml:10" in err and "show-if-missing-field.yaml" in err
    assert "Fix:" in err


def test_init_demo_prints_every_code_with_its_link(tmp_path, capsys):
    assert main(["init", "--demo", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    codes = CODE.findall(out)
    assert len(codes) == 18  # nine people, each code shown alone and inside its link
    assert "http://127.0.0.1:8866/signin?code=" in out
    store = Store(tmp_path / DATABASE_NAME)
    kinds = sorted(r.kind for r in store.relationships(store.programme().id))
    assert kinds == ["group", "one-to-one", "peer"]
    person = access.sign_in(store, codes[2])
    assert person.name == "Amara Okafor"


def test_init_refuses_a_second_programme_in_one_folder(tmp_path, capsys):
    assert main(["init", "--data", str(tmp_path), "--name", "First"]) == 0
    assert main(["init", "--data", str(tmp_path), "--name", "Second"]) == 2
    assert "already holds the programme 'First'" in capsys.readouterr().err


def test_data_folder_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MENTORKIT_DATA", str(tmp_path / "env"))
    assert main(["init"]) == 0
    assert (tmp_path / "env" / DATABASE_NAME).exists()


def test_serve_refuses_a_newer_database_with_a_clear_line(tmp_path, capsys):
    path = tmp_path / DATABASE_NAME
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    assert main(["serve", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mentorkit: The database") and "newer mentorkit" in err
    assert "Traceback" not in err


def test_serve_without_a_programme_says_how_to_make_one(tmp_path, capsys):
    assert main(["serve", "--data", str(tmp_path)]) == 2
    assert "mentorkit init" in capsys.readouterr().err
