"""``mentorkit check``: every kind of kit file, alone or as a whole kit.

A kit's files are worksheets, competency frameworks, application forms, the programme plan,
the matching weights and the page notebooks. Given a file, ``check`` decides its kind (by its
folder, its name, then its content) and checks it as that kind; given a folder, it checks
everything in it and how the files fit together: the plan's sessions against the worksheets',
frameworks replacing or rated beside each other, notebooks opening worksheets that exist.
Every problem keeps one form: file, line, place, what is wrong and how to fix it.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from mentorkit.core.spec_loader import (
    PROGRAMME_PLAN_FILE,
    SETTINGS_FILE,
    load_folder,
    load_worksheet,
)
from mentorkit.core.text import count_of
from mentorkit.core.worksheet_ids import missing
from mentorkit.core.yamlfile import suggest
from mentorkit.exceptions import SpecError, SpecProblem
from mentorkit.programme.page_cells import FACILITATOR_TAG, TRAINER_TAG, source_of, tags_of

T = TypeVar("T")
KINDS = (
    "worksheet",
    "framework",
    "application form",
    "programme plan",
    "weights",
    "settings",
    "notebook",
)
WEIGHTS_FILE = "weights.yaml"
KEEP_CODE = (
    "Keep the page's one line of code as shipped (copy it from the same notebook in a kit "
    "made by `mentorkit kit new`); reword only the text cells."
)


@dataclass
class Report:
    """What was checked, the problems found (any problem fails the check) and notes."""

    target: Path
    checked: list[str] = field(default_factory=list)
    problems: list[SpecProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def run(self, label: str | Callable[[T], str], check: Callable[[], T]) -> T | None:
        """Run ``check``; count ``label`` (text, or made from the result) or keep its
        problems. Returns its result (None when it found problems)."""
        try:
            result = check()
        except SpecError as error:
            self.problems.extend(error.problems)
            return None
        self.checked.append(label(result) if callable(label) else label)
        return result

    @property
    def summary(self) -> str:
        return f"All is fine in {self.target}: " + ", ".join(self.checked) + "."


# --- what kind of file -------------------------------------------------------------------


def kind_of(path: Path) -> str:
    """The kind of kit file ``path`` is (one of KINDS): by folder, then name, then content."""
    if path.suffix == ".ipynb":
        return "notebook"
    folder = path.parent.name
    if folder == "frameworks":
        return "framework"
    if folder == "applications":
        return "application form"
    if path.name == WEIGHTS_FILE or folder == "matching":
        return "weights"
    if path.name == PROGRAMME_PLAN_FILE:
        return "programme plan"
    if path.name == SETTINGS_FILE:
        return "settings"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "worksheet"
    if not isinstance(raw, dict):
        return "worksheet"
    from mentorkit.matching.model import CRITERIA

    keys = set(raw)
    if keys & {"fields", "mode", "introduction"}:
        return "worksheet"
    if keys & {"domains", "rated", "scale", "replaces", "alongside"}:
        return "framework"
    if keys & {"sessions", "spacing", "working_days"}:
        return "programme plan"
    if keys & {*CRITERIA, "min_score"}:
        return "weights"
    if keys & {"accent", "smallest_group", "quiet_days", "autosave_seconds"}:
        return "settings"
    return "worksheet"


# --- notebooks ---------------------------------------------------------------------------


def _exists(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


_NOTE_FOR = re.compile(
    r"^(?:\s|<[^>]+>|[*_#>-])*(for )?(trainers?|facilitators?)\b", re.IGNORECASE | re.MULTILINE
)
"""A line that opens a note for trainers or facilitators ("*Trainers: …", "For facilitators")."""


def _untagged_note(file: str, index: int, cell: dict) -> list[SpecProblem]:
    """A text cell that speaks to trainers or facilitators but is served to everyone."""
    if tags_of(cell) & {TRAINER_TAG, FACILITATOR_TAG}:
        return []
    match = _NOTE_FOR.search(source_of(cell))
    if match is None:
        return []
    said = f"{match[1] or ''}{match[2]}"
    said = said[0].upper() + said[1:]
    return [
        SpecProblem(
            file,
            None,
            f"cells[{index}]",
            f"Text cell {index + 1} reads like a note for {match[2].lower().rstrip('s')}s "
            f"(“{said}…”), but it has no tag, so everyone who opens the "
            "page sees it.",
            f"In JupyterLab, select the cell, open the property inspector (the gear at the "
            f"right) and add the tag `{TRAINER_TAG}` (never shown on the page) or "
            f"`{FACILITATOR_TAG}` (shown to the facilitator only). Keep any words for "
            "everyone in a cell of their own.",
        )
    ]


def notebook_problems(path: Path, worksheet_ids: set[str] | None) -> list[SpecProblem]:
    """A page notebook's problems: not a notebook, code that is not Python, a mentorkit page
    that does not exist, or a worksheet id not in ``worksheet_ids``."""
    file = str(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        assert isinstance(cells, list)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AssertionError) as e:
        line = getattr(e, "lineno", None)
        return [
            SpecProblem(
                file,
                line,
                "",
                "This is not a notebook Jupyter can open"
                + (f" ({e.msg})." if isinstance(e, json.JSONDecodeError) else "."),
                "Put back the notebook from a kit made by `mentorkit kit new`, then reword "
                "its text cells in JupyterLab (`mentorkit lab`).",
            )
        ]
    problems: list[SpecProblem] = []
    for index, cell in enumerate(cells):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            problems.extend(_untagged_note(file, index, cell))
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        where = f"cells[{index}]"
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            problems.append(
                SpecProblem(
                    file,
                    None,
                    where,
                    f"The code in cell {index + 1} is not Python (line {error.lineno}: "
                    f"{error.msg}).",
                    KEEP_CODE,
                )
            )
            continue
        for node in ast.walk(tree):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if isinstance(node, ast.ImportFrom) and module.startswith("mentorkit"):
                for alias in node.names:
                    if not _exists(module, alias.name):
                        problems.append(
                            SpecProblem(
                                file,
                                None,
                                where,
                                f"It draws the page with {alias.name!r} from {module}, "
                                "which mentorkit does not have.",
                                KEEP_CODE,
                            )
                        )
            if (
                worksheet_ids is not None
                and isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "worksheet"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in worksheet_ids
            ):
                wanted = node.args[0].value
                problems.append(
                    SpecProblem(
                        file,
                        None,
                        where,
                        f"It shows the worksheet {wanted!r}, which is not in the kit's worksheets.",
                        suggest(wanted, worksheet_ids)
                        + " Or add a worksheet with that id to the worksheets folder.",
                    )
                )
    return problems


def _check_notebooks(report: Report, folder: Path, worksheet_ids: set[str] | None) -> None:
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    problems = [p for nb in notebooks for p in notebook_problems(nb, worksheet_ids)]
    if problems:
        report.problems.extend(problems)
    else:
        report.checked.append(count_of(len(notebooks), "notebook"))


# --- whole folders -----------------------------------------------------------------------


def _check_worksheets_folder(report: Report, folder: Path) -> set[str] | None:
    """Check a worksheets folder and everything in it; returns its worksheet ids."""
    from mentorkit.matching.model import load_weights
    from mentorkit.programme.frameworks import load_frameworks
    from mentorkit.programme.kit_specs import session_problems
    from mentorkit.programme.plan import load_plan, plan_path
    from mentorkit.programme.settings import load_settings

    worksheets = report.run(lambda ws: count_of(len(ws), "worksheet"), lambda: load_folder(folder))
    ids = set(worksheets) if worksheets is not None else None
    frameworks = folder / "frameworks"
    if frameworks.is_dir():
        total = len(list(frameworks.glob("*.y*ml")))
        report.run(
            lambda used: (
                count_of(total, "framework")
                + (f" ({len(used)} in use)" if len(used) != total else "")
            ),
            lambda: load_frameworks(frameworks),
        )
    if (folder / "applications").is_dir():
        report.run(
            lambda forms: count_of(len(forms), "application form"),
            lambda: load_folder(folder / "applications"),
        )
    plan_file = plan_path(folder)
    if plan_file.is_file():
        plan = report.run(
            lambda p: f"the programme plan ({count_of(len(p.sessions), 'session')})",
            lambda: load_plan(plan_file, ids),
        )
        if plan is not None and worksheets is not None:
            report.problems.extend(session_problems(worksheets, plan, str(plan_file)))
    weights = folder / "matching" / WEIGHTS_FILE
    if weights.is_file():
        report.run("the matching weights", lambda: load_weights(weights))
    if (folder / SETTINGS_FILE).is_file():
        report.run("the programme settings", lambda: load_settings(folder))
    if ids is not None:
        for worksheet_id, needed_by in missing(ids).items():
            report.notes.append(
                f"There is no {worksheet_id!r} worksheet in {folder}; {needed_by} need it, so "
                "those pages will say it is missing. Keep the shipped file (reword it as you "
                "like) unless your programme does without them."
            )
    return ids


def _kit_worksheet_ids(notebooks: Path) -> set[str] | None:
    """The worksheet ids of the kit a notebooks folder belongs to (None if unknown)."""
    from mentorkit.core import paths

    beside = notebooks.parent / "worksheets"
    folder = beside if beside.is_dir() else paths.worksheets_folder()
    try:
        return set(load_folder(folder))
    except SpecError:
        return None


def check_path(target: Path) -> Report:
    """Check a kit folder, a worksheets folder, a notebooks or frameworks folder, or one file
    of any kind."""
    target = Path(target)
    report = Report(target)
    if not target.exists():
        report.problems.append(
            SpecProblem(
                str(target),
                None,
                "",
                "There is no such file or folder.",
                "Give a kit folder, its worksheets folder, or one file in it.",
            )
        )
        return report
    if target.is_file():
        _check_file(report, target)
        return report
    if (target / "worksheets").is_dir():  # a kit's own folder
        ids = _check_worksheets_folder(report, target / "worksheets")
        if (target / "notebooks").is_dir():
            _check_notebooks(report, target / "notebooks", ids)
    elif target.name == "notebooks" or (
        any(target.glob("*.ipynb")) and not any(target.glob("*.y*ml"))
    ):
        _check_notebooks(report, target, _kit_worksheet_ids(target))
    elif target.name == "frameworks":
        from mentorkit.programme.frameworks import load_frameworks

        report.run(
            lambda used: count_of(len(used), "framework") + " in use",
            lambda: load_frameworks(target),
        )
    else:
        ids = _check_worksheets_folder(report, target)
        if target.name == "worksheets" and (target.parent / "notebooks").is_dir():
            _check_notebooks(report, target.parent / "notebooks", ids)
    return report


def _check_file(report: Report, path: Path) -> None:
    from mentorkit.matching.model import load_weights
    from mentorkit.programme.frameworks import load_frameworks, parse_framework
    from mentorkit.programme.kit_specs import session_problems
    from mentorkit.programme.plan import load_plan

    kind = kind_of(path)
    if kind == "notebook":
        problems = notebook_problems(path, _kit_worksheet_ids(path.parent))
        report.problems.extend(problems)
        if not problems:
            report.checked.append("the notebook")
    elif kind == "framework":
        parsed = report.run(
            "the framework", lambda: parse_framework(path.read_text("utf-8"), str(path))
        )
        if parsed is not None and path.parent.name == "frameworks":  # with the others
            report.run("the frameworks beside it", lambda: load_frameworks(path.parent))
    elif kind == "weights":
        report.run("the matching weights", lambda: load_weights(path))
    elif kind == "settings":
        from mentorkit.programme.settings import parse_settings

        report.run(
            "the programme settings", lambda: parse_settings(path.read_text("utf-8"), str(path))
        )
    elif kind == "programme plan":
        folder, ids = _worksheets_for_plan(path.parent)
        plan = report.run(
            lambda p: f"the programme plan ({count_of(len(p.sessions), 'session')})",
            lambda: load_plan(path, set(ids) if ids is not None else None, str(folder)),
        )
        if plan is not None and ids is not None:
            report.problems.extend(session_problems(ids, plan, str(path)))
    else:
        worksheet = report.run(f"the {kind}", lambda: load_worksheet(path))
        plan_file = path.parent / PROGRAMME_PLAN_FILE
        if worksheet is not None and kind == "worksheet" and plan_file.is_file():
            try:
                plan = load_plan(plan_file)
            except SpecError:
                return  # the plan's own problems are for checking the plan
            report.problems.extend(
                session_problems({worksheet.id: worksheet}, plan, str(plan_file))
            )


def _worksheets_for_plan(folder: Path) -> tuple[Path, dict | None]:
    """The worksheets folder a plan file goes with (its own, or the kit's where it has none
    beside it) and its worksheets (None if they cannot be read)."""
    from mentorkit.core import paths

    beside = [p for p in folder.glob("*.y*ml") if kind_of(p) == "worksheet"]
    chosen = folder if beside else paths.worksheets_folder()
    try:
        return chosen, load_folder(chosen)
    except SpecError:
        return chosen, None
