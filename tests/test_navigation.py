"""Drawing another app in place: which addresses are followed, how a notebook is run, and
leaving a page (its pending saves made, its timers stopped)."""

from __future__ import annotations

import json

import ipywidgets as w
import pytest

from mentorkit.ui.apps.navigation import APP_ADDRESS, run_notebook
from mentorkit.ui.forms import timing


@pytest.mark.parametrize(
    "address",
    [
        "/voila/render/home.ipynb",
        "/voila/render/getting-to-know-each-other.ipynb?relationship=3",
        "/voila/render/session-notes.ipynb?relationship=1&session=2",
    ],
)
def test_app_addresses_are_followed(address):
    assert APP_ADDRESS.fullmatch(address)


@pytest.mark.parametrize(
    "address",
    [
        "/etc/passwd",
        "/voila/render/../secret.ipynb",
        "/voila/render/sub/home.ipynb",
        "https://evil.example/voila/render/home.ipynb",
        "/voila/files/home.ipynb",
        "/voila/render/home.py",
    ],
)
def test_other_addresses_are_not(address):
    assert APP_ADDRESS.fullmatch(address) is None


def notebook(tmp_path, cells):
    path = tmp_path / "page.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    return path


def test_a_notebook_is_drawn_as_voila_would(tmp_path):
    path = notebook(
        tmp_path,
        [
            {"cell_type": "markdown", "source": ["# Session 1\n", "Talk *first*."]},
            {"cell_type": "code", "source": ["import ipywidgets as w\n", "x = 2"]},
            {"cell_type": "code", "source": ["w.Text(value=str(x * 21))"]},
            {"cell_type": "markdown", "source": [""]},
        ],
    )
    drawn = run_notebook(path)
    assert [type(widget) for widget in drawn] == [w.HTML, w.Text]
    assert "<h1>Session 1</h1>" in drawn[0].value and "<em>first</em>" in drawn[0].value
    assert drawn[1].value == "42"


def test_leaving_a_page_makes_its_pending_saves_and_stops_its_timers():
    saved = []
    autosave = timing.Debouncer(10.0, lambda: saved.append("saved"))
    sync = timing.Repeater(5.0, lambda: saved.append("synced"))
    autosave.poke()
    idle = timing.Debouncer(10.0, lambda: saved.append("never"))
    timing.leave_page()
    assert saved == ["saved"]
    assert not autosave.pending and not idle.pending
    assert sync.stopped
    sync.start()  # a stopped repeater stays stopped
    assert sync._handle is None
