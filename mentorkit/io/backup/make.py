"""Making a backup: a consistent copy of the database (SQLite's online backup API, safe while
``mentorkit serve`` runs), the programme's kit (worksheets and notebooks), and a manifest with a SHA-256 of
each, in one ``.zip`` file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from mentorkit import __version__
from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.exceptions import BackupError
from mentorkit.io.backup.archive import (
    KIT_SECTIONS,
    MANIFEST,
    NOTEBOOKS,
    WORKSHEETS,
    BackupInfo,
    connect_existing,
    database_summary,
    default_name,
    kit_files,
    sha256_of,
    temporary_file,
)

# --- making a backup ---------------------------------------------------------------------


def make_backup(
    database: Path, out: Path, worksheets: Path | None = None, notebooks: Path | None = None
) -> BackupInfo:
    """Write a backup of ``database`` (and of the kit's ``worksheets`` and ``notebooks``
    folders, if given) to ``out``.

    ``out`` is a ``.zip`` file, or a folder to write ``mentorkit-backup-<programme>-<when>.zip``
    into. The file appears only when it is complete: it is written beside ``out`` under a
    temporary name and renamed at the end.
    """
    database, out = Path(database), Path(out)
    if not database.is_file():
        raise BackupError(
            f"There is no programme database at {database}. Check --data (or MENTORKIT_DATA)."
        )
    folders = {WORKSHEETS: worksheets, NOTEBOOKS: notebooks}
    for part, where in folders.items():
        if where is not None and not Path(where).is_dir():
            raise BackupError(f"The {part} folder {where} does not exist.")
    created = datetime.now(timezone.utc).replace(microsecond=0)
    folder = out if out.is_dir() else out.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mentorkit-backup-") as scratch:
        copy = Path(scratch) / DATABASE_NAME
        _copy_database(database, copy)
        with closing(sqlite3.connect(copy)) as db:
            version, programme, people, relationships, revisions = database_summary(db)
        files = {
            part: kit_files(Path(where), KIT_SECTIONS[part]) if where is not None else {}
            for part, where in folders.items()
        }
        info = BackupInfo(
            programme=programme,
            created_at=created,
            schema_version=version,
            mentorkit_version=__version__,
            people=people,
            relationships=relationships,
            revisions=revisions,
            sha256=sha256_of(copy),
            size=copy.stat().st_size,
            worksheets={name: sha256_of(file) for name, file in files[WORKSHEETS].items()},
            notebooks={name: sha256_of(file) for name, file in files[NOTEBOOKS].items()},
        )
        target = folder / default_name(programme, created) if out.is_dir() else out
        partial = temporary_file(folder, f".{target.name}.", ".part")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(info.manifest(), indent=2) + "\n")
                archive.write(copy, DATABASE_NAME)
                for part, found in files.items():
                    for name, file in found.items():
                        archive.write(file, f"{part}/{name}")
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
            closing(connect_existing(database)) as source,
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
