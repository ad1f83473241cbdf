"""Reading worksheet YAML files into :class:`~mentorkit.core.spec.Worksheet` objects.

Every problem in a file (and across files, such as two worksheets sharing an id) is
collected and raised together as one :class:`~mentorkit.exceptions.SpecError`, each with
the file, the line, the field path, what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mentorkit.core.fieldtypes import FIELD_TYPES, NOT_APPLICABLE, check_answer
from mentorkit.core.spec import MODES, PHASES, VISIBILITIES, Field, ShowIf, Worksheet
from mentorkit.core.yamlfile import (
    Collector,
    join,
    read_spec_file,
    read_yaml,
    suggest,
    unknown_keys,
)
from mentorkit.exceptions import SpecError, SpecProblem

WORKSHEET_KEYS = frozenset(
    {
        "id",
        "title",
        "version",
        "mode",
        "phase",
        "sessions",
        "per_session",
        "introduction",
        "notes",
        "fields",
    }
)
COMMON_FIELD_KEYS = frozenset(
    {"id", "type", "label", "help", "required", "visibility", "default", "show_if"}
)
SHOW_IF_KEYS = frozenset({"field", "equals", "any_of", "answered"})
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
TYPE_SYNONYMS = {
    **dict.fromkeys(
        (
            "textarea",
            "text_area",
            "longtext",
            "long_text",
            "multiline",
            "essay",
            "comment",
            "comments",
        ),
        "paragraph",
    ),
    **dict.fromkeys(("string", "str", "short_text", "shorttext", "line", "input"), "text"),
    **dict.fromkeys(("int", "integer", "float", "decimal", "numeric"), "number"),
    **dict.fromkeys(("datetime", "calendar", "day"), "date"),
    **dict.fromkeys(("select", "dropdown", "radio", "radios", "single_choice", "option"), "choice"),
    **dict.fromkeys(
        (
            "checkboxes",
            "multiselect",
            "multi_select",
            "multi_choice",
            "multiple_choice",
            "multiplechoice",
            "tags",
        ),
        "multichoice",
    ),
    **dict.fromkeys(("likert", "scale", "slider", "stars", "score"), "rating"),
    **dict.fromkeys(("bool", "boolean", "checkbox", "yes_no", "toggle", "switch"), "yesno"),
    **dict.fromkeys(("repeat", "repeating", "list", "table", "items"), "group"),
    **dict.fromkeys(
        ("heading", "markdown", "info", "note", "html", "text_block", "label", "instructions"),
        "guidance",
    ),
}
"""Field type names from other form tools, and the mentorkit type that does the same job."""


def _show_if(raw: Any, path: str, out: Collector) -> ShowIf | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "field" not in raw:
        out.add(
            path,
            "show_if must name a field and a condition.",
            "Write show_if: {field: role, equals: mentor}",
        )
        return None
    unknown_keys(raw, SHOW_IF_KEYS, path, out)
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
        out.add(join(path, "any_of"), "any_of must be a list.", "Write any_of: [a, b]")
        return None
    if "answered" in raw and not isinstance(raw["answered"], bool):
        out.add(join(path, "answered"), "answered must be true or false.", "Write answered: true")
        return None
    return ShowIf(
        field=str(raw["field"]),
        equals=raw.get("equals"),
        any_of=tuple(any_of) if any_of is not None else None,
        answered=raw.get("answered"),
    )


def _field(raw: Any, path: str, out: Collector, nested: bool) -> Field | None:
    if not isinstance(raw, dict):
        out.add(path, "Each field must be a mapping of keys.", "Start it with - id: your_field")
        return None
    type_name = raw.get("type")
    field_type = FIELD_TYPES.get(type_name) if isinstance(type_name, str) else None
    if field_type is None:
        known = TYPE_SYNONYMS.get(
            str(type_name).strip().lower().replace("-", "_").replace(" ", "_")
        )
        out.add(
            join(path, "type"),
            f"Unknown field type {type_name!r}.",
            f"Did you mean {known!r} ({FIELD_TYPES[known].summary})?"
            if known
            else suggest(str(type_name), FIELD_TYPES),
        )
        return None
    unknown_keys(raw, COMMON_FIELD_KEYS | field_type.keys, path, out)
    field_id = raw.get("id")
    if not isinstance(field_id, str) or not ID_PATTERN.match(field_id):
        out.add(
            join(path, "id"),
            f"The id {field_id!r} is missing or not a simple name.",
            "Use lower-case letters, digits, - and _, starting with a letter.",
        )
        field_id = None
    if field_type.name == "group" and nested:
        out.add(
            join(path, "type"),
            "A group cannot sit inside another group.",
            "Move the inner group's fields up, or make it a separate group.",
        )
        return None

    def report(key: str, message: str, fix: str) -> None:
        out.add(join(path, key), message, fix)

    settings = field_type.settings(raw, report)
    visibility = raw.get("visibility", "relationship")
    if visibility not in VISIBILITIES:
        report(
            "visibility",
            f"Unknown visibility {visibility!r}.",
            suggest(str(visibility), VISIBILITIES),
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
                _field(item, join(join(path, "fields"), i), out, nested=True)
                for i, item in enumerate(items)
            ]
            subfields = tuple(f for f in built if f is not None)
            _check_ids(subfields, items, join(path, "fields"), out)
            _check_links(built, join(path, "fields"), out)
            _check_group_names(settings, subfields, visibility, report)
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
        show_if=_show_if(raw.get("show_if"), join(path, "show_if"), out),
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


def _check_group_names(
    settings: dict, subfields: tuple[Field, ...], visibility: str, report: Callable
) -> None:
    """shared_when must name a yes/no sub-field of a private group; required_any sub-fields."""
    ids = {f.id: f for f in subfields}
    shared = settings.get("shared_when")
    if shared is not None:
        if shared not in ids or ids[shared].type != "yesno":
            report(
                "shared_when",
                f"shared_when names {shared!r}, which is not a yes/no sub-field of this group.",
                suggest(str(shared), [f.id for f in subfields if f.type == "yesno"]),
            )
        elif visibility != "private":
            report(
                "shared_when",
                "shared_when only makes sense in a private group (the items are private "
                "until their owner shares them).",
                "Add visibility: private to this group.",
            )
    for name in settings.get("required_any", ()):
        if name not in ids:
            report(
                "required_any",
                f"required_any names {name!r}, which is not a sub-field of this group.",
                suggest(str(name), list(ids)),
            )


def _check_links(built: list[Field | None], path: str, out: Collector) -> None:
    """show_if and not_before must name another answerable field in the same list."""
    ids = {f.id: f for f in built if f is not None}
    for index, field in enumerate(built):
        if field is None:
            continue
        links = []
        if field.show_if is not None:
            links.append((join(join(join(path, index), "show_if"), "field"), field.show_if.field))
        if field.not_before is not None:
            links.append((join(join(path, index), "not_before"), field.not_before))
        for where, name in links:
            if name not in ids:
                out.add(where, f"{name!r} is not a field here.", suggest(name, ids))
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
            elif field.show_if is not None:
                _check_show_if_values(
                    field.show_if, ids[name], join(join(path, index), "show_if"), out
                )


def _answers_hint(target: Field) -> str:
    """How to write a value ``target`` can take, for a show_if that names it."""
    if target.options and not target.allow_other:
        return "Use one of its options: " + ", ".join(o.value for o in target.options) + "."
    if target.type == "rating":
        extra = f", or {NOT_APPLICABLE}" if target.not_applicable else ""
        return f"Use a point from 1 to {target.points}{extra}."
    if target.type == "yesno":
        return "Write true or false, without quotes."
    if target.type == "number":
        return "Write a number, without quotes."
    if target.type == "date":
        return "Write a date as YYYY-MM-DD."
    return "Write a value that field can take."


def _check_show_if_values(show_if: ShowIf, target: Field, path: str, out: Collector) -> None:
    """Every value a show_if compares with must be an answer ``target`` can have; one that
    can never match would hide its field for good."""
    if show_if.equals is not None:
        values = [("equals", show_if.equals)]
    else:
        values = [(join("any_of", i), v) for i, v in enumerate(show_if.any_of or ())]
    for key, value in values:
        candidate = [value] if target.type == "multichoice" else value
        if value in (None, "") or check_answer(target, candidate) is not None:
            out.add(
                join(path, key),
                f"{value!r} can never be the answer to {target.id!r}, so this field would "
                "never show.",
                _answers_hint(target)
                + (
                    " YAML reads yes, no, on and off without quotes as true or false: put quotes "
                    "round it."
                    if isinstance(value, bool) and target.type != "yesno"
                    else ""
                ),
            )


def _check_ids(fields: tuple[Field, ...], raws: list, path: str, out: Collector) -> None:
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        field_id = raw.get("id") if isinstance(raw, dict) else None
        if field_id in seen:
            out.add(
                join(join(path, index), "id"),
                f"The id {field_id!r} is used twice.",
                "Give each field its own id.",
            )
        if isinstance(field_id, str):
            seen.add(field_id)


def parse_worksheet(text: str, file: str = "<text>") -> Worksheet:
    """Parse one worksheet from YAML text; raise SpecError listing every problem."""
    raw, out = read_yaml(text, file, "Add id, title, mode and fields.")
    worksheet = _worksheet(raw, out)
    if out.problems:
        raise SpecError(out.problems)
    assert worksheet is not None
    return worksheet


def _worksheet(raw: dict, out: Collector) -> Worksheet | None:
    unknown_keys(raw, WORKSHEET_KEYS, "", out)
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
        out.add("phase", f"Unknown phase {phase!r}.", suggest(str(phase), PHASES))
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
    per_session = raw.get("per_session", False)
    if not isinstance(per_session, bool):
        out.add(
            "per_session",
            "per_session must be true or false.",
            "Write per_session: true to keep a separate copy for every session.",
        )
        per_session = False
    items = raw.get("fields")
    fields: tuple[Field, ...] = ()
    if not isinstance(items, list) or not items:
        out.add("fields", "The worksheet has no fields.", "Add fields: with at least one field.")
    else:
        built = [_field(item, join("fields", i), out, nested=False) for i, item in enumerate(items)]
        fields = tuple(f for f in built if f is not None)
        _check_ids(fields, items, "fields", out)
        _check_links(built, "fields", out)
    if out.problems:
        return None
    return Worksheet(
        id=str(ws_id),
        title=str(raw["title"]),
        version=version,
        mode="joint" if mode == "joint" else "individual",
        phase=str(phase),
        sessions=tuple(sessions),
        introduction=str(raw.get("introduction", "")),
        fields=fields,
        notes=str(raw.get("notes", "")),
        per_session=per_session,
    )


def load_worksheet(path: str | Path) -> Worksheet:
    """Load one worksheet file."""
    path = Path(path)
    text = read_spec_file(path)
    worksheet = parse_worksheet(text, str(path))
    # replace() passes only the dataclass fields: rebuilding from __dict__ would also pass
    # a cached property such as answer_fields, which __init__ refuses.
    return replace(worksheet, source=str(path))


PROGRAMME_PLAN_FILE = "programme.yaml"
"""The programme plan sits beside the worksheets but is not one (see mentorkit.programme.plan)."""
SETTINGS_FILE = "settings.yaml"
"""Nor are the programme settings (see mentorkit.programme.settings)."""


def spec_files(folder: str | Path) -> list[Path]:
    """The worksheet files in a folder (or the one file named), in name order."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    return sorted(
        p
        for p in folder.glob("*.y*ml")
        if p.suffix in (".yaml", ".yml") and p.name not in (PROGRAMME_PLAN_FILE, SETTINGS_FILE)
    )


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
