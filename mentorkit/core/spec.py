"""What a worksheet is: its fields, their types and settings, as plain frozen dataclasses.

Loading and checking YAML lives in :mod:`mentorkit.core.spec_loader`; the per-type rules live in
:mod:`mentorkit.core.fieldtypes`. Nothing here touches disk or widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

from mentorkit.core.worksheet_ids import session_copy_id

VISIBILITIES = ("private", "relationship", "programme")
MODES = ("joint", "individual")
PHASES = {
    "articulate-purpose": "Articulate the purpose",
    "find-relationship": "Find the right relationship",
    "define-scope": "Define the scope",
    "implement-and-evaluate": "Implement and evaluate",
    "end-relationship": "End the relationship",
}
"""The five phases of a mentoring relationship (Cooper & Wheeler, 2007)."""


Visibility = Literal["private", "relationship", "programme"]
"""Who may read an answer: its writer, the people in the relationship, or the facilitator too."""
Mode = Literal["joint", "individual"]
"""A joint worksheet is one shared copy; an individual one is a copy per member."""


@dataclass(frozen=True)
class Option:
    """One choice offered by a single or multiple choice field."""

    value: str
    label: str


@dataclass(frozen=True)
class ShowIf:
    """Show a field only when another field's answer matches.

    Exactly one of ``equals``, ``any_of`` or ``answered`` is set.
    """

    field: str
    equals: Any = None
    any_of: tuple[Any, ...] | None = None
    answered: bool | None = None

    def holds(self, values: dict[str, Any]) -> bool:
        """True when the condition is met by ``values``."""
        value = values.get(self.field)
        if self.answered is not None:
            return is_answered(value) == self.answered
        if self.any_of is not None:
            if isinstance(value, list):
                return any(v in self.any_of for v in value)
            return value in self.any_of
        if isinstance(value, list):
            return self.equals in value
        return value == self.equals


@dataclass(frozen=True)
class Field:
    """One question (or a block of guidance) on a worksheet."""

    id: str
    type: str
    label: str = ""
    help: str = ""
    required: bool = False
    visibility: Visibility = "relationship"
    default: Any = None
    show_if: ShowIf | None = None
    # text and paragraph
    min_length: int | None = None
    max_length: int | None = None
    placeholder: str = ""
    # number
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    # single and multiple choice
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    options_from: str = ""
    """Where the options come from instead of ``options``: ``later_sessions`` (the programme
    plan's sessions after the first), filled in when the kit is read."""
    # rating scale
    points: int = 5
    anchors: dict[int, str] = field(default_factory=dict)
    not_applicable: bool = False
    show_anchors: bool = True  # set False where the page explains the scale once
    # repeating group
    fields: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    item_label: str = "Item"
    starters: tuple[str, ...] = ()
    shared_when: str | None = None  # a private group: items whose yes/no sub-field is true
    required_any: tuple[str, ...] = ()  # each item must answer at least one of these
    # date
    not_before: str | None = None
    # guidance
    text: str = ""

    @property
    def has_value(self) -> bool:
        """Guidance blocks hold no answer."""
        return self.type != "guidance"


@dataclass(frozen=True)
class Worksheet:
    """A worksheet: metadata plus an ordered tuple of fields."""

    id: str
    title: str
    version: int
    mode: Mode
    phase: str
    sessions: tuple[int, ...]
    introduction: str
    fields: tuple[Field, ...]
    notes: str = ""
    source: str = ""
    per_session: bool = False

    def for_session(self, number: int, title: str = "") -> Worksheet:
        """The copy of a per-session worksheet kept for session ``number`` (its own answers)."""
        label = f"Session {number}" + (f": {title}" if title else "")
        return replace(self, id=session_copy_id(self.id, number), title=f"{self.title} — {label}")

    def field(self, field_id: str) -> Field:
        """The top-level field with this id (KeyError if there is none)."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @cached_property
    def answer_fields(self) -> tuple[Field, ...]:
        """Fields that hold an answer (everything but guidance).

        Cached in the instance's ``__dict__``, so make a changed copy with
        ``dataclasses.replace(worksheet, ...)`` (which recomputes it), never with
        ``Worksheet(**worksheet.__dict__)``."""
        return tuple(f for f in self.fields if f.has_value)

    def visible_fields(self, values: dict[str, Any]) -> tuple[Field, ...]:
        """Answer fields whose show-if condition holds for ``values``."""
        return tuple(f for f in self.answer_fields if f.show_if is None or f.show_if.holds(values))

    def visibility_of(self, field_id: str) -> str:
        """The visibility of a top-level field."""
        return self.field(field_id).visibility

    def completion(self, values: dict[str, Any]) -> tuple[int, int]:
        """(answered, counted): required visible fields, or all visible fields if none is required."""
        shown = self.visible_fields(values)
        counted = [f for f in shown if f.required] or list(shown)
        return sum(1 for f in counted if is_answered(values.get(f.id))), len(counted)


def is_answered(value: Any) -> bool:
    """True when a stored value counts as an answer (not None, not blank, not empty)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, tuple, dict)):
        return len(value) > 0
    return True
