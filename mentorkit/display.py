"""Answers as plain text for reading: option labels instead of codes, dates spelled out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .fieldtypes import NOT_APPLICABLE
from .spec import Field


def answer_text(field: Field, value: Any) -> str:
    """A stored answer as a person would read it ("" when unanswered)."""
    if value is None or value == "" or value == []:
        return ""
    labels = {o.value: o.label for o in field.options}
    if field.type == "choice":
        return labels.get(value, str(value))
    if field.type == "multichoice":
        return ", ".join(labels.get(v, str(v)) for v in value)
    if field.type == "yesno":
        return "Yes" if value else "No"
    if field.type == "date":
        try:
            return dt.date.fromisoformat(value).strftime("%d %B %Y").lstrip("0")
        except ValueError:
            return str(value)
    if field.type == "rating":
        if value == NOT_APPLICABLE:
            return "Not applicable"
        anchor = field.anchors.get(value)
        return f"{value} of {field.points}" + (f" ({anchor})" if anchor else "")
    if field.type == "group":
        parts = []
        for number, item in enumerate(value, start=1):
            bits = [answer_text(sub, item.get(sub.id)) for sub in field.fields]
            parts.append(f"{number}. " + "; ".join(b for b in bits if b))
        return "\n".join(parts)
    return str(value)
