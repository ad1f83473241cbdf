"""The set-up commands: import people, pair them, make and withdraw codes."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mentorkit.cli.main import main
from mentorkit.core import access
from mentorkit.core.store import Store

PEOPLE = (
    "name,email,role,years of experience,unit\n"
    "Ada Lovelace,ada@example.org,mentor,12,Research\n"
    "Bo Chen,bo@example.org,mentee,1,Research\n"
    "Cy Diaz,not-an-email,mentee,1,Lab\n"
    "Di Eze,di@example.org,mentee,2,Lab\n"
)


def test_import_pair_and_codes_from_the_command_line(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["init", "--data", data]) == 0
    sheet = tmp_path / "people.csv"
    sheet.write_text(PEOPLE)
    cards = tmp_path / "cards.pdf"
    assert (
        main(
            [
                "people",
                "import",
                str(sheet),
                "--yes",
                "--cards",
                str(cards),
                "--site",
                "http://10.0.0.5:8866",
                "--data",
                data,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Row 4: the email 'not-an-email' is not an email address" in out
    assert "Imported 3 people." in out
    assert "http://10.0.0.5:8866/signin?code=" in out
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cards.read_bytes())).pages)
    assert "Ada Lovelace" in text and "Di Eze" in text and "Cy Diaz" not in text
    assert main(["pair", "--mentor", "ada@example.org", "bo@example.org", "--data", data]) == 0
    assert "Created relationship 1: Ada Lovelace & Bo Chen" in capsys.readouterr().out
    assert main(["pair", "--mentor", "ada@example.org", "nobody@example.org", "--data", data]) == 2
    assert "Nobody in the programme has the email nobody@example.org" in capsys.readouterr().err
    assert main(["pair", "--kind", "peer", "bo@example.org", "--data", data]) == 2
    assert main(["codes", "withdraw", "bo@example.org", "--data", data]) == 0
    store = Store(tmp_path / "data" / "mentorkit.sqlite3")
    bo = next(p for p in store.people(1) if p.email == "bo@example.org")
    assert not store.person(bo.id).code_active
    assert main(["codes", "new", "bo@example.org", "--data", data]) == 0
    code = capsys.readouterr().out.split("signin?code=")[-1].strip()
    assert access.sign_in(store, code).id == bo.id
    assert main(["people", "list", "--data", data]) == 0
    listed = capsys.readouterr().out
    assert "bo@example.org" in listed and "Mentee" in listed
    store.close()


def test_nothing_is_imported_without_a_yes(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "data")
    main(["init", "--data", data])
    sheet = tmp_path / "people.csv"
    sheet.write_text(PEOPLE)
    monkeypatch.setattr("sys.stdin", Terminal(""))  # a person at a terminal, answering "n"
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["people", "import", str(sheet), "--data", data]) == 1
    assert "Nothing was imported." in capsys.readouterr().out
    store = Store(tmp_path / "data" / "mentorkit.sqlite3")
    assert [p.name for p in store.people(1)] == ["Facilitator"]
    store.close()


class Terminal(io.StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_without_a_terminal_import_asks_nothing_and_says_to_pass_yes(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "data")
    main(["init", "--data", data])
    sheet = tmp_path / "people.csv"
    sheet.write_text(PEOPLE)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a script or a scheduled job
    assert main(["people", "import", str(sheet), "--data", data]) != 0
    captured = capsys.readouterr()
    assert "--yes" in captured.err and "Traceback" not in captured.err
    assert "[y/N]" not in captured.out  # nothing was asked
    store = Store(tmp_path / "data" / "mentorkit.sqlite3")
    assert [p.name for p in store.people(1)] == ["Facilitator"]
    store.close()


def test_ctrl_d_at_the_question_imports_nothing(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "data")
    main(["init", "--data", data])
    sheet = tmp_path / "people.csv"
    sheet.write_text(PEOPLE)
    monkeypatch.setattr("sys.stdin", Terminal(""))

    def end_of_input(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    assert main(["people", "import", str(sheet), "--data", data]) == 1
    assert "Nothing was imported." in capsys.readouterr().out
    store = Store(tmp_path / "data" / "mentorkit.sqlite3")
    assert [p.name for p in store.people(1)] == ["Facilitator"]
    store.close()
