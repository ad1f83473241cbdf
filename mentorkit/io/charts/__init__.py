"""Charts for people, as matplotlib figures: the shared style and turning a figure into a file.

Every chart function (:mod:`.ratings`, :mod:`.goals`, :mod:`.cohort`) takes plain data and returns a
:class:`matplotlib.figure.Figure` built with the object API: no pyplot, no global state, nothing shown
on screen. That makes them safe inside a web server and in tests. Turn a figure into a file with
:func:`figure_bytes`.

A missing score (NaN) is never drawn as 0: it is left out of the line or bar, and the chart says
"no rating" where that helps. Colours come from the Okabe–Ito palette, which reads well for people
with colour-blindness; lines also differ by marker and dash.

This package imports matplotlib, so only pages that draw charts should import it; ``import
mentorkit`` stays free of it.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.text import Text

from mentorkit.exceptions import ConfigError

#: Okabe & Ito (2008) colour-blind-safe palette, in the order series use it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", "-.", ":")
HIGHER = "#0072B2"  # blue: the partner rates higher
LOWER = "#D55E00"  # vermilion: the partner rates lower
MISSING = "#E3E3E3"  # light grey: no rating
QUIET = "#555555"  # secondary text
HEATMAP_COLOURS = "viridis"
MINUS = "\u2212"  # a real minus sign, not a hyphen
DASH = "\u2013"  # shown in a heatmap cell with no rating
FORMATS = ("png", "svg")
PNG_DPI = 150


def wrap_label(text: str, width: int) -> str:
    """Break long text onto several lines so it fits beside a chart."""
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def as_floats(values: Sequence[float], count: int, what: str) -> np.ndarray:
    """Values as a float array (None becomes NaN), checked to have one per domain."""
    array = np.array([math.nan if v is None else v for v in values], dtype=float)
    if array.shape != (count,):
        raise ValueError(f"{what} has {array.size} values but there are {count} domains.")
    return array


def check_points(points: int) -> None:
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"A rating scale needs a whole number of points from 2 (got {points!r}).")


def series_style(index: int) -> dict[str, Any]:
    """Colour, marker and dash for the index-th series, so lines differ in more than colour."""
    return {
        "color": PALETTE[index % len(PALETTE)],
        "marker": MARKERS[index % len(MARKERS)],
        "linestyle": DASHES[index % len(DASHES)],
    }


def number_text(value: float, signed: bool = False) -> str:
    """One decimal place (halves round up), a true minus sign; ``signed`` adds + to positives."""
    text = str(Decimal(repr(abs(float(value)))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if value < 0 and text != "0.0":
        return MINUS + text
    if signed and value > 0 and text != "0.0":
        return "+" + text
    return text


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure as a file: ``"png"`` (150 dpi) or ``"svg"`` (any letter case)."""
    kind = str(fmt).strip().lower()
    if kind not in FORMATS:
        raise ConfigError(
            f"Charts can be saved as {' or '.join(FORMATS)}, not {fmt!r}. Choose one of those."
        )
    buffer = io.BytesIO()
    options: dict[str, Any] = {"format": kind, "bbox_inches": "tight", "facecolor": "white"}
    if kind == "png":
        options["dpi"] = PNG_DPI
    # People's text is text: a "$" in a name or a goal is never read as a formula (which
    # would draw it as maths, or fail to draw the chart at all).
    for text in figure.findobj(Text):
        text.set_parse_math(False)
    with rc_context({"text.parse_math": False}):  # tick labels are made while drawing
        figure.savefig(buffer, **options)
    return buffer.getvalue()


def clip_text(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, at a word break if one is near, with …."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:\u2014-") + "\u2026"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def message_figure(title: str, message: str, note: str = "") -> Figure:
    """A small figure that says, in its middle, why there is no chart yet."""
    figure = Figure(figsize=(8.0, 2.6), layout="constrained")
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(wrap_label(title, 60), fontsize=14)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=QUIET, wrap=True)
    if note:
        ax.text(0.5, 0.2, note, ha="center", va="center", fontsize=9, color=QUIET)
    return figure


# --- cohort figures (the facilitator's cohort page and report) ------------------------------
