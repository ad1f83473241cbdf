"""Reading worksheet YAML files into :class:`~mentorkit.spec.Worksheet` objects.

Every problem in a file (and across files, such as two worksheets sharing an id) is
collected and raised together as one :class:`~mentorkit.exceptions.SpecError`, each with
the file, the line, the field path, what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .exceptions import SpecError, SpecProblem
from .fieldtypes import FIELD_TYPES, check_answer
from .spec import MODES, PHASES, VISIBILITIES, Field, ShowIf, Worksheet

WORKSHEET_KEYS = frozenset(
    {"id", "title", "version", "mode", "phase", "sessions", "introduction", "notes", "fields"}
)
COMMON_FIELD_KEYS = frozenset(
    {"id", "type", "label", "help", "required", "visibility", "default", "show_if"}
)
SHOW_IF_KEYS = frozenset({"field", "equals", "any_of", "answered"})
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
_LAST_SEGMENT = re.compile(r"(\.[^.\[\]]+|\[\d+\])$|^[^.\[\]]+$")


class _Collector:
    """Gathers problems for one file, knowing the line of every path in it."""

    def __init__(self, file: str, lines: dict[str, int]):
        self.file, self.lines, self.problems = file, lines, []

    def add(self, path: str, message: str, fix: str) -> None:
        probe = path
        line = self.lines.get(probe)
        while line is None and probe:
            probe = _LAST_SEGMENT.sub("", probe)
            line = self.lines.get(probe)
        self.problems.append(SpecProblem(self.file, line, path, message, fix))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


_SCALARS = yaml.constructor.SafeConstructor()
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scalar(node: yaml.Node) -> Any:
    """The Python value of a scalar node (int, bool, date, string…), as safe_load gives it."""
    return _SCALARS.construct_object(node, deep=True)


def _plain(node: yaml.Node, path: str, lines: dict[str, int], dupes: list[tuple[str, int]]) -> Any:
    """Turn a composed YAML node into Python data, noting the line of every path."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = (
                _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            )
            child = _join(path, str(key))
            if key in result:
                dupes.append((child, key_node.start_mark.line + 1))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _plain(value_node, child, lines, dupes)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, _join(path, i), lines, dupes) for i, item in enumerate(node.value)]
    return _scalar(node)


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f"Did you mean {close[0]!r}?" if close else f"Use one of: {', '.join(sorted(choices))}."


def _unknown_keys(raw: dict, allowed: Iterable[str], path: str, out: _Collector) -> None:
    allowed = set(allowed)
    for key in raw:
        if key not in allowed:
            out.add(_join(path, str(key)), f"Unknown key {key!r}.", _suggest(str(key), allowed))


def _show_if(raw: Any, path: str, out: _Collector) -> ShowIf | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "field" not in raw:
        out.add(
            path,
            "show_if must name a field and a condition.",
            "Write show_if: {field: role, equals: mentor}",
        )
        return None
    _unknown_keys(raw, SHOW_IF_KEYS, path, out)
    conditions = [k for k in ("equals", "any_of", "answered") if k in raw]
    if len(conditions) != 1:
        out.add(
            path,
            "show_if needs exactly one of equals, any_of or answered.",
            "Write e.g. show_if: {field: role, equals: mentor}",
        )
        return None
    any_of = raw.get("any_of")
    if "any_of" in raw and not isinstance(any_of, list):
        out.add(_join(path, "any_of"), "any_of must be a list.", "Write any_of: [a, b]")
        return None
    if "answered" in raw and not isinstance(raw["answered"], bool):
        out.add(_join(path, "answered"), "answered must be true or false.", "Write answered: true")
        return None
    return ShowIf(
        field=str(raw["field"]),
        equals=raw.get("equals"),
        any_of=tuple(any_of) if any_of is not None else None,
        answered=raw.get("answered"),
    )


