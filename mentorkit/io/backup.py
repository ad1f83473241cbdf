"""Backing up a programme to one ``.zip`` file, and restoring it.

A backup holds three things:

``mentorkit.sqlite3``
    A consistent copy of the database, taken with SQLite's online backup API, so it is safe
    to make while ``mentorkit serve`` is running and people are saving.
``manifest.json``
    What the backup is (format, versions, when, which programme, how much is in it) and a
    SHA-256 of every file, so a damaged copy is refused instead of restored.
``worksheets/``
    Optionally, the trainer's worksheet files (and ``frameworks/``), so customised
    worksheets come back too. They are restored beside the database, never over the
    shipped ones.

A restore checks everything (the zip, the manifest, the checksums, ``PRAGMA
integrity_check``, and that :class:`~mentorkit.core.store.Store` opens the copy) before it touches
the data folder, and keeps any database it replaces under a ``before-restore`` name.

A backup file may come from anywhere, so it is read as if it were hostile. Before anything is
unpacked, every file that will be read is checked against what it says it holds: the packing
methods mentorkit writes (stored or deflated, never encrypted), a most for each file, and how
far it unpacks (a real backup packs at most :data:`MAX_RATIO` times; a "zip bomb" thousands of
times). Each file is then unpacked in chunks, counted as it comes, and refused the moment it
holds more than its header says, so a lying header is caught after one byte too many, and
free space for the whole restore is checked before the data folder is touched.
"""

from __future__ import annotations

import copy as copying
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from mentorkit import __version__
from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.exceptions import BackupError, MentorkitError

FORMAT = "mentorkit-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
WORKSHEETS = "worksheets"
RESTORED_WORKSHEETS = "restored-worksheets"
BEFORE_RESTORE = "before-restore"
_WORKSHEET_SUFFIXES = (".yaml", ".yml")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CHUNK = 1 << 20
_MB = 1 << 20

MAX_MANIFEST_BYTES = 1 * _MB
"""The most a manifest may unpack to (a real one is a few kilobytes)."""
MAX_WORKSHEET_BYTES = 1 * _MB
"""The most one worksheet or framework file may unpack to (the shipped ones are under 6 KB)."""
MAX_WORKSHEET_FILES = 1_000
MAX_WORKSHEETS_BYTES = 32 * _MB
"""The most all the worksheet files of a backup may unpack to together."""
MAX_DATABASE_BYTES = 16 * 1024 * _MB
"""The most a backup's database may unpack to (a programme's is megabytes, not gigabytes)."""
MAX_RATIO = 100
"""How many times its packed size a file may unpack to (a real database packs 5 to 40 times;
zeros, the stuff of zip bombs, pack about 1,000 times)."""
RATIO_FLOOR = 10 * _MB
"""Files that unpack to no more than this are not held to :data:`MAX_RATIO`."""
_PACKING = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_ENCRYPTED = 0x1


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds (its manifest), and after a restore where things went."""

    programme: str
    created_at: datetime
    schema_version: int
    mentorkit_version: str
    people: int
    relationships: int
    revisions: int
    sha256: str
    size: int
    worksheets: dict[str, str]
    """Each worksheet file in the backup (path under ``worksheets/``) and its SHA-256."""
    format_version: int = FORMAT_VERSION
    path: Path | None = None
    """The backup file."""
    unpacked: int = 0
    """How many bytes the database and worksheet files take once unpacked."""
    kept_aside: Path | None = None
    """After a forced restore: where the database that was replaced now is."""
    worksheets_restored_to: Path | None = None
    """After a restore of a backup with worksheets: the folder they were written to."""

    def describe(self) -> str:
        """One line for people: which programme, when, and how much is in it."""
        when = self.created_at.astimezone(timezone.utc)
        made = f"{when.day} {_MONTHS[when.month - 1]} {when.year} {when:%H:%M} UTC"
        name = f"{self.programme!r}" if self.programme else "an empty database"
        return (
            f"Backup of {name} made {made}: {_count(self.people, 'person', 'people')}, "
            f"{_count(self.relationships, 'relationship')}, "
            f"{_count(self.revisions, 'saved revision')}."
        )

    def manifest(self) -> dict[str, Any]:
        """The ``manifest.json`` contents."""
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "mentorkit_version": self.mentorkit_version,
            "schema_version": self.schema_version,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "programme": self.programme,
            "counts": {
                "people": self.people,
                "relationships": self.relationships,
                "revisions": self.revisions,
            },
            "database": {"file": DATABASE_NAME, "sha256": self.sha256, "bytes": self.size},
            "worksheets": dict(sorted(self.worksheets.items())),
        }


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def slug(name: str) -> str:
    """A programme name as a file-name part: ``Demo mentoring programme`` → ``demo-mentoring-programme``."""
    found = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return found or "programme"


def default_name(programme: str, when: datetime) -> str:
    """``mentorkit-backup-<programme-slug>-<YYYYmmdd-HHMM>.zip`` (UTC)."""
    return f"mentorkit-backup-{slug(programme)}-{when.astimezone(timezone.utc):%Y%m%d-%H%M}.zip"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _connect_existing(path: Path) -> sqlite3.Connection:
    """A connection to a database that must already exist (``sqlite3.connect`` would create
    an empty one). Read-write on purpose: a read-only connection to a WAL database leaves
    -wal and -shm files behind, while a read-write one tidies them when it is the last."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10)


