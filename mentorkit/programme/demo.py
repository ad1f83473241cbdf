"""Creating a programme, and the demo one that shows every kind of relationship."""

from __future__ import annotations

from dataclasses import dataclass

from mentorkit.core import access
from mentorkit.core.models import Person, Programme
from mentorkit.core.store import Store
from mentorkit.exceptions import ConfigError, MissingEntry


@dataclass(frozen=True)
class Invitation:
    """A person and their access code, as printed once for the facilitator to hand out."""

    person: Person
    code: str
    role: str


DEMO_NAME = "Demo mentoring programme"
DEMO_RELATIONSHIPS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("one-to-one", "", [("Amara Okafor", "mentor"), ("Ben Hughes", "mentee")]),
    ("peer", "", [("Chloe Martin", "peer"), ("Dev Patel", "peer")]),
    (
        "group",
        "Leadership circle",
        [
            ("Elena Rossi", "mentor"),
            ("Farah Khan", "mentee"),
            ("George Li", "mentee"),
            ("Hana Sato", "mentee"),
        ],
    ),
]


def create_programme(
    store: Store, name: str, facilitator: str = "Facilitator", email: str = ""
) -> tuple[Programme, Invitation]:
    """A new programme with its facilitator (and their email address, by which JupyterHub
    knows them, if given); refuses if the store already has one."""
    try:
        existing = store.programme()
    except MissingEntry:
        existing = None
    if existing is not None:
        raise ConfigError(
            f"This data folder already holds the programme {existing.name!r}. "
            "Use another --data folder for a new programme."
        )
    programme = store.create_programme(name)
    person, code = access.add_person(store, programme.id, facilitator, is_facilitator=True)
    if email:
        store.set_email(person.id, email.strip().lower())
        person = store.person(person.id)
    store.audit("programme-created", person.id, name)
    return programme, Invitation(person, code, "facilitator")


def create_demo(store: Store) -> tuple[Programme, list[Invitation]]:
    """The demo programme: a one-to-one pair, a peer pair and a group, with every code."""
    programme, facilitator = create_programme(store, DEMO_NAME, "Fran Fletcher")
    invitations = [facilitator]
    for kind, name, people in DEMO_RELATIONSHIPS:
        members = []
        for person_name, role in people:
            person, code = access.add_person(store, programme.id, person_name)
            invitations.append(Invitation(person, code, role))
            members.append((person.id, role))
        store.add_relationship(programme.id, kind, members, name)
    return programme, invitations
