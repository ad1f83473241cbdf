"""The database connection: opening (and checking) the database on its engine, migrations,
transactions.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.store.engine import Engine, Row, open_engine
from mentorkit.exceptions import DatabaseDamaged, DatabaseTooNew

SHARED = 0
"""The owner id of the shared layer of a joint worksheet."""


@dataclass(frozen=True)
class SaveLimit:
    """At most ``revisions`` saved by one person in any ``seconds`` (the pages' stores set this:
    nobody typing comes near it, a script hammering Save does)."""

    revisions: int = 40
    seconds: float = 10.0


def recorded_kit(database: Path) -> str | None:
    """The kit folder recorded in the programme database at ``database``, read without
    opening it for writing, migrating it or adding files beside it (None when there is
    none, or no database)."""
    if not Path(database).is_file():
        return None
    # Read as the file stands (immutable: SQLite adds no -wal or -shm file beside it). When a
    # write-ahead log is there (a server has it open, or was stopped without tidying up), the
    # database and its log are read from a private copy, so nothing in the folder changes.
    wal = Path(f"{database}-wal")
    try:
        with tempfile.TemporaryDirectory(prefix="mentorkit-read-") as scratch:
            target = Path(database).resolve()
            if wal.exists():
                target = Path(scratch) / "copy.sqlite3"
                shutil.copyfile(database, target)
                shutil.copyfile(wal, f"{target}-wal")
            db = (
                sqlite3.connect(target)  # the private copy
                if wal.exists()
                else sqlite3.connect(f"{target.as_uri()}?immutable=1", uri=True)
            )
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'kit'").fetchone()
            finally:
                db.close()
    except (sqlite3.Error, OSError):
        return None
    return row[0] if row else None


def now() -> str:
    """The current UTC time as an ISO 8601 string with seconds and microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class StoreBase:
    """The connection and its plumbing, under every part of :class:`~mentorkit.core.store.Store`.

    ``location`` is a SQLite file (``":memory:"`` in tests) or a ``postgresql://`` URL
    (:mod:`.engine`)."""

    def __init__(self, location: str | Path = ":memory:", save_limit: SaveLimit | None = None):
        self.path = str(location)
        self.save_limit = save_limit
        self._lock = threading.RLock()
        self.closed = False
        self._db: Engine = open_engine(self.path)
        self.location = self._db.location
        try:
            version = self._db.schema_version()
            if version > SCHEMA_VERSION:
                raise DatabaseTooNew(self.location, version, SCHEMA_VERSION)
            if version == 0 and self._db.holds_other_tables():
                version = self._version_once_migrations_end()
                if version == 0:
                    raise DatabaseDamaged(
                        self.location, "it holds tables that mentorkit did not make"
                    )
            self._db.prepare()
            self._migrate(version)
        except BaseException:
            with suppress(Exception):
                self._db.close()
            raise

    @property
    def engine(self) -> str:
        """ "SQLite" or "PostgreSQL"."""
        return self._db.kind

    # --- plumbing ------------------------------------------------------------------------

    def _version_once_migrations_end(self) -> int:
        """The schema version, read after any other server's migration of this database has
        ended (its tables may be what made the database look taken)."""
        with self._db.transaction() as db:
            db.lock_schema()
            return db.schema_version()

    def _migrate(self, version: int) -> None:
        try:
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with self._transaction() as db:
                    db.lock_schema()
                    if db.schema_version() >= target:  # another server got there first
                        continue
                    for statement in db.migrations[target]:
                        db.execute(statement)
                    db.set_schema_version(target)
        except sqlite3.DatabaseError as error:
            raise DatabaseDamaged(self.location, str(error)) from None
        if self._meta("code_pepper") is None:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('code_pepper', ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (secrets.token_hex(16),),
                )

    @contextmanager
    def _transaction(self) -> Iterator[Engine]:
        """One write transaction; a database that cannot take it raises
        :class:`~mentorkit.exceptions.StoreUnavailable` (with nothing half-written)."""
        with self._lock, self._db.transaction() as db:
            yield db

    def _one(self, sql: str, *args: Any) -> Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _all(self, sql: str, *args: Any) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else None

    def kit(self) -> str | None:
        """The kit folder the programme was created with (None: the kit shipped with
        mentorkit)."""
        return self._meta("kit")

    def set_kit(self, folder: str | None) -> None:
        """Record the programme's kit folder (None: the shipped kit)."""
        with self._transaction() as db:
            db.execute("DELETE FROM meta WHERE key = 'kit'")
            if folder is not None:
                db.execute("INSERT INTO meta (key, value) VALUES ('kit', ?)", (folder,))

    @property
    def code_pepper(self) -> str:
        """A per-database secret mixed into access-code hashes."""
        return self._meta("code_pepper") or ""

    @property
    def schema_version(self) -> int:
        return self._db.schema_version()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
            self.closed = True