def _field(raw: Any, path: str, out: _Collector, nested: bool) -> Field | None:
    if not isinstance(raw, dict):
        out.add(path, "Each field must be a mapping of keys.", "Start it with - id: your_field")
        return None
    type_name = raw.get("type")
    field_type = FIELD_TYPES.get(type_name) if isinstance(type_name, str) else None
    if field_type is None:
        out.add(
            _join(path, "type"),
            f"Unknown field type {type_name!r}.",
            _suggest(str(type_name), FIELD_TYPES),
        )
        return None
    _unknown_keys(raw, COMMON_FIELD_KEYS | field_type.keys, path, out)
    field_id = raw.get("id")
    if not isinstance(field_id, str) or not ID_PATTERN.match(field_id):
        out.add(
            _join(path, "id"),
            f"The id {field_id!r} is missing or not a simple name.",
            "Use lower-case letters, digits, - and _, starting with a letter.",
        )
        field_id = None
    if field_type.name == "group" and nested:
        out.add(
            _join(path, "type"),
            "A group cannot sit inside another group.",
            "Move the inner group's fields up, or make it a separate group.",
        )
        return None

    def report(key: str, message: str, fix: str) -> None:
        out.add(_join(path, key), message, fix)

    settings = field_type.settings(raw, report)
    visibility = raw.get("visibility", "relationship")
    if visibility not in VISIBILITIES:
        report(
            "visibility",
            f"Unknown visibility {visibility!r}.",
            _suggest(str(visibility), VISIBILITIES),
        )
        visibility = "relationship"
    required = raw.get("required", False)
    if not isinstance(required, bool):
        report("required", "required must be true or false.", "Write required: true")
        required = False
    label = raw.get("label", "")
    if field_type.has_value and not label:
        report(
            "label",
            "This field has no label, so people would not know what to answer.",
            "Add label: followed by the question.",
        )
    subfields: tuple[Field, ...] = ()
    if field_type.name == "group":
        items = raw.get("fields")
        if not isinstance(items, list) or not items:
            report(
                "fields",
                "A group needs a list of sub-fields.",
                "Add fields: with at least one field.",
            )
        else:
            built = [
                _field(item, _join(_join(path, "fields"), i), out, nested=True)
                for i, item in enumerate(items)
            ]
            subfields = tuple(f for f in built if f is not None)
            _check_ids(subfields, items, _join(path, "fields"), out)
            _check_links(built, _join(path, "fields"), out)
    if field_id is None:
        return None
    field = Field(
        id=field_id,
        type=field_type.name,
        label=str(label),
        help=str(raw.get("help", "")),
        required=required,
        visibility=visibility,
        default=raw.get("default"),
        show_if=_show_if(raw.get("show_if"), _join(path, "show_if"), out),
        fields=subfields,
        **settings,
    )
    if field.default is not None and field_type.has_value:
        problem = check_answer(field, field.default)
        if problem:
            report(
                "default",
                f"The default does not fit this field: {problem}",
                "Change or remove the default.",
            )
    return field


def _check_links(built: list[Field | None], path: str, out: _Collector) -> None:
    """show_if and not_before must name another answerable field in the same list."""
    ids = {f.id: f for f in built if f is not None}
    for index, field in enumerate(built):
        if field is None:
            continue
        links = []
        if field.show_if is not None:
            links.append(
                (_join(_join(_join(path, index), "show_if"), "field"), field.show_if.field)
            )
        if field.not_before is not None:
            links.append((_join(_join(path, index), "not_before"), field.not_before))
        for where, name in links:
            if name not in ids:
                out.add(where, f"{name!r} is not a field here.", _suggest(name, ids))
            elif name == field.id:
                out.add(where, "A field cannot depend on itself.", "Name another field.")
            elif not ids[name].has_value:
                out.add(
                    where,
                    f"{name!r} is a guidance block, which has no answer.",
                    "Name a field people answer.",
                )
            elif where.endswith("not_before") and ids[name].type != "date":
                out.add(where, f"{name!r} is not a date field.", "Name a date field.")


def _check_ids(fields: tuple[Field, ...], raws: list, path: str, out: _Collector) -> None:
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        field_id = raw.get("id") if isinstance(raw, dict) else None
        if field_id in seen:
            out.add(
                _join(_join(path, index), "id"),
                f"The id {field_id!r} is used twice.",
                "Give each field its own id.",
            )
        if isinstance(field_id, str):
            seen.add(field_id)


