"""The facilitator's cohort view: completion, competency averages, goals and sessions across a
programme, as tables, a report and data downloads.

What leaves this module is states, counts, averages and answers to ``programme``-visibility
fields, nothing else:

* figures come from :func:`mentorkit.dashboard.dashboard_rows` and from one programme-wide read
  (:meth:`Store.latest_answers`) that is turned into numbers here and never shown;
* competency averages are per role and round (or per relationship, for the results page's
  heatmap), and a group of fewer than ``min_group`` people gets no average
  (:func:`hide_small_groups`, the one place that rule lives), so nobody's own ratings can be
  read off a chart or a table;
* the only answers are read with :meth:`Store.load` *as the facilitator*, which hands out
  ``programme`` fields only, and each is checked against its field's visibility again here.

This module imports pandas; only the cohort page and its exports import it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import dashboard, ratings
from .display import answer_text
from .exceptions import NotAllowed
from .exports.report import Bullets, Heading, Image, Paragraph, Report, Table
from .fieldtypes import NOT_APPLICABLE
from .frameworks import Framework
from .models import RELATIONSHIP_KINDS, ROLES, Person, Relationship
from .programme import ProgrammePlan
from .spec import Field, Worksheet, is_answered
from .store import SHARED, Store, now
from .text import neutralise

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "MIN_GROUP",
    "ProgrammeAnswer",
    "cohort_report",
    "competency_averages",
    "completion_matrix",
    "goal_progress_distribution",
    "hide_small_groups",
    "programme_answers",
    "programme_tables",
    "relationship_averages",
    "session_summary",
    "to_csv",
    "to_xlsx",
]

MIN_GROUP = 3
"""A group needs at least this many people for its average to be shown."""
STATE_CODES = {"Not started": 0, "In progress": 1, "Complete": 2}
GROUP_NAMES = {"mentor": "Mentors", "mentee": "Mentees", "peer": "Peers"}
AVERAGE_COLUMNS = ["framework", "domain", "role", "round", "mean", "people", "suppressed"]
RELATIONSHIP_AVERAGE_COLUMNS = [
    "relationship_id",
    "framework_id",
    "domain_id",
    "domain",
    "round",
    "mean",
    "people",
    "suppressed",
]
TABLES = ("people", "relationships", "answers")
CHOICE_TYPES = ("choice", "multichoice", "yesno")


# --- completion, goals, sessions ---------------------------------------------------------------


def completion_matrix(rows: Sequence[dashboard.RelationshipRow]) -> pd.DataFrame:
    """Relationships (rows, by title) × tracked worksheets (columns, by title): 0 not started,
    1 in progress, 2 complete."""
    columns = [state.title for state in rows[0].worksheets] if rows else []
    data = [[STATE_CODES.get(state.label, 0) for state in row.worksheets] for row in rows]
    return pd.DataFrame(
        data,
        index=pd.Index([row.relationship.title for row in rows], name="relationship"),
        columns=pd.Index(columns, name="worksheet"),
        dtype=int,
    )


def goal_progress_distribution(rows: Iterable[dashboard.RelationshipRow]) -> list[float]:
    """Each relationship's progress on its goals (0–100), for those that recorded any."""
    return [float(row.goal_progress) for row in rows if row.goal_progress is not None]


def session_summary(rows: Sequence[dashboard.RelationshipRow]) -> dict[str, float]:
    """Sessions logged and hours across the programme.

    Keys: ``relationships``, ``sessions`` (held, i.e. with notes logged), ``hours``,
    ``mean_sessions`` and ``mean_hours`` per relationship, ``without_sessions`` (relationships
    with no session logged yet).
    """
    count = len(rows)
    sessions = sum(row.sessions_logged for row in rows)
    hours = sum(row.minutes_logged for row in rows) / 60
    return {
        "relationships": count,
        "sessions": sessions,
        "hours": hours,
        "mean_sessions": sessions / count if count else 0.0,
        "mean_hours": hours / count if count else 0.0,
        "without_sessions": sum(1 for row in rows if not row.sessions_logged),
    }


# --- competency averages -------------------------------------------------------------------


def _score(value: Any, points: int) -> float | None:
    """A rating as a number, or None for "n/a", blanks and anything off the scale."""
    if value == NOT_APPLICABLE or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 1 <= value <= points else None


