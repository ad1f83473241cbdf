"""Answers: append-only revisions in layers, who may read which field, programme-wide reads
for the facilitator's views, and confirmed versions of a document.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from mentorkit.core.fieldtypes import check_answer
from mentorkit.core.models import (
    Confirmation,
    LatestAnswers,
    Person,
    Relationship,
    Revision,
    Snapshot,
    Status,
    Version,
)
from mentorkit.core.spec import Worksheet
from mentorkit.core.store.connection import SHARED, now
from mentorkit.core.store.engine import Engine, Row
from mentorkit.core.store.signins import SignInRecords
from mentorkit.exceptions import (
    InvalidAnswer,
    MissingEntry,
    NotAllowed,
    SavingTooFast,
    StaleRevision,
)


class AnswerRecords(SignInRecords):
    """Answers, their revisions and confirmations."""

    # --- responses -----------------------------------------------------------------------

    def _response_id(
        self,
        db: Engine,
        worksheet_id: str,
        relationship_id: int,
        owner_id: int,
        create: bool,
    ) -> int | None:
        """The response's id; with ``create`` (in a save's transaction) made if need be and
        locked until the save ends, so that saves to one response take turns on any engine."""
        find = (
            "SELECT id FROM responses WHERE worksheet_id = ? AND relationship_id = ? "
            "AND owner_id = ?" + (db.for_update if create else "")
        )
        key = (worksheet_id, relationship_id, owner_id)
        row = db.execute(find, key).fetchone()
        if row:
            return row["id"]
        if not create:
            return None
        db.execute(
            "INSERT INTO responses (worksheet_id, relationship_id, owner_id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            key,
        )
        return db.execute(find, key).fetchone()["id"]

    def _latest_row(self, db: Engine, response_id: int | None) -> Row | None:
        if response_id is None:
            return None
        return db.execute(
            "SELECT r.*, p.name AS author FROM revisions r JOIN people p ON p.id = r.author_id "
            "WHERE r.response_id = ? ORDER BY r.id DESC LIMIT 1",
            (response_id,),
        ).fetchone()

    def _latest_rows(
        self, worksheet_id: str, relationship_id: int, owners: list[int]
    ) -> dict[int, Row]:
        """The newest revision of each of these layers that has one, in one query (a page
        asks this every few seconds: one round trip to the database, not two per layer)."""
        if not owners:
            return {}
        marks = ", ".join("?" * len(owners))
        rows = self._all(
            "SELECT s.owner_id, r.*, p.name AS author FROM responses s "
            "JOIN revisions r ON r.id = (SELECT MAX(id) FROM revisions WHERE response_id = s.id) "
            "JOIN people p ON p.id = r.author_id "
            f"WHERE s.worksheet_id = ? AND s.relationship_id = ? AND s.owner_id IN ({marks})",
            worksheet_id,
            relationship_id,
            *owners,
        )
        return {row["owner_id"]: row for row in rows}

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
        relationship = self._check_member(relationship_id, author_id)
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
        return self._load(worksheet, relationship, self.person(author_id))

    def _check_save_rate(self, db: Engine, author_id: int) -> None:
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
        if relationship.is_overseen_by(viewer):
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
        return self._load(
            worksheet, self.relationship(relationship_id), self.person(viewer_id), subject_id
        )

    def _load(
        self,
        worksheet: Worksheet,
        relationship: Relationship,
        viewer: Person,
        subject_id: int | None = None,
    ) -> Snapshot:
        """:meth:`load`, for a relationship and viewer already read."""
        relationship_id, viewer_id = relationship.id, viewer.id
        subject_id = viewer_id if subject_id is None else subject_id
        values: dict[str, Any] = {}
        revisions: dict[int, int | None] = {}
        newest: Row | None = None
        owners = list(self.layers(worksheet, subject_id))
        with self._lock:
            found = self._latest_rows(worksheet.id, relationship_id, owners)
            for owner in owners:
                owner_for_scope = owner if owner != SHARED else -1
                scope = self._viewer_scope(worksheet, relationship, viewer, owner_for_scope)
                latest = found.get(owner)
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
        owners = list(self.layers(worksheet, subject_id))
        found = self._latest_rows(worksheet.id, relationship_id, owners)
        return {owner: found[owner]["id"] if owner in found else None for owner in owners}

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
        owners = [SHARED] if worksheet.mode == "joint" else []
        if subject_id is not None:
            owners += [subject_id]
        found = self._latest_rows(worksheet.id, relationship_id, owners)
        for owner in owners:
            latest = found.get(owner)
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
        if row is None:  # pragma: no cover - an aggregate query always answers one row
            return (0, 0, 0)
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
