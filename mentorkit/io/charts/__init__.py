"""Charts for people, as matplotlib figures: the shared style and turning a figure into a file.

Every chart function (:mod:`.ratings`, :mod:`.goals`, :mod:`.cohort`) takes plain data and returns a
:class:`matplotlib.figure.Figure` built with the object API: no pyplot, no global state, nothing shown
on screen. That makes them safe inside a web server and in tests. Turn a figure into a file with
:func:`figure_bytes`.

A missing score (NaN) is never drawn as 0: it is left out of the line or bar, and the chart says
"no rating" where that helps. Colours come from the Okabe–Ito palette, which reads well for people
with colour-blindness; lines also differ by marker and dash.

Every chart is readable where people see it. A chart is drawn at most :data:`CHART_WIDTH` wide
and :data:`CHART_HEIGHT` tall, the size a report prints it at (160 mm, within an A4 page), so no
text is shrunk below the size it is drawn at, and none is drawn smaller than :data:`TEXT_SIZE`
(9 pt); on screen, a page shows the PNG at its natural width or at most a column of about 830
px, which shows it larger still. Long names are wrapped to the room they have, measured as
drawn; a name that would still take too many lines is shortened with a number, such as
"Understands how the programme's formal… [1]", and given in full in a key under the chart.

Every figure also carries its text alternative, a plain-English sentence or two saying what it
shows and its values: read it with :func:`alt_text` (people's names in it are plain text, so
escape it where it goes into HTML).

This package imports matplotlib, so only pages that draw charts should import it; ``import
mentorkit`` stays free of it.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure, FigureBase
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
ELLIPSIS = "\u2026"
FORMATS = ("png", "svg")
PNG_DPI = 150

CHART_WIDTH = 6.0
"""Inches. No chart is wider: a report prints charts 160 mm (6.3 in) wide, so nothing is shrunk
there, and a page's ~830 px column shows the 150-dpi PNG larger than that."""
CHART_HEIGHT = 9.6
"""Inches. No chart is taller (unless a programme is too big for a page), so a PDF page, with
255 mm of room, never shrinks one to fit."""
TEXT_SIZE = 9.0
"""Points: the smallest text on any chart (notes, legends, keys, values in bars and cells)."""
LABEL_SIZE = 10.0
"""Points: tick labels and axis labels."""
TITLE_SIZE = 12.0
"""Points: chart titles."""
LINE_INCHES = 1.2 / 72
"""A line of text takes 1.2 times its size in points."""


@functools.lru_cache(maxsize=1)
def _font():
    """The font charts are drawn in (matplotlib's default), to measure text with."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    return get_font(findfont(FontProperties()))


@functools.lru_cache(maxsize=2048)
def _advance(char: str) -> float:
    """How far one character moves the pen at 1 pt, in points (unhinted, as drawn large)."""
    from matplotlib import ft2font

    flags = getattr(ft2font, "LoadFlags", None)  # matplotlib 3.10 on
    unhinted = flags.NO_HINTING if flags else getattr(ft2font, "LOAD_NO_HINTING")  # noqa: B009
    font = _font()
    font.set_size(100, 72)
    return font.load_char(ord(char), flags=unhinted).linearHoriAdvance / 65536 / 100


def text_inches(text: str, size: float = TEXT_SIZE) -> float:
    """How wide ``text`` is drawn at ``size`` points (its widest line), in inches.

    Summed from each character's width, which is quick enough to measure every name on a
    chart many times over, with 3 % to spare for the small rounding of drawn text."""
    widest = max(sum(_advance(char) for char in line) for line in str(text).split("\n"))
    return widest * size * 1.03 / 72


def wrap_inches(text: str, inches: float, size: float = TEXT_SIZE) -> list[str]:
    """``text`` broken into lines no wider than ``inches`` when drawn at ``size`` points, at
    spaces where it can be (a word too long for a line is broken inside)."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        trial = f"{current} {word}" if current else word
        if text_inches(trial, size) <= inches:
            current = trial
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and text_inches(word, size) > inches:
            cut = 1
            while text_inches(word[: cut + 1], size) <= inches:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [str(text).strip()]


def fit_text(text: str, inches: float, size: float = TEXT_SIZE) -> str:
    """``text`` wrapped to ``inches`` at ``size`` points, as one string with line breaks."""
    return "\n".join(wrap_inches(text, inches, size))


