"""Three-way merging of worksheet answers, field by field.

Pure functions over plain dicts, so the rules can be tested without widgets: a field only one
side changed takes that side's value; a field both changed to the same value is fine; a
field both changed differently is a conflict, and nobody's value is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class MergeResult:
    """Values to adopt locally, and conflicts as field id -> (mine, theirs)."""

    adopt: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def merge(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> MergeResult:
    """Merge ``theirs`` (newly saved by someone else) into ``mine`` (on screen), both from ``base``."""
    result = MergeResult()
    for key in sorted(set(base) | set(mine) | set(theirs)):
        was, ours, other = base.get(key), mine.get(key), theirs.get(key)
        if other in (was, ours):
            continue
        if ours == was:
            result.adopt[key] = other
        else:
            result.conflicts[key] = (ours, other)
    return result
