"""The facilitator's set-up commands: import people, pair them, and make or withdraw codes.

They work on the data folder directly, like ``mentorkit init``: whoever can run them can
already read the programme's files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentorkit.core import access, paths
from mentorkit.core.models import RELATIONSHIP_KINDS, Person
from mentorkit.core.store import Store
from mentorkit.core.text import count_of
from mentorkit.core.words import role_words
from mentorkit.exceptions import ConfigError

DATA_HELP = "data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
SITE_HELP = "the address people open, for the links on the cards (default: http://localhost:8866)"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``people``, ``pair`` and ``codes`` commands."""
    people = sub.add_parser("people", help="import the programme's people from CSV or XLSX")
    people.add_argument("action", choices=["import", "list"])
    people.add_argument("file", nargs="?", help="the CSV or XLSX file to import")
    people.add_argument("--yes", action="store_true", help="import the good rows without asking")
    people.add_argument("--cards", help="also write the new codes' cards to this PDF file")
    people.add_argument("--site", default="http://localhost:8866", help=SITE_HELP)
    people.add_argument("--data", help=DATA_HELP)

    pair = sub.add_parser("pair", help="create a relationship between people (by email)")
    pair.add_argument("--kind", choices=list(RELATIONSHIP_KINDS), default="one-to-one")
    pair.add_argument("--mentor", help="the mentor's email (not for peer relationships)")
    pair.add_argument("members", nargs="+", help="the mentee's (or peers') emails")
    pair.add_argument("--name", default="", help="a name for a group")
    pair.add_argument("--data", help=DATA_HELP)

    codes = sub.add_parser("codes", help="make new access codes (and cards) or withdraw them")
    codes.add_argument("action", choices=["new", "withdraw"])
    codes.add_argument("emails", nargs="+", help="whose codes, by email")
    codes.add_argument("--cards", help="write the new codes' cards to this PDF file")
    codes.add_argument("--site", default="http://localhost:8866", help=SITE_HELP)
    codes.add_argument("--data", help=DATA_HELP)


def confirm(question: str, flag: str = "--yes") -> bool:
    """Ask a yes/no question on the terminal; True only for "y" or "yes".

    Every command that asks before it acts uses this. Without a terminal to answer on (a
    script, a scheduled job, input piped in) nothing is asked: it stops with a ConfigError
    saying to pass ``flag`` instead, so the command exits non-zero and nothing is done.
    """
    if not (sys.stdin and sys.stdin.isatty()):
        raise ConfigError(
            "This command asks before it goes ahead, and there is no terminal here to answer "
            f"on. Nothing was done. To go ahead without being asked, run it again with {flag}."
        )
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:  # Ctrl+D at the question
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def _store(args: argparse.Namespace) -> Store:
    url = paths.store_url()
    if url:
        return Store(url)
    path = paths.database_path(args.data)
    if not path.exists():
        raise ConfigError(
            f"There is no programme in {path.parent}. Create one with: mentorkit init"
        )
    return Store(path)


def _by_email(store: Store, programme_id: int, emails: list[str]) -> list[Person]:
    known = {p.email: p for p in store.people(programme_id) if p.email}
    missing = [e for e in emails if e.strip().lower() not in known]
    if missing:
        raise ConfigError(
            f"Nobody in the programme has the email {', '.join(missing)}. "
            "See who is there with: mentorkit people list"
        )
    return [known[e.strip().lower()] for e in emails]


def _write_cards(
    store: Store, made: list[tuple[Person, str]], out: str, site: str, roles: dict[int, str]
) -> None:
    from mentorkit.io.documents.cards import Card, code_cards_pdf

    cards = [
        Card(
            p.name,
            role_words(roles[p.id]) if roles.get(p.id) else "",
            code,
            f"{site.rstrip('/')}/signin?code={code}",
        )
        for p, code in made
    ]
    Path(out).write_bytes(code_cards_pdf(cards, store.programme().name))
    print(f"Wrote {count_of(len(cards), 'code card')} to {out}")


