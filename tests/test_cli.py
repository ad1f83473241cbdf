"""The command line, called as ``main([...])``."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from mentorkit.cli.main import main
from mentorkit.core import access
from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.store import Store

SPECS = Path(__file__).resolve().parent / "specs"
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def test_check_passes_on_the_shipped_worksheets(capsys):
    assert main(["check"]) == 0
    assert "All is fine in" in capsys.readouterr().out


def test_check_names_the_pages_that_need_a_worksheet_the_folder_lacks(tmp_path, capsys):
    import shutil

    folder = tmp_path / "worksheets"
    shutil.copytree(Path(__file__).resolve().parent.parent / "worksheets", folder)
    (folder / "cpd-evidence.yaml").unlink()
    (folder / "programme.yaml").unlink()  # the plan would name it too
    assert main(["check", str(folder)]) == 0  # a note, not an error: the rest is usable
    captured = capsys.readouterr()
    assert "no 'cpd-evidence' worksheet" in captured.err
    assert "the portfolio's evidence" in captured.err
    assert "'session-notes'" not in captured.err  # only what is missing is named
    assert "All is fine in" in captured.out


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


def test_serve_refuses_nonsense_numbers_for_the_room(tmp_path, capsys):
    main(["init", "--demo", "--data", str(tmp_path)])
    capsys.readouterr()
    for option, says in (
        ("--expect", "--expect takes the number of people coming"),
        ("--max-pages", "--max-pages takes the most pages open at once"),
        ("--loads-at-once", "--loads-at-once takes the most pages loading at once"),
    ):
        assert main(["serve", "--data", str(tmp_path), option, "-1"]) == 2
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err


def test_the_start_up_line_says_what_the_machine_holds_and_lets_load(tmp_path, capsys):
    from mentorkit.cli.serving import room_for as _room
    from mentorkit.server.warm import LOADS_PER_CORE, machine_room, ready_for

    main(["init", "--demo", "--data", str(tmp_path)])
    store = Store(tmp_path / DATABASE_NAME)
    capsys.readouterr()
    room = _room(store, 40, None, None)
    cores, _free, limit = machine_room()
    ready = ready_for(40, limit)
    assert (room.expected, room.ready, room.slots) == (40, ready, cores)
    assert room.loads_at_once == LOADS_PER_CORE * cores
    said = capsys.readouterr().out
    assert said.startswith(f"Ready for 40 people: {ready} pages are prepared ahead")
    assert f"lets {LOADS_PER_CORE * cores} pages load at a time" in said
    room = _room(store, 0, 3, 1)
    assert (room.ready, room.limit, room.loads_at_once) == (0, 3, 1)
    assert "is set to hold 3 open pages at once, and lets 1 page load at a time" in (
        capsys.readouterr().out
    )
    store.close()


def test_export_agreement_writes_each_format(tmp_path, capsys, monkeypatch):
    from pypdf import PdfReader

    from mentorkit.core.spec_loader import load_folder
    from mentorkit.programme import agreement
    from mentorkit.ui.forms import WorksheetForm

    main(["init", "--demo", "--data", str(tmp_path)])
    code = CODE.findall(capsys.readouterr().out)[2]  # Amara's
    store = Store(tmp_path / DATABASE_NAME)
    worksheets = load_folder(Path(__file__).resolve().parent.parent / "worksheets")
    amara = access.sign_in(store, code)
    form = WorksheetForm(worksheets[agreement.AGREEMENT], store, amara, store.relationship(1))
    form.fields["purpose"].input.value = "Lead <script>x</script> well"
    form.flush()
    for fmt in ("pdf", "html", "md"):
        out = tmp_path / f"agreement.{fmt}"
        args = [
            "export",
            "agreement",
            "--relationship",
            "1",
            "--code",
            code,
            "--format",
            fmt,
            "--out",
            str(out),
            "--data",
            str(tmp_path),
        ]
        assert main(args) == 0
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "agreement.pdf").pages)
    assert "Lead <script>x</script> well" in pdf_text
    html_text = (tmp_path / "agreement.html").read_text()
    assert "&lt;script&gt;" in html_text and "<script" not in html_text
    assert "Version 1" in (tmp_path / "agreement.md").read_text()


def test_export_refuses_someone_elses_relationship(tmp_path, capsys):
    main(["init", "--demo", "--data", str(tmp_path)])
    code = CODE.findall(capsys.readouterr().out)[2]  # Amara's: relationship 1 only
    args = [
        "export",
        "agreement",
        "--relationship",
        "2",
        "--code",
        code,
        "--data",
        str(tmp_path),
        "--out",
        str(tmp_path / "x.pdf"),
    ]
    assert main(args) == 2
    assert "not yours" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
