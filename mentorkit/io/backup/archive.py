"""What a backup is: its format and limits, the :class:`BackupInfo` its manifest holds, and the
helpers that making, reading and restoring share (checksums, names, temporary files).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.text import count_of

FORMAT = "mentorkit-backup"
FORMAT_VERSION = 2
"""2: the kit's notebooks too (``notebooks/``, listed under "notebooks"); 1: worksheets only."""
MANIFEST = "manifest.json"
WORKSHEETS = "worksheets"
NOTEBOOKS = "notebooks"
KIT_SECTIONS = {WORKSHEETS: (".yaml", ".yml"), NOTEBOOKS: (".ipynb",)}
"""The kit's parts a backup holds, each a folder of the kit and of the archive, with the kinds
of file taken from it."""
RESTORED_KIT = "restored-kit"
BEFORE_RESTORE = "before-restore"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHUNK = 1 << 20
MB = 1 << 20

MAX_MANIFEST_BYTES = 1 * MB
"""The most a manifest may unpack to (a real one is a few kilobytes)."""
MAX_KIT_FILE_BYTES = 1 * MB
"""The most one kit file (worksheet, framework, notebook) may unpack to (the shipped ones are
under 8 KB)."""
MAX_KIT_FILES = 1_000
MAX_KIT_BYTES = 32 * MB
"""The most all the kit files of a backup may unpack to together."""
MAX_DATABASE_BYTES = 16 * 1024 * MB
"""The most a backup's database may unpack to (a programme's is megabytes, not gigabytes)."""
MAX_RATIO = 100
"""How many times its packed size a file may unpack to (a real database packs 5 to 40 times;
zeros, the stuff of zip bombs, pack about 1,000 times)."""
RATIO_FLOOR = 10 * MB
"""Files that unpack to no more than this are not held to :data:`MAX_RATIO`."""
PACKING = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
ENCRYPTED = 0x1


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
    notebooks: dict[str, str] = field(default_factory=dict)
    """Each notebook of the kit in the backup (path under ``notebooks/``) and its SHA-256."""
    format_version: int = FORMAT_VERSION
    path: Path | None = None
    """The backup file."""
    unpacked: int = 0
    """How many bytes the database and kit files take once unpacked."""
    kept_aside: Path | None = None
    """After a forced restore: where the database that was replaced now is."""
    kit_restored_to: Path | None = None
    """After a restore of a backup with kit files: the folder they were written to."""

    def kit(self) -> dict[str, dict[str, str]]:
        """The kit files by part (``worksheets``, ``notebooks``): path -> SHA-256."""
        return {WORKSHEETS: self.worksheets, NOTEBOOKS: self.notebooks}

    def describe(self) -> str:
        """One line for people: which programme, when, and how much is in it."""
        when = self.created_at.astimezone(timezone.utc)
        made = f"{when.day} {_MONTHS[when.month - 1]} {when.year} {when:%H:%M} UTC"
        name = f"{self.programme!r}" if self.programme else "an empty database"
        return (
            f"Backup of {name} made {made}: {count_of(self.people, 'person', 'people')}, "
            f"{count_of(self.relationships, 'relationship')}, "
            f"{count_of(self.revisions, 'saved revision')}."
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
            "notebooks": dict(sorted(self.notebooks.items())),
        }


def slug(name: str) -> str:
    """A programme name as a file-name part: ``Demo mentoring programme`` → ``demo-mentoring-programme``."""
    found = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return found or "programme"


def default_name(programme: str, when: datetime) -> str:
    """``mentorkit-backup-<programme-slug>-<YYYYmmdd-HHMM>.zip`` (UTC)."""
    return f"mentorkit-backup-{slug(programme)}-{when.astimezone(timezone.utc):%Y%m%d-%H%M}.zip"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def connect_existing(path: Path) -> sqlite3.Connection:
    """A connection to a database that must already exist (``sqlite3.connect`` would create
    an empty one). Read-write on purpose: a read-only connection to a WAL database leaves
    -wal and -shm files behind, while a read-write one tidies them when it is the last."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10)


def database_summary(db: sqlite3.Connection) -> tuple[int, str, int, int, int]:
    """Schema version, first programme's name, and counts of people, relationships, revisions."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    row = db.execute("SELECT name FROM programmes ORDER BY id LIMIT 1").fetchone()
    counts = [
        db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("people", "relationships", "revisions")
    ]
    return version, row[0] if row else "", *counts


def kit_files(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path]:
    """The files of a kit's part (``worksheets/`` with its frameworks, matching weights …;
    ``notebooks/``) ending in ``suffixes``, hidden ones left out, by relative path."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        hidden = any(part.startswith(".") for part in relative.parts)
        if file.is_file() and not hidden and file.suffix in suffixes:
            found[relative.as_posix()] = file
    return found


@contextmanager
def temporary_path(path: Path) -> Iterator[Path]:
    """``path``, removed (with any SQLite -wal/-shm beside it) when the block ends."""
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)


def temporary_file(folder: Path, prefix: str, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    os.close(handle)
    return Path(name)