def _print_codes(made: list[tuple[Person, str]], site: str) -> None:
    print("Access codes (shown once; hand each person their own):")
    for person, code in made:
        print(
            f"  {person.name:<24} {person.email:<32} {code}   {site.rstrip('/')}/signin?code={code}"
        )


def people_command(args: argparse.Namespace) -> int:
    """``mentorkit people import FILE`` or ``mentorkit people list``."""
    from mentorkit.io.people_import import read_people

    store = _store(args)
    programme = store.programme()
    if args.action == "list":
        for person in store.people(programme.id):
            role = (
                "facilitator"
                if person.is_facilitator
                else store.person_details(person.id).get("role", "")
            )
            role = role_words(role) if role else ""
            state = "" if person.code_active else "  (code withdrawn)"
            print(f"  {person.name:<24} {person.email:<32} {role}{state}")
        return 0
    if not args.file:
        raise ConfigError("Say which file to import: mentorkit people import people.csv")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"Cannot read {path}: {error.strerror}.") from None
    preview = read_people(data, path.name, store.emails(programme.id))
    for problem in preview.bad:
        print(f"  {problem.reason}")
    print(preview.summary)
    if not preview.good:
        return 1
    if not args.yes and not confirm(
        f"Import {count_of(len(preview.good), 'person', 'people')} into {programme.name!r}?"
    ):
        print("Nothing was imported.")
        return 1
    made = access.add_people(
        store,
        programme.id,
        [
            (r.name, r.email, {"role": r.role, "years": r.years, "unit": r.unit, "extra": r.extra})
            for r in preview.good
        ],
    )
    store.audit("people-imported", None, path.name, {"count": len(made)})
    print(f"Imported {count_of(len(made), 'person', 'people')}.")
    _print_codes(made, args.site)
    if args.cards:
        roles = {p.id: r.role for (p, _), r in zip(made, preview.good, strict=True)}
        _write_cards(store, made, args.cards, args.site, roles)
    return 0


def pair_command(args: argparse.Namespace) -> int:
    """``mentorkit pair --mentor A MENTEE`` (or ``--kind peer A B``)."""
    store = _store(args)
    programme = store.programme()
    people = _by_email(store, programme.id, args.members)
    if args.kind == "peer":
        if len(people) < 2:
            raise ConfigError("A peer relationship needs at least two people.")
        members = [(p.id, "peer") for p in people]
    else:
        if not args.mentor:
            raise ConfigError("Say who the mentor is: --mentor their@email")
        mentor = _by_email(store, programme.id, [args.mentor])[0]
        if args.kind != "group" and len(people) != 1:
            raise ConfigError("Name one mentee (a group takes several: --kind group).")
        if mentor.id in {p.id for p in people}:
            raise ConfigError("The mentor cannot also be their own mentee.")
        members = [(mentor.id, "mentor")] + [(p.id, "mentee") for p in people]
    relationship = store.add_relationship(programme.id, args.kind, members, args.name)
    store.audit("relationship-created", None, str(relationship.id))
    print(f"Created relationship {relationship.id}: {relationship.title}")
    return 0


def codes_command(args: argparse.Namespace) -> int:
    """``mentorkit codes new|withdraw EMAIL...``."""
    store = _store(args)
    people = _by_email(store, store.programme().id, args.emails)
    if args.action == "withdraw":
        for person in people:
            access.revoke_code(store, person.id)
        print(f"Withdrew {len(people)} code(s); those people cannot sign in until given new ones.")
        return 0
    made = [(p, access.reset_code(store, p.id)) for p in people]
    _print_codes(made, args.site)
    if args.cards:
        roles = {p.id: store.person_details(p.id).get("role", "") for p, _ in made}
        _write_cards(store, made, args.cards, args.site, roles)
    return 0


COMMANDS = {"people": people_command, "pair": pair_command, "codes": codes_command}
