"""Which of a kit notebook's cells a person sees when it is served as a page, and its title.

A notebook is written for two readers: the people who use the page, and the trainer who
edits the kit. A markdown cell tagged ``trainer`` (how to edit the page, where its questions
live) is never served; one tagged ``facilitator`` (how to run it in a workshop) is served to
the programme's facilitator only. The first heading of the first markdown cell is the page's
title, shown once at the top of the page and in the browser's tab.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

TRAINER_TAG = "trainer"
"""Cells for whoever edits the kit: never shown on a served page."""
FACILITATOR_TAG = "facilitator"
"""Cells for the programme's facilitator only (workshop timings, what to watch for)."""

_HEADING = re.compile(r"^\s{0,3}#{1,2}\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


def tags_of(cell: Mapping[str, Any]) -> set[str]:
    """A cell's tags (an empty set when it has none)."""
    return set((cell.get("metadata") or {}).get("tags") or ())


def shown_cells(cells: Iterable[Mapping[str, Any]], facilitator: bool) -> list[Mapping[str, Any]]:
    """The cells a person sees: trainers' notes left out, facilitators' notes for the
    facilitator only."""
    shown = []
    for cell in cells:
        tags = tags_of(cell)
        if TRAINER_TAG in tags or (FACILITATOR_TAG in tags and not facilitator):
            continue
        shown.append(cell)
    return shown


def source_of(cell: Mapping[str, Any]) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def page_title(cells: Iterable[Mapping[str, Any]]) -> str:
    """The page's title: the first ``#`` or ``##`` heading of its first markdown cell ("" if
    it has none), as plain text (emphasis and links reduced to their words)."""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        match = _HEADING.search(source_of(cell))
        if match is None:
            return ""
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match["title"])
        return re.sub(r"[*_`]", "", title).strip()
    return ""
