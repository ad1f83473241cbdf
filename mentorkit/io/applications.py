"""Reading a spreadsheet of applications to the mentoring scheme, and writing the proposal.

The application form asks each person whether they apply as a mentor (senior), a mentee
(junior) or either, their years of experience (under two years means mentee), their areas of
expertise (management, interpersonal skills, specialist technical skills, or their own), what
they hope to gain, when they are free, and whom they would rather not be paired with.

:func:`read_applications` reads such a file (CSV or XLSX, read exactly as
:mod:`mentorkit.io.people_import` reads a file of people) and returns an
:class:`ApplicationsPreview`: the good rows as :class:`~mentorkit.matching.Applicant` objects,
ready for :func:`~mentorkit.matching.match`, and the rows to fix, each once with every problem
found in it. A file that cannot be read at all, or that lacks a required column, raises
:class:`~mentorkit.exceptions.ImportRefused`.

:func:`proposal_csv` turns a :class:`~mentorkit.matching.Proposal` into a CSV file a
facilitator can open in a spreadsheet: one row per proposed pair, then one row per person left
unmatched with the reason why. Every cell is neutralised so no cell runs as a formula.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mentorkit.exceptions import ImportRefused, MentorkitError

if TYPE_CHECKING:
    from mentorkit.core.models import Person
    from mentorkit.core.spec import Worksheet
    from mentorkit.core.store import Store
from mentorkit.core.text import looks_like_formula, neutralise
from mentorkit.io.people_import import (
    NEGATIVE_NUMBER,
    RowProblem,
    email_problems,
    formula_problem,
    name_problems,
    parse_years,
    stray_problem,
)
from mentorkit.io.spreadsheet import (
    SAVE_AS,
    clean_cell,
    column_letter,
    heading_key,
    quoted,
    split_header,
    spreadsheet_rows,
)
from mentorkit.matching import MIN_MENTOR_YEARS, MODELS, Applicant, Proposal, parse_slot

__all__ = [
    "FREQUENCIES",
    "KNOWN_TAGS",
    "OWN_PREFIX",
    "PROPOSAL_HEADER",
    "ApplicationsPreview",
    "RowProblem",
    "applications_from_site",
    "existing_people",
    "proposal_csv",
    "read_applications",
]

KNOWN_TAGS = ("management", "interpersonal", "specialist-technical")
OWN_PREFIX = "own:"
FREQUENCIES = ("fortnightly", "monthly", "six_weekly")
ROLE_WORDS = {
    "mentor": "mentor",
    "senior": "mentor",
    "mentee": "mentee",
    "junior": "mentee",
    "either": "either",
    "both": "either",
}

# Column headings, compared case-insensitively with spaces tidied and "_" read as a space.
HEADINGS = {
    "id": "id",
    "applicant id": "id",
    "name": "name",
    "full name": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "role": "role",
    "applying as": "role",
    "years": "years",
    "years of experience": "years",
    "experience (years)": "years",
    "offers": "offers",
    "expertise offered": "offers",
    "areas of expertise": "offers",
    "expertise": "offers",
    "seeks": "seeks",
    "expertise sought": "seeks",
    "wants to learn": "seeks",
    "goals": "goals",
    "what i hope to gain": "goals",
    "hopes to gain": "goals",
    "model": "model",
    "mentoring model": "model",
    "frequency": "frequency",
    "meeting frequency": "frequency",
    "how often": "frequency",
    "slots": "slots",
    "time slots": "slots",
    "availability": "slots",
    "utc offset": "utc_offset",
    "time zone": "utc_offset",
    "timezone": "utc_offset",
    "capacity": "capacity",
    "mentees": "capacity",
    "avoid": "avoid",
    "not to pair": "avoid",
    "not-to-pair": "avoid",
    "do not pair with": "avoid",
}
REQUIRED = ("name", "email", "role", "years")
RATING = "rating:"
_SAY = {
    "id": "id",
    "name": "name",
    "email": "email",
    "role": "role",
    "years": "years of experience",
    "offers": "expertise offered",
    "seeks": "expertise sought",
    "goals": "goals",
    "model": "mentoring model",
    "frequency": "meeting frequency",
    "slots": "time slots",
    "utc_offset": "time zone",
    "capacity": "capacity",
    "avoid": "not-to-pair list",
}
_TAG_ALIASES = {
    "technical": "specialist-technical",
    "specialist": "specialist-technical",
    "interpersonal-skill": "interpersonal",
}
_MODEL_ALIASES = {"1-to-1": "one-to-one", "1-1": "one-to-one", "1:1": "one-to-one"}
_FREQUENCY_ALIASES = {
    "every_two_weeks": "fortnightly",
    "every_2_weeks": "fortnightly",
    "biweekly": "fortnightly",
    "every_month": "monthly",
    "every_six_weeks": "six_weekly",
    "every_6_weeks": "six_weekly",
    "6_weekly": "six_weekly",
    "sixweekly": "six_weekly",
}
_SPLIT = re.compile(r"[;,]")
_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?:([+\-−]?)\s*(\d{1,2})(?:([:.,])(\d{1,2}))?)?")
_WHOLE = re.compile(r"[0-9]+")


# --------------------------------------------------------------------------------------------
# What read_applications returns


@dataclass(frozen=True)
class ApplicationsPreview:
    """A file of applications, checked; the good rows are ready to match."""

    filename: str
    columns: tuple[str, ...]  # the column headings as written, in file order
    good: tuple[Applicant, ...]
    bad: tuple[RowProblem, ...]
    ignored: tuple[str, ...] = ()  # headings of columns that were not used
    rows: Mapping[str, int] = field(default_factory=dict)  # applicant id -> row number
    people: Mapping[str, int] = field(default_factory=dict)
    """Applicant id -> person id, for applications filled in on the site (each is kept under
    its author's own record); empty for a file."""

    @property
    def summary(self) -> str:
        """One or two sentences: how many are ready, of which roles, and how many to fix."""
        good, bad = len(self.good), len(self.bad)
        if not good and not bad:
            return "There is no one to match: the file has column headings but no applications."
        counts = {role: sum(a.role == role for a in self.good) for role in ROLE_WORDS.values()}
        roles = ", ".join(
            f"{n} {role if role == 'either' else role + ('s' if n != 1 else '')}"
            for role, n in counts.items()
            if n
        )
        if good:
            ready = f"{good} application{'s are' if good != 1 else ' is'} ready to match ({roles})"
        else:
            ready = "No application is ready to match yet"
        if not bad:
            text = ready + "."
        elif bad == 1:
            text = f"{ready}; 1 row needs fixing (it will be left out)."
        else:
            text = f"{ready}; {bad} rows need fixing (they will be left out)."
        if self.ignored:
            text += f" Columns not used: {', '.join(quoted(h) for h in self.ignored)}."
        return text


# --------------------------------------------------------------------------------------------
# Reading


def headings_fit(headings: list[str]) -> bool:
    """True when a row of headings names every column a file of applications needs."""
    return set(REQUIRED) <= {_field_of(h) for h in headings}


def read_applications(
    data: bytes, filename: str, known_tags: Iterable[str] = ()
) -> ApplicationsPreview:
    """Read and check a CSV or XLSX file of applications.

    Expertise tags must be one of :data:`KNOWN_TAGS`, one of ``known_tags``, or a tag of the
    applicant's own written with the ``own:`` prefix (``own:grant writing``). Raises
    :class:`ImportRefused` only when the file cannot be read at all or lacks a required column
    (name, email, role, years); every problem with a row is reported in ``preview.bad``.
    """
    filename = filename or ""
    rows, delimiter = spreadsheet_rows(data, filename, headings_fit)
    header, people = split_header(rows)
    columns, ignored, headings = _columns(header, people)
    tags = {_tag_key(t): None for t in (*KNOWN_TAGS, *known_tags) if _tag_key(t)}
    good, bad, numbers = _check_rows(people, columns, len(headings), list(tags), delimiter)
    return ApplicationsPreview(
        filename,
        tuple(h for h in headings if h),
        tuple(good),
        tuple(bad),
        tuple(ignored),
        numbers,
    )


@dataclass(frozen=True)
class _Column:
    index: int
    heading: str
    field: str  # a value of HEADINGS, or "rating:<domain>"


def _field_of(heading: str) -> str | None:
    key = heading_key(heading).replace("_", " ")
    key = " ".join(key.split())
    if key.startswith(RATING):
        domain = key[len(RATING) :].strip()
        return RATING + domain if domain else None
    return HEADINGS.get(key)


def _columns(
    header: list[str], people: list[tuple[int, list[str]]]
) -> tuple[list[_Column], list[str], list[str]]:
    """The columns to read, the headings of the others, and every heading (blank included).
    Refuses repeated fields and missing required columns."""
    headings = [clean_cell(h) for h in header]
    while headings and not headings[-1]:
        headings.pop()
    columns: list[_Column] = []
    ignored: list[str] = []
    problems: list[str] = []
    by_field: dict[str, _Column] = {}
    for index, heading in enumerate(headings):
        if not heading:
            if any(index < len(cells) and clean_cell(cells[index]) for _, cells in people):
                ignored.append(f"Column {column_letter(index)}")
            continue
        name = _field_of(heading)
        if name is None:
            if heading_key(heading).startswith(RATING):
                problems.append(
                    f"The column heading {quoted(heading)} (column {column_letter(index)}) names no "
                    "competency domain. Write it like rating:communication."
                )
            else:
                ignored.append(heading)
            continue
        if name in by_field:
            first = by_field[name]
            what = _SAY.get(name, name)
            problems.append(
                f"The columns {quoted(first.heading)} (column {column_letter(first.index)}) and "
                f"{quoted(heading)} (column {column_letter(index)}) both give the {what}. "
                "Keep one of them and remove or rename the other."
            )
            continue
        column = _Column(index, heading, name)
        by_field[name] = column
        columns.append(column)
    missing = [f for f in REQUIRED if f not in by_field]
    if missing:
        found = ", ".join(quoted(h) for h in headings if h) or "none"
        names = _and([_SAY[f] for f in missing])
        accepted = "; ".join(
            f"for {_SAY[f]}: " + " or ".join(f"'{h}'" for h, g in HEADINGS.items() if g == f)
            for f in missing
        )
        plural = "s" if len(missing) > 1 else ""
        problems.append(
            f"The file has no {names} column{plural}. Columns found: {found}. The first row "
            f"must hold the column headings; add the missing column{plural} (headings we "
            f"understand {accepted})."
        )
    if problems:
        raise ImportRefused(
            " ".join(problems) + " Nothing was read; fix the headings and try again. " + SAVE_AS
        )
    return columns, ignored, headings


def _and(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _cell(cells: list[str], column: _Column) -> str:
    return clean_cell(cells[column.index]) if column.index < len(cells) else ""


def _check_rows(
    people: list[tuple[int, list[str]]],
    columns: list[_Column],
    width: int,
    tags: list[str],
    delimiter: str | None,
) -> tuple[list[Applicant], list[RowProblem], dict[str, int]]:
    by_field = {c.field: c for c in columns}
    # Everyone named in the file (good rows or not), so a not-to-pair list can be checked.
    known: dict[str, str] = {}
    for _, cells in people:
        email = _cell(cells, by_field["email"]).casefold()
        if email:
            known.setdefault(email, email)
        if "id" in by_field:
            ident = _cell(cells, by_field["id"])
            if ident:
                known.setdefault(ident.casefold(), ident)
    good: list[Applicant] = []
    bad: list[RowProblem] = []
    numbers: dict[str, int] = {}
    emails_seen: dict[str, int] = {}
    ids_seen: dict[str, int] = {}
    for number, cells in people:
        values = {c.field: _cell(cells, c) for c in columns}
        problems, fields = _check_row(values, number, tags, known, emails_seen)
        if not problems:
            key = fields["id"].casefold()
            if key in ids_seen:
                problems.append(
                    f"the id {quoted(fields['id'])} is also on row {ids_seen[key]}. Give every "
                    "applicant their own id, or leave the id empty to use the email."
                )
            else:
                ids_seen[key] = number
        stray = [i for i in range(width, len(cells)) if clean_cell(cells[i])]
        if stray:
            problems.append(stray_problem(stray, delimiter))
        if not problems:
            try:
                applicant = Applicant(**fields)
            except MentorkitError as error:  # a check above should have caught it
                problems.append(str(error))
        if problems:
            rest = "".join(f" Also, {p}" for p in problems[1:])
            bad.append(RowProblem(number, f"Row {number}: {problems[0]}{rest}"))
        else:
            good.append(applicant)
            numbers[applicant.id] = number
    return good, bad, numbers


def _check_row(
    values: dict[str, str],
    number: int,
    tags: list[str],
    known: dict[str, str],
    emails_seen: dict[str, int],
) -> tuple[list[str], dict]:
    """Every problem with one row, and the Applicant's fields when there are none."""
    problems: list[str] = []
    risky = {key for key in ("id", "name", "email") if looks_like_formula(values.get(key, ""))}
    for key in sorted(risky, key=("name", "email", "id").index):
        problems.append(formula_problem(f"the {_SAY[key]}", values[key]))
    name = " ".join(values["name"].split())
    if "name" not in risky:
        problems += name_problems(name)
    email = values["email"].casefold()
    if "email" not in risky:
        problems += email_problems(email, number, set(), emails_seen)
    role = _role(values["role"], problems)
    years = _years_of(values["years"], problems)
    if role == "mentor" and years is not None and years < MIN_MENTOR_YEARS:
        problems.append(
            f"this person applied as a mentor with {years:g} year{'' if years == 1 else 's'} of "
            "experience, but under two years' experience can only apply as mentee. Change the "
            "role to mentee, or correct the years."
        )
    fields: dict = {
        "id": values.get("id") or email,
        "name": name,
        "email": email,
        "role": role,
        "years": years,
        "offers": _tag_set(values.get("offers", ""), "offers", tags, problems),
        "seeks": _tag_set(values.get("seeks", ""), "seeks", tags, problems),
        "goals": " ".join(values.get("goals", "").split()),
        "model": _choice(values.get("model", ""), "model", problems),
        "frequency": _choice(values.get("frequency", ""), "frequency", problems),
        "slots": _slots(values.get("slots", ""), problems),
        "utc_offset": _offset(values.get("utc_offset", ""), problems),
        "capacity": _capacity(values.get("capacity", ""), role, problems),
        "avoid": _avoid(values.get("avoid", ""), known, problems),
        "ratings": _ratings(values, problems),
    }
    return problems, fields


def _role(value: str, problems: list[str]) -> str:
    key = value.casefold()
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    choices = "mentor (senior), mentee (junior) or either"
    if not key:
        problems.append(f"the role is empty. Write {choices}.")
    else:
        problem = f"the role {quoted(value)} is not one we know."
        close = difflib.get_close_matches(key, list(ROLE_WORDS), n=1, cutoff=0.6)
        if close:
            problem += f" Did you mean '{close[0]}'?"
        problems.append(f"{problem} Write {choices}.")
    return ""


def _years_of(value: str, problems: list[str]) -> float | None:
    if not value:
        problems.append(
            "the years of experience is empty. Write a number, like 1 or 12 (under two "
            "years means applying as a mentee)."
        )
        return None
    if NEGATIVE_NUMBER.fullmatch(value):
        problems.append(
            f"years cannot be negative, but this row has {quoted(value)}. Write 0 or more."
        )
        return None
    years, found = parse_years(value)
    problems += found
    return years


def _tag_key(text: str) -> str:
    key = re.sub(r"[\s_-]+", "-", text.casefold()).strip("-")
    key = re.sub(r"-skills?$", "", key)
    return _TAG_ALIASES.get(key, key)


def _tag_set(value: str, which: str, tags: list[str], problems: list[str]) -> frozenset[str]:
    out: set[str] = set()
    what = _SAY[which]
    for raw in (t.strip() for t in _SPLIT.split(value)):
        if not raw:
            continue
        if raw.casefold().startswith(OWN_PREFIX):
            key = _tag_key(raw[len(OWN_PREFIX) :])
            if not key:
                problems.append(
                    f"the {what} has {quoted(raw)} with nothing after 'own:'. Write the tag, "
                    "like own:grant writing."
                )
            else:
                out.add(key)
            continue
        key = _tag_key(raw)
        if key in tags:
            out.add(key)
            continue
        problem = f"the {what} {quoted(raw)} is not a tag we know."
        close = difflib.get_close_matches(key, tags, n=1, cutoff=0.6)
        if close:
            problem += f" Did you mean '{close[0]}'?"
        problems.append(
            f"{problem} Use {_and(tags, 'or')}, or write own:{raw} for a tag of the applicant's own."
        )
    return frozenset(out)


def _choice(value: str, which: str, problems: list[str]) -> str:
    if which == "model":
        default, allowed, aliases = "one-to-one", MODELS, _MODEL_ALIASES
        key = re.sub(r"[\s_-]+", "-", value.casefold()).strip("-")
        key = key.removesuffix("-mentoring")
    else:
        default, allowed, aliases = "monthly", FREQUENCIES, _FREQUENCY_ALIASES
        key = re.sub(r"[\s_-]+", "_", value.casefold()).strip("_")
    if not key:
        return default
    key = aliases.get(key, key)
    if key in allowed:
        return key
    problem = f"the {_SAY[which]} {quoted(value)} is not one we know."
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        problem += f" Did you mean '{close[0]}'?"
    problems.append(
        f"{problem} Write {_and(list(allowed), 'or')}, or leave it empty for {default}."
    )
    return default


def _slots(value: str, problems: list[str]) -> frozenset[str]:
    out = set()
    for raw in (s.strip() for s in _SPLIT.split(value)):
        if not raw:
            continue
        try:
            out.add(parse_slot(raw, "x"))
        except MentorkitError:
            problems.append(
                f"the time slot {quoted(raw)} is not a day and part of the day. Write slots "
                "like mon-am; wed-pm; fri-eve (am, pm or eve), separated by ';'."
            )
    return frozenset(out)


def _offset(value: str, problems: list[str]) -> float:
    if not value:
        return 0.0
    found = _OFFSET.fullmatch(value.casefold().strip())
    hours = None
    if found:
        sign, whole, mark, part = found.groups()
        if whole is None:
            hours = 0.0
        else:
            if mark == ":":
                hours = int(whole) + (int(part) / 60 if part else 0)
                if part and int(part) >= 60:
                    hours = None
            else:
                hours = float(whole + ("." + part if part else ""))
            if hours is not None and sign in ("-", "−"):
                hours = -hours
    if hours is None or not -12 <= hours <= 14:
        problems.append(
            f"the time zone {quoted(value)} is not a UTC offset from -12 to +14. Write it like "
            "+1, -5 or UTC+5:30, or leave it empty for UTC."
        )
        return 0.0
    return float(hours)


def _capacity(value: str, role: str, problems: list[str]) -> int:
    if role == "mentee" or not value:
        return 1  # a mentee takes no mentees; the value is not used
    if NEGATIVE_NUMBER.fullmatch(value):
        problems.append(
            f"the capacity cannot be negative, but this row has {quoted(value)}. Write how many "
            "mentees this mentor can take: 1 or more."
        )
        return 1
    if not _WHOLE.fullmatch(value):
        problems.append(
            f"the capacity {quoted(value)} is not a whole number. Write how many mentees this "
            "mentor can take, like 1 or 3."
        )
        return 1
    capacity = int(value)
    if capacity < 1:
        problems.append(
            "the capacity is 0, so this mentor could take no mentees. Write 1 or more, or leave "
            "the row out of this round (or apply as a mentee)."
        )
        return 1
    return capacity


def _avoid(value: str, known: dict[str, str], problems: list[str]) -> frozenset[str]:
    out = set()
    for raw in (s.strip() for s in _SPLIT.split(value)):
        if not raw:
            continue
        key = raw.casefold()
        if key in known:
            out.add(key)
            continue
        problem = (
            f"the not-to-pair list names {quoted(raw)}, but nobody in this file has that email "
            "or id."
        )
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
        if close:
            problem += f" Did you mean '{known[close[0]]}'?"
        problems.append(f"{problem} Correct it, or remove it from the list.")
    return frozenset(out)


def _ratings(values: dict[str, str], problems: list[str]) -> dict[str, float]:
    out = {}
    for name, value in values.items():
        if not name.startswith(RATING) or not value:
            continue
        domain = name[len(RATING) :]
        try:
            out[domain] = float(value.replace(",", "."))
        except ValueError:
            problems.append(
                f"the rating for {domain} {quoted(value)} is not a number. Write a number, like "
                "3, or leave it empty."
            )
    return out


# --------------------------------------------------------------------------------------------
# Writing the proposal

PROPOSAL_HEADER = (
    "Status",
    "Mentor",
    "Mentor email",
    "Mentee",
    "Mentee email",
    "Score",
    "Reason 1",
    "Reason 2",
    "Reason 3",
    "Locked",
    "Why unmatched",
)
PEER_HEADER = ("Status", "Peer", "Peer email", "Partner", "Partner email", *PROPOSAL_HEADER[5:])


def proposal_csv(proposal: Proposal, applicants: Iterable[Applicant]) -> str:
    """The proposal as CSV text: one row per proposed pair (in peer mode, per peer pair), with
    its score, its three largest reasons and whether it was locked; then one row per person
    left unmatched, with why. Every cell is neutralised against spreadsheet formulas."""
    by_id = {a.id: a for a in applicants}

    def person(ident: str) -> list[str]:
        app = by_id.get(ident)
        return [app.label, app.email] if app else [ident, ""]

    peer = proposal.mode == "peer"
    rows: list[list[str]] = []
    pairs = (
        [(p.first_id, p.second_id, p) for p in proposal.peers]
        if peer
        else [(p.mentor_id, p.mentee_id, p) for p in proposal.pairs]
    )
    for first, second, pair in pairs:
        reasons = [f"{r.text} ({r.points:g} points)" for r in pair.reasons[:3]]
        reasons += [""] * (3 - len(reasons))
        rows.append(
            [
                "Matched",
                *person(first),
                *person(second),
                f"{pair.score:.1f}",
                *reasons,
                "yes" if pair.locked else "",
                "",
            ]
        )
    for left in proposal.unmatched:
        app = by_id.get(left.applicant_id)
        role = app.role if app else ""
        blank = ["", ""]
        if peer:
            status, cells = "Unmatched", person(left.applicant_id) + blank
        elif role == "mentor":
            status, cells = "Unmatched mentor", person(left.applicant_id) + blank
        else:
            status = "Unmatched mentee" if role == "mentee" else "Unmatched (either)"
            cells = blank + person(left.applicant_id)
        rows.append([status, *cells, "", "", "", "", "", left.why])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PEER_HEADER if peer else PROPOSAL_HEADER)
    writer.writerows([[neutralise(cell) for cell in row] for row in rows])
    return out.getvalue()


APPLICATION_WORKSHEET = "application"
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
