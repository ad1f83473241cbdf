"""``mentorkit store copy``: a programme moved from SQLite to PostgreSQL and back, row for row;
refused into a database that is not empty, and nothing left behind by a copy that fails. And
``--store``: the commands on a PostgreSQL programme, and addresses that do not work."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from mentorkit.cli.main import main
from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.core.store import copy as store_copy
from mentorkit.core.store.engine import open_engine
from mentorkit.exceptions import ConfigError
from mentorkit.testing import free_port


def everything(location: str) -> dict[str, list[tuple]]:
    """Every row of every table, in one order whatever the engine."""
    engine = open_engine(location)
    try:
        return {t: store_copy._ordered(store_copy._rows(engine, t)) for t in store_copy.TABLES}
    finally:
        engine.close()


@pytest.fixture
def codes(demo) -> dict[str, str]:
    return demo


@pytest.fixture
def filled(demo, tmp_path, first_session) -> Path:
    """The demo programme's file, with an answer saved."""
    database = tmp_path / "mentorkit.sqlite3"
    store = Store(database)
    sheet = first_session
    amara = access.sign_in(store, demo["Amara Okafor"], client="test")
    pair = store.relationships_of(amara.id)[0]
    bases = store.load(sheet, pair.id, amara.id).revisions
    store.save(sheet, pair.id, amara.id, {"mentor_background": "Nurse, then ward manager"}, bases)
    store.close()
    return database


def test_a_programme_goes_to_postgresql_and_back_row_for_row(
    filled, codes, postgres, capsys, tmp_path
):
    url = postgres.url("copied")
    assert main(["store", "copy", str(filled.parent), url]) == 0
    said = capsys.readouterr().out
    assert "every one checked against the original" in said
    assert "mentorkit-test" not in said  # no password printed
    original = everything(str(filled))
    assert everything(url) == original
    assert original["revisions"] and original["people"] and original["audit"]

    back = tmp_path / "back" / "mentorkit.sqlite3"
    back.parent.mkdir()
    assert main(["store", "copy", url, str(back)]) == 0
    assert everything(str(back)) == original

    on_postgres = Store(url)  # the same codes sign in; new rows get new ids
    amara = access.sign_in(on_postgres, codes["Amara Okafor"], client="test")
    newcomer, _code = access.add_person(on_postgres, amara.programme_id, "Newcomer")
    assert newcomer.id > max(p.id for p in on_postgres.people(amara.programme_id) if p != newcomer)
    on_postgres.close()


def test_a_copy_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    filled, postgres, capsys, tmp_path
):
    url = postgres.url("taken")
    assert main(["store", "copy", str(filled), url]) == 0
    before = everything(url)
    assert main(["store", "copy", str(filled), url]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert everything(url) == before

    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(filled.read_bytes())
    assert main(["store", "copy", url, str(existing)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == filled.read_bytes()


def test_a_copy_that_does_not_match_keeps_nothing(filled, postgres, monkeypatch, capsys, tmp_path):
    real_rows = store_copy._rows

    def losing_a_revision(engine, table):
        rows = real_rows(engine, table)
        if table == "revisions" and engine.location != str(filled):
            return rows[1:]  # as if the copy had lost one
        return rows

    monkeypatch.setattr(store_copy, "_rows", losing_a_revision)
    url = postgres.url("mismatch")
    assert main(["store", "copy", str(filled), url]) == 2
    assert "does not match the original, so nothing was kept" in capsys.readouterr().err
    with psycopg.connect(url) as db:
        assert db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone() == (0,)
    target = tmp_path / "out" / "mentorkit.sqlite3"
    target.parent.mkdir()
    monkeypatch.setattr(store_copy, "_rows", real_rows)
    assert main(["store", "copy", str(filled), url + "x"]) == 2  # no such database
    assert list(target.parent.iterdir()) == []


def test_the_commands_work_on_a_programme_kept_in_postgresql(postgres, tmp_path, capsys):
    url = postgres.url("commands")
    assert main(["init", "--demo", "--store", url, "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mentorkit-test" not in out
    assert not (tmp_path / "mentorkit.sqlite3").exists()  # nothing went to the data folder
    store = Store(url)
    assert len(store.people(store.programme().id)) >= 7
    store.close()
    assert main(["backup", "--store", url, "--data", str(tmp_path)]) == 2
    assert "pg_dump" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("store", "said"),
    [
        ("postgresql://mentorkit:mentorkit-test@127.0.0.1:{free}/x", "nothing answers at that address"),
        ("postgresql://mentorkit:wrong@127.0.0.1:{port}/postgres", "refused the user name or password"),
        ("mysql://somewhere/x", "take a postgresql://"),
    ],
)  # fmt: skip
def test_serve_on_a_store_it_cannot_use_says_why_and_exits_non_zero(
    postgres, tmp_path, capsys, store, said
):
    store = store.format(free=free_port(), port=postgres.port)
    assert main(["serve", "--store", store, "--data", str(tmp_path), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "wrong@" not in err and "mentorkit-test" not in err  # passwords never shown
    assert "Traceback" not in err


def test_a_store_address_of_another_kind_is_refused_and_makes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for address in ("mysql://somewhere/x", "sqlite:///programme.db"):
        with pytest.raises(ConfigError, match="take a postgresql://"):
            Store(address)
    assert list(tmp_path.iterdir()) == []  # no folder named after the address


def test_init_gives_the_facilitator_an_email_address_for_the_hub(postgres, tmp_path, capsys):
    url = postgres.url("facilitator")
    assert main(["init", "--store", url, "--facilitator", "Fran Fletcher",
                 "--facilitator-email", "Fran@Example.org", "--data", str(tmp_path)]) == 0  # fmt: skip
    store = Store(url)
    (fran,) = store.people(store.programme().id)
    assert (fran.name, fran.email, fran.is_facilitator) == (
        "Fran Fletcher",
        "fran@example.org",
        True,
    )
    store.close()
    again = postgres.url("facilitator_bad")
    assert main(["init", "--store", again, "--facilitator-email", "fran at example"]) == 2
    assert "is not an email address" in capsys.readouterr().err
