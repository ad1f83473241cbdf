"""Backups: one .zip made safely while the programme is in use, restored only when whole."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mentorkit import __version__, access
from mentorkit.backup import BackupInfo, make_backup, read_backup, restore_backup
from mentorkit.cli import main
from mentorkit.demo import create_demo, create_programme
from mentorkit.exceptions import BackupError
from mentorkit.migrations import MIGRATIONS, SCHEMA_VERSION
from mentorkit.paths import DATABASE_NAME
from mentorkit.spec_loader import load_folder
from mentorkit.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKSHEETS = ROOT / "worksheets"
SHEETS = load_folder(WORKSHEETS)
STAMPED = re.compile(r"mentorkit\.sqlite3\.before-restore-\d{8}-\d{6}$")

# (worksheet, relationship number in the demo, author's name, answers)
ANSWERS = [
    (
        "getting-to-know-each-other",
        1,
        "Amara Okafor",
        {"mentor_background": "Twenty years of clinical photography.", "mentee_hopes": "Nerve"},
    ),
    (
        "reflection-journal",
        1,
        "Ben Hughes",
        {"entries": [{"session": 1, "happened": "We met; I said little.", "share": False}]},
    ),
    ("mentoring-agreement", 2, "Chloe Martin", {"purpose": "Swap what we know about 3D scans."}),
]


class Demo:
    """The demo programme in ``folder`` with a few saved answers; ``store`` is left open, so
    the answers are still in the WAL and not yet in the database file itself."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / DATABASE_NAME
        self.store = Store(self.database)
        _programme, invitations = create_demo(self.store)
        self.codes = {i.person.name: i.code for i in invitations}
        self.ids = {i.person.name: i.person.id for i in invitations}
        for sheet, relationship, author, values in ANSWERS:
            bases = self.store.load(SHEETS[sheet], relationship, self.ids[author]).revisions
            self.store.save(SHEETS[sheet], relationship, self.ids[author], values, bases)


@pytest.fixture
def demo(tmp_path):
    made = Demo(tmp_path / "live")
    yield made
    made.store.close()


@pytest.fixture
def backup_file(demo, tmp_path) -> Path:
    return make_backup(demo.database, tmp_path / "backup.zip", WORKSHEETS).path


def database_in(zip_path: Path, folder: Path) -> sqlite3.Connection:
    """A connection to the database inside a backup, extracted into ``folder``."""
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extract(DATABASE_NAME, folder)
    return sqlite3.connect(folder / DATABASE_NAME)


def old_programme(folder: Path) -> Path:
    """A folder holding another programme, closed cleanly; returns its database."""
    store = Store(folder / DATABASE_NAME)
    create_programme(store, "Old programme", "Olu")
    store.close()
    return folder / DATABASE_NAME


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- making a backup ---------------------------------------------------------------------


def test_backup_is_consistent_while_another_connection_writes(demo, tmp_path):
    wal = Path(f"{demo.database}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the answers are only in the WAL so far
    naive = tmp_path / "naive"
    naive.mkdir()
    shutil.copy(demo.database, naive / DATABASE_NAME)  # what a plain file copy would get
    with sqlite3.connect(naive / DATABASE_NAME) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0

    writer = Store(demo.database)
    writer._db.execute("BEGIN IMMEDIATE")
    writer._db.execute(
        "INSERT INTO programmes (name, created_at) VALUES ('Not committed', '2026-01-01')"
    )
    try:
        info = make_backup(demo.database, tmp_path / "backup.zip", WORKSHEETS)
    finally:
        writer._db.execute("ROLLBACK")
        writer.close()

    assert (info.programme, info.people, info.relationships, info.revisions) == (
        "Demo mentoring programme",
        9,
        3,
        len(ANSWERS),
    )
    with database_in(info.path, tmp_path / "out") as db:
        assert db.execute("SELECT name FROM programmes").fetchall() == [
            ("Demo mentoring programme",)
        ]
        assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == len(ANSWERS)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained


def test_manifest_describes_the_backup_and_checksums_the_database(backup_file):
    with zipfile.ZipFile(backup_file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        digest = hashlib.sha256(archive.read(DATABASE_NAME)).hexdigest()
        names = set(archive.namelist())
    assert manifest["format"] == "mentorkit-backup" and manifest["format_version"] == 1
    assert manifest["mentorkit_version"] == __version__
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["programme"] == "Demo mentoring programme"
    assert manifest["counts"] == {"people": 9, "relationships": 3, "revisions": len(ANSWERS)}
    assert manifest["database"]["sha256"] == digest
    created = datetime.fromisoformat(manifest["created_at"])
    assert created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - created).total_seconds()) < 120
    assert "worksheets/mentoring-agreement.yaml" in names
    assert "worksheets/frameworks/mentor-competencies.yaml" in names
    assert set(manifest["worksheets"]) == {n.removeprefix("worksheets/") for n in names} - {
        "manifest.json",
        DATABASE_NAME,
    }