def short_labels(
    names: Sequence[str], inches: float, size: float, lines: int, first: int = 1
) -> tuple[list[str], list[str]]:
    """Labels for ``names``, each wrapped to ``inches`` at ``size`` points, and the key for
    those that need more than ``lines`` lines.

    A name that fits is shown whole. One that does not keeps its first lines, ends with "…"
    and a number ("… [1]", counting from ``first``), and the key gives it in full ("[1] …"),
    so that no name is cut off without saying what it was.
    """
    labels: list[str] = []
    key: list[str] = []
    for name in names:
        wrapped = wrap_inches(name, inches, size)
        if len(wrapped) <= lines:
            labels.append("\n".join(wrapped))
            continue
        number = first + len(key)
        marker = f"{ELLIPSIS} [{number}]"
        last = wrapped[lines - 1]
        while last and text_inches(last.rstrip() + marker, size) > inches:
            last = last[:-1]
        if " " in last[len(last) // 2 :]:  # end at a word break when one is near
            last = last.rsplit(" ", 1)[0]
        last = last.rstrip(" ,;:\u2014-") + marker
        labels.append("\n".join([*wrapped[: lines - 1], last]))
        key.append(f"[{number}] {' '.join(str(name).split())}")
    return labels, key


def key_block(key: Sequence[str], width: float, heading: str = "In full:") -> tuple[str, float]:
    """The key of shortened names as text for a figure ``width`` inches wide, and its height."""
    if not key:
        return "", 0.0
    lines = [heading]
    for entry in key:
        first, *rest = wrap_inches(entry, width - 0.3, TEXT_SIZE)
        lines.append(first)
        lines += (
            ["    " + line for line in wrap_inches(" ".join(rest), width - 0.5)] if rest else []
        )
    return "\n".join(lines), len(lines) * TEXT_SIZE * LINE_INCHES + 0.15


def chart_figure(
    width: float, height: float, key: Sequence[str] = (), heading: str = "In full:"
) -> tuple[Figure, FigureBase]:
    """A figure for one chart ``width`` × ``height`` inches, and the panel to draw it in.

    With a ``key`` (from :func:`short_labels`) the figure grows by the key's height, the
    panel is its top part and the key is written under it.
    """
    text, key_height = key_block(key, width, heading)
    figure = Figure(figsize=(width, height + key_height), layout="constrained")
    if not text:
        return figure, figure
    grid = figure.add_gridspec(2, 1, height_ratios=[height, key_height])
    panel, foot = figure.add_subfigure(grid[0]), figure.add_subfigure(grid[1])
    foot.text(0.12 / width, 1.0, text, ha="left", va="top", fontsize=TEXT_SIZE, color="#222222")
    return figure, panel


def key_height(key: Sequence[str], width: float = CHART_WIDTH) -> float:
    """How much height (inches) the key of shortened names takes under a chart."""
    return key_block(key, width)[1]


def legend_columns(labels: Sequence[str], width: float, size: float = TEXT_SIZE) -> int:
    """How many columns a legend of ``labels`` takes across ``width`` inches."""
    if not labels:
        return 1
    column = max(text_inches(label, size) for label in labels) + 0.65  # with its line sample
    return max(1, min(len(labels), int((width - 0.3) // column)))


def chart_title(ax, title: str, width: float = CHART_WIDTH, **options: Any) -> None:
    """The chart's title above ``ax``, wrapped to the chart's ``width`` (inches)."""
    ax.set_title(fit_text(title, width - 0.3, TITLE_SIZE), fontsize=TITLE_SIZE, **options)


def describe(figure: Figure, text: str) -> Figure:
    """Give ``figure`` its text alternative (see :func:`alt_text`); returns the figure."""
    figure.mentorkit_alt_text = " ".join(str(text).split())  # type: ignore[attr-defined]
    return figure


def alt_text(figure: Figure) -> str:
    """The text alternative of a chart drawn here: one line of plain English saying what it
    shows, with its values, e.g. "Radar chart “Amara: own view (baseline)”: ratings from 1 to
    5 in 5 domains. Own rating: Relate 3.5, Listen 4.0, …". People's words in it are as they
    typed them: escape it where it goes into HTML. A figure drawn elsewhere gives "Chart"."""
    return str(getattr(figure, "mentorkit_alt_text", "") or "Chart")


def values_text(
    names: Sequence[str], values: Sequence[float] | np.ndarray, missing: str = "no rating"
) -> str:
    """Each name with its value, for alt texts: "Relate 3.5, Listen no rating, …"."""
    return ", ".join(
        f"{name} {missing if v is None or math.isnan(v) else number_text(v)}"
        for name, v in zip(names, values, strict=True)
    )


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


def message_figure(title: str, message: str, note: str = "") -> Figure:
    """A small figure that says, in its middle, why there is no chart yet (its alt text says
    the same)."""
    figure = Figure(figsize=(CHART_WIDTH, 2.4), layout="constrained")
    ax = figure.add_subplot()
    ax.set_axis_off()
    chart_title(ax, title)
    ax.text(
        0.5,
        0.55,
        fit_text(message, CHART_WIDTH - 0.6, 11),
        ha="center",
        va="center",
        fontsize=11,
        color=QUIET,
    )
    if note:
        ax.text(
            0.5,
            0.15,
            fit_text(note, CHART_WIDTH - 0.6, TEXT_SIZE),
            ha="center",
            va="center",
            fontsize=TEXT_SIZE,
            color=QUIET,
        )
    return describe(figure, f"Chart “{title}”: {message} {note}".strip())


def style_axes(ax, grid: str | None = None) -> None:
    """Tick labels at :data:`LABEL_SIZE`, no top or right spine, and a light grid (``"x"``,
    ``"y"`` or ``"both"``) behind the data."""
    ax.tick_params(labelsize=LABEL_SIZE)
    ax.xaxis.label.set_size(LABEL_SIZE)
    ax.yaxis.label.set_size(LABEL_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid:
        ax.grid(axis=grid, color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