def parse_worksheet(text: str, file: str = "<text>") -> Worksheet:
    """Parse one worksheet from YAML text; raise SpecError listing every problem."""
    out = _Collector(file, {})
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(
            [
                SpecProblem(
                    file,
                    line,
                    "",
                    f"This is not valid YAML: {problem}.",
                    "Check the indentation and colons on that line.",
                )
            ]
        ) from None
    if node is None:
        raise SpecError(
            [SpecProblem(file, 1, "", "The file is empty.", "Add id, title, mode and fields.")]
        )
    dupes: list[tuple[str, int]] = []
    raw = _plain(node, "", out.lines, dupes)
    for path, line in dupes:
        out.problems.append(
            SpecProblem(file, line, path, "This key appears twice.", "Keep only one.")
        )
    if not isinstance(raw, dict):
        raise SpecError(
            [
                SpecProblem(
                    file,
                    1,
                    "",
                    "A worksheet must be a mapping of keys.",
                    "Start the file with id: and title: lines.",
                )
            ]
        )
    worksheet = _worksheet(raw, out)
    if out.problems:
        raise SpecError(out.problems)
    assert worksheet is not None
    return worksheet


def _worksheet(raw: dict, out: _Collector) -> Worksheet | None:
    _unknown_keys(raw, WORKSHEET_KEYS, "", out)
    ws_id = raw.get("id")
    if not isinstance(ws_id, str) or not ID_PATTERN.match(ws_id):
        out.add(
            "id",
            f"The worksheet id {ws_id!r} is missing or not a simple name.",
            "Use lower-case letters, digits and dashes, e.g. id: getting-to-know-each-other",
        )
    if not raw.get("title"):
        out.add("title", "The worksheet has no title.", "Add title: followed by its name.")
    version = raw.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        out.add(
            "version",
            "version must be a whole number from 1.",
            "Write version: 1, and raise it on changes.",
        )
        version = 1
    mode = raw.get("mode")
    if mode not in MODES:
        out.add(
            "mode",
            f"mode is {mode!r}; it must be joint or individual.",
            "joint: one shared copy per relationship; individual: one per person.",
        )
    phase = raw.get("phase")
    if phase not in PHASES:
        out.add("phase", f"Unknown phase {phase!r}.", _suggest(str(phase), PHASES))
    sessions = raw.get("sessions", [])
    if not isinstance(sessions, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) for s in sessions
    ):
        out.add(
            "sessions",
            "sessions must be a list of session numbers.",
            "Write sessions: [1] or [3, 4, 5]",
        )
        sessions = []
    items = raw.get("fields")
    fields: tuple[Field, ...] = ()
    if not isinstance(items, list) or not items:
        out.add("fields", "The worksheet has no fields.", "Add fields: with at least one field.")
    else:
        built = [
            _field(item, _join("fields", i), out, nested=False) for i, item in enumerate(items)
        ]
        fields = tuple(f for f in built if f is not None)
        _check_ids(fields, items, "fields", out)
        _check_links(built, "fields", out)
    if out.problems:
        return None
    return Worksheet(
        id=ws_id,
        title=str(raw["title"]),
        version=version,
        mode=mode,
        phase=phase,
        sessions=tuple(sessions),
        introduction=str(raw.get("introduction", "")),
        fields=fields,
        notes=str(raw.get("notes", "")),
    )


def load_worksheet(path: str | Path) -> Worksheet:
    """Load one worksheet file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(
            [
                SpecProblem(
                    str(path),
                    None,
                    "",
                    f"The file cannot be read ({error}).",
                    "Check the file exists and is saved as UTF-8 text.",
                )
            ]
        ) from None
    worksheet = parse_worksheet(text, str(path))
    return Worksheet(**{**worksheet.__dict__, "source": str(path)})


def spec_files(folder: str | Path) -> list[Path]:
    """The worksheet files in a folder (or the one file named), in name order."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_folder(folder: str | Path) -> dict[str, Worksheet]:
    """Load every worksheet in a folder; raise one SpecError listing all problems in all files."""
    folder = Path(folder)
    if not folder.exists():
        raise SpecError(
            [
                SpecProblem(
                    str(folder),
                    None,
                    "",
                    "This folder does not exist.",
                    "Pass the folder that holds your worksheet .yaml files.",
                )
            ]
        )
    problems: list[SpecProblem] = []
    worksheets: dict[str, Worksheet] = {}
    for path in spec_files(folder):
        try:
            worksheet = load_worksheet(path)
        except SpecError as error:
            problems.extend(error.problems)
            continue
        if worksheet.id in worksheets:
            problems.append(
                SpecProblem(
                    str(path),
                    1,
                    "id",
                    f"The worksheet id {worksheet.id!r} is also used "
                    f"by {worksheets[worksheet.id].source}.",
                    "Give each worksheet its own id.",
                )
            )
            continue
        worksheets[worksheet.id] = worksheet
    if problems:
        raise SpecError(problems)
    return worksheets
