"""Every chart is readable where people see it, checked from what matplotlib actually draws.

Each chart is drawn with the kit's own long names (the demo frameworks' domains and items,
the worksheets' titles, people's pair names, long goals) and checked for: text at least 9 pt
as a report prints it (160 mm wide, or what its caller asks, within an A4 page) and as a page
shows it (the 150-dpi PNG at its natural width, at most an 830 px column); nothing drawn
outside the figure; no two labels on top of each other; every name shown whole or given in
full in the key; colours from the colour-blind-safe palettes; and a text alternative that
says what the chart shows, with its values.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib import rc_context
from matplotlib.colors import ListedColormap, to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from mentorkit.io.charts import PALETTE, alt_text, figure_bytes, number_text
from mentorkit.io.charts.cohort import (
    COMPLETION_COLOURS,
    completion_heatmap,
    group_averages,
    progress_histogram,
)
from mentorkit.io.charts.goals import goal_progress_chart, goal_timeline
from mentorkit.io.charts.ratings import cohort_heatmap, gap_bars, radar
from mentorkit.programme.frameworks import load_frameworks

KIT = Path(__file__).resolve().parent.parent / "worksheets"
FRAMEWORKS = load_frameworks(KIT / "frameworks")
MENTOR = FRAMEWORKS["mentor-competencies"]
DOMAINS = [d.title for d in MENTOR.domains]
ITEMS = [item.text for d in MENTOR.domains for item in d.items]
ALL_DOMAINS = [d.title for framework in FRAMEWORKS.values() for d in framework.domains]
WORKSHEETS = [
    spec["title"]
    for spec in (yaml.safe_load(path.read_text("utf-8")) for path in sorted(KIT.glob("*.yaml")))
    if "fields" in spec
]
PAIRS = [
    "Amara Okafor & Benedikt Müller-Lüdenscheidt",
    "Zoë Papadopoulou & Ελένη Κωνσταντινίδου",
    "Peer pair: Siobhán Ní Bhriain & Oluwaseun Adebayo-Williams",
    "Group: Fran Fletcher, Jo Kim, Priya Raghunathan, Tomasz Wiśniewski",
    "Ana & Bo",
    "Maximilian Alexander von Hohenberg-Schwarzenfeld & Li Wei",
]
NAN = math.nan
TODAY = dt.date(2025, 3, 20)
SMALLEST = 9.0  # points
PNG_DPI = 150
COLUMN_PX = 830  # the widest a page shows a chart, in CSS pixels (96 to the inch)
PAGE_ROOM_MM = 297 - 18 - 20 - 4  # an A4 page's height less the report's margins

GOAL = "Speak up confidently in team meetings with senior stakeholders present"
OUTCOME = "Present the quarterly update to the leadership team without notes, then take questions"
PLAN = {
    "goals": [
        {
            "_id": "g1",
            "title": GOAL,
            "objectives": [
                {
                    "_id": "o1",
                    "outcome": OUTCOME,
                    "target": "2025-05-30",
                    "actions": [
                        {"_id": "a1", "what": "Book a slot", "due": "2025-03-01"},
                        {"_id": "a2", "due": "2025-03-10", "status": "in_progress"},
                        {"_id": "a3", "due": "2025-03-05", "status": "done"},
                        {"_id": "a4", "due": "2025-04-20"},
                    ],
                },
                {"_id": "o2", "outcome": "Ask one question per meeting"},
            ],
        },
        {
            "_id": "g2",
            "title": "Build a professional network beyond my own department",
            "objectives": [
                {
                    "_id": "o3",
                    "outcome": "Map the stakeholders who shape decisions about the budget",
                    "target": "2025-04-15",
                    "actions": [{"_id": "a6", "due": "2025-03-02", "status": "dropped"}],
                },
            ],
        },
    ]
}
CHECK_INS = [
    {"date": "2025-02-20", "progress": {"o1": {"percent": 20}, "o2": {"percent": 40}}},
    {"date": "2025-03-15", "progress": {"o1": {"percent": 60}, "o3": {"percent": 10}}},
]


def _matrix(rows: list[str], columns: list[str], values) -> pd.DataFrame:
    return pd.DataFrame(np.asarray(values, dtype=float), index=rows, columns=columns)


RNG = np.random.default_rng(17)
HEAT = _matrix(PAIRS, DOMAINS, np.round(RNG.uniform(1, 5, (len(PAIRS), len(DOMAINS))), 2))
HEAT.iloc[1, 2] = NAN
DONE = _matrix(PAIRS, WORKSHEETS, RNG.integers(0, 3, (len(PAIRS), len(WORKSHEETS))))
OWN = [3.5, 4.0, 2.5, 3.0, 4.5, 2.0, 3.0, NAN]
PARTNER = [3.0, 4.5, 3.0, 2.5, 4.0, 3.0, NAN, 4.0]
PARTNER_NAME = "Benedikt Müller-Lüdenscheidt's rating"
GROUPS = {
    ("Mentors", "Baseline"): [3.1, 3.5, 2.8, 3.9, 2.2, 3.0, 3.3, NAN],
    ("Mentors", "Follow-up"): [3.8, 4.1, 3.5, 4.0, 3.0, 3.6, 3.9, 3.2],
    ("Mentees", "Baseline"): [NAN, 2.5, 3.0, 3.2, 2.8, 2.9, 3.1, 2.7],
}
HIDDEN = {("Mentees", "Baseline"): [True] + [False] * 7}


@dataclass(frozen=True)
class Case:
    draw: Callable[[], Figure]
    names: tuple[str, ...]
    """Long names the chart shows: each whole, or shortened and given in full in its key."""
    alt: tuple[str, ...]
    """What its text alternative must say."""
    width_mm: float = 160
    """How wide the report that prints it makes it (Image.width_mm of its caller)."""


CASES = {
    "radar": Case(
        lambda: radar(
            DOMAINS,
            {"Own rating": OWN, PARTNER_NAME: PARTNER},
            "Amara Okafor: own view and partner's view (baseline)",
            5,
        ),
        (*DOMAINS, PARTNER_NAME),
        (
            "Radar chart",
            "Amara Okafor: own view and partner's view (baseline)",
            "8 domains",
            "Own rating: Comprehend 3.5, Relate 4.0",
            "Envision no rating",
            f"{PARTNER_NAME}: Comprehend 3.0",
        ),
    ),
    "radar-of-items": Case(
        lambda: radar(ITEMS[:11], {"Baseline": [2, 3, 4, 3, 2, 3, 4, 5, 3, 2, 4]}, "Items", 5),
        tuple(ITEMS[:11]),
        (f"{ITEMS[0]} 2.0", f"{ITEMS[10]} 4.0"),
    ),
    "radar-of-every-domain": Case(
        lambda: radar(ALL_DOMAINS, {"Own rating": [3.0] * len(ALL_DOMAINS)}, "Every domain", 5),
        tuple(ALL_DOMAINS),
        (f"{ALL_DOMAINS[-1]} 3.0",),
    ),
    "radar-two-domains": Case(
        lambda: radar(
            ["Communication", "Encourages independence and self-direction"],
            {"Baseline": [2, 3], "Follow-up": [3.5, NAN]},
            "Mentee competencies: own ratings",
            5,
        ),
        ("Encourages independence and self-direction",),
        (
            "Bar chart",
            "Follow-up: Communication 3.5, Encourages independence and self-direction no",
        ),
    ),
    "gap-bars": Case(
        lambda: gap_bars(ITEMS[:7], [0.5, -1, 0, 1.25, -0.25, NAN, 2], "Where the views differ"),
        tuple(ITEMS[:7]),
        (f"{ITEMS[0]} +0.5", f"{ITEMS[1]} \u22121.0", f"{ITEMS[5]} no rating", "Partner rates"),
    ),
    "cohort-heatmap": Case(
        lambda: cohort_heatmap(HEAT, "Mentor competencies", 5),
        (*PAIRS, *DOMAINS),
        (
            "Heatmap",
            f"{PAIRS[0]}: Comprehend {number_text(HEAT.iloc[0, 0])}",
            f"{PAIRS[1]}: ",
            "Facilitate no rating",
        ),
    ),
    "cohort-heatmap-of-items": Case(
        lambda: cohort_heatmap(HEAT.set_axis(ITEMS[: len(DOMAINS)], axis=1), "Items", 5),
        tuple(ITEMS[: len(DOMAINS)]),
        (ITEMS[0],),
    ),
    "completion-heatmap": Case(
        lambda: completion_heatmap(DONE),
        (*PAIRS, *WORKSHEETS),
        (
            "Heatmap",
            "6 relationships by 10 worksheets",
            f"{WORKSHEETS[0]}: {int((DONE.iloc[:, 0] == 2).sum())} complete",
            f"{PAIRS[0]}: {int((DONE.iloc[0] == 2).sum())} of 10 complete",
        ),
        width_mm=170,
    ),
    "completion-heatmap-of-a-big-programme": Case(
        lambda: completion_heatmap(
            _matrix(
                [f"{PAIRS[n % 6]} {n}" for n in range(80)],
                WORKSHEETS,
                RNG.integers(0, 3, (80, len(WORKSHEETS))),
            )
        ),
        tuple(WORKSHEETS),
        ("80 relationships",),
        width_mm=170,
    ),
    "group-averages": Case(
        lambda: group_averages(
            DOMAINS, GROUPS, "Mentor competencies: average self-ratings", 5, HIDDEN
        ),
        tuple(DOMAINS),
        (
            "Bar chart",
            "Mentors, baseline: Comprehend 3.1",
            "Envision no ratings",
            "Mentees, baseline: Comprehend fewer than 3 people, Relate 2.5",
        ),
    ),
    "group-averages-of-items": Case(
        lambda: group_averages(ITEMS[:8], GROUPS, "Items", 5, HIDDEN),
        tuple(ITEMS[:8]),
        (f"{ITEMS[1]} 3.5",),
    ),
    "progress-histogram": Case(
        lambda: progress_histogram([5, 15, 12, 95, 100, 47, 52]),
        (),
        ("Histogram", "7 relationships", "median 47%", "10\u201320%: 2", "90\u2013100%: 2"),
        width_mm=150,
    ),
    "goal-timeline": Case(
        lambda: goal_timeline(PLAN, TODAY, [dt.date(2025, 2, 20), dt.date(2025, 4, 10)]),
        (GOAL, OUTCOME),
        (
            "Timeline chart",
            f"Goal 1: {GOAL}",
            f"Objective 1.1 {OUTCOME}: target 30 May 2025",
            "action “Book a slot” due 1 Mar 2025, not started, overdue",
            "due 5 Mar 2025, done",
            "Objective 1.2 Ask one question per meeting: no dates yet",
            "today is 20 Mar 2025",
            "sessions on 20 Feb 2025, 10 Apr 2025",
            "2 actions are overdue",
        ),
    ),
    "goal-progress": Case(
        lambda: goal_progress_chart(PLAN, CHECK_INS),
        (GOAL,),
        (
            "Line chart",
            f"{GOAL}: 30% on 20 Feb 2025, 50% on 15 Mar 2025",
            "Build a professional network beyond my own department: 10% on 15 Mar 2025",
        ),
    ),
    "no-check-ins-yet": Case(
        lambda: goal_progress_chart(PLAN, []),
        (),
        ("Progress over time", "No check-ins yet"),
    ),
}


@dataclass
class Drawn:
    texts: list[tuple[Text, float, Bbox]]
    """Each text drawn (once, however many lines): its size in points and where it is
    (pixels, on the whole figure at 150 dpi)."""
    figure_box: Bbox
    png: tuple[int, int]
    """The PNG's size in pixels, as pages and reports get it (150 dpi, trimmed)."""


