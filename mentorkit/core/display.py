"""Answers as plain text for reading: option labels instead of codes, dates spelled out.

Each field type writes its own answers (``FieldType.text`` in :mod:`mentorkit.core.fieldtypes`,
required when a type is registered), so goal plans and session schedules read as sentences
in every export, never as raw data.
"""

from __future__ import annotations

from typing import Any

from mentorkit.core.fieldtypes import answer_text as _answer_text
from mentorkit.core.spec import Field


def answer_text(field: Field, value: Any) -> str:
    """A stored answer as a person would read it ("" when unanswered)."""
    return _answer_text(field, value)
