"""Text made safe for where it goes: HTML for pages, and cells for spreadsheets.

Every piece of user or trainer text shown on a page goes through :func:`escape` or
:func:`markdown`; every cell of every table mentorkit writes (CSV or Excel) goes through
:func:`neutralise`, and every import refuses a name or email for which
:func:`looks_like_formula` is true.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets."""


def escape(text: object) -> str:
    """HTML-escape any value for display as text."""
    return html.escape("" if text is None else str(text), quote=True)


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(text: object) -> str:
    """Make user text safe to mix into Markdown: it shows exactly as typed, on one line.

    Every ASCII punctuation mark is backslash-escaped (so no link, image, emphasis or HTML
    in it takes effect) and line breaks become spaces (so it cannot start a heading or list).
    """
    words = ("" if text is None else str(text)).split()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(words))


@lru_cache(maxsize=1)
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def markdown(text: str) -> str:
    """Render Markdown to HTML; raw HTML in the source is shown as text, not run."""
    return _markdown()(text or "")


def neutralise(value: object) -> str:
    """A cell for a table (CSV or Excel) that a spreadsheet shows as text: a leading ``=``,
    ``+``, ``-``, ``@``, tab or carriage return gets an apostrophe in front, so it is never
    run as a formula. None becomes an empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def looks_like_formula(text: str) -> bool:
    """Whether ``text``, with surrounding white space removed, starts like a formula (the
    imports refuse such names and emails rather than keep them)."""
    return str(text).strip().startswith(FORMULA_STARTS)


def count_of(count: float, one: str, many: str | None = None) -> str:
    """A count with its noun agreeing: "1 hour", "2 hours", "1.5 hours", "0 sessions"."""
    shown = f"{count:,.1f}".rstrip("0").rstrip(".") if count % 1 else f"{count:,.0f}"
    return f"{shown} {one if count == 1 else many or one + 's'}"