def test_a_failed_backup_leaves_no_file_behind(demo, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    out = folder / "backup.zip"
    out.write_bytes(b"yesterday's backup")

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        make_backup(demo.database, out, WORKSHEETS)
    assert snapshot(folder) == {"backup.zip": b"yesterday's backup"}


def test_describe_is_one_plain_line():
    info = BackupInfo(
        programme="Demo mentoring programme",
        created_at=datetime(2026, 11, 23, 15, 20, 41, tzinfo=timezone.utc),
        schema_version=SCHEMA_VERSION,
        mentorkit_version=__version__,
        people=9,
        relationships=3,
        revisions=14,
        sha256="0" * 64,
        size=1,
        worksheets={},
    )
    assert info.describe() == (
        "Backup of 'Demo mentoring programme' made 23 Nov 2026 15:20 UTC: 9 people, "
        "3 relationships, 14 saved revisions."
    )
    one = BackupInfo(**{**info.__dict__, "people": 1, "relationships": 1, "revisions": 1})
    assert "1 person, 1 relationship, 1 saved revision." in one.describe()


# --- restoring ---------------------------------------------------------------------------


def test_restore_into_an_empty_folder_gives_back_people_answers_and_codes(
    demo, backup_file, tmp_path
):
    target = tmp_path / "new" / "data"
    info = restore_backup(backup_file, target)
    assert info.kept_aside is None
    assert info.worksheets_restored_to == target / "restored-worksheets"
    restored = Store(target / DATABASE_NAME)
    try:
        programme = restored.programme()
        assert programme.name == "Demo mentoring programme"
        assert restored.people(programme.id) == demo.store.people(programme.id)
        assert restored.relationships(programme.id) == demo.store.relationships(programme.id)
        for sheet, relationship, author, values in ANSWERS:
            got = restored.load(SHEETS[sheet], relationship, demo.ids[author])
            assert got == demo.store.load(SHEETS[sheet], relationship, demo.ids[author])
            assert {k: got.values[k] for k in values} == values
        person = access.sign_in(restored, demo.codes["Amara Okafor"])
        assert person.id == demo.ids["Amara Okafor"]
    finally:
        restored.close()
    shipped = {p.relative_to(WORKSHEETS) for p in WORKSHEETS.rglob("*.yaml")}
    copied = {p.relative_to(info.worksheets_restored_to) for p in target.rglob("*.yaml")}
    assert copied == shipped
    for name in shipped:
        assert (target / "restored-worksheets" / name).read_bytes() == (
            WORKSHEETS / name
        ).read_bytes()
    assert sorted(p.name for p in target.iterdir()) == [DATABASE_NAME, "restored-worksheets"]


def test_restore_over_a_programme_needs_force_and_keeps_the_old_one(backup_file, tmp_path):
    folder = tmp_path / "existing"
    folder.mkdir()
    # A programme whose last changes are still in its WAL (as after a crash).
    store = Store(folder / "live.sqlite3")
    create_programme(store, "Old programme", "Olu")
    shutil.copy(folder / "live.sqlite3", folder / DATABASE_NAME)
    shutil.copy(folder / "live.sqlite3-wal", folder / f"{DATABASE_NAME}-wal")
    store.close()
    for leftover in folder.glob("live.sqlite3*"):
        leftover.unlink()
    before = snapshot(folder)

    with pytest.raises(BackupError) as refused:
        restore_backup(backup_file, folder)
    message = str(refused.value)
    assert "already holds the programme 'Old programme'" in message
    assert "Add --force to replace it" in message
    assert "mentorkit.sqlite3.before-restore-" in message
    assert snapshot(folder) == before

    info = restore_backup(backup_file, folder, force=True)
    assert info.kept_aside is not None and STAMPED.search(info.kept_aside.name)
    assert not Path(f"{info.kept_aside}-wal").exists()  # checkpointed into the kept copy
    kept = Store(info.kept_aside)
    current = Store(folder / DATABASE_NAME)
    try:
        assert kept.programme().name == "Old programme"
        assert current.programme().name == "Demo mentoring programme"
    finally:
        kept.close()
        current.close()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [DATABASE_NAME, info.kept_aside.name, "restored-worksheets"]
    )


