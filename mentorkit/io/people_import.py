"""Checking a spreadsheet of people before anything is imported.

A facilitator picks a CSV or Excel file; :func:`read_people` reads it (with
:mod:`mentorkit.io.spreadsheet`), checks every row and returns an :class:`ImportPreview`: the people
who are ready to import, and the rows that need fixing, each with a reason written so the
facilitator can put it right. Nothing here touches the database; a separate step imports
``preview.good`` once the facilitator confirms.

A row that is wrong (bad email, unknown role, a cell a spreadsheet would run as a formula, ...)
never raises: it becomes one :class:`RowProblem` whose ``reason`` lists *every* problem found in
that row, so each bad row appears once in ``preview.bad``. The checks of a name, an email address
and years of experience are shared with the applications reader.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from mentorkit.core.text import looks_like_formula
from mentorkit.core.words import names_in_words
from mentorkit.exceptions import ImportRefused
from mentorkit.io.spreadsheet import (
    clean_cell,
    column_letter,
    heading_key,
    quoted,
    split_header,
    spreadsheet_rows,
)

__all__ = [
    "PEOPLE_FILE_ROLES",
    "ImportPreview",
    "PersonRow",
    "RowProblem",
    "formula_problem",
    "read_people",
]

PEOPLE_FILE_ROLES = {"mentor": "Mentor", "mentee": "Mentee", "either": "Either", "peer": "Peer"}
MAX_NAME = 100
MAX_EMAIL = 254
MAX_YEARS = 70

# Column headings, compared case-insensitively with spaces tidied: heading -> field.
HEADINGS = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "role": "role",
    "years of experience": "years",
    "years": "years",
    "experience (years)": "years",
    "unit": "unit",
    "department": "unit",
    "team": "unit",
}
REQUIRED = ("name", "email", "role")
_SAY = {  # how a field is named in a message
    "name": "name",
    "email": "email",
    "role": "role",
    "years": "years of experience",
    "unit": "unit",
}
_ROLE_LIST = ", ".join(PEOPLE_FILE_ROLES)
_NUMBER = re.compile(r"(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
NEGATIVE_NUMBER = re.compile(r"-\s*" + _NUMBER.pattern)
_EMAIL_FORBIDDEN = set(' \t\r\n<>()[]\\,;:"')


# --------------------------------------------------------------------------------------------
# What read_people returns


@dataclass(frozen=True)
class PersonRow:
    """One person who is ready to import."""

    row: int  # the row number as the spreadsheet shows it (headings = 1, first person = 2)
    name: str
    email: str  # lower-cased and stripped
    role: str  # a key of PEOPLE_FILE_ROLES
    years: float | None  # years of experience, if given
    unit: str
    extra: dict[str, str]  # every other column, by its heading as written, kept as text


@dataclass(frozen=True)
class RowProblem:
    """One row that will be left out, with everything wrong with it in one plain sentence or
    more: ``"Row 7: the email 'ben@' is not an email address. Write it like
    name@example.org. Also, the role ..."``."""

    row: int
    reason: str


@dataclass(frozen=True)
class ImportPreview:
    """What a file holds, checked; nothing has been imported yet."""

    filename: str
    columns: tuple[str, ...]  # the column headings as written, in file order
    good: tuple[PersonRow, ...]
    bad: tuple[RowProblem, ...]

    @property
    def summary(self) -> str:
        """One sentence for the confirmation screen."""
        good, bad = len(self.good), len(self.bad)
        if not good and not bad:
            return "There is no one to import: the file has column headings but no rows of people."
        if good == 1:
            ready = "1 person is ready to import"
        elif good:
            ready = f"{good:,} people are ready to import"
        else:
            ready = "No one is ready to import yet"
        if not bad:
            return ready + "."
        if bad == 1:
            return f"{ready}; 1 row needs fixing (it will be left out)."
        return f"{ready}; {bad:,} rows need fixing (they will be left out)."


# --------------------------------------------------------------------------------------------
# Reading


def headings_fit(headings: list[str]) -> bool:
    """True when a row of headings names every column a file of people needs."""
    return set(REQUIRED) <= {HEADINGS.get(heading_key(h)) for h in headings}


def read_people(data: bytes, filename: str, existing_emails: Iterable[str] = ()) -> ImportPreview:
    """Read and check a CSV or XLSX file of people.

    ``existing_emails`` are the addresses already in the programme; a row using one is a bad
    row. Raises :class:`ImportRefused` only when the file cannot be read at all; every problem
    with a row is reported in ``preview.bad`` instead.
    """
    filename = filename or ""
    rows, delimiter = spreadsheet_rows(data, filename, headings_fit)
    header, people = split_header(rows)
    columns = _columns(header, people)
    existing = {clean_cell(e).lower() for e in existing_emails if e}
    good, bad = _check_rows(people, columns, existing, delimiter)
    return ImportPreview(filename, tuple(c.heading for c in columns), tuple(good), tuple(bad))


