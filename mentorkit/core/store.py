"""The one place that touches the database.

SQLite in WAL mode by default; every statement is plain SQL so the same interface can sit on
PostgreSQL for hub deployments. Responses are kept as append-only revisions: a save adds a
revision and never changes an old one. Who may see which field is decided here, in the read
API, not only in the forms.

A response is stored in *layers*: a joint worksheet keeps its shared fields in layer 0 and
each person's ``private`` fields in that person's own layer; an individual worksheet keeps
everything in its owner's layer.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from mentorkit.core.fieldtypes import check_answer
from mentorkit.core.migrations import MIGRATIONS, SCHEMA_VERSION
from mentorkit.core.models import (
    APPLICATION_KIND,
    RELATIONSHIP_KINDS,
    ROLES,
    Confirmation,
    LatestAnswers,
    Member,
    Person,
    Programme,
    Relationship,
    Revision,
    Snapshot,
    Status,
    Version,
)
from mentorkit.core.spec import Worksheet
from mentorkit.exceptions import (
    DatabaseDamaged,
    DatabaseTooNew,
    DataFolderUnwritable,
    InvalidAnswer,
    MissingEntry,
    NotAllowed,
    SavingTooFast,
    StaleRevision,
    StoreError,
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


def now() -> str:
    """The current UTC time as an ISO 8601 string with seconds and microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
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

    @property
    def code_pepper(self) -> str:
        """A per-database secret mixed into access-code hashes."""
        return self._meta("code_pepper") or ""

    @property
    def schema_version(self) -> int:
        return self._one("PRAGMA user_version")[0]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
            self.closed = True

    # --- programmes and people -----------------------------------------------------------

    def create_programme(self, name: str) -> Programme:
        """Add a programme."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO programmes (name, created_at) VALUES (?, ?)", (name, now())
            )
        return self.programme(cursor.lastrowid)

    def programme(self, programme_id: int | None = None) -> Programme:
        """A programme by id, or the first one when no id is given."""
        if programme_id is None:
            row = self._one("SELECT * FROM programmes ORDER BY id LIMIT 1")
        else:
            row = self._one("SELECT * FROM programmes WHERE id = ?", programme_id)
        if row is None:
            raise MissingEntry("There is no programme here yet. Create one with: mentorkit init")
        return Programme(row["id"], row["name"], row["created_at"])

    def programmes(self) -> list[Programme]:
        return [
            Programme(r["id"], r["name"], r["created_at"])
            for r in self._all("SELECT * FROM programmes ORDER BY id")
        ]

    def add_person(
        self, programme_id: int, name: str, code_hash: str, is_facilitator: bool = False
    ) -> Person:
        """Add a person whose access code hashes to ``code_hash`` (see :mod:`mentorkit.core.access`)."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO people (programme_id, name, is_facilitator, code_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (programme_id, name, int(is_facilitator), code_hash, now()),
            )
        return self.person(cursor.lastrowid)

    def set_code_hash(self, person_id: int, code_hash: str) -> None:
        """Replace a person's access code (the old one stops working)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE people SET code_hash = ?, code_state = 'active' WHERE id = ?",
                (code_hash, person_id),
            )
            db.execute("DELETE FROM sessions WHERE person_id = ?", (person_id,))

    @staticmethod
    def _person(row: sqlite3.Row) -> Person:
        return Person(
            row["id"],
            row["programme_id"],
            row["name"],
            bool(row["is_facilitator"]),
            row["created_at"],
            row["email"],
            row["code_state"] == "active",
        )

    def add_people(
        self, programme_id: int, entries: list[tuple[str, str, str, dict[str, Any]]]
    ) -> list[Person]:
        """Add (name, email, code hash, details) people all at once: either every one is
        added or, if anything fails, none is."""
        ids = []
        try:
            with self._transaction() as db:
                for name, email, code_hash, details in entries:
                    cursor = db.execute(
                        "INSERT INTO people (programme_id, name, is_facilitator, code_hash, "
                        "created_at, email, details) VALUES (?, ?, 0, ?, ?, ?, ?)",
                        (
                            programme_id,
                            name,
                            code_hash,
                            now(),
                            email,
                            json.dumps(details, ensure_ascii=False, sort_keys=True),
                        ),
                    )
                    ids.append(cursor.lastrowid)
        except sqlite3.IntegrityError as error:
            raise StoreError(
                "Someone with one of these email addresses is already in the programme, so "
                "nobody was added. Remove the repeated address and try again."
            ) from error
        return [self.person(i) for i in ids]

    def person_details(self, person_id: int) -> dict[str, Any]:
        """What was imported about a person (role, years, unit, other columns)."""
        row = self._one("SELECT details FROM people WHERE id = ?", person_id)
        if row is None:
            raise MissingEntry(f"There is no person with id {person_id}.")
        return json.loads(row["details"])

    def emails(self, programme_id: int) -> set[str]:
        """The email addresses already in a programme (lower case)."""
        return {
            r["email"]
            for r in self._all(
                "SELECT email FROM people WHERE programme_id = ? AND email != ''", programme_id
            )
        }

    def revoke_code(self, person_id: int, unmatchable: str) -> None:
        """Stop a person's access code working (and end their sign-ins) until a new one is
        made; ``unmatchable`` replaces the hash so no code can ever match it."""
        with self._transaction() as db:
            db.execute(
                "UPDATE people SET code_hash = ?, code_state = 'revoked' WHERE id = ?",
                (unmatchable, person_id),
            )
            db.execute("DELETE FROM sessions WHERE person_id = ?", (person_id,))

    def person(self, person_id: int) -> Person:
        row = self._one("SELECT * FROM people WHERE id = ?", person_id)
        if row is None:
            raise MissingEntry(f"There is no person with id {person_id}.")
        return self._person(row)

    def person_by_code_hash(self, code_hash: str) -> Person | None:
        row = self._one("SELECT * FROM people WHERE code_hash = ?", code_hash)
        return self._person(row) if row else None

    def people(self, programme_id: int) -> list[Person]:
        return [
            self._person(r)
            for r in self._all(
                "SELECT * FROM people WHERE programme_id = ? ORDER BY id", programme_id
            )
        ]

    # --- relationships -------------------------------------------------------------------

    def add_relationship(
        self, programme_id: int, kind: str, members: list[tuple[int, str]], name: str = ""
    ) -> Relationship:
        """Add a relationship of ``kind`` with (person id, role) members."""
        if kind not in RELATIONSHIP_KINDS:
            raise ValueError(f"kind must be one of {', '.join(RELATIONSHIP_KINDS)}")
        if any(role not in ROLES for _, role in members):
            raise ValueError(f"roles must be one of {', '.join(ROLES)}")
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO relationships (programme_id, kind, name, created_at) VALUES (?, ?, ?, ?)",
                (programme_id, kind, name, now()),
            )
            db.executemany(
                "INSERT INTO members (relationship_id, person_id, role) VALUES (?, ?, ?)",
                [(cursor.lastrowid, person_id, role) for person_id, role in members],
            )
        return self.relationship(cursor.lastrowid)

    def _relationships(self, where: str, *args: Any) -> list[Relationship]:
        rows = self._all(f"SELECT * FROM relationships WHERE {where} ORDER BY id", *args)
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        members: dict[int, list[Member]] = {i: [] for i in ids}
        for m in self._all(
            f"SELECT m.relationship_id, m.person_id, m.role, p.name FROM members m "
            f"JOIN people p ON p.id = m.person_id WHERE m.relationship_id IN ({marks}) "
            "ORDER BY CASE m.role WHEN 'mentor' THEN 0 WHEN 'mentee' THEN 1 ELSE 2 END, p.id",
            *ids,
        ):
            members[m["relationship_id"]].append(Member(m["person_id"], m["name"], m["role"]))
        return [
            Relationship(
                r["id"],
                r["programme_id"],
                r["kind"],
                r["name"],
                tuple(members[r["id"]]),
                r["created_at"],
            )
            for r in rows
        ]

    def relationship(self, relationship_id: int) -> Relationship:
        found = self._relationships("id = ?", relationship_id)
        if not found:
            raise MissingEntry(f"There is no relationship with id {relationship_id}.")
        return found[0]

    def relationships(self, programme_id: int) -> list[Relationship]:
        """The programme's mentoring relationships (not the application records)."""
        return self._relationships("programme_id = ? AND kind != ?", programme_id, APPLICATION_KIND)

    def relationships_of(self, person_id: int) -> list[Relationship]:
        """The mentoring relationships this person is a member of."""
        return self._relationships(
            "kind != ? AND id IN (SELECT relationship_id FROM members WHERE person_id = ?)",
            APPLICATION_KIND,
            person_id,
        )

    def application_record(self, person: Person) -> Relationship:
        """The record a person's application is kept under (made the first time): a
        relationship of kind "application" with the applicant alone, never listed as a
        mentoring relationship."""
        found = self._relationships(
            "kind = ? AND id IN (SELECT relationship_id FROM members WHERE person_id = ?)",
            APPLICATION_KIND,
            person.id,
        )
        if found:
            return found[0]
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO relationships (programme_id, kind, name, created_at) VALUES (?, ?, ?, ?)",
                (person.programme_id, APPLICATION_KIND, f"Application of {person.name}", now()),
            )
            db.execute(
                "INSERT INTO members (relationship_id, person_id, role) VALUES (?, ?, ?)",
                (cursor.lastrowid, person.id, "applicant"),
            )
        return self.relationship(cursor.lastrowid)

    def application_records(self, programme_id: int) -> list[Relationship]:
        """Every application record of a programme."""
        return self._relationships("programme_id = ? AND kind = ?", programme_id, APPLICATION_KIND)

    # --- responses -----------------------------------------------------------------------

    def _response_id(
        self,
        db: sqlite3.Connection,
        worksheet_id: str,
        relationship_id: int,
        owner_id: int,
        create: bool,
    ) -> int | None:
        row = db.execute(
            "SELECT id FROM responses WHERE worksheet_id = ? AND relationship_id = ? "
            "AND owner_id = ?",
            (worksheet_id, relationship_id, owner_id),
        ).fetchone()
        if row:
            return row["id"]
        if not create:
            return None
        return db.execute(
            "INSERT INTO responses (worksheet_id, relationship_id, owner_id) VALUES (?, ?, ?)",
            (worksheet_id, relationship_id, owner_id),
        ).lastrowid

    def _latest_row(self, db: sqlite3.Connection, response_id: int | None) -> sqlite3.Row | None:
        if response_id is None:
            return None
        return db.execute(
            "SELECT r.*, p.name AS author FROM revisions r JOIN people p ON p.id = r.author_id "
            "WHERE r.response_id = ? ORDER BY r.id DESC LIMIT 1",
            (response_id,),
        ).fetchone()

    @staticmethod
    def layers(worksheet: Worksheet, subject_id: int) -> dict[int, set[str] | None]:
        """Which layers a response has, and which field ids each holds (None: all fields)."""
        if worksheet.mode == "individual":
            return {subject_id: None}
        private = {f.id for f in worksheet.fields if f.visibility == "private"}
        return {SHARED: None, subject_id: private} if private else {SHARED: None}

    def _check_member(self, relationship_id: int, person_id: int) -> Relationship:
        relationship = self.relationship(relationship_id)
        if relationship.role_of(person_id) is None:
            raise NotAllowed("Only the people in this relationship can change its worksheets.")
        return relationship

    def save(
        self,
        worksheet: Worksheet,
        relationship_id: int,
        author_id: int,
        values: dict[str, Any],
        bases: dict[int, int | None],
    ) -> Snapshot:
        """Append a revision to each changed layer, if nobody else saved since ``bases``.

        ``bases`` is the ``revisions`` map of the snapshot the author started from. Raises
        :class:`StaleRevision` if any layer has moved on; the caller merges and tries again.
        """
        self._check_member(relationship_id, author_id)
        for field in worksheet.answer_fields:
            problem = check_answer(field, values.get(field.id))
            if problem:
                raise InvalidAnswer(field.id, field.label or field.id, problem)
        private = {f.id for f in worksheet.fields if f.visibility == "private"}
        with self._transaction() as db:
            self._check_save_rate(db, author_id)
            for owner, fields in self.layers(worksheet, author_id).items():
                if fields is None:
                    part = {
                        k: v
                        for k, v in values.items()
                        if worksheet.mode == "individual" or k not in private
                    }
                else:
                    part = {k: v for k, v in values.items() if k in fields}
                response_id = self._response_id(
                    db, worksheet.id, relationship_id, owner, create=True
                )
                latest = self._latest_row(db, response_id)
                latest_id = latest["id"] if latest else None
                if latest_id != bases.get(owner):
                    raise StaleRevision(bases.get(owner), latest_id)
                if latest is not None and json.loads(latest["data"]) == part:
                    continue
                if latest is None and not any(v not in (None, "", [], {}) for v in part.values()):
                    continue
                db.execute(
                    "INSERT INTO revisions (response_id, author_id, saved_at, spec_version, data) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        response_id,
                        author_id,
                        now(),
                        worksheet.version,
                        json.dumps(part, ensure_ascii=False, sort_keys=True),
                    ),
                )
        return self.load(worksheet, relationship_id, author_id)

    def _check_save_rate(self, db: sqlite3.Connection, author_id: int) -> None:
        """Refuse a save once its author has reached the store's save limit."""
        if self.save_limit is None:
            return
        since = datetime.now(timezone.utc) - timedelta(seconds=self.save_limit.seconds)
        row = db.execute(
            "SELECT count(*) AS n, min(saved_at) AS oldest FROM revisions "
            "WHERE author_id = ? AND saved_at >= ?",
            (author_id, since.isoformat(timespec="microseconds")),
        ).fetchone()
        if row["n"] >= self.save_limit.revisions:
            free_at = datetime.fromisoformat(row["oldest"]) - since
            raise SavingTooFast(max(1, int(free_at.total_seconds() + 0.999)))

    def _viewer_scope(
        self, worksheet: Worksheet, relationship: Relationship, viewer: Person, owner_id: int
    ) -> set[str] | None:
        """Field ids the viewer may read in this layer (None: every field)."""
        if viewer.id == owner_id:
            return None
        if relationship.role_of(viewer.id) is not None:
            return {f.id for f in worksheet.fields if f.visibility in ("relationship", "programme")}
        if viewer.is_facilitator and viewer.programme_id == relationship.programme_id:
            return {f.id for f in worksheet.fields if f.visibility == "programme"}
        raise NotAllowed("This worksheet belongs to another relationship.")

    @staticmethod
    def _shared_items(worksheet: Worksheet, data: dict[str, Any]) -> dict[str, list]:
        """From a private group with ``shared_when``, the items its owner chose to share
        (partners only: a facilitator never receives private content)."""
        shared: dict[str, list] = {}
        for field in worksheet.fields:
            if field.visibility != "private" or not field.shared_when:
                continue
            items = [
                item
                for item in data.get(field.id) or []
                if isinstance(item, dict) and item.get(field.shared_when) is True
            ]
            if items:
                shared[field.id] = items
        return shared

    def load(
        self,
        worksheet: Worksheet,
        relationship_id: int,
        viewer_id: int,
        subject_id: int | None = None,
    ) -> Snapshot:
        """What ``viewer_id`` may see of the response, ``subject_id``'s copy for individual
        worksheets and the private layer (defaults to the viewer)."""
        relationship = self.relationship(relationship_id)
        viewer = self.person(viewer_id)
        subject_id = viewer_id if subject_id is None else subject_id
        values: dict[str, Any] = {}
        revisions: dict[int, int | None] = {}
        newest: sqlite3.Row | None = None
        with self._lock:
            for owner in self.layers(worksheet, subject_id):
                owner_for_scope = owner if owner != SHARED else -1
                scope = self._viewer_scope(worksheet, relationship, viewer, owner_for_scope)
                response_id = self._response_id(
                    self._db, worksheet.id, relationship_id, owner, False
                )
                latest = self._latest_row(self._db, response_id)
                revisions[owner] = latest["id"] if latest else None
                if latest is None:
                    continue
                data = json.loads(latest["data"])
                values.update({k: v for k, v in data.items() if scope is None or k in scope})
                if scope is not None and relationship.role_of(viewer.id) is not None:
                    values.update(self._shared_items(worksheet, data))
                if newest is None or latest["saved_at"] > newest["saved_at"]:
                    newest = latest
        if viewer_id != subject_id and worksheet.mode == "joint":
            revisions = {k: v for k, v in revisions.items() if k == SHARED}
        return Snapshot(
            values,
            revisions,
            newest["saved_at"] if newest else None,
            newest["author"] if newest else None,
        )

    def latest_revision_ids(
        self, worksheet: Worksheet, relationship_id: int, subject_id: int
    ) -> dict[int, int | None]:
        """The newest revision id of each layer: a cheap check for "has anything changed?"."""
        result: dict[int, int | None] = {}
        with self._lock:
            for owner in self.layers(worksheet, subject_id):
                response_id = self._response_id(
                    self._db, worksheet.id, relationship_id, owner, False
                )
                latest = self._latest_row(self._db, response_id)
                result[owner] = latest["id"] if latest else None
        return result

    def _layer_revisions(
        self,
        worksheet: Worksheet,
        relationship_id: int,
        viewer_id: int,
        owner_id: int,
        revision_id: int | None = None,
    ) -> list[Revision]:
        """Revisions of one layer (or just ``revision_id``), filtered to what the viewer may see."""
        relationship = self.relationship(relationship_id)
        scope = self._viewer_scope(
            worksheet, relationship, self.person(viewer_id), owner_id if owner_id != SHARED else -1
        )
        only = " AND r.id = ?" if revision_id is not None else ""
        rows = self._all(
            "SELECT r.*, p.name AS author FROM revisions r JOIN responses s ON s.id = r.response_id "
            "JOIN people p ON p.id = r.author_id WHERE s.worksheet_id = ? AND s.relationship_id = ? "
            f"AND s.owner_id = ?{only} ORDER BY r.id",
            worksheet.id,
            relationship_id,
            owner_id,
            *([revision_id] if revision_id is not None else []),
        )
        return [
            Revision(
                r["id"],
                r["author_id"],
                r["author"],
                r["saved_at"],
                r["spec_version"],
                {k: v for k, v in json.loads(r["data"]).items() if scope is None or k in scope},
            )
            for r in rows
        ]

    def history(
        self, worksheet: Worksheet, relationship_id: int, viewer_id: int, owner_id: int = SHARED
    ) -> list[Revision]:
        """Every revision of one layer, oldest first, filtered to what the viewer may see."""
        return self._layer_revisions(worksheet, relationship_id, viewer_id, owner_id)

    def status(
        self, worksheet: Worksheet, relationship_id: int, subject_id: int | None = None
    ) -> Status:
        """Completion counts and last-saved time; safe to show anyone in the programme."""
        values: dict[str, Any] = {}
        saved_at: str | None = None
        with self._lock:
            owners = [SHARED] if worksheet.mode == "joint" else []
            if subject_id is not None:
                owners += [subject_id]
            for owner in owners:
                response_id = self._response_id(
                    self._db, worksheet.id, relationship_id, owner, False
                )
                latest = self._latest_row(self._db, response_id)
                if latest is None:
                    continue
                values.update(json.loads(latest["data"]))
                saved_at = max(saved_at or "", latest["saved_at"])
        answered, counted = worksheet.completion(values)
        return Status(answered, counted, saved_at)

    # --- programme-wide reads, for aggregate views -------------------------------------------

    def latest_answers(self, programme_id: int) -> list[LatestAnswers]:
        """The latest revision of every response in a programme, in one query.

        This bypasses the visibility rules, so it is only for code that turns answers into
        counts, dates and flags (the facilitator's dashboard and cohort figures): such code
        must never show an answer itself. Pages showing answers use :meth:`load`.
        """
        rows = self._all(
            "SELECT s.worksheet_id, s.relationship_id, s.owner_id, r.id, r.saved_at, r.data "
            "FROM responses s JOIN relationships rel ON rel.id = s.relationship_id "
            "JOIN revisions r ON r.id = (SELECT MAX(id) FROM revisions WHERE response_id = s.id) "
            "WHERE rel.programme_id = ?",
            programme_id,
        )
        return [
            LatestAnswers(
                r["worksheet_id"],
                r["relationship_id"],
                r["owner_id"],
                r["id"],
                r["saved_at"],
                json.loads(r["data"]),
            )
            for r in rows
        ]

    def change_marker(self, programme_id: int) -> tuple[int, int, int]:
        """(newest revision id, newest confirmation id, newest relationship id) in a
        programme: when it is unchanged, nothing was saved, confirmed or paired since (so
        aggregate views need not recompute)."""
        row = self._one(
            "SELECT (SELECT MAX(r.id) FROM revisions r JOIN responses s ON s.id = r.response_id "
            "JOIN relationships rel ON rel.id = s.relationship_id WHERE rel.programme_id = ?) "
            "AS revision, (SELECT MAX(c.id) FROM confirmations c JOIN relationships rel "
            "ON rel.id = c.relationship_id WHERE rel.programme_id = ?) AS confirmation, "
            "(SELECT MAX(id) FROM relationships WHERE programme_id = ?) AS relationship",
            programme_id,
            programme_id,
            programme_id,
        )
        return (row["revision"] or 0, row["confirmation"] or 0, row["relationship"] or 0)

    def confirmed_documents(self, programme_id: int) -> dict[tuple[str, int], tuple[str, set[int]]]:
        """For each (document, relationship): the fingerprint of its latest confirmed version
        and who confirmed it."""
        rows = self._all(
            "SELECT c.worksheet_id, c.relationship_id, c.version, c.fingerprint, c.person_id "
            "FROM confirmations c JOIN relationships rel ON rel.id = c.relationship_id "
            "WHERE rel.programme_id = ? ORDER BY c.version",
            programme_id,
        )
        latest: dict[tuple[str, int], tuple[int, str, set[int]]] = {}
        for row in rows:
            key = (row["worksheet_id"], row["relationship_id"])
            version, fingerprint, people = latest.get(key, (row["version"], "", set()))
            if row["version"] > version:
                version, people = row["version"], set()
            people.add(row["person_id"])
            latest[key] = (version, row["fingerprint"], people)
        return {key: (fingerprint, people) for key, (_, fingerprint, people) in latest.items()}

    # --- confirmations ---------------------------------------------------------------------

    def versions(self, worksheet_id: str, relationship_id: int) -> list[Version]:
        """Every confirmed version of a document, oldest first."""
        rows = self._all(
            "SELECT c.*, p.name FROM confirmations c JOIN people p ON p.id = c.person_id "
            "WHERE c.worksheet_id = ? AND c.relationship_id = ? ORDER BY c.version, c.id",
            worksheet_id,
            relationship_id,
        )
        versions: dict[int, Version] = {}
        for row in rows:
            current = versions.get(row["version"])
            confirmation = Confirmation(row["person_id"], row["name"], row["confirmed_at"])
            confirmations = (current.confirmations if current else ()) + (confirmation,)
            versions[row["version"]] = Version(row["version"], row["fingerprint"], confirmations)
        return list(versions.values())

    def current_version(self, worksheet_id: str, relationship_id: int, fingerprint: str) -> Version:
        """The version the document is at: the last confirmed one while its content is
        unchanged, or a new, unconfirmed one once anything changed after a confirmation."""
        versions = self.versions(worksheet_id, relationship_id)
        if not versions:
            return Version(1, fingerprint, ())
        last = versions[-1]
        if last.fingerprint == fingerprint:
            return last
        return Version(last.number + 1, fingerprint, ())

    def confirm(
        self, worksheet_id: str, relationship_id: int, person_id: int, fingerprint: str
    ) -> Version:
        """Record that a member confirms the document as it is (``fingerprint``)."""
        self._check_member(relationship_id, person_id)
        with self._transaction() as db:
            version = self.current_version(worksheet_id, relationship_id, fingerprint)
            if all(c.person_id != person_id for c in version.confirmations):
                db.execute(
                    "INSERT INTO confirmations (worksheet_id, relationship_id, version, "
                    "fingerprint, person_id, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (worksheet_id, relationship_id, version.number, fingerprint, person_id, now()),
                )
        self.audit(
            "confirm", person_id, f"{worksheet_id}/{relationship_id}", {"version": version.number}
        )
        return self.current_version(worksheet_id, relationship_id, fingerprint)

    def load_revision(
        self,
        worksheet: Worksheet,
        relationship_id: int,
        viewer_id: int,
        revision_id: int,
        owner_id: int = SHARED,
    ) -> Revision:
        """One revision of a layer, filtered to what the viewer may see."""
        found = self._layer_revisions(worksheet, relationship_id, viewer_id, owner_id, revision_id)
        if not found:
            raise MissingEntry(f"Revision {revision_id} is not part of this worksheet.")
        return found[0]

    # --- sessions, sign-in attempts and audit --------------------------------------------

    def create_session(self, person_id: int, token_hash: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, person_id, now(), now()),
            )

    def session_person(self, token_hash: str, max_idle: timedelta) -> Person | None:
        """The person a live session belongs to (touching it), or None."""
        row = self._one("SELECT * FROM sessions WHERE token_hash = ?", token_hash)
        if row is None:
            return None
        last_seen = datetime.fromisoformat(row["last_seen_at"])
        if datetime.now(timezone.utc) - last_seen > max_idle:
            with suppress(DataFolderUnwritable):  # expired all the same
                self.end_session(token_hash)
            return None
        if datetime.now(timezone.utc) - last_seen > timedelta(minutes=5):
            with suppress(DataFolderUnwritable), self._transaction() as db:  # reading goes on
                db.execute(
                    "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", (now(), token_hash)
                )
        return self.person(row["person_id"])

    def end_session(self, token_hash: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def record_failed_sign_in(self, client: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO sign_in_failures (client, at) VALUES (?, ?)", (client, now()))

    def recent_failed_sign_ins(self, client: str | None, since: datetime) -> list[str]:
        """Times of failed sign-ins since ``since``, oldest first: from ``client`` (those not
        cleared by a right code from there since), or from anywhere when ``client`` is None."""
        at = since.isoformat(timespec="microseconds")
        if client is None:
            rows = self._all("SELECT at FROM sign_in_failures WHERE at >= ? ORDER BY at", at)
        else:
            rows = self._all(
                "SELECT at FROM sign_in_failures "
                "WHERE client = ? AND cleared = 0 AND at >= ? ORDER BY at",
                client,
                at,
            )
        return [r["at"] for r in rows]

    def clear_failed_sign_ins(self, client: str) -> None:
        """A right code from ``client``: its own count starts again (the programme's does not)."""
        with self._transaction() as db:
            db.execute("UPDATE sign_in_failures SET cleared = 1 WHERE client = ?", (client,))

    def audit(
        self,
        action: str,
        person_id: int | None = None,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record an event (sign-ins, saves, exports) in the audit log."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO audit (at, person_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                (now(), person_id, action, subject, json.dumps(detail or {})),
            )

    def audit_events(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest audit events, newest first."""
        return [dict(r) for r in self._all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", limit)]
