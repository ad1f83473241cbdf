"""Restoring a backup: everything checked on a copy first (integrity, the store opens it, free
space), any database it replaces kept under a ``before-restore`` name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.exceptions import BackupError, MentorkitError
from mentorkit.io.backup.archive import (
    BEFORE_RESTORE,
    MB,
    RESTORED_KIT,
    BackupInfo,
    temporary_file,
    temporary_path,
)
from mentorkit.io.backup.read import (
    damaged,
    newer,
    open_zip,
    read_backup,
    size_text,
    verify_members,
)

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
        raise damaged(path, f"its database cannot be read: {error}") from None
    if problems != ["ok"]:
        raise damaged(path, f"its database fails SQLite's integrity check: {problems[0]}")
    if version > SCHEMA_VERSION:
        raise newer(
            path, f"database schema {version}; this version understands up to {SCHEMA_VERSION}"
        )
    if version != info.schema_version:
        raise damaged(
            path, f"its database has schema {version}, the manifest says {info.schema_version}"
        )
    try:
        Store(copy).close()
        with closing(sqlite3.connect(copy)) as db:
            db.execute("PRAGMA journal_mode = DELETE")
    except (MentorkitError, sqlite3.DatabaseError) as error:
        raise damaged(path, f"its database does not open: {error}") from None


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
    needed = info.unpacked + info.unpacked // 10 + MB
    if free < needed:
        raise BackupError(
            f"There is not enough free space in {data_folder} to restore this backup: it needs "
            f"about {size_text(needed)} and {size_text(free)} is free. Make room, or restore into "
            "another folder with --data. Nothing was changed."
        )


def restore_backup(path: Path, data_folder: Path, force: bool = False) -> BackupInfo:
    """Restore the backup at ``path`` into ``data_folder``.

    Everything is checked before anything in the folder changes. A database already in the
    folder is replaced only with ``force``, and is then kept as
    ``mentorkit.sqlite3.before-restore-<YYYYmmdd-HHMMSS>``. The kit files in the backup go
    to ``<data_folder>/restored-kit/`` (``worksheets/``, ``notebooks/``); when the programme's
    own kit folder is not on this machine and the backup holds a whole kit, the programme then
    uses the restored one.
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
    copy = temporary_file(data_folder, f".{DATABASE_NAME}.restoring-", "")
    with (
        temporary_path(copy),
        tempfile.TemporaryDirectory(dir=data_folder, prefix=f".{RESTORED_KIT}-") as kit,
    ):
        with open_zip(path) as archive:
            info = replace(verify_members(path, archive, copy, Path(kit)), path=info.path)
        _check_copy(path, copy, info)
        kept = _move_aside(database, stamp) if database.exists() else None
        try:
            os.replace(copy, database)
        except OSError:
            if kept is not None:
                os.replace(kept, database)
            raise
        info = replace(info, kept_aside=kept)
        if info.worksheets or info.notebooks:
            restored = data_folder / RESTORED_KIT
            if restored.exists():
                os.replace(restored, _aside(restored, stamp))
            shutil.copytree(kit, restored)
            info = replace(info, kit_restored_to=restored)
            _use_restored_kit_if_own_is_missing(database, restored)
    return info


def _use_restored_kit_if_own_is_missing(database: Path, restored: Path) -> None:
    """Point the programme at the restored kit when the kit it records is not on this machine
    (restored elsewhere) and the backup held a whole kit (format 2: notebooks too)."""
    from mentorkit.core.store import Store

    whole = (restored / "worksheets").is_dir() and (restored / "notebooks" / "home.ipynb").is_file()
    store = Store(database)
    try:
        recorded = store.kit()
        if recorded is not None and not Path(recorded).is_dir() and whole:
            store.set_kit(str(restored))
    finally:
        store.close()
