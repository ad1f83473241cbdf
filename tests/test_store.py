"""The store: revisions, concurrency, visibility in the read API, and refusing bad databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mentorkit.core import access
from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.store import SHARED, Store
from mentorkit.exceptions import (
    DatabaseDamaged,
    DatabaseTooNew,
    DataFolderUnwritable,
    NotAllowed,
    RefusedByDatabase,
    StaleRevision,
)

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL


def save(programme, ws, person, values, bases=None):
    store = programme.store
    if bases is None:
        bases = store.load(ws, programme.pair.id, person.id).revisions
    return store.save(ws, programme.pair.id, person.id, values, bases)


def test_save_appends_revisions_and_load_gives_the_latest(programme, first_session):
    save(programme, first_session, programme.mentor, {"mentor_background": "one"})
    save(programme, first_session, programme.mentee, {"mentor_background": "two"})
    snapshot = programme.store.load(first_session, programme.pair.id, programme.mentor.id)
    assert snapshot.values["mentor_background"] == "two"
    assert snapshot.saved_by == "Ben"
    history = programme.store.history(first_session, programme.pair.id, programme.mentor.id)
    assert [r.values["mentor_background"] for r in history] == ["one", "two"]
    assert [r.author for r in history] == ["Amara", "Ben"]
    assert all(r.spec_version == first_session.version for r in history)


def test_unchanged_save_adds_no_revision(programme, first_session):
    save(programme, first_session, programme.mentor, {"mentor_background": "same"})
    save(programme, first_session, programme.mentor, {"mentor_background": "same"})
    assert len(programme.store.history(first_session, programme.pair.id, programme.mentor.id)) == 1


def test_revisions_cannot_be_rewritten(programme, first_session):
    save(programme, first_session, programme.mentor, {"mentor_background": "kept"})
    with pytest.raises(RefusedByDatabase, match="append-only"):
        programme.store._db.execute("UPDATE revisions SET data = '{}'")
    with pytest.raises(RefusedByDatabase, match="append-only"):
        programme.store._db.execute("DELETE FROM revisions")


def test_a_stale_base_is_refused(programme, first_session):
    start = programme.store.load(first_session, programme.pair.id, programme.mentor.id).revisions
    save(programme, first_session, programme.mentee, {"mentee_background": "Ben's"})
    with pytest.raises(StaleRevision):
        save(programme, first_session, programme.mentor, {"mentor_background": "late"}, start)


def test_private_fields_stay_with_their_author(programme, first_session):
    save(
        programme,
        first_session,
        programme.mentor,
        {"first_impressions": "nervous", "mentor_background": "shared"},
    )
    mentee_view = programme.store.load(first_session, programme.pair.id, programme.mentee.id)
    assert mentee_view.values == {"mentor_background": "shared"}
    mine = programme.store.load(first_session, programme.pair.id, programme.mentor.id)
    assert mine.values["first_impressions"] == "nervous"
    assert (
        programme.store.history(
            first_session, programme.pair.id, programme.mentee.id, owner_id=programme.mentor.id
        )[0].values
        == {}
    )


def test_facilitator_sees_only_programme_fields(programme, every_type):
    store, pair = programme.store, programme.pair
    values = {"name": "Amara", "story": "private story", "confidence": 3}
    store.save(every_type, pair.id, programme.mentor.id, values, {programme.mentor.id: None})
    seen = store.load(every_type, pair.id, programme.facilitator.id, programme.mentor.id)
    assert seen.values == {"confidence": 3}
    partner = store.load(every_type, pair.id, programme.mentee.id, programme.mentor.id)
    assert partner.values == {"name": "Amara", "confidence": 3}
    status = store.status(every_type, pair.id, programme.mentor.id)
    assert (status.answered, status.label) == (1, "Complete")


def test_outsiders_can_neither_read_nor_write(programme, first_session):
    with pytest.raises(NotAllowed):
        programme.store.load(first_session, programme.pair.id, programme.outsider.id)
    with pytest.raises(NotAllowed):
        programme.store.save(
            first_session,
            programme.pair.id,
            programme.outsider.id,
            {"mentor_background": "x"},
            {SHARED: None},
        )


def test_status_counts_required_answers(programme, first_session):
    store = programme.store
    assert store.status(first_session, programme.pair.id).label == "Not started"
    save(programme, first_session, programme.mentor, {"mentor_background": "x"})
    status = store.status(first_session, programme.pair.id)
    assert (status.answered, status.counted, status.label) == (1, 6, "In progress")


def test_file_database_uses_wal_and_reopens(tmp_path: Path, first_session):
    path = tmp_path / "data" / "mentorkit.sqlite3"
    store = Store(path)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    programme = store.create_programme("Kept")
    store.close()
    again = Store(path)
    assert again.programme().name == programme.name
    assert again.schema_version == SCHEMA_VERSION


def test_newer_database_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer mentorkit"):
        Store(path)
    assert path.read_bytes() == before


def test_damaged_file_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="not a readable mentorkit database"):
        Store(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseDamaged, match="did not make"):
        Store(path)


def test_answers_that_do_not_fit_are_refused_at_the_store(programme, every_type):
    from mentorkit.exceptions import InvalidAnswer

    store, pair = programme.store, programme.pair
    for values, field in (
        ({"confidence": 9}, "confidence"),
        ({"name": "x" * 41}, "name"),
        ({"role": "boss"}, "role"),
        ({"started": "31/12/2024"}, "started"),
    ):
        with pytest.raises(InvalidAnswer) as caught:
            store.save(
                every_type, pair.id, programme.mentor.id, values, {programme.mentor.id: None}
            )
        assert caught.value.field_id == field
    assert store.history(every_type, pair.id, programme.mentor.id, programme.mentor.id) == []


def test_a_database_that_cannot_be_written_says_so_plainly(tmp_path):
    store = Store(tmp_path / "mentorkit.sqlite3")
    prog = store.create_programme("Read-only")
    person, _code = access.add_person(store, prog.id, "Amara")
    store._db.execute("PRAGMA query_only = ON")  # SQLite now refuses every write
    with pytest.raises(DataFolderUnwritable) as refused:
        store.audit("sign-in", person.id)
    message = str(refused.value)
    assert "cannot be written just now (the folder is read-only)" in message
    assert str(tmp_path) not in message  # shown to participants: no paths
    assert store.person(person.id).name == "Amara"  # reading goes on
    store._db.execute("PRAGMA query_only = OFF")
    store.audit("sign-in", person.id)  # and writing works again once it can
    store.close()
