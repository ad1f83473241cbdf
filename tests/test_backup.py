"""Backups: one .zip made safely while the programme is in use, restored only when whole."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import struct
import time
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from mentorkit import __version__
from mentorkit.cli.main import main
from mentorkit.core import access
from mentorkit.core.migrations import MIGRATIONS, SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.exceptions import BackupError
from mentorkit.io.backup.archive import BackupInfo
from mentorkit.io.backup.make import make_backup
from mentorkit.io.backup.read import read_backup
from mentorkit.io.backup.restore import restore_backup
from mentorkit.programme.demo import create_demo, create_programme

ROOT = Path(__file__).resolve().parent.parent
WORKSHEETS = ROOT / "worksheets"
NOTEBOOKS = ROOT / "notebooks"
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
    return make_backup(demo.database, tmp_path / "backup.zip", WORKSHEETS, NOTEBOOKS).path


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
    assert manifest["format"] == "mentorkit-backup" and manifest["format_version"] == 2
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
    assert "notebooks/home.ipynb" in names and "notebooks/analysis/programme-data.ipynb" in names
    listed = {f"{part}/{name}" for part in ("worksheets", "notebooks") for name in manifest[part]}
    assert listed == names - {"manifest.json", DATABASE_NAME}


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
    assert info.kit_restored_to == target / "restored-kit"
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
    for part, pattern in ((WORKSHEETS, "*.yaml"), (NOTEBOOKS, "*.ipynb")):
        kit_part = info.kit_restored_to / part.name
        shipped = {
            p.relative_to(part) for p in part.rglob(pattern) if ".ipynb_checkpoints" not in p.parts
        }
        assert {p.relative_to(kit_part) for p in kit_part.rglob(pattern)} == shipped
        for name in shipped:
            assert (kit_part / name).read_bytes() == (part / name).read_bytes()
    assert sorted(p.name for p in target.iterdir()) == [DATABASE_NAME, "restored-kit"]


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
        [DATABASE_NAME, info.kept_aside.name, "restored-kit"]
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


def notebook_outside_its_folder(good: Path, bad: Path) -> Path:
    def change(entries, scratch):
        entries["notebooks/../../evil.ipynb"] = b"{}"
        manifest = json.loads(entries["manifest.json"])
        manifest["notebooks"]["../../evil.ipynb"] = hashlib.sha256(b"{}").hexdigest()
        entries["manifest.json"] = json.dumps(manifest).encode()

    return rebuild(good, bad, change)


def altered_notebook(good: Path, bad: Path) -> Path:
    def change(entries, scratch):
        entries["notebooks/home.ipynb"] = entries["notebooks/home.ipynb"].replace(
            b"home()", b"__import__('os').system('rm -rf ~')"
        )

    return rebuild(good, bad, change)


BAD_BACKUPS = [
    (notebook_outside_its_folder, "incomplete: unexpected notebooks file name", True),
    (altered_notebook, "is damaged (notebooks/home.ipynb does not match the checksum", True),
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
    assert str(target / "restored-kit") in out
    assert "goes on using the kit shipped with mentorkit" in out

    assert main(["restore", str(made[0]), "--data", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mentorkit: This folder") and "Add --force" in err

    assert main(["restore", str(made[0]), "--data", str(target), "--force"]) == 0
    out = capsys.readouterr().out
    kept = re.search(r"kept as (\S+)", out)
    assert kept and STAMPED.search(kept.group(1)) and Path(kept.group(1)).is_file()

    lean = tmp_path / "lean.zip"
    assert main(["backup", "--data", str(source), "--out", str(lean), "--no-kit"]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(lean) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", DATABASE_NAME]

    (tmp_path / "notes.zip").write_bytes(b"PK not really")
    assert main(["restore", str(tmp_path / "notes.zip"), "--data", str(target), "--force"]) == 2
    assert "mentorkit: " in capsys.readouterr().err
    assert main(["backup", "--data", str(tmp_path / "nowhere")]) == 2
    assert "no programme database" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


# --- backups built to do harm ----------------------------------------------------------------

ZEROS_MB = 1 << 20
GIB = 1 << 30
GIB_OF_ZEROS_SHA256 = "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14"
GIB_OF_ZEROS_CRC = 1533330096
"""The SHA-256 and CRC-32 of 1 GiB of zero bytes, worked out once, so a bomb in a test can
carry the right checksums (and pass every check that reads its headers only) for nothing."""


def deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MiB of zero bytes, about 1 KB per MiB, built
    without compressing them all: each MiB is its own block, reset by a full flush."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(ZEROS_MB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


_HEADER = "HHHHHIIIHH"  # version needed, flags, method, time, date, crc, sizes, name, extra


def hand_made_zip(path: Path, members: list[tuple]) -> Path:
    """A zip written byte by byte, so its headers can say what we like. Each member is
    ``(name, method, packed bytes, crc, unpacked size[, flags])``."""
    body, directory = b"", b""
    for name, method, packed, crc, size, *flags in members:
        encoded = name.encode()
        header = (20, *(flags or [0]), method, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        directory += struct.pack(
            f"<IH{_HEADER}HHHII", 0x02014B50, 20, *header, 0, 0, 0, 0, len(body)
        )
        body += struct.pack(f"<I{_HEADER}", 0x04034B50, *header) + encoded + packed
        directory += encoded
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def stored(name: str, data: bytes) -> tuple:
    return (name, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data))


def manifest_for(good: Path, **database) -> bytes:
    """The manifest of the backup ``good``, without its kit, its database entry changed."""
    with zipfile.ZipFile(good) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["worksheets"] = manifest["notebooks"] = {}
    manifest["database"].update(database)
    return json.dumps(manifest).encode()


def database_bomb(good: Path, bad: Path) -> Path:
    """A database of 1 GiB of zeros packed into about 1 MB, with its true size, CRC and
    SHA-256 in every header and in the manifest: nothing is wrong with it but its size."""
    manifest = manifest_for(good, bytes=GIB, sha256=GIB_OF_ZEROS_SHA256)
    bomb = (DATABASE_NAME, zipfile.ZIP_DEFLATED, deflated_zeros(1024), GIB_OF_ZEROS_CRC, GIB)
    return hand_made_zip(bad, [stored("manifest.json", manifest), bomb])


def manifest_bomb(good: Path, bad: Path) -> Path:
    zeros = zlib.crc32(bytes(64 * ZEROS_MB))
    bomb = ("manifest.json", zipfile.ZIP_DEFLATED, deflated_zeros(64), zeros, 64 * ZEROS_MB)
    with zipfile.ZipFile(good) as archive:
        database = archive.read(DATABASE_NAME)
    return hand_made_zip(bad, [bomb, stored(DATABASE_NAME, database)])


def worksheet_bomb(good: Path, bad: Path) -> Path:
    size = 64 * ZEROS_MB
    with zipfile.ZipFile(good) as archive:
        database = archive.read(DATABASE_NAME)
        manifest = json.loads(archive.read("manifest.json"))
    manifest["worksheets"] = {"goals.yaml": hashlib.sha256(bytes(size)).hexdigest()}
    manifest["notebooks"] = {}
    bomb = (
        "worksheets/goals.yaml",
        zipfile.ZIP_DEFLATED,
        deflated_zeros(64),
        zlib.crc32(bytes(size)),
        size,
    )
    return hand_made_zip(
        bad,
        [
            stored("manifest.json", json.dumps(manifest).encode()),
            stored(DATABASE_NAME, database),
            bomb,
        ],
    )


class Unpacking:
    """Every member opened, and how many bytes were read out of each, during a block."""

    def __init__(self, monkeypatch):
        self.opened: list[str] = []
        self.read: dict[str, int] = {}
        open_member, read_member = zipfile.ZipFile.open, zipfile.ZipExtFile.read

        def spy_open(archive, name, *args, **kwargs):
            self.opened.append(getattr(name, "filename", name))
            return open_member(archive, name, *args, **kwargs)

        def spy_read(member, n=-1):
            data = read_member(member, n)
            self.read[member.name] = self.read.get(member.name, 0) + len(data)
            return data

        monkeypatch.setattr(zipfile.ZipFile, "open", spy_open)
        monkeypatch.setattr(zipfile.ZipExtFile, "read", spy_read)


BOMBS = [
    (database_bomb, DATABASE_NAME, "would unpack from 1.0 MB to 1.0 GB, over 1,011 times"),
    (manifest_bomb, "manifest.json", "says it unpacks to 64.0 MB, more than the 1.0 MB"),
    (worksheet_bomb, "worksheets/goals.yaml", "says it unpacks to 64.0 MB, more than the 1.0 MB"),
]


@pytest.mark.parametrize(("make", "member", "message"), BOMBS, ids=[b[0].__name__ for b in BOMBS])
def test_a_zip_bomb_is_refused_before_anything_is_unpacked(
    make, member, message, backup_file, tmp_path, monkeypatch
):
    (tmp_path / "bad").mkdir()
    bad = make(backup_file, tmp_path / "bad" / "bomb.zip")
    assert bad.stat().st_size < 2 * ZEROS_MB
    database = old_programme(tmp_path / "existing")
    before = snapshot(database.parent)
    fresh = tmp_path / "fresh" / "data"
    unpacking = Unpacking(monkeypatch)

    started = time.monotonic()
    with pytest.raises(BackupError) as read:
        read_backup(bad)
    with pytest.raises(BackupError) as over:
        restore_backup(bad, database.parent, force=True)
    with pytest.raises(BackupError) as into:
        restore_backup(bad, fresh)
    assert time.monotonic() - started < 2  # unpacking 1 GiB takes several seconds

    for refused in (read, over, into):
        text = str(refused.value)
        assert f"cannot be restored safely: {member} in it {message}" in text
        assert "may have been built to fill the disk. Nothing was changed." in text
    assert member not in unpacking.opened
    assert sum(unpacking.read.values()) < ZEROS_MB
    assert snapshot(database.parent) == before
    assert sorted(p.name for p in database.parent.iterdir()) == [DATABASE_NAME]
    assert not fresh.parent.exists()


def test_a_member_holding_more_than_its_header_says_is_caught_while_unpacking(
    backup_file, tmp_path, monkeypatch
):
    """The headers (and the manifest) say 1,000 bytes; the stream holds 64 MiB of zeros."""
    manifest = manifest_for(backup_file, bytes=1000, sha256="0" * 64)
    liar = (DATABASE_NAME, zipfile.ZIP_DEFLATED, deflated_zeros(64), 0, 1000)
    bad = hand_made_zip(tmp_path / "liar.zip", [stored("manifest.json", manifest), liar])
    database = old_programme(tmp_path / "existing")
    before = snapshot(database.parent)
    unpacking = Unpacking(monkeypatch)

    for attempt in (lambda: read_backup(bad), lambda: restore_backup(bad, database.parent, True)):
        with pytest.raises(BackupError) as refused:
            attempt()
        assert (
            f"cannot be restored safely: {DATABASE_NAME} in it holds more than the 1,000 bytes "
            "its header says"
        ) in str(refused.value)
    assert unpacking.read[DATABASE_NAME] == 2 * 1001  # one byte past what it said, each time
    assert snapshot(database.parent) == before


def test_a_member_packed_in_a_way_mentorkit_never_uses_is_refused(backup_file, tmp_path):
    manifest = manifest_for(backup_file)
    with zipfile.ZipFile(backup_file) as archive:
        data = archive.read(DATABASE_NAME)
    squeezed = tmp_path / "bzip2.zip"
    with zipfile.ZipFile(squeezed, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr(DATABASE_NAME, data, compress_type=zipfile.ZIP_BZIP2)
    locked = hand_made_zip(
        tmp_path / "locked.zip",
        [stored("manifest.json", manifest), (*stored(DATABASE_NAME, data), 0x1)],
    )
    target = tmp_path / "new"
    for bad, why in ((squeezed, "is packed in a way"), (locked, "is locked with a password")):
        with pytest.raises(BackupError, match=f"{DATABASE_NAME} in it {why}"):
            restore_backup(bad, target)
    assert not target.exists()


def test_a_restore_needs_room_on_the_disk_before_it_starts(backup_file, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _: SimpleNamespace(total=10, used=9, free=1))
    target = tmp_path / "new"
    with pytest.raises(BackupError) as refused:
        restore_backup(backup_file, target)
    assert "There is not enough free space" in str(refused.value)
    assert re.search(r"it needs about \d\.\d MB and 1 byte is free\. Make room", str(refused.value))
    assert not target.exists()


def test_a_programme_restored_on_another_machine_uses_the_kit_in_its_backup(
    tmp_path, monkeypatch, capsys
):
    kit, source, target = tmp_path / "our-kit", tmp_path / "source", tmp_path / "target"
    assert main(["kit", "new", str(kit)]) == 0
    sheet = kit / "worksheets" / "closure.yaml"
    sheet.write_text(sheet.read_text() + "# our own words\n")
    assert main(["init", "--demo", "--data", str(source), "--kit", str(kit)]) == 0
    backup = tmp_path / "backup.zip"
    assert main(["backup", "--data", str(source), "--out", str(backup)]) == 0
    assert "With the kit: " in capsys.readouterr().out

    shutil.rmtree(kit)  # the other machine has no such folder
    monkeypatch.delenv("MENTORKIT_KIT", raising=False)
    assert main(["restore", str(backup), "--data", str(target)]) == 0
    out = capsys.readouterr().out
    restored = target / "restored-kit"
    assert "so it now uses that one" in out
    assert (restored / "worksheets" / "closure.yaml").read_text().endswith("# our own words\n")
    assert (restored / "notebooks" / "home.ipynb").is_file()
    store = Store(target / DATABASE_NAME)
    assert store.kit() == str(restored)
    store.close()
    monkeypatch.setenv("MENTORKIT_DATA", str(target))
    assert main(["check"]) == 0  # later commands find the restored kit by themselves
    assert f"All is fine in {restored}:" in capsys.readouterr().out


def test_a_backup_from_before_kits_held_notebooks_still_restores(demo, tmp_path):
    old = tmp_path / "format-1.zip"
    with zipfile.ZipFile(backup_with(demo, tmp_path), "r") as new, zipfile.ZipFile(old, "w") as out:
        manifest = json.loads(new.read("manifest.json"))
        manifest["format_version"] = 1
        del manifest["notebooks"]
        out.writestr("manifest.json", json.dumps(manifest))
        for name in new.namelist():
            if name.startswith("worksheets/") or name == DATABASE_NAME:
                out.writestr(name, new.read(name))
    info = restore_backup(old, tmp_path / "target")
    assert info.format_version == 1 and info.notebooks == {}
    assert (info.kit_restored_to / "worksheets" / "mentoring-agreement.yaml").is_file()
    assert not (info.kit_restored_to / "notebooks").exists()


def backup_with(demo, tmp_path) -> Path:
    return make_backup(demo.database, tmp_path / "new.zip", WORKSHEETS, NOTEBOOKS).path
