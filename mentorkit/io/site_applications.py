"""Applications made on the site (the application worksheet) read as rows of the applications
spreadsheet, so they are checked exactly as an uploaded file is; and the people already in the
programme, whom a proposal must not pair again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from mentorkit.core.worksheet_ids import APPLICATION
from mentorkit.exceptions import MentorkitError

if TYPE_CHECKING:
    from mentorkit.core.models import Person
    from mentorkit.core.spec import Worksheet
    from mentorkit.core.store import Store
from mentorkit.io.application_cells import KNOWN_TAGS, OWN_PREFIX
from mentorkit.io.applications import ApplicationsPreview, read_applications
from mentorkit.matching import Applicant

APPLICATION_WORKSHEET = APPLICATION
SITE_ID = "person-{}"
"""The applicant id of an application filled in on the site, from its author's person id."""
_SITE_COLUMNS = (
    ("Id", None),
    ("Name", None),
    ("Email", None),
    ("Role", "role"),
    ("Years of experience", "years"),
    ("Offers", "offers"),
    ("Seeks", "seeks"),
    ("Goals", "goals"),
    ("Model", "model"),
    ("Frequency", "frequency"),
    ("Slots", "slots"),
    ("UTC offset", "utc_offset"),
    ("Capacity", "capacity"),
    ("Avoid", "avoid"),
)


def _as_cell(value: object, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if key in ("offers", "seeks"):  # tags of one's own are marked as such
            value = [v if v in KNOWN_TAGS else f"{OWN_PREFIX}{v}" for v in map(str, value)]
        return "; ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\n", "; ")


def applications_from_site(
    store: Store, programme_id: int, worksheet: Worksheet, facilitator: Person
) -> ApplicationsPreview:
    """The applications people filled in on the site, read as the facilitator sees them and
    checked exactly like an imported file (so the same messages apply). Each applicant keeps
    its author's person id (``preview.people``), so accepting a match pairs the people who
    applied rather than adding anyone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in _SITE_COLUMNS])
    authors: dict[str, int] = {}
    for record in store.application_records(programme_id):
        applicant = record.members[0]
        person = store.person(applicant.person_id)
        values = store.load(worksheet, record.id, facilitator.id, person.id).values
        if not values:
            continue
        ident = SITE_ID.format(person.id)
        authors[ident] = person.id
        writer.writerow(
            [ident, person.name, person.email or f"person-{person.id}@mentorkit.invalid"]
            + [_as_cell(values.get(key), key) for _, key in _SITE_COLUMNS[3:]]
        )
    preview = read_applications(out.getvalue().encode("utf-8"), "applications on this site.csv")
    return replace(preview, people={a.id: authors[a.id] for a in preview.good})


def existing_people(
    store: Store,
    programme_id: int,
    applicants: Iterable[Applicant],
    person_ids: Mapping[str, int] | None = None,
) -> tuple[dict[str, int], list[Applicant]]:
    """Who each applicant already is in the programme, so accepting a match never adds
    anyone twice: an application filled in on the site is its author's (``person_ids``,
    see :attr:`ApplicationsPreview.people`); one from a file is the person with the same
    email (capitals do not matter). Returns (applicant id -> person id, the applicants who
    are nobody in the programme yet and should be added)."""
    person_ids = person_ids or {}
    people = {p.id: p for p in store.people(programme_id)}
    by_email = {p.email.casefold(): p.id for p in people.values() if p.email}
    found: dict[str, int] = {}
    new: list[Applicant] = []
    for applicant in applicants:
        if applicant.id in person_ids:
            if person_ids[applicant.id] not in people:
                raise MentorkitError(
                    f"{applicant.label} applied on this site, but is no longer in this "
                    "programme. Load the applications again."
                )
            found[applicant.id] = person_ids[applicant.id]
        elif applicant.email and applicant.email.casefold() in by_email:
            found[applicant.id] = by_email[applicant.email.casefold()]
        else:
            new.append(applicant)
    return found, new
