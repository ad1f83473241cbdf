"""The worksheets, programme plan and frameworks of a kit, read together so the plan is the
one place that says which sessions use which worksheet, and kept working while a trainer edits.

A worksheet the plan uses takes its session numbers from the plan. A worksheet may still say
``sessions:`` itself (a folder with no plan needs it); where the plan uses that worksheet and
the two disagree, that is a problem naming both files, never a silent choice.

While serving, :func:`load_kit` keeps a copy of the last kit that read without problems (one
JSON file in the data folder, replaced atomically). When a file breaks, pages go on with that
copy and the problems are handed back to be logged and shown to the facilitator; the next page
after the fix reads the fixed kit, with no restart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from mentorkit.core.spec import Field, Option, Worksheet
from mentorkit.core.spec_loader import load_folder
from mentorkit.exceptions import SpecError, SpecProblem
from mentorkit.programme.frameworks import Framework, load_frameworks
from mentorkit.programme.plan import ProgrammePlan, plan_beside, plan_path
from mentorkit.programme.settings import DEFAULTS, ProgrammeSettings, load_settings

KIT_FILES = ("*.y*ml", "frameworks/*.y*ml", "applications/*.y*ml", "matching/*.y*ml")
"""The files of a worksheets folder that make up a kit's specs (kept as the last good copy)."""

_SESSIONS_LINE = re.compile(r"^sessions\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Specs:
    """A kit's worksheets (session numbers as the plan says), its plan (None without), its
    frameworks in use and its programme settings."""

    worksheets: dict[str, Worksheet]
    plan: ProgrammePlan | None
    frameworks: dict[str, Framework] = field(default_factory=dict)
    settings: ProgrammeSettings = DEFAULTS


@dataclass(frozen=True)
class Kit:
    """The specs pages use, and the problems of the kit as it stands (empty when it read
    cleanly; otherwise the specs are the last good copy)."""

    specs: Specs
    problems: tuple[SpecProblem, ...] = ()


def _sessions_line(worksheet: Worksheet) -> int | None:
    try:
        text = Path(worksheet.source).read_text(encoding="utf-8")
    except OSError:
        return None
    found = _SESSIONS_LINE.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def session_problems(
    worksheets: dict[str, Worksheet], plan: ProgrammePlan, plan_file: str
) -> list[SpecProblem]:
    """Worksheets whose own ``sessions:`` disagree with the sessions the plan uses them in."""
    problems = []
    for worksheet in worksheets.values():
        planned = plan.sessions_for(worksheet.id)
        if not worksheet.sessions or tuple(worksheet.sessions) == planned:
            continue
        said = "[" + ", ".join(str(n) for n in worksheet.sessions) + "]"
        if planned:
            where = "session" + ("s " if len(planned) > 1 else " ") + ", ".join(map(str, planned))
            fix = (
                f"Remove sessions: from this file (the plan, {plan_file}, says when each "
                f"worksheet is used), or make it sessions: [{', '.join(map(str, planned))}]."
            )
        else:
            where = "no session"
            fix = (
                f"Add {worksheet.id} to the worksheets of the sessions that use it in "
                f"{plan_file}, or remove sessions: from this file."
            )
        problems.append(
            SpecProblem(
                worksheet.source,
                _sessions_line(worksheet),
                "sessions",
                f"It says sessions: {said}, but the programme plan uses it in {where}.",
                fix,
            )
        )
    return problems


def _from_plan(fields: tuple[Field, ...], plan: ProgrammePlan) -> tuple[Field, ...]:
    """Fields with ``options_from: later_sessions`` given the plan's later sessions."""
    later = tuple(
        Option(
            str(s.number), f"Session {s.number}: {s.title}" if s.title else f"Session {s.number}"
        )
        for s in plan.sessions[1:]
    )
    return tuple(
        replace(f, options=later)
        if f.options_from == "later_sessions"
        else replace(f, fields=_from_plan(f.fields, plan))
        if f.fields
        else f
        for f in fields
    )


def with_plan_sessions(
    worksheets: dict[str, Worksheet], plan: ProgrammePlan | None
) -> dict[str, Worksheet]:
    """The worksheets as the plan has them: each it uses carrying the plan's session numbers,
    and options drawn from the plan (``options_from``) listing its sessions."""
    if plan is None:
        return dict(worksheets)
    return {
        key: replace(
            ws,
            sessions=plan.sessions_for(key) or ws.sessions,
            fields=_from_plan(ws.fields, plan),
        )
        for key, ws in worksheets.items()
    }


def load_specs(folder: str | Path) -> Specs:
    """A kit's worksheets folder read whole: its worksheets, plan, frameworks and settings,
    checked against each other; one SpecError lists every problem."""
    folder = Path(folder)
    problems: list[SpecProblem] = []
    try:
        worksheets = load_folder(folder)
    except SpecError as error:
        problems += error.problems
        worksheets = {}
    try:
        frameworks = load_frameworks(folder / "frameworks")
    except SpecError as error:
        problems += error.problems
        frameworks = {}
    try:
        settings = load_settings(folder)
    except SpecError as error:
        problems += error.problems
        settings = DEFAULTS
    if problems:
        raise SpecError(problems)
    plan = plan_beside(folder, set(worksheets))
    if plan is not None:
        problems = session_problems(worksheets, plan, str(plan_path(folder)))
        if problems:
            raise SpecError(problems)
    return Specs(with_plan_sessions(worksheets, plan), plan, frameworks, settings)


def kit_files(folder: Path) -> dict[str, str]:
    """The text of every spec file in a worksheets folder, by path within it."""
    found = {}
    for pattern in KIT_FILES:
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                found[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return found


def _keep(files: dict[str, str], keep: Path) -> None:
    """Save ``files`` as the last good copy (unless it already is), atomically."""
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    try:
        if json.loads(keep.read_text(encoding="utf-8")).get("digest") == digest:
            return
    except (OSError, ValueError, AttributeError):
        pass
    handle, temporary = tempfile.mkstemp(prefix=".kit-", dir=keep.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"digest": digest, "files": files}, out)
    os.replace(temporary, keep)


def _kept(keep: Path) -> Specs | None:
    """The last good copy's specs, read from a temporary folder (None if there is none)."""
    try:
        files = json.loads(keep.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with tempfile.TemporaryDirectory(prefix="mentorkit-kept-") as folder:
        for name, text in files.items():
            target = Path(folder) / name
            if Path(folder).resolve() not in target.resolve().parents:
                return None  # a tampered copy naming files outside its folder
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            return load_specs(folder)
        except SpecError:
            return None


def load_kit(folder: str | Path, keep: Path | None = None) -> Kit:
    """The kit in ``folder`` for a page. When it reads cleanly it becomes the last good copy
    in ``keep``; when it does not and a good copy is kept, pages go on with that copy and
    the problems come back with it. With no good copy, the SpecError is raised."""
    folder = Path(folder)
    try:
        specs = load_specs(folder)
    except SpecError as error:
        kept = _kept(keep) if keep is not None else None
        if kept is None:
            raise
        return Kit(kept, tuple(error.problems))
    if keep is not None and keep.parent.is_dir():
        with contextlib.suppress(OSError):  # a read-only data folder loses only the fallback
            _keep(kit_files(folder), keep)
    return Kit(specs)