def _draw(figure: Figure) -> Drawn:
    png = figure_bytes(figure, "png")
    texts: dict[int, tuple[Text, float, Bbox]] = {}
    original = Text.draw

    def recording(self, renderer):
        if self.get_visible() and self.get_text().strip():
            texts[id(self)] = (self, self.get_fontsize(), self.get_window_extent(renderer))
        return original(self, renderer)

    Text.draw = recording
    try:
        with rc_context({"text.parse_math": False}):
            figure.savefig(io.BytesIO(), format="png", dpi=PNG_DPI)  # the whole figure, untrimmed
    finally:
        Text.draw = original
    width, height = figure.get_size_inches() * PNG_DPI
    box = Bbox.from_bounds(0, 0, width, height)
    return Drawn(list(texts.values()), box, struct.unpack(">II", png[16:24]))


@pytest.fixture(scope="module", params=sorted(CASES), ids=sorted(CASES))
def drawn(request) -> tuple[Case, Figure, Drawn]:
    case = CASES[request.param]
    figure = case.draw()
    return case, figure, _draw(figure)


def test_every_text_is_at_least_9_pt_as_drawn_printed_and_on_screen(drawn):
    case, _figure, seen = drawn
    width, height = (pixels / PNG_DPI for pixels in seen.png)  # inches
    printed = min(case.width_mm / 25.4 / width, PAGE_ROOM_MM / 25.4 / height)
    on_screen = PNG_DPI / 96 * min(1.0, COLUMN_PX / seen.png[0])  # CSS points per point
    small = [text.get_text() for text, size, _box in seen.texts if size < SMALLEST]
    assert not small
    smallest = min(size for _text, size, _box in seen.texts)
    assert smallest * printed >= SMALLEST, f"{smallest * printed:.1f} pt in the report"
    assert smallest * on_screen >= SMALLEST, f"{smallest * on_screen:.1f} pt on screen"