def test_restore_refuses_while_the_programme_is_open(backup_file, tmp_path):
    database = old_programme(tmp_path / "existing")
    server = Store(database)  # as `mentorkit serve` would hold it
    try:
        with pytest.raises(BackupError, match="is in use"):
            restore_backup(backup_file, database.parent, force=True)
        assert server.programme().name == "Old programme"
        assert not list(database.parent.glob("*before-restore*"))
    finally:
        server.close()


def test_an_older_schema_is_brought_up_to_date(tmp_path):
    old = tmp_path / "old" / DATABASE_NAME
    old.parent.mkdir()
    with sqlite3.connect(old) as db:
        for step in (1, 2):
            for statement in MIGRATIONS[step]:
                db.execute(statement)
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO programmes (name, created_at) VALUES ('Older', '2025-01-01')")
    db.close()
    info = make_backup(old, tmp_path / "old.zip")
    assert info.schema_version == 2
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2  # the backup changed nothing
    db.close()
    restore_backup(info.path, tmp_path / "new")
    store = Store(tmp_path / "new" / DATABASE_NAME)
    assert (store.schema_version, store.programme().name) == (SCHEMA_VERSION, "Older")
    store.close()


# --- refusing bad backups ----------------------------------------------------------------


def rebuild(good: Path, bad: Path, change) -> Path:
    """A copy of the backup ``good`` with ``change(entries, scratch)`` applied to its files."""
    with zipfile.ZipFile(good) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    change(entries, bad.parent)
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return bad


def edit_database(entries: dict[str, bytes], scratch: Path, sql: str) -> None:
    copy = scratch / "edited.sqlite3"
    copy.write_bytes(entries[DATABASE_NAME])
    with sqlite3.connect(copy) as db:
        db.executescript(sql)
    db.close()
    entries[DATABASE_NAME] = copy.read_bytes()
    copy.unlink()


def reseal(entries: dict[str, bytes], **manifest_changes) -> None:
    """Make the manifest match the (changed) database again."""
    manifest = json.loads(entries["manifest.json"])
    manifest["database"]["sha256"] = hashlib.sha256(entries[DATABASE_NAME]).hexdigest()
    manifest["database"]["bytes"] = len(entries[DATABASE_NAME])
    manifest.update(manifest_changes)
    entries["manifest.json"] = json.dumps(manifest).encode()


def not_a_backup(good: Path, bad: Path) -> Path:
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("holiday-photos/readme.txt", "Not a backup")
    return bad


def not_a_zip(good: Path, bad: Path) -> Path:
    bad.write_text("name,email\nAmara,amara@example.org\n")
    return bad


def truncated(good: Path, bad: Path) -> Path:
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return bad


def altered(good: Path, bad: Path) -> Path:
    return rebuild(
        good,
        bad,
        lambda e, s: edit_database(e, s, "UPDATE programmes SET name = 'Tampered'"),
    )


def without_database(good: Path, bad: Path) -> Path:
    return rebuild(good, bad, lambda e, s: e.pop(DATABASE_NAME))


def invalid_manifest(good: Path, bad: Path) -> Path:
    return rebuild(good, bad, lambda e, s: e.update({"manifest.json": b"{not json"}))