@dataclass(frozen=True)
class _Column:
    index: int
    heading: str  # as written (surrounding spaces removed), or "Column F" if it has none
    field: str | None  # name, email, role, years, unit; None for an extra column


def _columns(header: list[str], people: list[tuple[int, list[str]]]) -> list[_Column]:
    """The columns to read, refusing missing, repeated or formula-like headings."""
    headings = [clean_cell(h) for h in header]
    while headings and not headings[-1]:
        headings.pop()
    columns: list[_Column] = []
    problems: list[str] = []
    by_key: dict[str, _Column] = {}
    by_field: dict[str, _Column] = {}
    for index, heading in enumerate(headings):
        if not heading:
            if not any(index < len(cells) and clean_cell(cells[index]) for _, cells in people):
                continue  # an empty column with no heading: nothing to keep
            heading = f"Column {column_letter(index)}"
        if looks_like_formula(heading):
            problems.append(
                f"The column heading {quoted(heading)} (column {column_letter(index)}) starts with "
                f"'{heading[0]}', which a spreadsheet would run as a formula. Remove the "
                f"'{heading[0]}'."
            )
        key = heading_key(heading)
        field = HEADINGS.get(key)
        column = _Column(index, heading, field)
        if key in by_key:
            first = by_key[key]
            problems.append(
                f"The column heading {quoted(heading)} appears twice (columns "
                f"{column_letter(first.index)} and {column_letter(index)}). Give each column its own "
                "heading, or remove the repeated column."
            )
            continue
        if field and field in by_field:
            first = by_field[field]
            problems.append(
                f"The columns {quoted(first.heading)} (column {column_letter(first.index)}) and "
                f"{quoted(heading)} (column {column_letter(index)}) both give the {_SAY[field]}. "
                "Keep one of them and remove or rename the other."
            )
            continue
        by_key[key] = column
        if field:
            by_field[field] = column
        columns.append(column)
    missing = [f for f in REQUIRED if f not in by_field]
    if missing:
        found = ", ".join(quoted(c.heading) for c in columns) or "none"
        names = names_in_words(missing)
        accepted = "; ".join(
            f"for {f}: " + " or ".join(f"'{h}'" for h, g in HEADINGS.items() if g == f)
            for f in missing
        )
        problems.append(
            f"The file has no {names} column{'s' if len(missing) > 1 else ''}. Columns found: "
            f"{found}. The first row must hold the column headings; add the missing "
            f"column{'s' if len(missing) > 1 else ''} (headings we understand {accepted})."
        )
    if problems:
        raise ImportRefused(
            " ".join(problems) + " Nothing was imported; fix the headings and import again."
        )
    return columns


def _check_rows(
    people: list[tuple[int, list[str]]],
    columns: list[_Column],
    existing: set[str],
    delimiter: str | None,
) -> tuple[list[PersonRow], list[RowProblem]]:
    good: list[PersonRow] = []
    bad: list[RowProblem] = []
    first_seen: dict[str, int] = {}
    width = max((c.index for c in columns), default=-1) + 1
    for number, cells in people:
        problems: list[str] = []
        values: dict[str, str] = {"years": "", "unit": ""}
        extra: dict[str, str] = {}
        years: float | None = None
        for column in columns:
            value = clean_cell(cells[column.index]) if column.index < len(cells) else ""
            if column.field is None:
                extra[column.heading] = value
            if looks_like_formula(value):
                if column.field == "years" and NEGATIVE_NUMBER.fullmatch(value):
                    problems.append(
                        f"years cannot be negative, but this row has {quoted(value)}. Write 0 or "
                        "more, or leave it empty."
                    )
                else:
                    problems.append(_formula_problem(column, value))
                continue
            if column.field == "name":
                values["name"] = " ".join(value.split())
                problems += name_problems(values["name"])
            elif column.field == "email":
                values["email"] = value.lower()
                problems += email_problems(values["email"], number, existing, first_seen)
            elif column.field == "role":
                values["role"] = value.casefold()
                problems += _role_problems(value)
            elif column.field == "years":
                years, found = parse_years(value)
                problems += found
            elif column.field == "unit":
                values["unit"] = " ".join(value.split())
        stray = [i for i in range(width, len(cells)) if clean_cell(cells[i])]
        if stray:
            problems.append(stray_problem(stray, delimiter))
        if problems:
            rest = "".join(f" Also, {p}" for p in problems[1:])
            bad.append(RowProblem(number, f"Row {number}: {problems[0]}{rest}"))
        else:
            good.append(
                PersonRow(
                    row=number,
                    name=values["name"],
                    email=values["email"],
                    role=values["role"],
                    years=years,
                    unit=values["unit"],
                    extra=extra,
                )
            )
    return good, bad


