"""SQLite, the one-command default: a file in the data folder, in WAL mode, shared by the
server and its page kernels. ``BEGIN IMMEDIATE`` makes each write transaction wait for the one
before it, so a save reads the latest revision and appends its own without anyone between.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from mentorkit.core.migrations import MIGRATIONS
from mentorkit.exceptions import DatabaseDamaged, DataFolderUnwritable, RefusedByDatabase

_UNWRITABLE = (
    "disk is full",
    "readonly database",
    "disk I/O error",
    "unable to open database file",
)
"""What SQLite says when the database's disk or folder will not take a write."""


class SQLiteEngine:
    """A SQLite file (or ``:memory:``)."""

    kind = "SQLite"
    migrations = MIGRATIONS
    for_update = ""

    def __init__(self, path: str):
        self.location = path
        self._lock = threading.RLock()
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise DatabaseDamaged(path, str(error)) from None

    def prepare(self) -> None:
        """Settings for a database mentorkit will use (not for one it refuses)."""
        try:
            if self.location != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA busy_timeout = 5000")
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise DatabaseDamaged(self.location, str(error)) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.IntegrityError as error:
                raise RefusedByDatabase(str(error)) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock:
            try:
                self._db.executemany(sql, rows)
            except sqlite3.IntegrityError as error:
                raise RefusedByDatabase(str(error)) from None

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT of one row and answer its id."""
        return int(self.execute(f"{sql} RETURNING id", params).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[SQLiteEngine]:
        """One write transaction; a full disk or a read-only folder becomes
        ``DataFolderUnwritable`` (with nothing half-written)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self
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

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self._db.execute(f"PRAGMA user_version = {int(version)}")

    def lock_schema(self) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already keeps other writers out."""

    def holds_other_tables(self) -> bool:
        return bool(self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def tables(self) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return sorted(r[0] for r in rows)

    def move_ids_past(self, table: str) -> None:
        """Nothing to do: SQLite's next id is always past the largest."""

    def close(self) -> None:
        with self._lock:
            self._db.close()