def newer_schema(good: Path, bad: Path) -> Path:
    def change(entries, scratch):
        edit_database(entries, scratch, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        reseal(entries, schema_version=SCHEMA_VERSION + 1)

    return rebuild(good, bad, change)


def newer_database_than_its_manifest(good: Path, bad: Path) -> Path:
    def change(entries, scratch):
        edit_database(entries, scratch, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        reseal(entries)

    return rebuild(good, bad, change)


def index_out_of_step(good: Path, bad: Path) -> Path:
    """A database that opens and reads, but whose index no longer matches its table."""

    def change(entries, scratch):
        edit_database(
            entries,
            scratch,
            "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = "
            "'CREATE INDEX members_by_person ON members (role)' WHERE name = 'members_by_person'",
        )
        reseal(entries)

    return rebuild(good, bad, change)


BAD_BACKUPS = [
    (not_a_backup, "is not a mentorkit backup (it has no manifest.json)", True),
    (not_a_zip, "is not a zip file, or only part of one", True),
    (truncated, "is not a zip file, or only part of one", True),
    (invalid_manifest, "is not a mentorkit backup", True),
    (altered, "is damaged (mentorkit.sqlite3 does not match the checksum", True),
    (without_database, "is damaged (the database mentorkit.sqlite3 is missing", True),
    (newer_schema, "made by a newer mentorkit (database schema", True),
    (newer_database_than_its_manifest, "made by a newer mentorkit (database schema", False),
    (index_out_of_step, "is damaged (its database fails SQLite's integrity check", False),
]


@pytest.mark.parametrize(
    ("make", "message", "read_refuses"), BAD_BACKUPS, ids=[b[0].__name__ for b in BAD_BACKUPS]
)
def test_a_bad_backup_is_refused_and_the_programme_is_untouched(
    make, message, read_refuses, backup_file, tmp_path
):
    (tmp_path / "bad").mkdir()
    bad = make(backup_file, tmp_path / "bad" / "bad.zip")
    database = old_programme(tmp_path / "existing")
    before = snapshot(database.parent)

    if read_refuses:
        with pytest.raises(BackupError, match=re.escape(message)):
            read_backup(bad)
    else:
        assert read_backup(bad).programme == "Demo mentoring programme"
    with pytest.raises(BackupError, match=re.escape(message)) as refused:
        restore_backup(bad, database.parent, force=True)
    assert "Nothing was changed" in str(refused.value)
    assert snapshot(database.parent) == before
    assert sorted(p.name for p in database.parent.iterdir()) == [DATABASE_NAME]


# --- the command line --------------------------------------------------------------------


def test_command_line_round_trip(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    source, target = tmp_path / "source", tmp_path / "target"
    assert main(["init", "--demo", "--data", str(source)]) == 0
    capsys.readouterr()

    assert main(["backup", "--data", str(source)]) == 0
    out = capsys.readouterr().out
    made = list(tmp_path.glob("mentorkit-backup-*.zip"))
    assert len(made) == 1
    assert re.fullmatch(r"mentorkit-backup-demo-mentoring-programme-\d{8}-\d{4}\.zip", made[0].name)
    assert "Backup of 'Demo mentoring programme' made " in out
    assert "9 people, 3 relationships, 0 saved revisions." in out
    assert f"Saved to {made[0]}" in out

    assert main(["restore", str(made[0]), "--data", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Restored into {target}" in out
    assert str(target / "restored-worksheets") in out

    assert main(["restore", str(made[0]), "--data", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mentorkit: This folder") and "Add --force" in err

    assert main(["restore", str(made[0]), "--data", str(target), "--force"]) == 0
    out = capsys.readouterr().out
    kept = re.search(r"kept as (\S+)", out)
    assert kept and STAMPED.search(kept.group(1)) and Path(kept.group(1)).is_file()

    lean = tmp_path / "lean.zip"
    assert main(["backup", "--data", str(source), "--out", str(lean), "--no-worksheets"]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(lean) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", DATABASE_NAME]

    (tmp_path / "notes.zip").write_bytes(b"PK not really")
    assert main(["restore", str(tmp_path / "notes.zip"), "--data", str(target), "--force"]) == 2
    assert "mentorkit: " in capsys.readouterr().err
    assert main(["backup", "--data", str(tmp_path / "nowhere")]) == 2
    assert "no programme database" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()
