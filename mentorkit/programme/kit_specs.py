"""The worksheets and the programme plan of a kit, read together so the plan is the one place
that says which sessions use which worksheet.

A worksheet the plan uses takes its session numbers from the plan. A worksheet may still say
``sessions:`` itself (a folder with no plan needs it); where the plan uses that worksheet and
the two disagree, that is a problem naming both files, never a silent choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from mentorkit.core.spec import Field, Option, Worksheet
from mentorkit.core.spec_loader import load_folder
from mentorkit.exceptions import SpecError, SpecProblem
from mentorkit.programme.plan import ProgrammePlan, plan_beside, plan_path

_SESSIONS_LINE = re.compile(r"^sessions\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Specs:
    """A kit's worksheets (session numbers as the plan says) and its plan (None without)."""

    worksheets: dict[str, Worksheet]
    plan: ProgrammePlan | None


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
    """A kit's worksheets folder read whole: its worksheets and its plan, checked against each
    other; one SpecError lists every problem."""
    worksheets = load_folder(folder)
    plan = plan_beside(folder, set(worksheets))
    if plan is not None:
        problems = session_problems(worksheets, plan, str(plan_path(folder)))
        if problems:
            raise SpecError(problems)
    return Specs(with_plan_sessions(worksheets, plan), plan)
