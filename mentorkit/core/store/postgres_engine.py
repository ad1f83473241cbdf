"""PostgreSQL, for a programme shared by many servers (behind JupyterHub, say).

The store's SQL is written once, with ``?`` placeholders; here they become psycopg's ``%s``.
A save locks its response's row (``SELECT … FOR UPDATE``) before it reads the latest revision,
so two servers saving one worksheet at once take turns, and the second is told someone saved
first (the merge path), exactly as two pages on one SQLite server are. A connection that drops
is made again for the next statement outside a transaction; a transaction it broke fails with
:class:`~mentorkit.exceptions.DatabaseUnreachable` and nothing half-written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from mentorkit.core.migrations_postgres import MIGRATIONS
from mentorkit.core.store.engine import shown
from mentorkit.exceptions import ConfigError, DatabaseUnreachable, RefusedByDatabase

_SCHEMA_LOCK = 0x6D656E746F72
"""The advisory lock two servers starting at once take turns on while migrating."""

_FIX = "Check the address in --store (or $MENTORKIT_STORE) and that PostgreSQL is running."


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "A postgresql:// store needs the PostgreSQL driver, which is not installed. "
            "Install it with: pip install 'mentorkit[postgresql]'"
        ) from None
    return psycopg


@lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    """The store's ``?`` placeholders in psycopg's words (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _why(error: Exception) -> tuple[str, str]:
    """What went wrong connecting, in plain words, and what to do about it."""
    text = str(error)
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            "it refused the user name or password",
            "Check the user and password in the URL (and that the user may log in).",
        )
    if "does not exist" in text and "database" in text:
        return (
            "there is no database of that name on the server",
            "Create it first (createdb NAME, or CREATE DATABASE NAME), then try again.",
        )
    if "Connection refused" in text or "No such file" in text:
        return "nothing answers at that address", _FIX
    if "timeout" in text.lower():
        return "the server did not answer in time", _FIX
    if "could not translate host name" in text or "Name or service not known" in text:
        return "there is no host of that name", _FIX
    if "invalid connection option" in text or "invalid dsn" in text or "missing" in text:
        return "the URL is not one PostgreSQL understands", (
            "Write it as postgresql://user:password@host:port/database."
        )
    return "PostgreSQL refused the connection", _FIX


class PostgresEngine:
    """A PostgreSQL database named by a ``postgresql://`` URL."""

    kind = "PostgreSQL"
    migrations = MIGRATIONS
    for_update = " FOR UPDATE"

    def __init__(self, url: str):
        self._psycopg = _driver()
        self.url = url
        self.location = shown(url)
        self._lock = threading.RLock()
        self._in_transaction = False
        self._conn = self._connect()

    def _connect(self) -> Any:
        from psycopg.rows import dict_row

        try:
            return self._psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=10,
                application_name="mentorkit",
            )
        except self._psycopg.Error as error:
            why, fix = _why(error)
            raise DatabaseUnreachable(self.location, why, fix) from None

    def prepare(self) -> None:
        """Nothing to set: PostgreSQL's defaults suit mentorkit."""

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        psycopg = self._psycopg
        try:
            return self._conn.execute(_placeholders(sql), tuple(params))
        except psycopg.errors.IntegrityError as error:
            raise RefusedByDatabase(str(error).strip()) from None
        except psycopg.errors.RaiseException as error:  # the append-only trigger
            raise RefusedByDatabase(str(error).strip()) from None
        except psycopg.OperationalError as error:
            if not self._conn.broken and not self._conn.closed:
                raise
            raise DatabaseUnreachable(
                self.location, "the connection to it was lost", _FIX
            ) from error

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._lock:
            if not self._in_transaction and (self._conn.closed or self._conn.broken):
                self._conn = self._connect()
            try:
                return self._run(sql, params)
            except DatabaseUnreachable:
                if self._in_transaction:
                    raise
                self._conn = self._connect()  # once more, on a new connection
                return self._run(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock, self._conn.cursor() as cursor:
            try:
                cursor.executemany(_placeholders(sql), [tuple(r) for r in rows])
            except self._psycopg.errors.IntegrityError as error:
                raise RefusedByDatabase(str(error).strip()) from None

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT of one row and answer its id."""
        return int(self.execute(f"{sql} RETURNING id", params).fetchone()["id"])

    @contextmanager
    def transaction(self) -> Iterator[PostgresEngine]:
        """One transaction: committed whole, or (on any error) rolled back whole."""
        with self._lock:
            if self._conn.closed or self._conn.broken:
                self._conn = self._connect()
            try:
                with self._conn.transaction():
                    self._in_transaction = True
                    try:
                        yield self
                    finally:
                        self._in_transaction = False
            except self._psycopg.OperationalError as error:
                raise DatabaseUnreachable(
                    self.location, "the connection to it was lost", _FIX
                ) from error

    def schema_version(self) -> int:
        # read from the catalog's table (not to_regclass's cache, which may not yet know of a
        # table another server's migration has just made)
        found = self.execute(
            "SELECT count(*) AS n FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'meta'"
        ).fetchone()["n"]
        if not found:
            return 0
        row = self.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row["value"]) if row else 0

    def set_schema_version(self, version: int) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(int(version)),),
        )

    def lock_schema(self) -> None:
        """Wait for any other server migrating this database (released at commit)."""
        self.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))

    def holds_other_tables(self) -> bool:
        return bool(self.tables())

    def tables(self) -> list[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        return sorted(r["table_name"] for r in rows)

    def move_ids_past(self, table: str) -> None:
        """After rows were copied in with their ids: new rows get ids past them."""
        self.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT max(id) FROM {table}), 1), "
            f"(SELECT max(id) FROM {table}) IS NOT NULL)"
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()
