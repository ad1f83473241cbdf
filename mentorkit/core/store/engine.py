"""Which database a store sits on, chosen by where it is: a file path (or ``:memory:``) is
SQLite, the one-command default; a ``postgresql://`` URL is PostgreSQL, for a programme shared
by many servers. Both engines take the same SQL (``?`` placeholders, ``INSERT … RETURNING``)
and answer rows read by column name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from mentorkit.exceptions import ConfigError

URL_SCHEMES = ("postgresql://", "postgres://")

STORE_HELP = (
    "the programme's database: a postgresql://user:password@host:port/name URL (default: "
    "$MENTORKIT_STORE, else the SQLite file in the data folder)"
)


NOT_A_STORE_URL = (
    "--store (and $MENTORKIT_STORE) take a postgresql://user:password@host:port/name URL. "
    "For a SQLite file, choose its folder with --data instead."
)


def is_url(location: str | os.PathLike) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file."""
    return str(location).startswith(URL_SCHEMES)


def shown(location: str | os.PathLike) -> str:
    """``location`` fit to print: a URL without its password."""
    text = str(location)
    if not is_url(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


Row = Any
"""A row, read by column name (``row["id"]``): ``sqlite3.Row`` or a dict."""


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Engine(Protocol):
    """One connection to a programme database."""

    kind: str
    """"SQLite" or "PostgreSQL"."""
    location: str
    """Where the database is, fit to print (no password)."""
    migrations: dict[int, list[str]]
    for_update: str
    """What ends a SELECT that locks the rows it reads until the transaction ends."""

    def prepare(self) -> None: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def insert(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    def transaction(self) -> AbstractContextManager[Engine]: ...
    def schema_version(self) -> int: ...
    def set_schema_version(self, version: int) -> None: ...
    def lock_schema(self) -> None: ...
    def holds_other_tables(self) -> bool: ...
    def tables(self) -> list[str]: ...
    def move_ids_past(self, table: str) -> None: ...
    def close(self) -> None: ...


def open_engine(location: str | os.PathLike) -> Engine:
    """The engine for ``location``: PostgreSQL for a URL, else SQLite."""
    if "://" in str(location) and not is_url(location):
        raise ConfigError(NOT_A_STORE_URL)
    if is_url(location):
        from mentorkit.core.store.postgres_engine import PostgresEngine

        return PostgresEngine(str(location))
    from mentorkit.core.store.sqlite_engine import SQLiteEngine

    return SQLiteEngine(str(location))
