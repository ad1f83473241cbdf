"""Helpers for drawing app pages headlessly in tests."""

from __future__ import annotations

import html

import ipywidgets as w


def text_of(widget: w.Widget) -> str:
    """All HTML text in a widget tree, unescaped."""
    parts = [html.unescape(widget.value) if isinstance(widget, w.HTML) else ""]
    for child in getattr(widget, "children", ()):
        parts.append(text_of(child))
    return "\n".join(p for p in parts if isinstance(p, str))


def sign_in_as(monkeypatch, demo: dict[str, str], name: str) -> None:
    """Pages drawn from now on are drawn for ``name``."""
    monkeypatch.setenv("MENTORKIT_CODE", demo[name])
