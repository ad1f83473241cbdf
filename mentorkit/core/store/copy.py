"""Copying a programme from one database to another (SQLite to PostgreSQL and back), every
table row for row, then checking the copy against the original.

The target must be empty. The copy happens in one transaction on the target (PostgreSQL's
schema changes are transactional too), or, for a SQLite target, in a new file that takes the
target's name only once it is complete and checked: a copy that fails leaves nothing behind.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.store.engine import Engine, is_url, open_engine, shown
from mentorkit.exceptions import CopyRefused

TABLES = (
    "programmes",
    "people",
    "relationships",
    "members",
    "responses",
    "revisions",
    "confirmations",
    "sessions",
    "sign_in_failures",
    "audit",
    "meta",
)
"""Every table, each after the tables it refers to."""
_WITH_IDS = {"programmes", "people", "relationships", "responses", "revisions", "confirmations",
             "sign_in_failures", "audit"}  # fmt: skip
_ENGINE_ONLY_META = {"schema_version"}
"""``meta`` rows that belong to one engine (PostgreSQL's schema version), not the programme."""


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    rows: dict[str, int]

    def describe(self) -> str:
        counted = ", ".join(f"{n} {table}" for table, n in self.rows.items() if n)
        total = sum(self.rows.values())
        return (
            f"Copied {total} rows from {self.source} to {self.target}, every one checked "
            f"against the original ({counted})."
        )


def resolve(location: str) -> str:
    """A URL as it is; a folder (a data folder) means its database file."""
    if is_url(location):
        return location
    path = Path(location).expanduser()
    return str(path / DATABASE_NAME) if path.is_dir() else str(path)


def _rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    rows = [dict(r) for r in engine.execute(f"SELECT * FROM {table}").fetchall()]
    if table == "meta":
        rows = [r for r in rows if r["key"] not in _ENGINE_ONLY_META]
    return rows


def _ordered(rows: list[dict[str, Any]]) -> list[tuple]:
    """Rows as comparable tuples, in one order whatever the engine's collation."""
    return sorted((tuple(sorted(r.items())) for r in rows), key=repr)


def copy_store(source: str, target: str) -> CopyReport:
    """Copy the programme at ``source`` into the empty database at ``target``."""
    from mentorkit.core.store import Store

    source, target = resolve(source), resolve(target)
    if source == target:
        raise CopyRefused("The source and the target are the same database. Name two.")
    if not is_url(source) and not Path(source).is_file():
        raise CopyRefused(f"There is no programme at {source}. Check the path or URL.")
    original = Store(source)  # brought up to this version's schema first, as every command does
    try:
        return _copy(original._db, source, target)
    finally:
        original.close()


def _copy(from_db: Engine, source: str, target: str) -> CopyReport:
    partial: Path | None = None
    if is_url(target):
        to_db = open_engine(target)
    else:
        final = Path(target)
        if final.exists() and final.stat().st_size > 0:
            raise CopyRefused(
                f"{target} already exists. Copy into a new file (or move that one aside), so "
                "that nothing in it is overwritten."
            )
        partial = final.with_name(f".{final.name}.copying-{os.getpid()}")
        partial.unlink(missing_ok=True)
        to_db = open_engine(str(partial))
    try:
        if to_db.tables():
            raise CopyRefused(
                f"The database {shown(target)} is not empty ({len(to_db.tables())} tables are "
                "there). Copy into a new, empty database, so that nothing in it is overwritten."
            )
        counts: dict[str, int] = {}
        with to_db.transaction():
            for step in range(1, SCHEMA_VERSION + 1):
                for statement in to_db.migrations[step]:
                    to_db.execute(statement)
            to_db.set_schema_version(SCHEMA_VERSION)
            for table in TABLES:
                rows = _rows(from_db, table)
                counts[table] = len(rows)
                if rows:
                    columns = list(rows[0])
                    to_db.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' * len(columns))})",
                        [[r[c] for c in columns] for r in rows],
                    )
                if table in _WITH_IDS:
                    to_db.move_ids_past(table)
            for table in TABLES:  # checked inside the transaction: a mismatch keeps nothing
                if _ordered(_rows(to_db, table)) != _ordered(_rows(from_db, table)):
                    raise CopyRefused(
                        f"The copy of {table} does not match the original, so nothing was "
                        "kept. Please report this."
                    )
        to_db.close()
        if partial is not None:
            partial.replace(target)
    except BaseException:
        with suppress(Exception):
            to_db.close()
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    return CopyReport(shown(source), shown(target), counts)
