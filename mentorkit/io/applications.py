"""Reading a spreadsheet of applications to the mentoring scheme.

The application form asks each person whether they apply as a mentor (senior), a mentee
(junior) or either, their years of experience (under two years means mentee), their areas of
expertise (management, interpersonal skills, specialist technical skills, or their own), what
they hope to gain, when they are free, and whom they would rather not be paired with.

:func:`read_applications` reads such a file (CSV or XLSX, with :mod:`mentorkit.io.spreadsheet`)
and returns an :class:`ApplicationsPreview`: the good rows as
:class:`~mentorkit.matching.Applicant` objects, ready for :func:`~mentorkit.matching.match`, and
the rows to fix, each once with every problem found in it (the cells are read by
:mod:`mentorkit.io.application_cells`). A file that cannot be read at all, or that lacks a
required column, raises :class:`~mentorkit.exceptions.ImportRefused`. Applications made on the
site are read the same way (:mod:`mentorkit.io.site_applications`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mentorkit.core.text import count_of, looks_like_formula
from mentorkit.core.words import names_in_words, role_words
from mentorkit.exceptions import ImportRefused, MentorkitError
from mentorkit.io.application_cells import (
    KNOWN_TAGS,
    RATING,
    ROLE_WORDS,
    SAY,
    read_avoid,
    read_capacity,
    read_choice,
    read_offset,
    read_ratings,
    read_role,
    read_slots,
    read_tags,
    read_years,
    tag_key,
)
from mentorkit.io.people_import import (
    RowProblem,
    email_problems,
    formula_problem,
    name_problems,
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
from mentorkit.matching import MIN_MENTOR_YEARS, Applicant

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
            f"{n:,} who could be either"
            if role == "either"
            else count_of(n, role_words(role).lower())
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
    tags = {tag_key(t): None for t in (*KNOWN_TAGS, *known_tags) if tag_key(t)}
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
            what = SAY.get(name, name)
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
        names = names_in_words([SAY[f] for f in missing])
        accepted = "; ".join(
            f"for {SAY[f]}: " + " or ".join(f"'{h}'" for h, g in HEADINGS.items() if g == f)
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
        problems.append(formula_problem(f"the {SAY[key]}", values[key]))
    name = " ".join(values["name"].split())
    if "name" not in risky:
        problems += name_problems(name)
    email = values["email"].casefold()
    if "email" not in risky:
        problems += email_problems(email, number, set(), emails_seen)
    role = read_role(values["role"], problems)
    years = read_years(values["years"], problems)
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
        "offers": read_tags(values.get("offers", ""), "offers", tags, problems),
        "seeks": read_tags(values.get("seeks", ""), "seeks", tags, problems),
        "goals": " ".join(values.get("goals", "").split()),
        "model": read_choice(values.get("model", ""), "model", problems),
        "frequency": read_choice(values.get("frequency", ""), "frequency", problems),
        "slots": read_slots(values.get("slots", ""), problems),
        "utc_offset": read_offset(values.get("utc_offset", ""), problems),
        "capacity": read_capacity(values.get("capacity", ""), role, problems),
        "avoid": read_avoid(values.get("avoid", ""), known, problems),
        "ratings": read_ratings(values, problems),
    }
    return problems, fields
