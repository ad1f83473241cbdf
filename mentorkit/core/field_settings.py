"""The settings a field type accepts in YAML (``min_length``, ``options``, ``points``...), each
read into the field's settings with a message for the trainer (what is wrong, how to fix it)
when it does not fit. The field types' table is in :mod:`mentorkit.core.fieldtypes`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentorkit.core.spec import Option

Report = Callable[[str, str, str], None]
"""report(key, what is wrong, how to fix it) — key is relative to the field."""


# --- helpers -----------------------------------------------------------------------------


def _int_setting(raw: dict, key: str, report: Report, minimum: int = 0) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        report(
            key, f"{key} must be a whole number of at least {minimum}.", f"Write e.g. {key}: 500"
        )
        return None
    return value


def _number_setting(raw: dict, key: str, report: Report) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        report(key, f"{key} must be a number.", f"Write e.g. {key}: 10")
        return None
    return value


def _bool_setting(raw: dict, key: str, report: Report, default: bool = False) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        report(key, f"{key} must be true or false.", f"Write {key}: true or {key}: false")
        return default
    return value


def length_settings(raw: dict, report: Report) -> dict[str, Any]:
    low = _int_setting(raw, "min_length", report)
    high = _int_setting(raw, "max_length", report, minimum=1)
    settings = {
        "min_length": low,
        "max_length": high,
        "placeholder": str(raw.get("placeholder", "")),
    }
    if low is not None and high is not None and low > high:
        report("min_length", "min_length is larger than max_length.", "Make min_length smaller.")
    return settings


def _options(raw: dict, report: Report) -> tuple[Option, ...]:
    items = raw.get("options")
    if not isinstance(items, list) or not items:
        report("options", "A choice field needs a list of options.", "Add options: [First, Second]")
        return ()
    options: list[Option] = []
    for index, item in enumerate(items):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            options.append(Option(str(item), str(item)))
        elif isinstance(item, bool) or (
            isinstance(item, dict) and isinstance(item.get("value"), bool)
        ):
            report(
                f"options[{index}]",
                "YAML reads yes, no, on and off without quotes as true or false, not as text.",
                "Put quotes round it: - 'yes', or {value: 'no', label: No}",
            )
        elif isinstance(item, dict) and set(item) <= {"value", "label"} and "value" in item:
            options.append(Option(str(item["value"]), str(item.get("label", item["value"]))))
        else:
            report(
                f"options[{index}]",
                "An option must be text, or a mapping with value and label.",
                "Write - Management, or - {value: mgmt, label: Management}",
            )
    values = [o.value for o in options]
    for value in {v for v in values if values.count(v) > 1}:
        report("options", f"The option {value!r} appears more than once.", "Remove the repeat.")
    return tuple(options)


# --- the types ---------------------------------------------------------------------------


def no_settings(raw: dict, report: Report) -> dict[str, Any]:
    return {}


def number_settings(raw: dict, report: Report) -> dict[str, Any]:
    settings = {
        "minimum": _number_setting(raw, "minimum", report),
        "maximum": _number_setting(raw, "maximum", report),
        "integer": _bool_setting(raw, "integer", report),
    }
    low, high = settings["minimum"], settings["maximum"]
    if low is not None and high is not None and low > high:
        report("minimum", "minimum is larger than maximum.", "Swap them or correct one.")
    return settings


def date_settings(raw: dict, report: Report) -> dict[str, Any]:
    # The loader checks that the named field exists and is a date.
    other = raw.get("not_before")
    if other is not None and not isinstance(other, str):
        report(
            "not_before", "not_before must name another date field.", "Write not_before: start_date"
        )
        return {}
    return {"not_before": other}


OPTIONS_FROM = {"later_sessions": "the programme plan's sessions after the first"}
"""What ``options_from`` may name, and what each gives. Until the plan is read (see
mentorkit.programme.kit_specs), later_sessions offers sessions 2 to 6, as with no plan."""


def choice_settings(raw: dict, report: Report) -> dict[str, Any]:
    source = raw.get("options_from")
    if source is not None:
        if source not in OPTIONS_FROM:
            report(
                "options_from",
                f"options_from is {source!r}.",
                "Write options_from: later_sessions (the plan's sessions after the first), "
                "or give options: yourself.",
            )
        elif "options" in raw:
            report(
                "options",
                "The field has both options and options_from.",
                "Keep one: options_from fills the options from the programme plan.",
            )
        return {
            "options": tuple(Option(str(n), f"Session {n}") for n in range(2, 7)),
            "options_from": str(source),
            "allow_other": _bool_setting(raw, "allow_other", report),
        }
    return {
        "options": _options(raw, report),
        "allow_other": _bool_setting(raw, "allow_other", report),
    }


def rating_settings(raw: dict, report: Report) -> dict[str, Any]:
    points = _int_setting(raw, "points", report, minimum=2)
    anchors_raw = raw.get("anchors", {}) or {}
    anchors: dict[int, str] = {}
    if not isinstance(anchors_raw, dict):
        report(
            "anchors", "anchors must map points to labels.", "Write anchors: {1: Not yet, 5: Fully}"
        )
    else:
        for key, label in anchors_raw.items():
            if isinstance(key, bool) or not isinstance(key, int):
                report(
                    f"anchors.{key}", "An anchor's key must be a point number.", "Write 1: Not yet"
                )
            elif points is not None and not 1 <= key <= points:
                report(
                    f"anchors.{key}",
                    f"Point {key} is outside 1..{points}.",
                    "Use a point on the scale.",
                )
            else:
                anchors[key] = str(label)
    return {
        "points": points or 5,
        "anchors": anchors,
        "not_applicable": _bool_setting(raw, "not_applicable", report),
    }


def group_settings(raw: dict, report: Report) -> dict[str, Any]:
    # Sub-fields are built by the loader (it owns paths and lines); only the counts are here.
    low = _int_setting(raw, "min_items", report) or 0
    high = _int_setting(raw, "max_items", report, minimum=1)
    settings: dict[str, Any] = {
        "min_items": low,
        "max_items": high,
        "item_label": str(raw.get("item_label", "Item")),
        "starters": _starters(raw, report),
        "shared_when": _name_setting(raw, "shared_when", report),
        "required_any": _names_setting(raw, "required_any", report),
    }
    if high is not None and low > high:
        report("min_items", "min_items is larger than max_items.", "Make min_items smaller.")
    return settings


def _name_setting(raw: dict, key: str, report: Report) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        report(key, f"{key} must name a sub-field.", f"Write {key}: share")
        return None
    return value


def _names_setting(raw: dict, key: str, report: Report) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(key, f"{key} must be a list of sub-field ids.", f"Write {key}: [happened, learned]")
        return ()
    return tuple(value)


def _starters(raw: dict, report: Report) -> tuple[str, ...]:
    starters = raw.get("starters", [])
    if not isinstance(starters, list) or not all(
        isinstance(s, str) and s.strip() for s in starters
    ):
        report(
            "starters",
            "starters must be a list of short texts.",
            "Write starters: [Goals, Deadlines]; each fills the item's first field.",
        )
        return ()
    return tuple(starters)


def guidance_settings(raw: dict, report: Report) -> dict[str, Any]:
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        report("text", "A guidance block needs some text.", "Add text: | followed by Markdown.")
        return {"text": ""}
    return {"text": text}


LENGTH_KEYS = frozenset({"min_length", "max_length", "placeholder"})
