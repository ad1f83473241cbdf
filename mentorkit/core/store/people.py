"""Programmes, people and relationships (including the application records)."""

from __future__ import annotations

import json
from typing import Any

from mentorkit.core.models import (
    APPLICATION_KIND,
    MEMBER_ROLES,
    RELATIONSHIP_KINDS,
    Member,
    Person,
    Programme,
    Relationship,
)
from mentorkit.core.store.connection import StoreBase, now
from mentorkit.core.store.engine import Row
from mentorkit.exceptions import MissingEntry, RefusedByDatabase, StoreError


class PeopleRecords(StoreBase):
    """Programmes, people and relationships."""

    # --- programmes and people -----------------------------------------------------------

    def create_programme(self, name: str) -> Programme:
        """Add a programme."""
        with self._transaction() as db:
            new_id = db.insert(
                "INSERT INTO programmes (name, created_at) VALUES (?, ?)", (name, now())
            )
        return self.programme(new_id)

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
            new_id = db.insert(
                "INSERT INTO people (programme_id, name, is_facilitator, code_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (programme_id, name, int(is_facilitator), code_hash, now()),
            )
        return self.person(new_id)

    def set_code_hash(self, person_id: int, code_hash: str) -> None:
        """Replace a person's access code (the old one stops working)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE people SET code_hash = ?, code_state = 'active' WHERE id = ?",
                (code_hash, person_id),
            )
            db.execute("DELETE FROM sessions WHERE person_id = ?", (person_id,))

    @staticmethod
    def _person(row: Row) -> Person:
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
                    new_id = db.insert(
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
                    ids.append(new_id)
        except RefusedByDatabase as error:
            raise StoreError(
                "Someone with one of these email addresses is already in the programme, so "
                "nobody was added. Remove the repeated address and try again."
            ) from error
        return [self.person(i) for i in ids]

    def set_email(self, person_id: int, email: str) -> None:
        """Give a person their email address (how JupyterHub users are known)."""
        try:
            with self._transaction() as db:
                db.execute("UPDATE people SET email = ? WHERE id = ?", (email, person_id))
        except RefusedByDatabase as error:
            raise StoreError(
                f"Someone else in the programme already has the email address {email}."
            ) from error

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
        if any(role not in MEMBER_ROLES for _, role in members):
            raise ValueError(f"roles must be one of {', '.join(MEMBER_ROLES)}")
        with self._transaction() as db:
            new_id = db.insert(
                "INSERT INTO relationships (programme_id, kind, name, created_at) VALUES (?, ?, ?, ?)",
                (programme_id, kind, name, now()),
            )
            db.executemany(
                "INSERT INTO members (relationship_id, person_id, role) VALUES (?, ?, ?)",
                [(new_id, person_id, role) for person_id, role in members],
            )
        return self.relationship(new_id)

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
            new_id = db.insert(
                "INSERT INTO relationships (programme_id, kind, name, created_at) VALUES (?, ?, ?, ?)",
                (person.programme_id, APPLICATION_KIND, f"Application of {person.name}", now()),
            )
            db.execute(
                "INSERT INTO members (relationship_id, person_id, role) VALUES (?, ?, ?)",
                (new_id, person.id, "applicant"),
            )
        return self.relationship(new_id)

    def application_records(self, programme_id: int) -> list[Relationship]:
        """Every application record of a programme."""
        return self._relationships("programme_id = ? AND kind = ?", programme_id, APPLICATION_KIND)