def _formula_problem(column: _Column, value: str) -> str:
    what = f"the {_SAY[column.field]}" if column.field else f"the {quoted(column.heading)} value"
    return formula_problem(what, value, phone=column.field != "years")


def formula_problem(what: str, value: str, phone: bool = True) -> str:
    """A row's problem when a cell starts like a formula: ``what`` names the cell ("the
    name"); with ``phone``, a value like a phone number gets a hint. Used by every import."""
    mark = value.strip()[0]
    problem = (
        f"{what} {quoted(value)} starts with '{mark}', which a spreadsheet would run as a "
        f"formula. Remove the '{mark}' and import again."
    )
    if mark == "+" and phone and re.fullmatch(r"\+[\d ()./-]{6,}", value):
        problem += " (If it is a phone number, write 00 in place of the '+'.)"
    return problem


def name_problems(name: str) -> list[str]:
    if not name:
        return ["the name is empty. Write the person's name."]
    if len(name) > MAX_NAME:
        return [
            f"the name {quoted(name)} is {len(name)} characters long; the most is {MAX_NAME}. "
            "Shorten it."
        ]
    return []


def email_problems(
    email: str, number: int, existing: set[str], first_seen: dict[str, int]
) -> list[str]:
    if not email:
        return ["the email is empty. Write the person's email address, like name@example.org."]
    if len(email) > MAX_EMAIL:
        return [
            f"the email {quoted(email)} is {len(email)} characters long; the most is "
            f"{MAX_EMAIL}. Check that the cell holds one email address."
        ]
    if not _plausible_email(email):
        problem = (
            f"the email {quoted(email)} is not an email address. Write it like name@example.org."
        )
        if email.count("@") > 1 or any(c in email for c in ",; "):
            problem += " Put only one email address in each row."
        elif any(c.isspace() for c in email):
            problem += " Remove the spaces in it."
        return [problem]
    if email in existing:
        return [
            f"the email {quoted(email)} already belongs to someone in this programme. If it is "
            "the same person, remove this row; if not, correct the email."
        ]
    if email in first_seen:
        return [
            f"the email {quoted(email)} is also on row {first_seen[email]}. Each person needs "
            "their own email address: remove this row if it is the same person, or correct "
            "the email."
        ]
    first_seen[email] = number
    return []


def _plausible_email(email: str) -> bool:
    if email.count("@") != 1 or any(c in _EMAIL_FORBIDDEN or c.isspace() for c in email):
        return False
    if any(unicodedata.category(c) == "Cc" for c in email):
        return False
    local, domain = email.split("@")
    labels = domain.split(".")
    return bool(local) and len(local) <= 64 and len(labels) >= 2 and all(labels)


def _role_problems(value: str) -> list[str]:
    if not value:
        return [f"the role is empty. Write one of: {_ROLE_LIST}."]
    if value.casefold() in PEOPLE_FILE_ROLES:
        return []
    problem = f"the role {quoted(value)} is not one we know."
    close = difflib.get_close_matches(value.casefold(), list(PEOPLE_FILE_ROLES), n=1, cutoff=0.6)
    if close:
        problem += f" Did you mean '{close[0]}'?"
    return [problem + f" The role must be one of: {_ROLE_LIST}."]


def parse_years(value: str) -> tuple[float | None, list[str]]:
    if not value:
        return None, []
    if not _NUMBER.fullmatch(value):
        return None, [
            f"the years of experience {quoted(value)} is not a number. Write just the number, "
            "like 3 or 3.5, or leave it empty."
        ]
    years = float(value.replace(",", "."))
    if years > MAX_YEARS:
        return None, [
            f"the years of experience {quoted(value)} is more than {MAX_YEARS}. Check the number."
        ]
    return years, []


def stray_problem(stray: list[int], delimiter: str | None) -> str:
    where = ", ".join(column_letter(i) for i in stray)
    plural = "s" if len(stray) > 1 else ""
    problem = (
        f"there is a value in column{plural} {where}, which has no heading. Give the "
        "column a heading, or move the value into the right column."
    )
    if delimiter:
        mark = {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, f"'{delimiter}'")
        problem += (
            f" (In a CSV file this usually means a value contains a {mark}; put quotes around "
            "that value.)"
        )
    return problem
