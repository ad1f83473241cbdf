"""Competency ratings: worksheets made from frameworks, who rates whom, and reading them back.

A rating is an individual worksheet built from a framework: one rating field per item, a
comment per domain, the domains to develop, and the date. Its id names the framework, whose
competencies are rated (``self`` or ``partner-<person id>``) and the round, so the store keeps
each rater's copy separately and every round stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from mentorkit.core.display import answer_text
from mentorkit.core.models import Member, Person, Relationship
from mentorkit.core.spec import Field, Option, Worksheet
from mentorkit.core.store import Store
from mentorkit.core.text import markdown_escape
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.plan import ProgrammePlan

ROUNDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "baseline": ("Baseline", (1, 2)),
    "follow-up": ("Follow-up", (6,)),
}
"""Each round's title, and its sessions when there is no programme plan (see
:func:`round_sessions`)."""
PREFIX = "ratings"


def round_sessions(round_id: str, plan: ProgrammePlan | None) -> tuple[int, ...]:
    """The sessions a round is done in, from the plan: the baseline in the first two (the
    first alone in a plan of three sessions or fewer), the follow-up in the last."""
    numbers = [s.number for s in plan.sessions] if plan is not None else []
    if not numbers:
        return ROUNDS[round_id][1]
    if round_id == "baseline":
        return tuple(numbers[:2] if len(numbers) >= 4 else numbers[:1])
    return (numbers[-1],)


def round_when(round_id: str, plan: ProgrammePlan | None) -> str:
    """The sessions a round is done in, in words: "sessions 1–2", "session 4"."""
    numbers = round_sessions(round_id, plan)
    first, last = numbers[0], numbers[-1]
    return f"session {first}" if first == last else f"sessions {first}–{last}"


def round_label(round_id: str, plan: ProgrammePlan | None) -> str:
    """A round as a table cell names it: "Baseline (sessions 1–2)", "Follow-up (session 4)".
    Within brackets of a sentence, use :func:`round_aside` (no brackets inside brackets)."""
    return f"{ROUNDS[round_id][0]} ({round_when(round_id, plan)})"


def round_aside(round_id: str, plan: ProgrammePlan | None) -> str:
    """A round as an aside in a sentence, to go in its brackets: "baseline, sessions 1–2"
    ("… at the start (baseline, sessions 1–2) …")."""
    return f"{ROUNDS[round_id][0].lower()}, {round_when(round_id, plan)}"


def item_field_id(domain_id: str, item_id: str) -> str:
    return f"{domain_id}__{item_id}"


def comment_field_id(domain_id: str) -> str:
    return f"{domain_id}__comment"


def worksheet_id(framework_id: str, whose: str, round_id: str) -> str:
    return f"{PREFIX}--{framework_id}--{whose}--{round_id}"


def parse_worksheet_id(value: str) -> tuple[str, str, str] | None:
    """(framework id, whose, round) from a rating worksheet id, or None."""
    parts = value.split("--")
    if len(parts) != 4 or parts[0] != PREFIX or parts[3] not in ROUNDS:
        return None
    return parts[1], parts[2], parts[3]


def rating_worksheet(
    framework: Framework,
    whose: str,
    round_id: str,
    subject: str,
    plan: ProgrammePlan | None = None,
) -> Worksheet:
    """The worksheet for rating ``subject`` (a name, or "yourself") on ``framework``, in the
    sessions ``plan`` gives the round."""
    scale = framework.scale
    round_title = ROUNDS[round_id][0]
    sessions = round_sessions(round_id, plan)
    fields: list[Field] = [Field(id="rated_on", type="date", label="Date of this rating")]
    for domain in framework.domains:
        heading = f"**{domain.title}**" + (f": {domain.description}" if domain.description else "")
        fields.append(Field(id=f"{domain.id}__heading", type="guidance", text=heading))
        for item in domain.items:
            fields.append(
                Field(
                    id=item_field_id(domain.id, item.id),
                    type="rating",
                    label=item.text,
                    points=scale.points,
                    anchors=dict(scale.anchors),
                    not_applicable=scale.not_applicable,
                    required=True,
                    show_anchors=False,
                )
            )
        fields.append(
            Field(
                id=comment_field_id(domain.id),
                type="paragraph",
                label=f"A comment on {domain.title} (optional)",
                max_length=1000,
            )
        )
    fields.append(
        Field(
            id="develop",
            type="multichoice",
            label="Areas to develop" if whose == "self" else "Areas you would suggest developing",
            help="These are offered when you set goals.",
            options=tuple(Option(d.id, d.title) for d in framework.domains),
        )
    )
    who = "yourself" if whose == "self" else subject
    return Worksheet(
        id=worksheet_id(framework.id, whose, round_id),
        title=f"{framework.title}: rating {who} ({round_title.lower()})",
        version=1,
        mode="individual",
        phase="implement-and-evaluate",
        sessions=sessions,
        introduction=(  # Markdown: the name is escaped so it shows exactly as typed
            f"Rate {markdown_escape(who)} on each behaviour, from 1 to {scale.points}"
            + "".join(f"; {point} = {label}" for point, label in sorted(scale.anchors.items()))
            + ". Point at a number to see its meaning."
            + (
                " Choose *Not applicable* where it does not apply yet."
                if scale.not_applicable
                else ""
            )
        ),
        fields=tuple(fields),
        notes="; ".join(framework.sources),
    )


def frameworks_for(role: str, frameworks: dict[str, Framework]) -> list[Framework]:
    """The frameworks a person in ``role`` is rated on: those for the role (peers: the mentee
    ones) and those for anyone."""
    wanted = "mentor" if role == "mentor" else "mentee"
    return [f for f in frameworks.values() if f.rated in (wanted, "anyone")]


@dataclass(frozen=True)
class RatingTask:
    """One rating a person can do: whom, on which framework, in which round."""

    framework: Framework
    whose: str
    subject: Member
    round_id: str
    plan: ProgrammePlan | None = None

    def worksheet(self) -> Worksheet:
        name = "yourself" if self.whose == "self" else self.subject.name
        return rating_worksheet(self.framework, self.whose, self.round_id, name, self.plan)


def tasks_for(
    person: Person,
    relationship: Relationship,
    frameworks: dict[str, Framework],
    plan: ProgrammePlan | None = None,
) -> list[RatingTask]:
    """Rate yourself, and each partner on their own framework, in every round."""
    tasks = []
    me = next((m for m in relationship.members if m.person_id == person.id), None)
    if me is None:
        return []
    for round_id in ROUNDS:
        for own in frameworks_for(me.role, frameworks):
            tasks.append(RatingTask(own, "self", me, round_id, plan))
        for partner in relationship.partners_of(person.id):
            for theirs in frameworks_for(partner.role, frameworks):
                tasks.append(
                    RatingTask(theirs, f"partner-{partner.person_id}", partner, round_id, plan)
                )
    return tasks


def with_earlier_round(
    worksheet: Worksheet, earlier: dict[str, Any], round_title: str
) -> Worksheet:
    """The same worksheet, each rating's help showing the answer given in an earlier round."""
    fields = []
    for field in worksheet.fields:
        previous = earlier.get(field.id)
        if field.type == "rating" and previous is not None:
            note = f"{round_title}: {answer_text(field, previous)}"
            field = replace(field, help=f"{note}. {field.help}".strip(". ") if field.help else note)
        fields.append(field)
    return replace(worksheet, fields=tuple(fields))