def _self_scores(
    store: Store, programme_id: int, frameworks: Mapping[str, Framework]
) -> pd.DataFrame:
    """One row per person, relationship, framework, domain and round they rated themselves
    in: the mean of their item ratings in that domain ("n/a" left out)."""
    relationships = {r.id: r for r in store.relationships(programme_id)}
    records = []
    for answers in store.latest_answers(programme_id):
        parsed = ratings.parse_worksheet_id(answers.worksheet_id)
        if parsed is None:
            continue
        framework_id, whose, round_id = parsed
        relationship = relationships.get(answers.relationship_id)
        framework = frameworks.get(framework_id)
        if whose != "self" or framework is None or relationship is None:
            continue
        role = relationship.role_of(answers.owner_id)  # the owner of a self-rating is rated
        if role is None or framework not in ratings.frameworks_for(role, dict(frameworks)):
            continue
        for domain in framework.domains:
            scores = [
                s
                for item in domain.items
                if (
                    s := _score(
                        answers.values.get(ratings.item_field_id(domain.id, item.id)),
                        framework.scale.points,
                    )
                )
                is not None
            ]
            if scores:
                records.append(
                    {
                        "relationship_id": relationship.id,
                        "framework_id": framework.id,
                        "domain_id": domain.id,
                        "role": role,
                        "round": round_id,
                        "person_id": answers.owner_id,
                        "score": sum(scores) / len(scores),
                    }
                )
    return pd.DataFrame.from_records(
        records,
        columns=[
            "relationship_id",
            "framework_id",
            "domain_id",
            "role",
            "round",
            "person_id",
            "score",
        ],
    )


