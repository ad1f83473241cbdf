"""Turning text into safe HTML: every piece of user or trainer text goes through here."""

from __future__ import annotations

import html
from functools import lru_cache


def escape(text: object) -> str:
    """HTML-escape any value for display as text."""
    return html.escape("" if text is None else str(text), quote=True)


@lru_cache(maxsize=1)
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def markdown(text: str) -> str:
    """Render Markdown to HTML; raw HTML in the source is shown as text, not run."""
    return _markdown()(text or "")
