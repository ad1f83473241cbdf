"""The look of the apps outside Voila. Served pages get mentorkit's one stylesheet from
mentorkit's Voila template; a notebook opened in JupyterLab gets the same file from here."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from mentorkit.core.signin import under_voila

STYLESHEET = (
    Path(__file__).resolve().parents[2] / "server/jupyter/voila/templates/mentorkit/mentorkit.css"
)
"""The one stylesheet (it sits in the template's folder, where Voila reads it)."""


def css() -> str:
    """The stylesheet's text."""
    return STYLESHEET.read_text("utf-8")


def stylesheet() -> w.HTML:
    """A widget carrying the stylesheet where the page's template has not (outside Voila);
    empty under Voila."""
    if under_voila():
        return w.HTML("")
    return w.HTML(f"<style>{css()}</style>")