def test_no_text_sticks_out_of_the_figure(drawn):
    _case, _figure, seen = drawn
    inside = seen.figure_box.padded(1)
    outside = [
        text.get_text()
        for text, _size, box in seen.texts
        if not (inside.x0 <= box.x0 and box.x1 <= inside.x1)
        or not (inside.y0 <= box.y0 and box.y1 <= inside.y1)
    ]
    assert not outside


def test_no_text_overlaps_another(drawn):
    _case, _figure, seen = drawn
    clashes = [
        (a.get_text(), b.get_text())
        for i, (a, _s, box_a) in enumerate(seen.texts)
        for b, _t, box_b in seen.texts[i + 1 :]
        if box_a.shrunk(0.97, 0.85).overlaps(box_b.shrunk(0.97, 0.85))
    ]
    assert not clashes


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_long_name_is_shown_whole_or_in_full_in_the_key(drawn):
    case, _figure, seen = drawn
    shown = [_words(text.get_text()) for text, _size, _box in seen.texts]
    missing = [name for name in case.names if not any(_words(name) in text for text in shown)]
    assert not missing


def _neutral(colour) -> bool:
    red, green, blue, alpha = to_rgba(colour)
    return alpha == 0 or max(red, green, blue) - min(red, green, blue) < 0.03


