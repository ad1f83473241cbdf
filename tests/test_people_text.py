"""People's text is text: a name (or answer) with Markdown or HTML in it is shown exactly as
typed on every page, never turned into an image, a link or formatting."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest
from pages import sign_in_as, text_of

from mentorkit.core import access, paths
from mentorkit.core.paths import database_path
from mentorkit.core.store import Store
from mentorkit.core.text import markdown, markdown_escape
from mentorkit.programme import ratings
from mentorkit.programme.kit_specs import load_specs
from mentorkit.ui import apps

EVIL = "![x](http://evil.example/x.png) [click](http://evil.example) <b>bold</b> **star**"
PLAIN = "Ada Plain"


def raw_html(widget: w.Widget) -> str:
    """Every piece of HTML a page sends to the browser (HTML widgets, and descriptions a
    widget is allowed to show as HTML)."""
    parts = [widget.value] if isinstance(widget, (w.HTML, w.HTMLMath)) else []
    if getattr(widget, "description_allow_html", False):
        parts.append(widget.description)
    for child in getattr(widget, "children", ()):
        parts.append(raw_html(child))
    return "\n".join(parts)


def assert_shown_as_text(page: w.Widget) -> None:
    markup = raw_html(page)
    assert not re.search(r'<img[^>]*src="(?!data:)', markup), "an image from another host"
    assert not re.search(r'(href|src)="[^"]*evil', markup), "a live link"
    assert "<strong>star" not in markup and "<b>bold" not in markup
    assert EVIL in text_of(page)  # the literal text, as typed


def test_markdown_escape_keeps_every_mark_as_typed():
    for text in (EVIL, "# Ben", "1. Ann", "a_b_c `x` ~~y~~ | z |", "O'Brien & <Sons>", "$a$ \\"):
        rendered = markdown(f"Rate {markdown_escape(text)} today")
        assert rendered.startswith("<p>") and "<img" not in rendered and "<a " not in rendered
        assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == f"Rate {text} today"
    assert markdown_escape("two\nlines") == "two lines"


@pytest.fixture
def hostile(demo, shipped):
    """The demo programme plus a pair: a mentor named like Markdown, and Ada Plain; the
    mentor has raised expectations and both have rated each other."""
    store = Store(database_path())
    programme = store.programmes()[0]
    eve, eve_code = access.add_person(store, programme.id, EVIL)
    ada, ada_code = access.add_person(store, programme.id, PLAIN)
    pair = store.add_relationship(
        programme.id, "one-to-one", [(eve.id, "mentor"), (ada.id, "mentee")]
    )
    negotiation = shipped["negotiating-expectations"]
    store.save(
        negotiation,
        pair.id,
        eve.id,
        {
            "expectations": [
                {"_id": "e1", "_by": EVIL, "text": "Meet monthly", "outcome": "agreed"},
                {
                    "_id": "e2",
                    "_by": EVIL,
                    "text": "Shadowing",
                    "outcome": "later",
                    "later_session": "2",
                },
            ]
        },
        {},
    )
    for person in (eve, ada):
        for task in ratings.tasks_for(
            person, pair, load_specs(paths.worksheets_folder()).frameworks
        ):
            sheet = task.worksheet()
            answers = {f.id: 3 for f in sheet.fields if f.type == "rating"}
            store.save(sheet, pair.id, person.id, answers, {})
    store.close()
    return {**demo, EVIL: eve_code, PLAIN: ada_code, "pair": pair.id, "eve": eve.id}


def _partner_rating(hostile):
    sheet = ratings.worksheet_id("mentor-competencies", f"partner-{hostile['eve']}", "baseline")
    return f"relationship={hostile['pair']}&task={sheet}"


PAGES = [  # (who looks, the app, its link)
    (PLAIN, "home", ""),
    (PLAIN, "ratings_app", "relationship={pair}"),
    (PLAIN, "ratings_app", _partner_rating),
    (PLAIN, "results_app", "relationship={pair}"),
    (PLAIN, "agreement_app", "relationship={pair}"),
    (PLAIN, "schedule_app", "relationship={pair}"),
    (PLAIN, "session_notes_app", "relationship={pair}&session=2"),
    (PLAIN, "portfolio_app", "relationship={pair}"),
    (PLAIN, "negotiating-expectations", "relationship={pair}"),
    (PLAIN, "reflection-journal", "relationship={pair}"),
    (PLAIN, "reflection-journal", "relationship={pair}&person={eve}"),
    (EVIL, "home", ""),
    (EVIL, "getting-to-know-each-other", "relationship={pair}"),
    ("Fran Fletcher", "home", ""),
    ("Fran Fletcher", "dashboard_app", ""),
]


@pytest.mark.parametrize(
    ("viewer", "app", "link"),
    PAGES,
    ids=[
        f"{'eve' if v == EVIL else v.split()[0].lower()}-{a}-{i}"
        for i, (v, a, _) in enumerate(PAGES)
    ],
)
def test_a_name_made_of_markup_shows_as_text(hostile, monkeypatch, viewer, app, link):
    sign_in_as(monkeypatch, hostile, viewer)
    query = link(hostile) if callable(link) else link.format(**hostile)
    monkeypatch.setenv("QUERY_STRING", query)
    page = getattr(apps, app)() if hasattr(apps, app) else apps.worksheet(app)
    assert "Sorry, this page cannot be shown" not in text_of(page)
    assert_shown_as_text(page)


def test_a_dollar_in_a_name_or_a_goal_is_drawn_as_typed():
    import datetime as dt

    import matplotlib

    from mentorkit.io.charts import figure_bytes
    from mentorkit.io.charts.goals import goal_timeline
    from mentorkit.io.charts.ratings import radar

    name = "Ben $\\frac{a}{b}$"
    radar = radar(["A", "B", "C"], {name: [1, 2, 3]}, f"How {name} sees it", 5)
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text kept as text in the SVG
        svg = figure_bytes(radar, "svg").decode()
    assert f"How {name} sees it" in svg and f">{name}<" in svg
    goal = {
        "_id": "g1",
        "title": "Learn $\\nosuchcommand$ maths",
        "objectives": [{"_id": "o1", "outcome": "Pass", "target": "2026-03-01", "actions": []}],
    }
    timeline = goal_timeline({"goals": [goal]}, dt.date(2026, 1, 1), [])
    assert figure_bytes(timeline, "png").startswith(b"\x89PNG")  # drawn, not refused


def test_counts_agree_with_their_nouns():
    from mentorkit.core.text import count_of

    assert [count_of(n, "hour") for n in (0, 1, 1.5, 2)] == [
        "0 hours",
        "1 hour",
        "1.5 hours",
        "2 hours",
    ]
    assert count_of(1, "relationship has", "relationships have") == "1 relationship has"
    assert count_of(1.0, "session") == "1 session"
