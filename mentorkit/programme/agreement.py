"""The mentoring agreement: expectations taken from the negotiation, versions and confirmations.

An agreement's content is the agreement worksheet plus the agreed expectations of the
negotiation worksheet. Its *fingerprint* names the latest shared revision of each; while the
fingerprint is unchanged the version stays, and once anything changes after a confirmation
the agreement becomes a new, unconfirmed version. Earlier versions stay readable because a
fingerprint points at the exact revisions that were confirmed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from mentorkit.core.dates import date_words
from mentorkit.core.display import answer_text
from mentorkit.core.models import RELATIONSHIP_KINDS, Person, Relationship, Version
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import SHARED, Store
from mentorkit.core.worksheet_ids import AGREEMENT, EXPECTATIONS
from mentorkit.exceptions import MentorkitError
from mentorkit.programme.agreement_document import (
    AgreedExpectation,
    AgreementDocument,
    OpenPoint,
    Section,
)


def require_worksheet(worksheets: dict[str, Worksheet], worksheet_id: str) -> Worksheet:
    try:
        return worksheets[worksheet_id]
    except KeyError:
        raise MentorkitError(
            f"The worksheet {worksheet_id!r} is missing from the worksheets folder, so the "
            "agreement cannot be put together. Ask your trainer to restore it."
        ) from None


def fingerprint(store: Store, worksheets: dict[str, Worksheet], relationship_id: int) -> str:
    """Which revisions the agreement is made of right now: "agreement-rev:expectations-rev"."""
    parts = []
    for worksheet_id in (AGREEMENT, EXPECTATIONS):
        worksheet = worksheets.get(worksheet_id)
        latest = store.latest_revision_ids(worksheet, relationship_id, 0) if worksheet else {}
        parts.append(str(latest.get(SHARED) or 0))
    return ":".join(parts)


def current_version(
    store: Store, worksheets: dict[str, Worksheet], relationship_id: int
) -> Version:
    """The version the agreement is at, with its confirmations so far."""
    return store.current_version(
        AGREEMENT, relationship_id, fingerprint(store, worksheets, relationship_id)
    )


def confirm(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    person: Person,
    seen: str | None = None,
) -> Version:
    """``person`` confirms the agreement exactly as it now stands.

    ``seen`` is the fingerprint of what the person was shown; if the agreement changed since,
    nothing is confirmed and they are asked to read it again.
    """
    current = fingerprint(store, worksheets, relationship_id)
    if seen is not None and seen != current:
        raise MentorkitError(
            "The agreement changed a moment ago. Please read it again, then confirm."
        )
    return store.confirm(AGREEMENT, relationship_id, person.id, current)


def _values(
    store: Store,
    worksheet: Worksheet | None,
    relationship_id: int,
    viewer_id: int,
    revision_id: int | None,
) -> dict[str, Any]:
    """The shared answers of a worksheet: now (``revision_id`` None) or as at a revision."""
    if worksheet is None:
        return {}
    if revision_id is None:
        return store.load(worksheet, relationship_id, viewer_id).values
    if revision_id == 0:
        return {}
    return store.load_revision(worksheet, relationship_id, viewer_id, revision_id).values


def expectation_items(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship_id: int,
    viewer_id: int,
    revision_id: int | None = None,
) -> list[dict[str, Any]]:
    """The negotiated expectations (each a dict with text, outcome, _by …)."""
    values = _values(store, worksheets.get(EXPECTATIONS), relationship_id, viewer_id, revision_id)
    return list(values.get("expectations") or [])


def agreed(items: list[dict[str, Any]]) -> list[AgreedExpectation]:
    """Expectations agreed as stated or in new wording."""
    return [
        AgreedExpectation(
            item.get("text") or "",
            item.get("_by") or "",
            item.get("shared_wording") if item.get("outcome") == "reworded" else None,
        )
        for item in items
        if item.get("outcome") in ("agreed", "reworded")
    ]


def open_points(items: list[dict[str, Any]]) -> list[OpenPoint]:
    """Expectations parked to discuss later, with when they come back."""
    points = []
    for item in items:
        if item.get("outcome") != "later":
            continue
        session = str(item.get("later_session") or "")
        when = [f"Session {session}" if session.isdigit() else ""]
        if item.get("later_date"):
            when.append(date_words(item["later_date"]))
        points.append(
            OpenPoint(
                item.get("text") or "",
                item.get("_by") or "",
                " or ".join(w for w in when if w) or "not yet decided",
            )
        )
    return points


def _sections(worksheet: Worksheet, values: dict[str, Any]) -> tuple[Section, ...]:
    """Answered fields, split into sections at each guidance block."""
    sections: list[Section] = []
    heading = "About our relationship"
    items: list[tuple[str, str]] = []
    for field in worksheet.fields:
        if not field.has_value:
            if items:
                sections.append(Section(heading, tuple(items)))
            heading = field.text.split(".")[0].replace("*", "").strip() or "More"
            items = []
            continue
        text = answer_text(field, values.get(field.id))
        if text:
            items.append((field.label, text))
    if items:
        sections.append(Section(heading, tuple(items)))
    return tuple(sections)


def build_document(
    store: Store,
    worksheets: dict[str, Worksheet],
    relationship: Relationship,
    viewer: Person,
    version: Version | None = None,
) -> AgreementDocument:
    """The agreement as plain data: as it stands now, or as it was at an earlier ``version``."""
    current = current_version(store, worksheets, relationship.id)
    version = version or current
    revision_ids: list[int | None] = [None, None]
    if version.number != current.number or version.confirmations:
        revision_ids = [int(part) for part in version.fingerprint.split(":")]
    agreement = require_worksheet(worksheets, AGREEMENT)
    values = _values(store, agreement, relationship.id, viewer.id, revision_ids[0])
    items = expectation_items(store, worksheets, relationship.id, viewer.id, revision_ids[1])
    confirmed = {c.person_id for c in version.confirmations}
    model = (
        answer_text(agreement.field("model"), values.get("model"))
        if "model" in {f.id for f in agreement.fields}
        else ""
    )
    return AgreementDocument(
        programme=store.programme(relationship.programme_id).name,
        title=agreement.title,
        relationship=relationship.title,
        model=model or RELATIONSHIP_KINDS.get(relationship.kind, relationship.kind),
        members=tuple((m.name, m.role) for m in relationship.members),
        version=version.number,
        sections=_sections(agreement, values),
        expectations=tuple(agreed(items)),
        open_points=tuple(open_points(items)),
        confirmations=tuple((c.name, c.confirmed_at) for c in version.confirmations),
        waiting_for=tuple(m.name for m in relationship.members if m.person_id not in confirmed),
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