def rating_records(
    store: Store, frameworks: dict[str, Framework], relationship: Relationship, viewer: Person
) -> list[dict[str, Any]]:
    """Every rating item the viewer may see in this relationship, one dict per item rated."""
    records: list[dict[str, Any]] = []
    for rater in relationship.members:
        rater_person = store.person(rater.person_id)
        for task in tasks_for(rater_person, relationship, frameworks):
            worksheet = task.worksheet()
            values = store.load(worksheet, relationship.id, viewer.id, rater.person_id).values
            if not values:
                continue
            for domain in task.framework.domains:
                for item in domain.items:
                    value = values.get(item_field_id(domain.id, item.id))
                    if value is None:
                        continue
                    records.append(
                        {
                            "person_id": task.subject.person_id,
                            "person": task.subject.name,
                            "rater_id": rater.person_id,
                            "rater": rater.name,
                            "relation": "self" if task.whose == "self" else "partner",
                            "round": task.round_id,
                            "framework": task.framework.id,
                            "domain_id": domain.id,
                            "domain": domain.title,
                            "item": item.id,
                            "value": value,
                            "rated_on": values.get("rated_on"),
                        }
                    )
    return records


def development_areas(
    store: Store, frameworks: dict[str, Framework], relationship: Relationship, viewer: Person
) -> list[str]:
    """The domains anyone in the relationship marked to develop (titles, first seen first),
    for the goals page to offer as competency areas."""
    areas: list[str] = []
    for rater in relationship.members:
        rater_person = store.person(rater.person_id)
        for task in tasks_for(rater_person, relationship, frameworks):
            values = store.load(task.worksheet(), relationship.id, viewer.id, rater.person_id)
            titles = {d.id: d.title for d in task.framework.domains}
            for domain_id in values.values.get("develop") or []:
                title = titles.get(domain_id, domain_id)
                if title not in areas:
                    areas.append(title)
    return areas