def _summary(db: sqlite3.Connection) -> tuple[int, str, int, int, int]:
    """Schema version, first programme's name, and counts of people, relationships, revisions."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    row = db.execute("SELECT name FROM programmes ORDER BY id LIMIT 1").fetchone()
    counts = [
        db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("people", "relationships", "revisions")
    ]
    return version, row[0] if row else "", *counts


def _worksheet_files(folder: Path) -> dict[str, Path]:
    """The YAML files of a worksheets folder and its subfolders (frameworks, matching
    weights …), by relative path."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        hidden = any(part.startswith(".") for part in relative.parts)
        if file.is_file() and not hidden and file.suffix in _WORKSHEET_SUFFIXES:
            found[relative.as_posix()] = file
    return found


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """``path``, removed (with any SQLite -wal/-shm beside it) when the block ends."""
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)


def _temporary_file(folder: Path, prefix: str, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    os.close(handle)
    return Path(name)


# --- making a backup ---------------------------------------------------------------------


def make_backup(database: Path, out: Path, worksheets: Path | None = None) -> BackupInfo:
    """Write a backup of ``database`` (and of the ``worksheets`` folder, if given) to ``out``.

    ``out`` is a ``.zip`` file, or a folder to write ``mentorkit-backup-<programme>-<when>.zip``
    into. The file appears only when it is complete: it is written beside ``out`` under a
    temporary name and renamed at the end.
    """
    database, out = Path(database), Path(out)
    if not database.is_file():
        raise BackupError(
            f"There is no programme database at {database}. Check --data (or MENTORKIT_DATA)."
        )
    if worksheets is not None and not Path(worksheets).is_dir():
        raise BackupError(f"The worksheets folder {worksheets} does not exist.")
    created = datetime.now(timezone.utc).replace(microsecond=0)
    folder = out if out.is_dir() else out.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mentorkit-backup-") as scratch:
        copy = Path(scratch) / DATABASE_NAME
        _copy_database(database, copy)
        with closing(sqlite3.connect(copy)) as db:
            version, programme, people, relationships, revisions = _summary(db)
        files = _worksheet_files(Path(worksheets)) if worksheets is not None else {}
        info = BackupInfo(
            programme=programme,
            created_at=created,
            schema_version=version,
            mentorkit_version=__version__,
            people=people,
            relationships=relationships,
            revisions=revisions,
            sha256=_sha256(copy),
            size=copy.stat().st_size,
            worksheets={name: _sha256(file) for name, file in files.items()},
        )
        target = folder / default_name(programme, created) if out.is_dir() else out
        partial = _temporary_file(folder, f".{target.name}.", ".part")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(info.manifest(), indent=2) + "\n")
                archive.write(copy, DATABASE_NAME)
                for name, file in files.items():
                    archive.write(file, f"{WORKSHEETS}/{name}")
            with partial.open("rb+") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return replace(info, path=target.resolve())


