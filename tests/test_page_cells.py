"""What a served notebook shows each person: trainers' notes never, facilitators' notes to the
facilitator only, and one title, taken from the notebook's first heading."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from mentorkit.programme.page_cells import page_title, shown_cells
from mentorkit.server.chrome import prepare_page, waiting_text

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def cell(source: str, *tags: str, kind: str = "markdown") -> dict:
    return {"cell_type": kind, "metadata": {"tags": list(tags)} if tags else {}, "source": source}


def test_trainers_notes_are_never_shown_and_facilitators_notes_only_to_the_facilitator():
    cells = [
        cell("# Negotiating expectations\n\nSay what each of you expects."),
        cell("<details>Allow 30–40 minutes.</details>", "facilitator"),
        cell("*Trainers: the questions live in worksheets/…*", "trainer"),
        cell("worksheet('negotiating-expectations')", kind="code"),
    ]
    pair = [c["source"] for c in shown_cells(cells, facilitator=False)]
    facilitator = [c["source"] for c in shown_cells(cells, facilitator=True)]
    assert pair == [cells[0]["source"], cells[3]["source"]]
    assert facilitator == [cells[0]["source"], cells[1]["source"], cells[3]["source"]]


def test_the_title_is_the_first_heading_in_plain_words():
    assert page_title([cell("# Session 1: *Getting* to know [each other](x.ipynb)\n\nText")]) == (
        "Session 1: Getting to know each other"
    )
    assert page_title([cell("Just guidance, no heading"), cell("# Later")]) == ""
    assert page_title([cell("x = 1", kind="code"), cell("## Results ##")]) == "Results"


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_shipped_notebook_shows_trainers_notes_to_the_people_using_it(notebook):
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    for shown in shown_cells(cells, facilitator=False):
        text = "".join(shown["source"])
        assert "Trainers" not in text and "For facilitators" not in text, notebook.name
    title = page_title(shown_cells(cells, facilitator=False))
    assert title or notebook.name == "worksheet.ipynb", f"{notebook.name} has no # title"


def test_the_served_notebook_carries_the_header_and_leaves_out_what_the_person_may_not_see(
    demo, monkeypatch
):
    from pages import sign_in_as

    from mentorkit.core.signin import signed_in_person
    from mentorkit.ui.apps.common import open_store

    sign_in_as(monkeypatch, demo, "Amara Okafor")
    store = open_store()
    try:
        amara = signed_in_person(store)
        notebook = nbformat.read(NOTEBOOKS / "negotiating-expectations.ipynb", as_version=4)
        handler = SimpleNamespace(
            store=store,
            current_user=SimpleNamespace(username=str(amara.id)),
            request=SimpleNamespace(path="/voila/render/negotiating-expectations.ipynb"),
            xsrf_token=b"2|abc|def|1",
            settings={},  # a tornado handler's settings: no front-end bundle here
        )
        served = prepare_page(handler, notebook, str(NOTEBOOKS))
    finally:
        store.close()
    sources = "".join("".join(c.source) for c in served.cells)
    assert "For facilitators" not in sources and "Trainers" not in sources
    shown = served.metadata["mentorkit"]
    assert shown["title"] == "Negotiating expectations"
    assert shown["person"] == "Amara Okafor" and shown["xsrf"] == "2|abc|def|1"
    assert shown["waiting"] == "Preparing your worksheet…"
    assert served.metadata["title"] == "Negotiating expectations · Demo mentoring programme"


def test_each_kind_of_page_says_what_it_is_preparing():
    assert waiting_text("home") == "Preparing your home page…"
    assert waiting_text("dashboard") == "Preparing the dashboard…"
    assert waiting_text("closure") == "Preparing your worksheet…"
