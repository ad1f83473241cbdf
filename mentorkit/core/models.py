"""The records the store hands out: plain frozen dataclasses with no behaviour of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RELATIONSHIP_KINDS = {
    "one-to-one": "Mentor and mentee",
    "peer": "Peer mentoring",
    "group": "Group mentoring",
    "reverse": "Reverse mentoring",
}
MEMBER_ROLES = ("mentor", "mentee", "peer")
MIN_MENTOR_YEARS = 2.0
"""Under two years' experience, a person can apply only as a mentee."""
APPLICATION_KIND = "application"
"""Relationships of this kind only hold one person's application (see Store.application_record)."""


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    created_at: str


@dataclass(frozen=True)
class Person:
    id: int
    programme_id: int
    name: str
    is_facilitator: bool
    created_at: str
    email: str = ""
    code_active: bool = True


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    role: str


@dataclass(frozen=True)
class Relationship:
    id: int
    programme_id: int
    kind: str
    name: str
    members: tuple[Member, ...]
    created_at: str = ""

    def role_of(self, person_id: int) -> str | None:
        """The role this person plays here, or None if they are not a member."""
        return next((m.role for m in self.members if m.person_id == person_id), None)

    def is_overseen_by(self, person: Person) -> bool:
        """True for the facilitator of this relationship's programme."""
        return person.is_facilitator and person.programme_id == self.programme_id

    def visible_to(self, person: Person) -> bool:
        """The one rule for who may open a relationship's pages: its members and the
        facilitator of its programme (what each of them may read is the store's to say)."""
        return self.role_of(person.id) is not None or self.is_overseen_by(person)

    def partners_of(self, person_id: int) -> tuple[Member, ...]:
        """Everyone in the relationship except this person."""
        return tuple(m for m in self.members if m.person_id != person_id)

    @property
    def title(self) -> str:
        """A readable name: the given one, or the members' names."""
        if self.name:
            return self.name
        return " & ".join(m.name for m in self.members)


@dataclass(frozen=True)
class Snapshot:
    """What one viewer may see of a worksheet response, as of the latest revisions.

    ``revisions`` maps each layer's owner (0 for the shared layer of a joint worksheet) to
    the id of its latest revision, or None if the layer has never been saved; passing it
    back to ``Store.save`` as ``bases`` is how concurrent saves are detected.
    """

    values: dict[str, Any]
    revisions: dict[int, int | None]
    saved_at: str | None = None
    saved_by: str | None = None


@dataclass(frozen=True)
class Revision:
    """One saved version of one layer of a response."""

    id: int
    author_id: int
    author: str
    saved_at: str
    spec_version: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Status:
    """Progress of one worksheet for one relationship (or one person in it): counts and dates."""

    answered: int
    counted: int
    saved_at: str | None

    @property
    def label(self) -> str:
        """Not started, In progress or Complete."""
        if self.saved_at is None:
            return "Not started"
        return "Complete" if self.counted and self.answered >= self.counted else "In progress"


@dataclass(frozen=True)
class Confirmation:
    person_id: int
    name: str
    confirmed_at: str


@dataclass(frozen=True)
class Version:
    """One version of a confirmable document: what was confirmed (its fingerprint) and by whom."""

    number: int
    fingerprint: str
    confirmations: tuple[Confirmation, ...]


@dataclass(frozen=True)
class LatestAnswers:
    """The latest saved answers of one response (one layer), for aggregate views only."""

    worksheet_id: str
    relationship_id: int
    owner_id: int
    revision_id: int
    saved_at: str
    values: dict[str, Any]