def _copy_database(database: Path, copy: Path) -> None:
    """A consistent copy through SQLite's online backup API (committed data only, including
    what is still in the WAL), made self-contained (no -wal) and checked to be mentorkit's."""
    try:
        with (
            closing(_connect_existing(database)) as source,
            closing(sqlite3.connect(copy)) as target,
        ):
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise BackupError(
                    f"The database {database} was written by a newer mentorkit (schema "
                    f"{version}; this version understands up to {SCHEMA_VERSION}). Back it up "
                    "with that newer mentorkit instead."
                )
            if version == 0:
                raise BackupError(f"The file {database} is not a mentorkit database.")
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"The database {database} could not be read ({error}), so no backup was made."
        ) from None


# --- reading a backup --------------------------------------------------------------------


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} is not a mentorkit backup ({why}). Nothing was changed.")


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(
        f"The backup {path} is damaged ({why}), so it cannot be restored. Nothing was changed. "
        "Use another copy of the backup."
    )


def _newer(path: Path, what: str) -> BackupError:
    return BackupError(
        f"The backup {path} was made by a newer mentorkit ({what}); upgrade first "
        "(pip install -U mentorkit), then restore it. Nothing was changed."
    )


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise BackupError(
            f"{path} is not a zip file, or only part of one (a copy that was cut short), so it "
            "is not a mentorkit backup that can be restored. Nothing was changed."
        ) from None


