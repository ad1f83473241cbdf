"""Programme plans as data: the sessions a pair works through, in order, and what each is for.

A plan file (YAML, ``programme.yaml`` in the worksheets folder)::

    id: six-sessions
    title: Six sessions over six months
    spacing: monthly           # monthly, fortnightly, six_weekly, or {days: 21}
    working_days: [mon, tue, wed, thu, fri]   # the days sessions are suggested on
    notes: Where the plan comes from (shown to trainers).
    sessions:
      - number: 1              # 1, 2, 3 … in order, no gaps
        title: Getting to know each other
        purpose: Meet, listen and find out what each of you hopes for.
        phase: find-relationship   # one of the five phases in mentorkit.core.spec.PHASES
        worksheets: [getting-to-know-each-other, mentoring-agreement]
        lead: both             # mentor, mentee, both, or alternate (partners take turns)
        minutes: 60            # planned length; 60 if left out

``spacing`` may be left out (monthly). A custom interval is written ``spacing: {days: 21}``
and kept as ``"days:21"``. ``working_days`` may be left out (Monday to Friday): a suggested
date that falls on another day moves to the next working day. Every problem in the file is reported at once, with file, line and
place, like worksheets; worksheet ids are checked against the worksheets folder when known.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from mentorkit.core.dates import FULL_DAY_NAMES, WEEKDAYS
from mentorkit.core.spec import PHASES
from mentorkit.core.spec_loader import ID_PATTERN, PROGRAMME_PLAN_FILE
from mentorkit.core.yamlfile import (
    Collector,
    join,
    read_spec_file,
    read_yaml,
    suggest,
    unknown_keys,
)
from mentorkit.exceptions import SpecError

DEFAULT_PLAN_FILE = PROGRAMME_PLAN_FILE
PLAN_KEYS = frozenset({"id", "title", "spacing", "working_days", "notes", "sessions"})
SESSION_KEYS = frozenset({"number", "title", "purpose", "phase", "worksheets", "lead", "minutes"})
SPACING_KEYS = frozenset({"days"})
SPACINGS = ("monthly", "fortnightly", "six_weekly")
LEADS = ("mentor", "mentee", "both", "alternate")
DEFAULT_MINUTES = 60
WORKING_DAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
"""The days sessions are suggested on unless a plan says otherwise: Monday to Friday."""


@dataclass(frozen=True)
class PlannedSession:
    """One session of a programme: what it is for and which worksheets it uses."""

    number: int
    title: str
    purpose: str
    phase: str
    worksheets: tuple[str, ...]
    lead: str
    minutes: int = DEFAULT_MINUTES


@dataclass(frozen=True)
class ProgrammePlan:
    """A whole programme: its sessions in order and how far apart they fall."""

    id: str
    title: str
    spacing: str
    sessions: tuple[PlannedSession, ...]
    notes: str = ""
    working_days: tuple[int, ...] = WORKING_DAYS
    """Weekday numbers (Monday is 0) that suggested session dates may fall on."""

    def session(self, number: int) -> PlannedSession | None:
        """The session with this number, if the plan has one."""
        return next((s for s in self.sessions if s.number == number), None)

    def leads(self, mentor_first: bool = True) -> dict[int, str]:
        """Who leads each session: "alternate" sessions take turns, the first led by the
        mentor (or by the mentee when ``mentor_first`` is False)."""
        turn = "mentor" if mentor_first else "mentee"
        result: dict[int, str] = {}
        for planned in self.sessions:
            if planned.lead == "alternate":
                result[planned.number] = turn
                turn = "mentee" if turn == "mentor" else "mentor"
            else:
                result[planned.number] = planned.lead
        return result

    def sessions_for(self, worksheet_id: str) -> tuple[int, ...]:
        """The numbers of the sessions that use a worksheet, in order."""
        return tuple(s.number for s in self.sessions if worksheet_id in s.worksheets)


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _spacing(raw: object, out: Collector) -> str:
    if raw is None:
        return "monthly"
    if isinstance(raw, dict):
        unknown_keys(raw, SPACING_KEYS, "spacing", out)
        days = raw.get("days")
        if not _whole(days) or days < 1:
            out.add(
                "spacing.days",
                f"The number of days between sessions is {days!r}; it must be a whole number "
                "from 1.",
                "Write spacing: {days: 21} for three weeks between sessions.",
            )
            return "monthly"
        return f"days:{days}"
    if raw not in SPACINGS:
        out.add(
            "spacing",
            f"spacing is {raw!r}.",
            f"{suggest(str(raw), SPACINGS)} Or give a number of days: spacing: {{days: 21}}",
        )
        return "monthly"
    return str(raw)


def _working_days(raw: object, out: Collector) -> tuple[int, ...]:
    if raw is None:
        return WORKING_DAYS
    how = (
        "Write working_days: [mon, tue, wed, thu, fri] (the days as mon, tue, wed, thu, fri, "
        "sat, sun), or leave it out for Monday to Friday."
    )
    if not isinstance(raw, list) or not raw:
        out.add("working_days", "working_days must list at least one day of the week.", how)
        return WORKING_DAYS
    days: list[int] = []
    for index, name in enumerate(raw):
        word = str(name).strip().lower()
        short = FULL_DAY_NAMES.get(word, word)
        if short not in WEEKDAYS:
            out.add(
                join("working_days", index),
                f"{name!r} is not a day of the week.",
                f"{suggest(word, WEEKDAYS)} {how}",
            )
        elif WEEKDAYS.index(short) in days:
            out.add(
                join("working_days", index),
                f"working_days lists {short!r} twice.",
                "Keep only one.",
            )
        else:
            days.append(WEEKDAYS.index(short))
    return tuple(sorted(days)) or WORKING_DAYS


def _number(raw: object, path: str, seen: dict[int, int], out: Collector) -> int | None:
    if not _whole(raw) or raw < 1:
        out.add(
            join(path, "number"),
            f"The session number {raw!r} is missing or not a whole number from 1.",
            "Number the sessions 1, 2, 3 … in order.",
        )
        return None
    if raw in seen:
        out.add(
            join(path, "number"),
            f"Session number {raw} is used twice (also by sessions[{seen[raw]}]).",
            "Give each session its own number: 1, 2, 3 … in order.",
        )
        return None
    return raw


def _worksheet_ids(
    raw: object,
    path: str,
    label: str,
    worksheet_ids: set[str] | None,
    where: str,
    out: Collector,
) -> tuple[str, ...]:
    path = join(path, "worksheets")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        out.add(path, "worksheets must be a list of worksheet ids.", "Write worksheets: [a, b]")
        return ()
    result: list[str] = []
    for index, worksheet in enumerate(raw):
        item = join(path, index)
        if not isinstance(worksheet, str) or not ID_PATTERN.match(worksheet):
            out.add(
                item,
                f"{worksheet!r} is not a worksheet id.",
                "Use the id: line of a worksheet file, e.g. session-notes.",
            )
        elif worksheet in result:
            out.add(item, f"{label} lists the worksheet {worksheet!r} twice.", "Keep only one.")
        elif worksheet_ids is not None and worksheet not in worksheet_ids:
            close = f"{suggest(worksheet, worksheet_ids)} " if worksheet_ids else ""
            out.add(
                item,
                f"{label} names the worksheet {worksheet!r}, but there is no worksheet "
                "with that id.",
                f"{close}Worksheets are the .yaml files in {where}: use the id: line of one "
                "of them, or write that worksheet first.",
            )
        else:
            result.append(worksheet)
    return tuple(result)


def _session(
    entry: dict,
    path: str,
    worksheet_ids: set[str] | None,
    where: str,
    number: int | None,
    out: Collector,
) -> PlannedSession:
    unknown_keys(entry, SESSION_KEYS, path, out)
    title = entry.get("title")
    label = f"Session {number if number is not None else entry.get('number')!r}"
    if title:
        label += f" ({title})"
    else:
        out.add(join(path, "title"), f"{label} has no title.", "Add title: …")
    phase = entry.get("phase")
    if not isinstance(phase, str) or phase not in PHASES:
        phases = "; ".join(f"{key} ({name})" for key, name in PHASES.items())
        close = difflib.get_close_matches(str(phase), PHASES, n=1) if phase is not None else []
        out.add(
            join(path, "phase"),
            f"{label} has no phase."
            if phase is None
            else f"{label} has the phase {phase!r}, which is not one of the five phases.",
            (f"Did you mean {close[0]!r}? " if close else "Add phase: with one of these. ")
            + f"The five phases are: {phases}.",
        )
    lead = entry.get("lead")
    if lead not in LEADS:
        out.add(
            join(path, "lead"),
            f"{label} has no lead." if lead is None else f"{label} is led by {lead!r}.",
            f"{suggest(str(lead), LEADS)} Alternate means the partners take turns to lead.",
        )
    minutes = entry.get("minutes", DEFAULT_MINUTES)
    if not _whole(minutes) or minutes < 1:
        out.add(
            join(path, "minutes"),
            f"{label} lasts {minutes!r} minutes; it must be a whole number from 1.",
            "Write minutes: 60, or leave it out for an hour.",
        )
        minutes = DEFAULT_MINUTES
    return PlannedSession(
        number or 0,
        str(title or ""),
        str(entry.get("purpose") or ""),
        str(phase),
        _worksheet_ids(entry.get("worksheets"), path, label, worksheet_ids, where, out),
        str(lead),
        minutes,
    )


def _sessions(
    raw: object, worksheet_ids: set[str] | None, where: str, out: Collector
) -> tuple[PlannedSession, ...]:
    if not isinstance(raw, list) or not raw:
        out.add(
            "sessions",
            "The programme has no sessions.",
            "Add sessions: with at least one (number, title, phase, lead).",
        )
        return ()
    sessions: list[PlannedSession] = []
    seen: dict[int, int] = {}
    numbered: list[tuple[int, str]] = []
    for index, entry in enumerate(raw):
        path = join("sessions", index)
        if not isinstance(entry, dict):
            out.add(path, "A session must be a mapping.", "Start it with - number: …")
            continue
        number = _number(entry.get("number"), path, seen, out)
        if number is not None:
            seen[number] = index
            numbered.append((number, path))
        sessions.append(_session(entry, path, worksheet_ids, where, number, out))
    numbers = [number for number, _path in numbered]
    if len(numbered) == len(raw) and numbers != list(range(1, len(numbers) + 1)):
        first = next(path for want, (number, path) in enumerate(numbered, 1) if number != want)
        out.add(
            join(first, "number"),
            "Sessions must be numbered 1, 2, 3 … in order with no gaps; here they are "
            f"{', '.join(map(str, numbers))}.",
            f"Number them {', '.join(map(str, range(1, len(numbers) + 1)))}.",
        )
    return tuple(sessions)


def parse_plan(
    text: str,
    file: str = "<text>",
    worksheet_ids: set[str] | None = None,
    worksheets_folder: str | None = None,
) -> ProgrammePlan:
    """Parse one programme plan; raise SpecError listing every problem.

    With ``worksheet_ids``, every worksheet a session names must be one of them (those of
    ``worksheets_folder``, the plan's own folder unless given).
    """
    raw, out = read_yaml(text, file, "Add id, title, spacing and sessions.")
    unknown_keys(raw, PLAN_KEYS, "", out)
    if not isinstance(raw.get("id"), str) or not ID_PATTERN.match(raw["id"]):
        out.add(
            "id",
            f"The programme id {raw.get('id')!r} is missing or not a simple name.",
            "Use lower-case letters, digits and dashes.",
        )
    if not raw.get("title"):
        out.add("title", "The programme has no title.", "Add title: …")
    notes = raw.get("notes", "")
    if not isinstance(notes, str):
        out.add("notes", "notes must be text.", "Write notes: | and the text on the next lines.")
    spacing = _spacing(raw.get("spacing"), out)
    working_days = _working_days(raw.get("working_days"), out)
    folder = str(Path(file).parent)
    where = worksheets_folder or (
        "the worksheets folder" if file.startswith("<") or folder == "." else folder
    )
    sessions = _sessions(raw.get("sessions"), worksheet_ids, where, out)
    if out.problems:
        raise SpecError(out.problems)
    return ProgrammePlan(raw["id"], str(raw["title"]), spacing, sessions, notes or "", working_days)


def load_plan(
    path: str | Path, worksheet_ids: set[str] | None = None, worksheets_folder: str | None = None
) -> ProgrammePlan:
    """Load a plan file; raise SpecError listing every problem (see :func:`parse_plan`)."""
    path = Path(path)
    text = read_spec_file(path)
    return parse_plan(text, str(path), worksheet_ids, worksheets_folder)


def plan_path(worksheets_folder: str | Path) -> Path:
    """Where a worksheets folder keeps its programme plan."""
    return Path(worksheets_folder) / DEFAULT_PLAN_FILE


def plan_beside(worksheets_folder: str | Path, worksheet_ids: set[str]) -> ProgrammePlan | None:
    """The programme plan kept beside the worksheets, checked against them (None if absent)."""
    path = plan_path(worksheets_folder)
    return load_plan(path, worksheet_ids) if path.is_file() else None


SPACING_DAYS = {"fortnightly": 14, "six_weekly": 42}
"""Intervals in days; "monthly" (and anything unrecognised) means the same day each month."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_working_day(day: dt.date, working_days: Sequence[int] = WORKING_DAYS) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    if not working_days:
        return day
    while day.weekday() not in working_days:
        day += dt.timedelta(days=1)
    return day


def on_working_days(
    days: Sequence[dt.date], working_days: Sequence[int] = WORKING_DAYS
) -> tuple[dt.date, ...]:
    """Suggested dates moved off days nobody works (a Saturday session moves to Monday).

    Each date moves forward only, to the next working day, and always falls after the one
    before it, so two sessions never share a day. Dates that fall on working days stay."""
    moved: list[dt.date] = []
    for day in days:
        if moved and day <= moved[-1]:
            day = moved[-1] + dt.timedelta(days=1)
        moved.append(next_working_day(day, working_days))
    return tuple(moved)


def spaced_dates(
    start: dt.date,
    frequency: str | None,
    count: int,
    working_days: Sequence[int] = WORKING_DAYS,
) -> tuple[dt.date, ...]:
    """``count`` dates from ``start``: every 14 or 42 days (or ``"days:N"``), or the same
    day each month; each moved to the next of ``working_days`` (Monday to Friday) when it
    falls on another day."""
    days = spacing_days(frequency)
    if days:
        dates = [start + dt.timedelta(days=days * n) for n in range(count)]
    else:
        dates = [add_months(start, n) for n in range(count)]
    return on_working_days(dates, working_days)


def spacing_days(spacing: ProgrammePlan | str | None) -> int | None:
    """Days between sessions for a plan (or a spacing or agreement frequency);
    None means the same day each month (and anything unrecognised is monthly)."""
    if isinstance(spacing, ProgrammePlan):
        spacing = spacing.spacing
    spacing = spacing or ""
    if spacing in SPACING_DAYS:
        return SPACING_DAYS[spacing]
    if spacing.startswith("days:") and spacing[5:].isdigit() and int(spacing[5:]) > 0:
        return int(spacing[5:])
    return None


def session_dates(
    plan: ProgrammePlan, start: dt.date, frequency_override: str | None = None
) -> tuple[dt.date, ...]:
    """One suggested date per planned session from ``start``, at the plan's spacing, or at
    ``frequency_override`` (e.g. the frequency the pair chose in their agreement) if given;
    dates off the plan's working days move to the next working day."""
    spacing = frequency_override or plan.spacing
    return spaced_dates(start, spacing, len(plan.sessions), plan.working_days)