def hide_small_groups(groups: pd.DataFrame, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The smallest-group rule, for every figure about people's own ratings: where a row's
    ``people`` is below ``min_group``, its ``mean`` becomes NaN and ``suppressed`` true, so
    nobody's own ratings can be read off a chart or a table. Changes and returns ``groups``."""
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        raise ValueError(f"min_group must be a whole number from 1 (got {min_group!r}).")
    groups["suppressed"] = (groups["people"] < min_group).astype(bool)
    groups["mean"] = groups["mean"].where(~groups["suppressed"])
    return groups


def competency_averages(
    store: Store,
    programme_id: int,
    frameworks: Mapping[str, Framework],
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """The mean self-rating per framework, domain, role and round, over people.

    Columns: ``framework`` and ``domain`` (titles), ``role`` (mentor, mentee or peer, from
    the relationship the rating belongs to), ``round`` (baseline or follow-up), ``mean``,
    ``people`` (how many people it rests on) and ``suppressed``. Each person's domain score
    is the mean of their own item ratings ("n/a" left out); someone rated in two
    relationships in the same role counts once, with the mean of both. A group of fewer than
    ``min_group`` people gets no mean (NaN, ``suppressed`` true) so nobody is singled out.
    """
    hide_small_groups(pd.DataFrame({"mean": [], "people": []}), min_group)  # checks min_group
    scores = _self_scores(store, programme_id, frameworks)
    if scores.empty:
        return pd.DataFrame(columns=AVERAGE_COLUMNS)
    keys = ["framework_id", "domain_id", "role", "round"]
    per_person = scores.groupby([*keys, "person_id"], sort=False)["score"].mean().reset_index()
    groups = hide_small_groups(
        per_person.groupby(keys, sort=False)["score"]
        .agg(mean="mean", people="count")
        .reset_index(),
        min_group,
    )

    framework_order = {f.id: n for n, f in enumerate(frameworks.values())}
    domain_order = {(f.id, d.id): n for f in frameworks.values() for n, d in enumerate(f.domains)}
    order = [
        (framework_order[f], domain_order[(f, d)], ROLES.index(r), list(ratings.ROUNDS).index(o))
        for f, d, r, o in zip(
            groups["framework_id"],
            groups["domain_id"],
            groups["role"],
            groups["round"],
            strict=True,
        )
    ]
    groups = groups.iloc[sorted(range(len(groups)), key=order.__getitem__)].copy()
    titles = {(f.id, d.id): (f.title, d.title) for f in frameworks.values() for d in f.domains}
    pairs = [titles[key] for key in zip(groups["framework_id"], groups["domain_id"], strict=True)]
    groups["framework"] = [framework for framework, _ in pairs]
    groups["domain"] = [domain for _, domain in pairs]
    groups["people"] = groups["people"].astype(int)
    groups["suppressed"] = groups["suppressed"].astype(bool)
    return groups[AVERAGE_COLUMNS].reset_index(drop=True)


def relationship_averages(
    store: Store,
    programme_id: int,
    frameworks: Mapping[str, Framework],
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """The mean self-rating per relationship, framework and domain, over the people rated in
    it, at the latest round in which at least ``min_group`` of them have rated themselves
    (the latest round, until one has).

    Columns: ``relationship_id``, ``framework_id``, ``domain_id``, ``domain`` (its title),
    ``round``, ``mean``, ``people`` and ``suppressed``. The same smallest-group rule as
    :func:`competency_averages` applies: a one-to-one pair has one person rated on each
    framework, so it never shows a figure; a group circle of ``min_group`` mentees does.
    """
    hide_small_groups(pd.DataFrame({"mean": [], "people": []}), min_group)  # checks min_group
    scores = _self_scores(store, programme_id, frameworks)
    if scores.empty:
        return pd.DataFrame(columns=RELATIONSHIP_AVERAGE_COLUMNS)
    order = list(ratings.ROUNDS)
    scores["order"] = scores["round"].map(order.index)
    pair = ["relationship_id", "framework_id"]
    raters = scores.groupby([*pair, "order"])["person_id"].transform("nunique")
    # The latest round with enough people rated counts; before there is one, the latest.
    scores["enough"] = scores["order"].where(raters >= min_group, -1)
    chosen = scores.groupby(pair)["enough"].transform("max")
    chosen = chosen.where(chosen >= 0, scores.groupby(pair)["order"].transform("max"))
    latest = scores[scores["order"] == chosen]
    keys = ["relationship_id", "framework_id", "domain_id", "round"]
    groups = hide_small_groups(
        latest.groupby(keys, sort=False)
        .agg(mean=("score", "mean"), people=("person_id", "nunique"))
        .reset_index(),
        min_group,
    )
    titles = {(f.id, d.id): d.title for f in frameworks.values() for d in f.domains}
    groups["domain"] = [
        titles[key] for key in zip(groups["framework_id"], groups["domain_id"], strict=True)
    ]
    groups["people"] = groups["people"].astype(int)
    return groups[RELATIONSHIP_AVERAGE_COLUMNS].reset_index(drop=True)


def _framework_chart_data(
    averages: pd.DataFrame, framework: Framework
) -> tuple[list[str], dict[tuple[str, str], list[float]], dict[tuple[str, str], list[bool]]]:
    """Domains, means and suppressed flags per (group, round) for one framework's chart."""
    mine = averages[averages["framework"] == framework.title]
    domains = [d.title for d in framework.domains if d.title in set(mine["domain"])]
    groups: dict[tuple[str, str], list[float]] = {}
    hidden: dict[tuple[str, str], list[bool]] = {}
    for role in ROLES:
        for round_id, (round_title, _) in ratings.ROUNDS.items():
            part = mine[(mine["role"] == role) & (mine["round"] == round_id)]
            if part.empty:
                continue
            by_domain = part.set_index("domain")
            key = (GROUP_NAMES[role], round_title)
            groups[key] = [
                float(by_domain["mean"].get(d, math.nan)) if d in by_domain.index else math.nan
                for d in domains
            ]
            hidden[key] = [bool(by_domain["suppressed"].get(d, False)) for d in domains]
    return domains, groups, hidden


def averages_chart(averages: pd.DataFrame, framework: Framework, min_group: int = MIN_GROUP):
    """The bar chart of one framework's averages by role and round (None when it would show
    no average at all)."""
    from . import charts

    domains, groups, hidden = _framework_chart_data(averages, framework)
    if not any(not math.isnan(v) for values in groups.values() for v in values):
        return None  # nothing rated, or every group too small: the table says so
    return charts.group_averages(
        domains,
        groups,
        f"{framework.title}: average self-ratings",
        framework.scale.points,
        hidden,
        min_group,
    )


def averages_table_rows(averages: pd.DataFrame, min_group: int = MIN_GROUP) -> list[tuple]:
    """(framework, domain, group, round, average, people) as text, for tables."""
    return [
        (
            row.framework,
            row.domain,
            GROUP_NAMES.get(row.role, row.role),
            ratings.ROUNDS.get(row.round, (row.round,))[0],
            f"fewer than {min_group} people" if row.suppressed else f"{row.mean:.2f}",
            str(int(row.people)),
        )
        for row in averages.itertuples(index=False)
    ]


# --- answers a facilitator may read --------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeAnswer:
    """One answer to a ``programme``-visibility field, as the facilitator may read it."""

    relationship: Relationship
    person: str  # "" for a joint worksheet's shared answer
    worksheet: Worksheet
    field: Field
    value: Any

    @property
    def text(self) -> str:
        return answer_text(self.field, self.value)


def facilitator_of(store: Store, programme_id: int, viewer: Person | None = None) -> Person | None:
    """``viewer`` once checked to be this programme's facilitator, or the programme's first
    facilitator when no viewer is given (None if it has none)."""
    if viewer is not None:
        if not viewer.is_facilitator or viewer.programme_id != programme_id:
            raise NotAllowed("Only the programme's facilitator can see the cohort's figures.")
        return viewer
    return next((p for p in store.people(programme_id) if p.is_facilitator), None)


def _programme_fields(worksheet: Worksheet) -> list[Field]:
    return [f for f in worksheet.answer_fields if f.visibility == "programme"]


def _worksheet_for(worksheet_id: str, worksheets: Mapping[str, Worksheet]) -> Worksheet | None:
    """The worksheet a stored response belongs to, per-session copies included."""
    if worksheet_id in worksheets:
        return worksheets[worksheet_id]
    base, _, number = worksheet_id.rpartition("--session-")
    found = worksheets.get(base)
    if found is not None and found.per_session and number.isdigit():
        return found.for_session(int(number))
    return None


def programme_answers(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    viewer: Person | None = None,
) -> list[ProgrammeAnswer]:
    """Every answer to a ``programme``-visibility field, read through :meth:`Store.load` as
    the facilitator (``viewer``, or the programme's facilitator)."""
    facilitator = facilitator_of(store, programme_id, viewer)
    shown = {wid: ws for wid, ws in worksheets.items() if _programme_fields(ws)}
    if facilitator is None or not shown:
        return []
    relationships = {r.id: r for r in store.relationships(programme_id)}
    # Which responses exist (ids only); what is in them is read through load below.
    saved = sorted(
        {
            (a.relationship_id, a.worksheet_id, a.owner_id)
            for a in store.latest_answers(programme_id)
        }
    )
    order = {wid: n for n, wid in enumerate(worksheets)}
    found: list[tuple[tuple, ProgrammeAnswer]] = []
    for relationship_id, worksheet_id, owner_id in saved:
        worksheet = _worksheet_for(worksheet_id, shown)
        relationship = relationships.get(relationship_id)
        if worksheet is None or relationship is None or not relationship.members:
            continue
        if worksheet.mode == "joint":
            if owner_id != SHARED:
                continue  # a person's own layer of a joint worksheet holds private fields only
            subject, person = relationship.members[0].person_id, ""
        else:
            member = next((m for m in relationship.members if m.person_id == owner_id), None)
            if member is None:
                continue
            subject, person = member.person_id, member.name
        values = store.load(worksheet, relationship_id, facilitator.id, subject).values
        for position, field in enumerate(_programme_fields(worksheet)):
            value = values.get(field.id)
            if is_answered(value):
                base = worksheet_id.split("--session-")[0]
                key = (
                    relationship.title.lower(),
                    relationship_id,
                    person,
                    order.get(base, 0),
                    worksheet_id,
                    position,
                )
                found.append((key, ProgrammeAnswer(relationship, person, worksheet, field, value)))
    return [answer for _, answer in sorted(found, key=lambda pair: pair[0])]


# --- tables and spreadsheets ---------------------------------------------------------------


def _when(moment: str | None) -> str:
    if not moment:
        return ""
    return dt.datetime.fromisoformat(moment).astimezone().strftime("%Y-%m-%d %H:%M")


def programme_tables(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    rows: Sequence[dashboard.RelationshipRow],
    viewer: Person | None = None,
) -> dict[str, pd.DataFrame]:
    """The programme's data for a facilitator, as three tables and nothing else.

    * ``people``: name, email, role, unit and years (as imported), and their relationships;
    * ``relationships``: title, kind, members, each worksheet's state, last activity,
      sessions, hours and flags (from ``rows``, see :func:`dashboard.dashboard_rows`);
    * ``answers``: one row per relationship, person, worksheet and ``programme``-visibility
      field, read as the facilitator (``viewer``, or the programme's facilitator).
    """
    relationships = store.relationships(programme_id)
    memberships: dict[int, list[tuple[str, str]]] = {}
    for relationship in relationships:
        for member in relationship.members:
            memberships.setdefault(member.person_id, []).append((relationship.title, member.role))
    people = []
    for person in store.people(programme_id):
        details = store.person_details(person.id)
        joined = memberships.get(person.id, [])
        role = details.get("role") or ", ".join(dict.fromkeys(r for _, r in joined))
        years = details.get("years")
        people.append(
            {
                "Name": person.name,
                "Email": person.email,
                "Role": role or ("facilitator" if person.is_facilitator else ""),
                "Unit": details.get("unit") or "",
                "Years of experience": float(years) if isinstance(years, (int, float)) else None,
                "Relationships": "; ".join(f"{title} ({r})" for title, r in joined),
            }
        )
    people_columns = ["Name", "Email", "Role", "Unit", "Years of experience", "Relationships"]

    titles = [state.title for state in rows[0].worksheets] if rows else []
    relationship_rows = []
    for row in rows:
        record = {
            "Relationship": row.relationship.title,
            "Kind": RELATIONSHIP_KINDS.get(row.relationship.kind, row.relationship.kind),
            "Members": ", ".join(f"{m.name} ({m.role})" for m in row.relationship.members),
        }
        record.update({state.title: state.label for state in row.worksheets})
        record.update(
            {
                "Last activity": _when(row.last_activity),
                "Sessions": row.sessions_logged,
                "Hours": round(row.minutes_logged / 60, 2),
                "Flags": "; ".join(row.flags),
            }
        )
        relationship_rows.append(record)
    relationship_columns = [
        "Relationship",
        "Kind",
        "Members",
        *titles,
        "Last activity",
        "Sessions",
        "Hours",
        "Flags",
    ]

    answers = [
        {
            "Relationship": a.relationship.title,
            "Person": a.person,
            "Worksheet": a.worksheet.title,
            "Question": a.field.label or a.field.id,
            "Answer": a.text,
        }
        for a in programme_answers(store, programme_id, worksheets, viewer)
    ]
    answer_columns = ["Relationship", "Person", "Worksheet", "Question", "Answer"]
    return {
        "people": pd.DataFrame(people, columns=people_columns),
        "relationships": pd.DataFrame(relationship_rows, columns=relationship_columns),
        "answers": pd.DataFrame(answers, columns=answer_columns),
    }


def _value(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, numbers as numbers, the rest as
    neutralised text (a leading =, +, -, @, tab or return gets an apostrophe)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    return neutralise(str(value))


def _records(frame: pd.DataFrame) -> Iterable[list[Any]]:
    yield [_value(str(column)) for column in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        yield [_value(cell) for cell in row]


def to_csv(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """A zip file holding one CSV per table (UTF-8 with a byte-order mark, so spreadsheets
    read accents right), every text cell neutralised against formulas."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            text = io.StringIO(newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            for record in _records(frame):
                writer.writerow(["" if cell is None else cell for cell in record])
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table: bold headings, the heading row frozen,
    and every text cell neutralised and stored as a string, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, frame in tables.items():
        sheet = workbook.create_sheet(title=str(name)[:31])
        widths: dict[int, int] = {}
        for row_number, record in enumerate(_records(frame), start=1):
            for column_number, value in enumerate(record, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.value = value
                    cell.data_type = "s"  # text, whatever it starts with
                else:
                    cell.value = value
                if row_number == 1:
                    cell.font = bold
                longest = max((len(line) for line in str(value or "").splitlines()), default=0)
                widths[column_number] = max(widths.get(column_number, 8), min(longest + 2, 60))
        for column_number, width in widths.items():
            sheet.column_dimensions[get_column_letter(column_number)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the report ---------------------------------------------------------------------------


def _png(figure: Figure) -> bytes:
    from . import charts

    return charts.figure_bytes(figure, "png")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _flag_kind(flag: str) -> str:
    if flag.startswith(("No activity for", "Nothing saved in")):
        return f"Quiet for {dashboard.QUIET_DAYS} days or more"
    if "overdue action" in flag:
        return "Overdue actions"
    return flag


def overview(
    store: Store, programme_id: int, rows: Sequence[dashboard.RelationshipRow]
) -> list[str]:
    """Sentences counting people, relationships by kind, and flags."""
    people = store.people(programme_id)
    participants = [p for p in people if not p.is_facilitator]
    roles: dict[str, set[int]] = {}
    for row in rows:
        for member in row.relationship.members:
            roles.setdefault(member.role, set()).add(member.person_id)
    by_role = ", ".join(_plural(len(roles[r]), r) for r in ROLES if r in roles)
    kinds = Counter(row.relationship.kind for row in rows)
    by_kind = ", ".join(
        f"{RELATIONSHIP_KINDS[k].lower()}: {kinds[k]}" for k in RELATIONSHIP_KINDS if kinds[k]
    )
    flagged = [row for row in rows if row.flags]
    flag_kinds = Counter(kind for row in rows for kind in dict.fromkeys(map(_flag_kind, row.flags)))
    lines = [
        f"{_plural(len(participants), 'person', 'people')} taking part"
        + (f" ({by_role})" if by_role else "")
        + f", and {_plural(len(people) - len(participants), 'facilitator')}.",
        f"{_plural(len(rows), 'relationship')}" + (f" ({by_kind})" if by_kind else "") + ".",
        f"{_plural(len(flagged), 'relationship needs', 'relationships need')} a check-in"
        + (
            ": " + "; ".join(f"{kind.lower()}: {n}" for kind, n in flag_kinds.items())
            if flag_kinds
            else ""
        )
        + ".",
    ]
    return lines


def session_lines(summary: Mapping[str, float]) -> list[str]:
    """The session summary in words."""
    return [
        f"{_plural(int(summary['sessions']), 'session')} logged across "
        f"{_plural(int(summary['relationships']), 'relationship')}.",
        f"{_number(summary['hours'])} hours in total.",
        f"On average {_number(summary['mean_sessions'])} sessions and "
        f"{_number(summary['mean_hours'])} hours per relationship.",
        f"{_plural(int(summary['without_sessions']), 'relationship has', 'relationships have')} "
        "no session logged yet.",
    ]


def _answer_blocks(answers: Sequence[ProgrammeAnswer]) -> list:
    """Per programme-visibility question: counts of each choice (free text is only counted;
    it is in the programme data download)."""
    questions: dict[tuple[str, str], list[ProgrammeAnswer]] = {}
    for answer in answers:
        base = answer.worksheet.id.split("--session-")[0]
        questions.setdefault((base, answer.field.id), []).append(answer)
    blocks: list = []
    for found in questions.values():
        field = found[0].field
        title = found[0].worksheet.title.split(" — Session ")[0]
        blocks.append(Heading(f"{title}: {field.label or field.id}", 3))
        if field.type in CHOICE_TYPES:
            counts: Counter[str] = Counter()
            for answer in found:
                if field.type == "multichoice":
                    counts.update(answer_text(field, [value]) for value in answer.value)
                else:
                    counts[answer.text] += 1
            labels = [o.label for o in field.options] if field.type != "yesno" else ["Yes", "No"]
            ordered = [label for label in labels if counts[label]] + [
                label for label in counts if label not in labels
            ]
            blocks.append(Bullets(tuple(f"{label}: {counts[label]}" for label in ordered)))
        else:
            blocks.append(
                Paragraph(
                    f"{_plural(len(found), 'answer')}; they are in the programme data download.",
                    muted=True,
                )
            )
    return blocks


def cohort_report(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    frameworks: Mapping[str, Framework],
    plan: ProgrammePlan | None = None,
    today: dt.date | None = None,
    *,
    viewer: Person | None = None,
    rows: Sequence[dashboard.RelationshipRow] | None = None,
    min_group: int = MIN_GROUP,
) -> Report:
    """The cohort report: overview, worksheet completion, competency averages, progress on
    goals, sessions and hours, and the answers shared with the programme.

    Render it with :func:`mentorkit.exports.report.render_report`. ``rows`` saves reading
    the dashboard rows again when the caller has them; ``viewer`` is the facilitator the
    shared answers are read as (the programme's facilitator by default).
    """
    from . import charts

    today = today or dt.date.today()
    programme = store.programme(programme_id)
    if rows is None:
        rows = dashboard.dashboard_rows(store, programme_id, dict(worksheets), plan, today)
    blocks: list = [Heading("Overview"), Bullets(tuple(overview(store, programme_id, rows)))]
    flagged = [row for row in rows if row.flags]
    if flagged:
        blocks.append(
            Table(
                ("Relationship", "Needs a check-in"),
                tuple((row.relationship.title, "; ".join(row.flags)) for row in flagged),
                widths=(2, 3),
            )
        )

    matrix = completion_matrix(rows)
    blocks += [
        Heading("Worksheet completion"),
        Paragraph(
            "One row per relationship and one column per worksheet: grey not started, orange "
            "in progress, blue complete."
        ),
        Image(
            _png(charts.completion_heatmap(matrix)),
            "Worksheet completion of every relationship",
            170,
        ),
    ]
    if not matrix.empty:
        blocks.append(
            Table(
                ("Worksheet", "Complete", "In progress", "Not started"),
                tuple(
                    (
                        str(title),
                        *(str(int((matrix.iloc[:, n] == code).sum())) for code in (2, 1, 0)),
                    )
                    for n, title in enumerate(matrix.columns)
                ),
                widths=(3, 1, 1, 1),
            )
        )

    averages = competency_averages(store, programme_id, frameworks, min_group)
    blocks += [
        Heading("Competency self-ratings"),
        Paragraph(
            "The average of each person's rating of themselves, per domain, by role and round. "
            f"A group of fewer than {min_group} people shows no average, so that nobody's "
            "own ratings can be singled out. Answers of 'not applicable' are left out."
        ),
    ]
    if averages.empty:
        blocks.append(Paragraph("No self-ratings yet.", muted=True))
    for framework in frameworks.values():
        mine = averages[averages["framework"] == framework.title]
        if mine.empty:
            continue
        blocks.append(Heading(framework.title, 3))
        figure = averages_chart(averages, framework, min_group)
        if figure is None:
            blocks.append(
                Paragraph(
                    f"Every group has fewer than {min_group} people so far, so no average "
                    "is shown.",
                    muted=True,
                )
            )
        else:
            alt = f"{framework.title}: average self-ratings by role and round"
            blocks.append(Image(_png(figure), alt, 160))
        blocks.append(
            Table(
                ("Domain", "Group", "Round", "Average", "People"),
                tuple(row[1:] for row in averages_table_rows(mine, min_group)),
                widths=(3, 2, 2, 2, 1),
            )
        )

    progress = goal_progress_distribution(rows)
    blocks.append(Heading("Progress on goals"))
    if progress:
        blocks += [
            Image(_png(charts.progress_histogram(progress)), "Histogram of progress on goals", 150),
            Paragraph(
                f"{_plural(len(progress), 'relationship')} of {len(rows)} "
                f"{'has' if len(progress) == 1 else 'have'} recorded progress on their goals; "
                f"the median is {statistics.median(progress):.0f}%."
            ),
        ]
    else:
        blocks.append(
            Paragraph("No relationship has recorded progress on its goals yet.", muted=True)
        )

    blocks += [Heading("Sessions and hours"), Bullets(tuple(session_lines(session_summary(rows))))]

    if any(_programme_fields(ws) for ws in worksheets.values()):
        answers = programme_answers(store, programme_id, worksheets, viewer)
        blocks += [
            Heading("Answers shared with the programme"),
            Paragraph(
                "Only questions that the worksheets share with the facilitator are counted here."
            ),
        ]
        blocks += _answer_blocks(answers) or [Paragraph("No answers yet.", muted=True)]

    return Report(
        title=f"Cohort report — {programme.name}",
        subtitle=(f"As of {today.day} {today:%B %Y}",),
        blocks=tuple(blocks),
        footer=f"Cohort report · {programme.name}",
        generated_at=now(),
    )