def _parse_manifest(path: Path, raw: bytes) -> BackupInfo:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_a_backup(path, "its manifest.json is not readable JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path, "its manifest.json does not describe a mentorkit backup")
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise _not_a_backup(path, "its manifest.json has no valid format_version")
    if fmt > FORMAT_VERSION:
        raise _newer(path, f"backup format {fmt}; this version reads format {FORMAT_VERSION}")
    try:
        counts, database = manifest["counts"], manifest["database"]
        info = BackupInfo(
            programme=_typed(manifest["programme"], str),
            created_at=datetime.fromisoformat(_typed(manifest["created_at"], str)),
            schema_version=_typed(manifest["schema_version"], int),
            mentorkit_version=_typed(manifest["mentorkit_version"], str),
            people=_typed(counts["people"], int),
            relationships=_typed(counts["relationships"], int),
            revisions=_typed(counts["revisions"], int),
            sha256=_typed(database["sha256"], str).lower(),
            size=_typed(database["bytes"], int),
            worksheets={
                _worksheet_name(name): _typed(digest, str).lower()
                for name, digest in _typed(manifest.get("worksheets", {}), dict).items()
            },
            format_version=fmt,
            path=path.resolve(),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _not_a_backup(path, f"its manifest.json is incomplete: {error}") from None
    if info.created_at.tzinfo is None:
        info = replace(info, created_at=info.created_at.replace(tzinfo=timezone.utc))
    if info.schema_version > SCHEMA_VERSION:
        raise _newer(
            path,
            f"database schema {info.schema_version}; this version understands up to "
            f"{SCHEMA_VERSION}",
        )
    return info


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, found {value!r}")
    if kind is int and value < 0:
        raise ValueError(f"expected a count, found {value!r}")
    return value


def _worksheet_name(name: str) -> str:
    """A worksheet path from a manifest, refused unless it is a plain relative YAML path."""
    pure = PurePosixPath(_typed(name, str))
    if (
        pure.is_absolute()
        or "\\" in name
        or any(
            part in ("", ".", "..") or ":" in part or part.startswith(".") for part in pure.parts
        )
        or len(pure.parts) > 4
        or pure.suffix not in _WORKSHEET_SUFFIXES
    ):
        raise ValueError(f"unexpected worksheet file name {name!r}")
    return pure.as_posix()


def _size(count: int) -> str:
    """A size for people: 812 bytes, 3.4 KB, 1.0 GB."""
    if count < 1024:
        return f"{count:,} byte{'' if count == 1 else 's'}"
    value, unit = count / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:,.1f} {unit}"


def _unsafe(path: Path, why: str) -> BackupError:
    return BackupError(
        f"The backup {path} cannot be restored safely: {why}. A backup made by mentorkit never "
        "looks like this, and the file may have been built to fill the disk. Nothing was "
        "changed."
    )


def _checked_member(path: Path, archive: zipfile.ZipFile, name: str, most: int) -> zipfile.ZipInfo:
    """Member ``name``'s entry, once its header shows it is safe to unpack: packed the way
    mentorkit packs, not encrypted, no bigger than ``most`` and not unpacking to more than
    :data:`MAX_RATIO` times its packed size. Nothing is unpacked here."""
    entry = archive.getinfo(name)
    if entry.flag_bits & _ENCRYPTED:
        raise _unsafe(path, f"{name} in it is locked with a password")
    if entry.compress_type not in _PACKING:
        raise _unsafe(path, f"{name} in it is packed in a way mentorkit never uses")
    if entry.file_size > most:
        raise _unsafe(
            path,
            f"{name} in it says it unpacks to {_size(entry.file_size)}, more than the "
            f"{_size(most)} such a file can be",
        )
    if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * entry.compress_size:
        raise _unsafe(
            path,
            f"{name} in it would unpack from {_size(entry.compress_size)} to "
            f"{_size(entry.file_size)}, over {entry.file_size // max(entry.compress_size, 1):,} "
            f"times its packed size (a real backup unpacks to at most {MAX_RATIO} times)",
        )
    return entry


def _stream_member(
    path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, out: BinaryIO | None = None
) -> str:
    """Unpack a checked member in chunks (writing them to ``out`` if given) and return its
    SHA-256. Refuses it the moment it holds more than its header says, and afterwards if it
    holds less or fails its CRC: the header is never trusted to bound what comes out."""
    declared = entry.file_size
    bounded = copying.copy(entry)
    bounded.file_size = declared + 1  # room for one byte too many, which gives a lie away
    bounded.CRC = None  # checked below, once the whole member has been read
    digest, crc, count = hashlib.sha256(), 0, 0
    try:
        with archive.open(bounded) as member:
            while chunk := member.read(min(_CHUNK, declared + 1 - count)):
                count += len(chunk)
                if count > declared:
                    raise _unsafe(
                        path,
                        f"{entry.filename} in it holds more than the {_size(declared)} its "
                        "header says",
                    )
                digest.update(chunk)
                crc = zlib.crc32(chunk, crc)
                if out is not None:
                    out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _damaged(path, f"{entry.filename} cannot be read: {error}") from None
    if count != declared:
        raise _damaged(
            path, f"{entry.filename} holds {_size(count)}, not the {_size(declared)} it says"
        )
    if crc != entry.CRC:
        raise _damaged(path, f"{entry.filename} does not match its own checksum (CRC)")
    return digest.hexdigest()


def _copy_member(
    path: Path,
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    expected: str,
    to: Path | None,
) -> None:
    """Check a member against its SHA-256 (writing it to ``to`` on the way)."""
    with to.open("wb") if to else nullcontext() as out:
        found = _stream_member(path, archive, entry, out)
    if found != expected:
        raise _damaged(
            path, f"{entry.filename} does not match the checksum recorded when it was made"
        )


def _members(
    path: Path, archive: zipfile.ZipFile, info: BackupInfo
) -> tuple[zipfile.ZipInfo, dict[str, zipfile.ZipInfo]]:
    """The database's and each worksheet file's entries, every one checked (present, safe to
    unpack, sizes within bounds) before any of them is unpacked."""
    names = set(archive.namelist())
    if DATABASE_NAME not in names:
        raise _damaged(path, f"the database {DATABASE_NAME} is missing from it")
    if archive.getinfo(DATABASE_NAME).file_size != info.size:
        raise _damaged(path, f"{DATABASE_NAME} is not the size recorded when it was made")
    database = _checked_member(path, archive, DATABASE_NAME, MAX_DATABASE_BYTES)
    if len(info.worksheets) > MAX_WORKSHEET_FILES:
        raise _unsafe(
            path,
            f"its manifest lists {len(info.worksheets):,} worksheet files, more than the "
            f"{MAX_WORKSHEET_FILES:,} a backup can hold",
        )
    sheets: dict[str, zipfile.ZipInfo] = {}
    for name in info.worksheets:
        member = f"{WORKSHEETS}/{name}"
        if member not in names:
            raise _damaged(path, f"the worksheet file {member} is missing from it")
        sheets[name] = _checked_member(path, archive, member, MAX_WORKSHEET_BYTES)
    total = sum(entry.file_size for entry in sheets.values())
    if total > MAX_WORKSHEETS_BYTES:
        raise _unsafe(
            path,
            f"its worksheet files say they unpack to {_size(total)} together, more than the "
            f"{_size(MAX_WORKSHEETS_BYTES)} worksheets can be",
        )
    return database, sheets


def _verify(
    path: Path,
    archive: zipfile.ZipFile,
    database_to: Path | None = None,
    worksheets_to: Path | None = None,
) -> BackupInfo:
    """Check the whole backup, unpacking the database to ``database_to`` and the worksheet
    files under ``worksheets_to`` when given (else only checking them)."""
    if MANIFEST not in set(archive.namelist()):
        raise _not_a_backup(path, "it has no manifest.json")
    raw = io.BytesIO()
    _stream_member(path, archive, _checked_member(path, archive, MANIFEST, MAX_MANIFEST_BYTES), raw)
    info = _parse_manifest(path, raw.getvalue())
    database, sheets = _members(path, archive, info)
    _copy_member(path, archive, database, info.sha256, database_to)
    for name, entry in sheets.items():
        target = None
        if worksheets_to is not None:
            target = Path(worksheets_to, *PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
        _copy_member(path, archive, entry, info.worksheets[name], target)
    unpacked = database.file_size + sum(entry.file_size for entry in sheets.values())
    return replace(info, unpacked=unpacked)


def read_backup(path: Path) -> BackupInfo:
    """The summary of a backup, after checking it is a whole mentorkit backup this version
    can restore (every file present and matching its checksum). Raises :class:`BackupError`."""
    path = Path(path)
    with _open_zip(path) as archive:
        return _verify(path, archive)


# --- restoring ---------------------------------------------------------------------------


def _existing_programme(database: Path) -> str:
    """How the refusal names what is already in the folder. Read from a copy (with its -wal),
    since even reading the database itself could checkpoint it and so change the file."""
    with tempfile.TemporaryDirectory(prefix="mentorkit-peek-") as scratch:
        copy = Path(scratch) / DATABASE_NAME
        try:
            shutil.copyfile(database, copy)
            if Path(f"{database}-wal").is_file():
                shutil.copyfile(f"{database}-wal", f"{copy}-wal")
            with closing(sqlite3.connect(copy)) as db:
                row = db.execute("SELECT name FROM programmes ORDER BY id LIMIT 1").fetchone()
        except (OSError, sqlite3.DatabaseError):
            return "a database mentorkit cannot read"
    return f"the programme {row[0]!r}" if row else "an empty programme database"


def _aside(path: Path, stamp: str) -> Path:
    """A free ``<name>.before-restore-<stamp>`` name beside ``path``."""
    candidate, n = path.with_name(f"{path.name}.{BEFORE_RESTORE}-{stamp}"), 1
    while candidate.exists() or Path(f"{candidate}-wal").exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{BEFORE_RESTORE}-{stamp}-{n}")
    return candidate


def _check_copy(path: Path, copy: Path, info: BackupInfo) -> None:
    """The extracted database passes ``PRAGMA integrity_check`` and opens with Store (which
    brings an older schema up to date); left self-contained, without -wal or -shm."""
    from mentorkit.core.store import Store

    try:
        with closing(sqlite3.connect(copy)) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
            version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise _damaged(path, f"its database cannot be read: {error}") from None
    if problems != ["ok"]:
        raise _damaged(path, f"its database fails SQLite's integrity check: {problems[0]}")
    if version > SCHEMA_VERSION:
        raise _newer(
            path, f"database schema {version}; this version understands up to {SCHEMA_VERSION}"
        )
    if version != info.schema_version:
        raise _damaged(
            path, f"its database has schema {version}, the manifest says {info.schema_version}"
        )
    try:
        Store(copy).close()
        with closing(sqlite3.connect(copy)) as db:
            db.execute("PRAGMA journal_mode = DELETE")
    except (MentorkitError, sqlite3.DatabaseError) as error:
        raise _damaged(path, f"its database does not open: {error}") from None


def _move_aside(database: Path, stamp: str) -> Path:
    """Checkpoint the database in the folder and move it (with any -wal/-shm) aside."""
    try:
        with closing(sqlite3.connect(database, timeout=10)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # unreadable: moved aside as it is
    if Path(f"{database}-wal").exists():
        raise BackupError(
            f"The database {database} is in use (is `mentorkit serve` running on this folder?). "
            "Stop it, then restore again. Nothing was changed."
        )
    kept = _aside(database, stamp)
    for suffix in ("-wal", "-shm"):
        if Path(f"{database}{suffix}").exists():
            os.replace(f"{database}{suffix}", f"{kept}{suffix}")
    os.replace(database, kept)
    return kept


def _check_free_space(data_folder: Path, info: BackupInfo) -> None:
    """Refuse before anything is written when the folder's disk cannot hold the unpacked
    database and worksheet files (with room to spare for SQLite's own checks)."""
    existing = data_folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    needed = info.unpacked + info.unpacked // 10 + _MB
    if free < needed:
        raise BackupError(
            f"There is not enough free space in {data_folder} to restore this backup: it needs "
            f"about {_size(needed)} and {_size(free)} is free. Make room, or restore into "
            "another folder with --data. Nothing was changed."
        )


def restore_backup(path: Path, data_folder: Path, force: bool = False) -> BackupInfo:
    """Restore the backup at ``path`` into ``data_folder``.

    Everything is checked before anything in the folder changes. A database already in the
    folder is replaced only with ``force``, and is then kept as
    ``mentorkit.sqlite3.before-restore-<YYYYmmdd-HHMMSS>``. Worksheets in the backup go to
    ``<data_folder>/restored-worksheets/``.
    """
    path, data_folder = Path(path), Path(data_folder).resolve()
    database = data_folder / DATABASE_NAME
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    info = read_backup(path)
    if database.exists() and not force:
        raise BackupError(
            f"This folder ({data_folder}) already holds {_existing_programme(database)}. Add "
            f"--force to replace it; the current one is kept as {DATABASE_NAME}."
            f"{BEFORE_RESTORE}-<date-time>. Nothing was changed."
        )
    _check_free_space(data_folder, info)
    data_folder.mkdir(parents=True, exist_ok=True)
    copy = _temporary_file(data_folder, f".{DATABASE_NAME}.restoring-", "")
    with (
        _temporary(copy),
        tempfile.TemporaryDirectory(dir=data_folder, prefix=f".{RESTORED_WORKSHEETS}-") as sheets,
    ):
        with _open_zip(path) as archive:
            info = replace(_verify(path, archive, copy, Path(sheets)), path=info.path)
        _check_copy(path, copy, info)
        kept = _move_aside(database, stamp) if database.exists() else None
        try:
            os.replace(copy, database)
        except OSError:
            if kept is not None:
                os.replace(kept, database)
            raise
        info = replace(info, kept_aside=kept)
        if info.worksheets:
            restored = data_folder / RESTORED_WORKSHEETS
            if restored.exists():
                os.replace(restored, _aside(restored, stamp))
            shutil.copytree(sheets, restored)
            info = replace(info, worksheets_restored_to=restored)
    return info
