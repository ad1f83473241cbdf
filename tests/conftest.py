"""Shared fixtures: an in-memory store with a small programme, and the shipped worksheets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from mentorkit.cli.main import main
from mentorkit.core import access
from mentorkit.core.models import Person, Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.spec_loader import load_folder, load_worksheet
from mentorkit.core.store import Store
from mentorkit.ui.forms import guard

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "specs"
collect_ignore_glob = ["specs/*"]  # kit files for `check` to judge (broken notebooks among them)


@dataclass
class Programme:
    store: Store
    facilitator: Person
    mentor: Person
    mentee: Person
    outsider: Person
    pair: Relationship
    codes: dict[str, str]


_FOLDER_VARIABLES = (
    "MENTORKIT_KIT",
    "MENTORKIT_WORKSHEETS",
    "MENTORKIT_NOTEBOOKS",
    "MENTORKIT_DATA",
    "MENTORKIT_STORE",
)


@pytest.fixture(autouse=True)
def _folders_as_they_were():
    """Commands run in the test process set the kit and data folders in the environment (for
    what they start): put them back after each test."""
    import os

    before = {name: os.environ.get(name) for name in _FOLDER_VARIABLES}
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _no_page_guard_left_over():
    """A page drawn by one test guards this process until released: release it after each."""
    yield
    guard.release()


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test module that sets ``BOTH_ENGINES = True`` runs each of its tests that use the
    store on SQLite and on PostgreSQL."""
    if getattr(metafunc.module, "BOTH_ENGINES", False) and "store" in metafunc.fixturenames:
        metafunc.parametrize("store", ENGINES, indirect=True)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole run (started the first time a test needs it)."""
    from mentorkit.postgres_server import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres, request) -> str:
    """A new, empty PostgreSQL database for one test."""
    import re
    import uuid

    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + uuid.uuid4().hex[:8]
    return postgres.url(name)


@pytest.fixture
def store(request) -> Store:
    default = os.environ.get("MENTORKIT_TEST_ENGINE", "sqlite")  # postgresql: every test on it
    if getattr(request, "param", default) == "postgresql":
        db = Store(request.getfixturevalue("postgres_url"))
    else:
        db = Store(":memory:")
    yield db
    db.close()


@pytest.fixture
def programme(store: Store) -> Programme:
    prog = store.create_programme("Test programme")
    facilitator, fcode = access.add_person(store, prog.id, "Fran", is_facilitator=True)
    mentor, mcode = access.add_person(store, prog.id, "Amara")
    mentee, ecode = access.add_person(store, prog.id, "Ben")
    outsider, ocode = access.add_person(store, prog.id, "Olu")
    other, _ = access.add_person(store, prog.id, "Pat")
    pair = store.add_relationship(
        prog.id, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
    )
    store.add_relationship(prog.id, "peer", [(outsider.id, "peer"), (other.id, "peer")])
    codes = {"facilitator": fcode, "mentor": mcode, "mentee": ecode, "outsider": ocode}
    return Programme(store, facilitator, mentor, mentee, outsider, pair, codes)


@pytest.fixture(scope="session")
def shipped() -> dict[str, Worksheet]:
    return load_folder(ROOT / "worksheets")


@pytest.fixture(scope="session")
def first_session(shipped: dict[str, Worksheet]) -> Worksheet:
    return shipped["getting-to-know-each-other"]


@pytest.fixture(scope="session")
def every_type() -> Worksheet:
    return load_worksheet(SPECS / "valid" / "every-field-type.yaml")


@pytest.fixture
def demo(tmp_path, monkeypatch, capsys):
    """The demo programme in a temporary data folder; returns each person's code by name."""
    main(["init", "--demo", "--data", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    codes = {
        line.split("  ")[1].strip(): line.split()[-2] for line in lines if "signin?code=" in line
    }
    monkeypatch.setenv("MENTORKIT_DATA", str(tmp_path))
    monkeypatch.delenv("MENTORKIT_STRICT", raising=False)
    monkeypatch.delenv("VOILA_REQUEST_URL", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return codes
