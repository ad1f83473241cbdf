"""The database connection: opening (and checking) the file, migrations, transactions, and
the error that says the data folder cannot be written.
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

from mentorkit.core.migrations import MIGRATIONS, SCHEMA_VERSION
from mentorkit.exceptions import (
    DatabaseDamaged,
    DatabaseTooNew,
    DataFolderUnwritable,
)

_UNWRITABLE = (
    "disk is full",
    "readonly database",
    "disk I/O error",
    "unable to open database file",
)
"""What SQLite says when the database's disk or folder will not take a write."""

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
    """The connection and its plumbing, under every part of :class:`~mentorkit.core.store.Store`."""

    """A programme database. Use ``Store(":memory:")`` in tests."""

    def __init__(self, path: str | Path = ":memory:", save_limit: SaveLimit | None = None):
        self.path = str(path)
        self.save_limit = save_limit
        self._lock = threading.RLock()
        self.closed = False
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise DatabaseDamaged(self.path, str(error)) from None
        if version > SCHEMA_VERSION:
            self._db.close()
            raise DatabaseTooNew(self.path, version, SCHEMA_VERSION)
        if version == 0 and self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            self._db.close()
            raise DatabaseDamaged(self.path, "it holds tables that mentorkit did not make")
        try:
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._migrate(version)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise DatabaseDamaged(self.path, str(error)) from None

    # --- plumbing ------------------------------------------------------------------------

    def _migrate(self, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction() as db:
                for statement in MIGRATIONS[target]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
        if self._meta("code_pepper") is None:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('code_pepper', ?)",
                    (secrets.token_hex(16),),
                )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a full disk or a read-only folder becomes
        ``DataFolderUnwritable`` (with nothing half-written)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._rollback()
                    raise
                try:
                    self._db.execute("COMMIT")
                except sqlite3.OperationalError:
                    self._rollback()
                    raise
            except sqlite3.OperationalError as error:
                if any(sign in str(error) for sign in _UNWRITABLE):
                    raise DataFolderUnwritable(str(error)) from None
                raise

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):  # SQLite may have rolled back already (disk full)
            self._db.execute("ROLLBACK")

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
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
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
            self.closed = True
