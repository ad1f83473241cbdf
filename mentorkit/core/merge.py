"""Three-way merging of worksheet answers, field by field and, in lists, item by item.

Pure functions over plain dicts, so the rules can be tested without widgets: a field only one
side changed takes that side's value; a field both changed to the same value is fine; a
field both changed differently is a conflict, and nobody's value is dropped. Lists of items
that carry an ``_id`` (repeating groups) merge item by item, so two people adding items at
the same time both keep theirs; plain mappings (a goal plan) merge key by key, so nested
lists of items inside them merge item by item too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class MergeResult:
    """Values to adopt locally, and conflicts as field id -> (mine, theirs)."""

    adopt: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)


class _Clash(Exception):
    """Both sides changed the same thing differently."""


def _three_way(was: Any, ours: Any, other: Any) -> Any:
    if other in (was, ours):
        return ours
    if ours == was:
        return other
    if all(_is_item_list(v) for v in (was, ours, other)):
        return _merge_items(was or [], ours or [], other or [])
    if all(v is None or isinstance(v, dict) for v in (was, ours, other)):
        return _merge_mapping(was or {}, ours or {}, other or {})
    raise _Clash


def _merge_mapping(was: dict, ours: dict, other: dict) -> dict:
    keys = sorted(set(was) | set(ours) | set(other))
    return {k: _three_way(was.get(k), ours.get(k), other.get(k)) for k in keys}


def _is_item_list(value: Any) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(i, dict) and "_id" in i for i in value)
    )


def _merge_item(was: dict | None, ours: dict | None, other: dict | None) -> dict | None:
    if was is None:
        if ours is None or other is None:  # added on one side only
            return ours if ours is not None else other
        return _merge_mapping({}, ours, other)  # both added it (an id both sides derive)
    if ours is None:  # I removed it
        if other != was:
            raise _Clash
        return None
    if other is None:  # they removed it
        if ours != was:
            raise _Clash
        return None
    keys = set(was) | set(ours) | set(other)
    return {k: _three_way(was.get(k), ours.get(k), other.get(k)) for k in sorted(keys)}


def _merge_items(was: list[dict], ours: list[dict], other: list[dict]) -> list[dict] | None:
    before = {i["_id"]: i for i in was}
    mine = {i["_id"]: i for i in ours}
    theirs = {i["_id"]: i for i in other}
    order = [i["_id"] for i in other] + [i["_id"] for i in ours if i["_id"] not in theirs]
    order += [key for key in before if key not in order]
    merged = [_merge_item(before.get(k), mine.get(k), theirs.get(k)) for k in order]
    kept = [item for item in merged if item is not None]
    return kept or None


def merge(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> MergeResult:
    """Merge ``theirs`` (newly saved by someone else) into ``mine`` (on screen), both from ``base``."""
    result = MergeResult()
    for key in sorted(set(base) | set(mine) | set(theirs)):
        was, ours, other = base.get(key), mine.get(key), theirs.get(key)
        try:
            merged = _three_way(was, ours, other)
        except _Clash:
            result.conflicts[key] = (ours, other)
            continue
        if merged != ours:
            result.adopt[key] = merged
    return result