def _colours(figure: Figure) -> set[str]:
    """Every colour the data is drawn in, less greys, black and white."""
    found = []
    for ax in figure.axes:
        for line in ax.get_lines():
            found += [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
        for patch in ax.patches:
            found += [patch.get_facecolor(), patch.get_edgecolor()]
    return {
        to_hex(colour, keep_alpha=False)
        for colour in found
        if not (isinstance(colour, str) and colour.lower() == "none") and not _neutral(colour)
    }


def test_colours_come_from_the_colour_blind_safe_palettes(drawn):
    _case, figure, _seen = drawn
    assert _colours(figure) <= {colour.lower() for colour in PALETTE}  # Okabe–Ito
    for ax in figure.axes:
        for image in ax.get_images():
            if isinstance(image.cmap, ListedColormap) and image.cmap.N <= 3:
                colours = [to_hex(image.cmap(i)) for i in range(image.cmap.N)]
                assert colours == [c.lower() for c in COMPLETION_COLOURS]
                assert {c for c in colours if not _neutral(c)} <= {c.lower() for c in PALETTE}
            else:
                assert image.cmap.name.split("_")[0] in ("viridis", "cividis")


def test_lines_differ_in_marker_and_dash_as_well_as_colour():
    for figure in (CASES["radar"].draw(), CASES["goal-progress"].draw()):
        lines = [line for line in figure.axes[0].get_lines() if line.get_label()[0] != "_"]
        first, second = lines[:2]
        assert first.get_color() != second.get_color()
        assert first.get_marker() != second.get_marker()
        assert first.get_linestyle() != second.get_linestyle()


def test_alt_text_says_what_the_chart_shows_with_its_values(drawn):
    case, figure, _seen = drawn
    text = alt_text(figure)
    assert "\n" not in text and "  " not in text
    missing = [part for part in case.alt if part not in text]
    assert not missing, text


def test_alt_text_keeps_peoples_words_as_typed():
    name = "Ben <b>$\\frac{a}{b}$</b> & Zoë"
    figure = radar(["A", "B", "C"], {name: [1, 2, 3]}, f"How {name} sees it", 5)
    assert alt_text(figure).startswith(f"Radar chart “How {name} sees it”: ")
    assert f"{name}: A 1.0, B 2.0, C 3.0." in alt_text(figure)  # callers escape it


def test_a_figure_drawn_elsewhere_has_a_plain_alt_text():
    assert alt_text(Figure()) == "Chart"


def test_a_big_programmes_completion_alt_text_counts_rather_than_lists():
    text = alt_text(CASES["completion-heatmap-of-a-big-programme"].draw())
    assert "By worksheet:" in text and "By relationship:" not in text
    assert "By relationship:" in alt_text(CASES["completion-heatmap"].draw())
