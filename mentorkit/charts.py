"""Charts of competency ratings, as matplotlib figures.

Every function takes plain data and returns a :class:`matplotlib.figure.Figure` built with the
object API: no pyplot, no global state, nothing shown on screen. That makes them safe inside a
web server and in tests. Turn a figure into a file with :func:`figure_bytes`.

A missing score (NaN) is never drawn as 0: it is left out of the line or bar, and the chart
says "no rating" where that helps. Colours come from the Okabe–Ito palette, which reads well
for people with colour-blindness; lines also differ by marker and dash.

This module imports matplotlib, so only pages that draw charts should import it;
``import mentorkit`` stays free of it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

from . import plans
from .exceptions import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMATS",
    "cohort_heatmap",
    "figure_bytes",
    "gap_bars",
    "goal_progress_chart",
    "goal_timeline",
    "radar",
]

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


def _wrap(text: str, width: int) -> str:
    """Break long text onto several lines so it fits beside a chart."""
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def _as_floats(values: Sequence[float], count: int, what: str) -> np.ndarray:
    """Values as a float array (None becomes NaN), checked to have one per domain."""
    array = np.array([math.nan if v is None else v for v in values], dtype=float)
    if array.shape != (count,):
        raise ValueError(f"{what} has {array.size} values but there are {count} domains.")
    return array


def _check_points(points: int) -> None:
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"A rating scale needs a whole number of points from 2 (got {points!r}).")


def _style(index: int) -> dict[str, object]:
    """Colour, marker and dash for the index-th series, so lines differ in more than colour."""
    return {
        "color": PALETTE[index % len(PALETTE)],
        "marker": MARKERS[index % len(MARKERS)],
        "linestyle": DASHES[index % len(DASHES)],
    }


def _series_label(name: str, domains: Sequence[str], values: np.ndarray) -> str:
    """The legend entry for one series, naming any domains it has no rating for."""
    missing = [str(domains[i]) for i in np.flatnonzero(np.isnan(values))]
    if not missing:
        return str(name)
    return f"{name} (no rating: {', '.join(missing)})"


def _number(value: float, signed: bool = False) -> str:
    """One decimal place (halves round up), a true minus sign; ``signed`` adds + to positives."""
    text = str(Decimal(repr(abs(float(value)))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if value < 0 and text != "0.0":
        return MINUS + text
    if signed and value > 0 and text != "0.0":
        return "+" + text
    return text


def _fill_runs(values: np.ndarray) -> list[list[int]]:
    """Runs of neighbouring rated domains around the circle, each as a list of indices."""
    count = len(values)
    rated = ~np.isnan(values)
    if rated.all():
        return [list(range(count))]
    start = int(np.flatnonzero(~rated)[0])  # begin at a gap so no run wraps past the start
    runs: list[list[int]] = []
    current: list[int] = []
    for step in range(1, count + 1):
        i = (start + step) % count
        if rated[i]:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def radar(
    domains: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    points: int,
) -> Figure:
    """A radar chart of ratings: one closed, lightly filled line per series.

    ``series`` maps a name ("You", "Your mentee", "Baseline" …) to one score per domain on a
    1..``points`` scale; NaN or None means no rating and leaves a gap in that line. With fewer
    than three domains a radar means little, so a grouped bar chart is drawn instead.
    """
    _check_points(points)
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    data = {str(name): _as_floats(v, len(domains), f"“{name}”") for name, v in series.items()}
    if len(domains) < 3:
        return _grouped_bars(domains, data, title, points)

    figure = Figure(figsize=(7.0, 7.0), layout="constrained")
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)  # first domain at the top
    ax.set_theta_direction(-1)  # then clockwise
    angles = np.linspace(0, 2 * math.pi, len(domains), endpoint=False)

    for index, (name, values) in enumerate(data.items()):
        style = _style(index)
        closed_angles = np.append(angles, angles[0])
        closed_values = np.append(values, values[0])
        ax.plot(
            closed_angles,
            closed_values,
            linewidth=2,
            markersize=6,
            label=_series_label(name, domains, values),
            **style,
        )
        for run in _fill_runs(values):
            if len(run) < 2:
                continue
            if len(run) == len(domains):  # every domain rated: fill the whole shape
                ax.fill(angles, values, color=style["color"], alpha=0.15, linewidth=0)
            else:  # fill only the wedges between rated neighbours, out from the centre
                ax.fill(
                    np.concatenate([[0.0], angles[run]]),
                    np.concatenate([[0.0], values[run]]),
                    color=style["color"],
                    alpha=0.15,
                    linewidth=0,
                )

    ax.set_ylim(0, points)
    ax.set_yticks(range(1, points + 1))
    numbers = ax.set_yticklabels([str(p) for p in range(1, points + 1)], color=QUIET, fontsize=9)
    for number in numbers:  # keep the scale readable where a line crosses it
        number.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    ax.set_rlabel_position(180 / len(domains))  # numbers sit between the first two domains
    ax.set_xticks(angles)
    labels = ax.set_xticklabels([_wrap(d, 18) for d in domains], fontsize=11)
    for label, angle in zip(labels, angles, strict=True):
        across, up = math.sin(angle), math.cos(angle)  # clockwise from the top
        label.set_horizontalalignment(
            "left" if across > 0.1 else "right" if across < -0.1 else "center"
        )
        label.set_verticalalignment("bottom" if up > 0.1 else "top" if up < -0.1 else "center")
    ax.tick_params(axis="x", pad=4)
    ax.grid(color="#BBBBBB", linewidth=0.8)
    ax.spines["polar"].set_color("#BBBBBB")
    ax.set_title(_wrap(title, 55), fontsize=14, pad=24)
    if data:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(len(data), 3),
            frameon=False,
            fontsize=10,
        )
    return figure


def _rating_bars_axis(
    ax,
    positions: np.ndarray,
    domains: Sequence[str],
    points: int,
    xlabel: str,
    title: str,
    fontsize: int,
    room: float = 0.5,
) -> None:
    """Dress an axis of horizontal rating bars: domains down the side (first at the top), the
    scale along the bottom with ``room`` past the top point for the value labels."""
    ax.set_yticks(positions, [_wrap(d, 24) for d in domains], fontsize=fontsize)
    ax.invert_yaxis()
    ax.set_xlim(0, points + room)
    ax.set_xticks(range(1, points + 1))
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_wrap(title, 60), fontsize=14)


def _grouped_bars(
    domains: list[str], data: dict[str, np.ndarray], title: str, points: int
) -> Figure:
    """Horizontal bars, one group per domain and one bar per series (the radar's fallback)."""
    count = max(len(data), 1)
    figure = Figure(figsize=(7.0, 1.6 + 0.55 * count * len(domains)), layout="constrained")
    ax = figure.add_subplot()
    height = 0.8 / count
    positions = np.arange(len(domains), dtype=float)
    for index, (name, values) in enumerate(data.items()):
        colour = PALETTE[index % len(PALETTE)]
        offsets = positions - 0.4 + height * (index + 0.5)
        rated = ~np.isnan(values)
        ax.barh(
            offsets[rated],
            values[rated],
            height=height * 0.9,
            color=colour,
            label=_series_label(name, domains, values),
        )
        for y, value in zip(offsets, values, strict=True):
            if np.isnan(value):
                ax.text(0.08, y, "no rating", va="center", ha="left", color=QUIET, style="italic")
            else:
                ax.text(value + 0.06, y, _number(value), va="center", ha="left", fontsize=9)
    _rating_bars_axis(ax, positions, domains, points, f"Rating (1 to {points})", title, 11)
    if data:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.25 if len(domains) == 1 else -0.15),
            ncols=min(len(data), 3),
            frameon=False,
        )
    return figure


def gap_bars(
    domains: Sequence[str],
    gaps: Sequence[float],
    title: str,
    left_label: str = "Partner rates lower",
    right_label: str = "Partner rates higher",
) -> Figure:
    """A diverging bar chart of differences between two sets of ratings, centred on 0.

    Positive gaps go right in blue, negative gaps go left in vermilion, each labelled with its
    value ("+0.5", "−1.0"). A NaN gap draws no bar and is labelled "no rating".
    """
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    values = _as_floats(gaps, len(domains), "gaps")
    rated = ~np.isnan(values)
    biggest = float(np.abs(values[rated]).max()) if rated.any() else 0.0
    limit = max(1.0, math.ceil(biggest * 2) / 2) * 1.25  # room for the value labels

    figure = Figure(figsize=(7.5, 1.8 + 0.5 * len(domains)), layout="constrained")
    ax = figure.add_subplot()
    positions = np.arange(len(domains), dtype=float)
    colours = [HIGHER if v > 0 else LOWER for v in values[rated]]
    ax.barh(positions[rated], values[rated], height=0.6, color=colours)
    pad = limit * 0.02
    for y, value in zip(positions, values, strict=True):
        if np.isnan(value):
            ax.text(pad, y, "no rating", va="center", ha="left", color=QUIET, style="italic")
        elif value < 0:
            ax.text(value - pad, y, _number(value, signed=True), va="center", ha="right")
        else:
            ax.text(value + pad, y, _number(value, signed=True), va="center", ha="left")
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlim(-limit, limit)
    ax.set_yticks(positions, [_wrap(d, 24) for d in domains], fontsize=11)
    ax.set_ylim(len(domains) - 0.5, -0.5)  # first domain at the top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _number(x, signed=True)))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    for x, text, align in (
        (0.0, f"\u2190 {left_label}", "left"),
        (1.0, f"{right_label} \u2192", "right"),
    ):
        ax.annotate(
            text,
            xy=(x, 0.0),
            xycoords="axes fraction",
            xytext=(0, -22),  # below the tick numbers
            textcoords="offset points",
            ha=align,
            va="top",
            fontsize=11,
        )
    ax.set_xlabel("Difference in rating", color=QUIET, labelpad=24)
    ax.set_title(_wrap(title, 60), fontsize=14)
    return figure


def cohort_heatmap(matrix: pd.DataFrame, title: str, points: int) -> Figure:
    """A grid of average ratings: people or groups down the side, domains across the top.

    The colour scale is fixed at 1..``points`` so charts can be compared. Each cell shows its
    value to one decimal place; a NaN cell is grey and marked "–" (no rating).
    """
    _check_points(points)
    values = matrix.to_numpy(dtype=float, na_value=np.nan)
    if values.size == 0:
        raise ValueError("There is nothing to chart: the table has no rows or no columns.")
    rows = [str(r) for r in matrix.index]
    columns = [str(c) for c in matrix.columns]
    longest = max(len(c) for c in columns)
    rotate = longest > 10 or len(columns) > 6

    width = min(16.0, 3.0 + 0.9 * len(columns) + 0.07 * max(len(r) for r in rows))
    height = min(16.0, 2.0 + 0.5 * len(rows) + (0.07 * longest if rotate else 0.0))
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    colours = _heatmap_colours()
    norm = Normalize(vmin=1, vmax=points)
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=colours, norm=norm, aspect="auto", interpolation="none"
    )

    for (row, column), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.text(column, row, DASH, ha="center", va="center", color=QUIET, fontsize=11)
            continue
        red, green, blue, _alpha = colours(norm(value))
        light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5
        ax.text(
            column,
            row,
            _number(value),
            ha="center",
            va="center",
            color="black" if light else "white",
            fontsize=10,
        )

    ax.set_xticks(range(len(columns)))
    if rotate:
        ax.set_xticklabels(columns, rotation=35, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticklabels(columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)

    bar = figure.colorbar(image, ax=ax, shrink=0.9)
    bar.set_label("Average rating")
    bar.locator = FixedLocator(range(1, points + 1))
    bar.update_ticks()
    bar.outline.set_visible(False)
    ax.set_title(_wrap(title, 60), fontsize=14)
    if np.isnan(values).any():
        ax.set_xlabel(f"{DASH} no rating", color=QUIET, loc="right", fontsize=9)
    return figure


def _heatmap_colours():
    """The heatmap colour map (viridis: colour-blind safe), with grey for missing cells."""
    from matplotlib import colormaps

    return colormaps[HEATMAP_COLOURS].with_extremes(bad=MISSING)


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure as a file: ``"png"`` (150 dpi) or ``"svg"`` (any letter case)."""
    kind = str(fmt).strip().lower()
    if kind not in FORMATS:
        raise ConfigError(
            f"Charts can be saved as {' or '.join(FORMATS)}, not {fmt!r}. Choose one of those."
        )
    buffer = io.BytesIO()
    options: dict[str, object] = {"format": kind, "bbox_inches": "tight", "facecolor": "white"}
    if kind == "png":
        options["dpi"] = PNG_DPI
    # People's text is text: a "$" in a name or a goal is never read as a formula (which
    # would draw it as maths, or fail to draw the chart at all).
    for text in figure.findobj(Text):
        text.set_parse_math(False)
    with rc_context({"text.parse_math": False}):  # tick labels are made while drawing
        figure.savefig(buffer, **options)
    return buffer.getvalue()


# --- goal plans ----------------------------------------------------------------------------

MAX_TIMELINE_ROWS = 40
"""A timeline shows at most this many objectives; a note counts the rest."""
UNTITLED_GOAL = "(untitled goal)"
UNTITLED_OBJECTIVE = "(no outcome yet)"
TARGET_COLOUR = "#333333"  # objective target dates
DONE = "#009E73"  # bluish green: done
DROPPED = "#999999"  # grey: dropped
OPEN_COLOUR = "#0072B2"  # blue: not started or in progress, on time
GOAL_BAND = "#F2F2F2"  # shading behind every other goal's rows

#: How each kind of point on the timeline is drawn, in legend order.
_TIMELINE_KINDS: dict[str, dict[str, object]] = {
    "target": {
        "label": "Objective target",
        "marker": "D",
        "markersize": 8,
        "color": TARGET_COLOUR,
    },
    "not_started": {
        "label": "Action: not started",
        "marker": "o",
        "markersize": 8,
        "color": OPEN_COLOUR,
        "markerfacecolor": "white",
        "markeredgewidth": 1.5,
    },
    "in_progress": {
        "label": "Action: in progress",
        "marker": "o",
        "markersize": 8,
        "color": OPEN_COLOUR,
        "fillstyle": "left",
        "markerfacecoloralt": "white",
        "markeredgewidth": 1.5,
    },
    "done": {"label": "Action: done", "marker": "o", "markersize": 8, "color": DONE},
    "dropped": {
        "label": "Action: dropped",
        "marker": "x",
        "markersize": 7,
        "color": DROPPED,
        "markeredgewidth": 1.5,
    },
    "overdue_not_started": {
        "label": "Overdue: not started",
        "marker": "o",
        "markersize": 9,
        "color": LOWER,
        "markerfacecolor": "white",
        "markeredgewidth": 2,
    },
    "overdue_in_progress": {
        "label": "Overdue: in progress",
        "marker": "o",
        "markersize": 9,
        "color": LOWER,
        "fillstyle": "left",
        "markerfacecoloralt": "white",
        "markeredgewidth": 2,
    },
}


def _day(value: object) -> dt.date | None:
    """A date from a date or an ISO string; None if missing or unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _goal_title(goal: Mapping[str, object]) -> str:
    return str(goal.get("title") or "").strip() or UNTITLED_GOAL


def _clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, at a word break if one is near, with …."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:\u2014-") + "\u2026"


def _row_label(goal: Mapping[str, object], objective: Mapping[str, object]) -> str:
    """'goal — outcome' in at most two lines of 34 characters, both parts shortened to fit."""
    outcome = str(objective.get("outcome") or "").strip() or UNTITLED_OBJECTIVE
    lines = textwrap.wrap(f"{_clip(_goal_title(goal), 24)} \u2014 {outcome}", width=34)
    if len(lines) > 2:
        lines = [lines[0], _clip(" ".join(lines[1:]), 34)]
    return "\n".join(lines)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _message_figure(title: str, message: str, note: str = "") -> Figure:
    """A small figure that says, in its middle, why there is no chart yet."""
    figure = Figure(figsize=(8.0, 2.6), layout="constrained")
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(_wrap(title, 60), fontsize=14)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=QUIET, wrap=True)
    if note:
        ax.text(0.5, 0.2, note, ha="center", va="center", fontsize=9, color=QUIET)
    return figure


def _date_axis(ax, days: Sequence[dt.date]) -> None:
    """Dates along x with a concise formatter, padded so no marker sits on the edge."""
    low, high = mdates.date2num(min(days)), mdates.date2num(max(days))
    pad = max(3.0, 0.04 * (high - low))
    ax.set_xlim(low - pad, high + pad)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def goal_timeline(
    plan: dict,
    today: dt.date,
    sessions: Sequence[dt.date] = (),
    title: str = "Timeline",
) -> Figure:
    """A timeline of a goal plan: one row per objective, grouped by goal in plan order.

    Each objective's target date is a diamond; its actions sit on the same row at their due
    dates, marked by status, and open actions past their due date are drawn in vermilion and
    counted in the top right. A solid line marks ``today`` and dotted lines the ``sessions``
    (S1, S2 … in date order). Actions with no due date are left off and counted in a note;
    past :data:`MAX_TIMELINE_ROWS` objectives the rest are counted, not drawn.
    """
    rows = plans.objectives(plan)
    all_actions = [action for *_, action in plans.actions(plan)]
    undated = sum(1 for action in all_actions if _day(action.get("due")) is None)
    overdue_ids = {id(action) for action in plans.overdue(plan, today)}
    undated_note = (
        f"{_plural(undated, 'action has', 'actions have')} no due date "
        f"and {'is' if undated == 1 else 'are'} not on the timeline."
        if undated
        else ""
    )
    dated = any(
        _day(objective.get("target")) is not None
        or any(_day(a.get("due")) is not None for a in objective.get("actions") or [])
        for _goal, objective in rows
    )
    if not dated:
        return _message_figure(title, "No objectives with dates yet.", undated_note)

    hidden = max(0, len(rows) - MAX_TIMELINE_ROWS)
    rows = rows[:MAX_TIMELINE_ROWS]
    session_days = sorted(day for day in (_day(s) for s in sessions) if day is not None)

    figure = Figure(figsize=(10.0, min(2.4 + 0.42 * len(rows), 20.0)), layout="constrained")
    ax = figure.add_subplot()
    points: dict[str, tuple[list[float], list[int]]] = {kind: ([], []) for kind in _TIMELINE_KINDS}
    days: list[dt.date] = [today, *session_days]
    for y, (_goal, objective) in enumerate(rows):
        on_row = False
        target = _day(objective.get("target"))
        if target is not None:
            points["target"][0].append(mdates.date2num(target))
            points["target"][1].append(y)
            days.append(target)
            on_row = True
        for action in objective.get("actions") or []:
            due = _day(action.get("due"))
            if due is None:
                continue
            status = action.get("status") or "not_started"
            if status not in ("in_progress", "done", "dropped"):
                status = "not_started"
            kind = f"overdue_{status}" if id(action) in overdue_ids else status
            points[kind][0].append(mdates.date2num(due))
            points[kind][1].append(y)
            days.append(due)
            on_row = True
        if not on_row:
            ax.text(
                0.01,
                y,
                "no dates yet",
                transform=ax.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=8,
                color=QUIET,
                style="italic",
            )

    # Shade every other goal's rows and rule between goals, so objectives read as groups.
    start, band = 0, 0
    for y in range(1, len(rows) + 1):
        if y == len(rows) or rows[y][0] is not rows[start][0]:
            if band % 2:
                ax.axhspan(start - 0.5, y - 0.5, color=GOAL_BAND, linewidth=0, zorder=0)
            if y < len(rows):
                ax.axhline(y - 0.5, color="#CCCCCC", linewidth=0.8, zorder=0.5)
            start, band = y, band + 1

    for kind, (xs, ys) in points.items():
        if xs:
            ax.plot(xs, ys, linestyle="none", zorder=3, **_TIMELINE_KINDS[kind])

    for number, day in enumerate(session_days, start=1):
        x = mdates.date2num(day)
        ax.axvline(x, color=QUIET, linestyle=":", linewidth=1.2, zorder=1)
        ax.text(
            x,
            0.995,
            f"S{number}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            color=QUIET,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            zorder=4,
        )
    ax.axvline(mdates.date2num(today), color="#000000", linewidth=1.5, zorder=2)
    ax.annotate(
        "Today",
        xy=(mdates.date2num(today), 0.0),
        xycoords=ax.get_xaxis_transform(),
        xytext=(3, 2),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=9,
        fontweight="bold",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        zorder=4,
    )

    ax.set_yticks(range(len(rows)), [_row_label(g, o) for g, o in rows], fontsize=9)
    ax.set_ylim(len(rows) - 0.5 + 0.7, -0.5 - 0.7)  # first row on top; bands for the labels
    ax.tick_params(axis="y", length=0)
    _date_axis(ax, days)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_wrap(title, 60), fontsize=14)
    if overdue_ids:
        ax.set_title(
            _plural(len(overdue_ids), "overdue action", "overdue actions"),
            loc="right",
            fontsize=10,
            color=LOWER,
            fontweight="bold",
        )
    notes = [undated_note] if undated_note else []
    if hidden:
        notes.append(
            f"Showing the first {MAX_TIMELINE_ROWS} objectives, and {hidden} more not shown."
        )
    if notes:
        ax.set_xlabel("\n".join(notes), color=QUIET, fontsize=9, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return figure


def _progress_line(
    objective_ids: Sequence[str], check_ins: list[dict], days: Sequence[dt.date]
) -> tuple[list[dt.date], list[float]]:
    """A goal's progress as of each day: the mean of its objectives' latest percentages.

    Objectives with no entry yet by a day are left out of that day's mean; days before any
    objective has an entry are left off the line.
    """
    histories = [plans.progress_history(check_ins, oid) for oid in objective_ids]
    xs: list[dt.date] = []
    ys: list[float] = []
    for day in days:
        latest = [
            next(percent for when, percent, _note in reversed(history) if when <= day)
            for history in histories
            if history and history[0][0] <= day
        ]
        if latest:
            xs.append(day)
            ys.append(sum(latest) / len(latest))
    return xs, ys


def goal_progress_chart(
    plan: dict, check_ins: Sequence[dict], title: str = "Progress over time"
) -> Figure:
    """One line per goal: its progress (0–100 %) at each check-in date.

    A goal's progress on a date is the mean of its objectives' latest percentages recorded up
    to then (objectives with nothing recorded yet are left out). Goals with no progress
    recorded at all draw no line and are named in a note.
    """
    check_ins = list(check_ins or [])
    days = sorted({day for day in (_day(c.get("date")) for c in check_ins) if day is not None})
    if not days:
        return _message_figure(title, "No check-ins yet. Record progress at your next session.")

    goals = list(plan.get("goals") or [])
    lines = []
    waiting = []
    for goal in goals:
        ids = [o["_id"] for o in goal.get("objectives") or [] if o.get("_id") is not None]
        xs, ys = _progress_line(ids, check_ins, days)
        if xs:
            lines.append((_goal_title(goal), xs, ys))
        else:
            waiting.append(_goal_title(goal))
    if not lines:
        return _message_figure(
            title,
            "No progress recorded against these goals yet.",
            "Record each objective's progress at your next check-in.",
        )

    figure = Figure(figsize=(10.0, 5.0), layout="constrained")
    ax = figure.add_subplot()
    for index, (name, xs, ys) in enumerate(lines):
        ax.plot(
            mdates.date2num(xs),
            ys,
            linewidth=2,
            markersize=7,
            label=_wrap(name, 30),
            **_style(index),
        )
    ax.set_ylim(0, 100)
    ax.set_yticks(range(0, 101, 20))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_ylabel("Progress")
    _date_axis(ax, days)
    ax.grid(color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_wrap(title, 60), fontsize=14)
    if waiting:
        ax.set_xlabel(
            _wrap(f"No progress recorded yet for: {', '.join(waiting)}.", 110),
            color=QUIET,
            fontsize=9,
            loc="left",
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return figure


# --- cohort figures (the facilitator's cohort page and report) ------------------------------

__all__ += ["completion_heatmap", "group_averages", "progress_histogram"]

#: Worksheet states in the completion heatmap: grey, orange, blue (Okabe–Ito), which differ in
#: lightness as well as hue, so they read in greyscale and with colour-blindness.
COMPLETION_STATES = ("Not started", "In progress", "Complete")
COMPLETION_COLOURS = ("#DDDDDD", "#E69F00", "#0072B2")
HEATMAP_ROWS_INCHES = 14.0
"""The most height the rows of a completion heatmap take, however many there are."""
ROW_INCHES = 0.32
"""A row's height when there is room for it (small programmes)."""
LABEL_MIN_POINTS = 9.0
"""Rows thinner than this (in points) are drawn without their names, which would overlap."""
ROUND_HATCHES = ("", "///", "...", "xx")


def completion_heatmap(matrix: pd.DataFrame, title: str = "Worksheet completion") -> Figure:
    """Every relationship (rows) against every worksheet (columns), in three colours.

    ``matrix`` holds 0 (not started), 1 (in progress) or 2 (complete), as made by
    :func:`mentorkit.cohort.completion_matrix`. Rows stay thin enough for 500 relationships
    to fit on a page; their names are shown only while rows are tall enough to read them
    (otherwise the axis says how many rows there are). Worksheet names sit along the top, the
    legend at the top right.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    if matrix.shape[0] == 0:
        return _message_figure(title, "No relationships yet.")
    if matrix.shape[1] == 0:
        return _message_figure(title, "There are no worksheets to track.")
    values = matrix.to_numpy(dtype=float, na_value=np.nan)
    values = np.where(np.isin(values, (0, 1, 2)), values, 0.0)  # anything odd: not started
    rows = [str(r) for r in matrix.index]
    columns = [_wrap(str(c), 22) for c in matrix.columns]
    count = len(rows)

    row_inches = min(ROW_INCHES, HEATMAP_ROWS_INCHES / count)
    row_points = row_inches * 72
    labelled = row_points >= LABEL_MIN_POINTS
    label_size = min(9.0, max(6.5, 0.8 * row_points))
    label_inches = 0.065 * label_size / 9 * max(len(r) for r in rows) if labelled else 0.4
    column_inches = 0.55 * max(c.count("\n") + 1 for c in columns) + 0.9
    width = min(16.0, 4.5 + 0.75 * len(columns) + min(label_inches, 3.0))
    height = 1.0 + column_inches + count * row_inches
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    colours = ListedColormap(COMPLETION_COLOURS)
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], colours.N)
    ax.imshow(values, cmap=colours, norm=norm, aspect="auto", interpolation="nearest")

    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels(columns, rotation=35, ha="left", rotation_mode="anchor", fontsize=9)
    if labelled:
        ax.set_yticks(range(count), [_clip(r, 40) for r in rows], fontsize=label_size)
    else:
        ax.set_yticks([])
        ax.set_ylabel(
            f"{count} relationships, one thin row each (too many to name here)",
            color=QUIET,
            fontsize=9,
        )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.grid(which="minor", axis="x", color="white", linewidth=2)
    if count <= 60:  # separate rows while they are tall enough for a line not to swamp them
        ax.set_yticks(np.arange(count + 1) - 0.5, minor=True)
        ax.grid(which="minor", axis="y", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    handles = [
        Patch(facecolor=colour, edgecolor="#999999", label=state)
        for state, colour in zip(COMPLETION_STATES, COMPLETION_COLOURS, strict=True)
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9
    )
    ax.set_title(_wrap(title, 60), fontsize=14)
    return figure


def group_averages(
    domains: Sequence[str],
    groups: Mapping[tuple[str, str], Sequence[float]],
    title: str,
    points: int,
    suppressed: Mapping[tuple[str, str], Sequence[bool]] | None = None,
    min_group: int = 3,
) -> Figure:
    """Average ratings per domain for groups of people: horizontal bars, one per group.

    ``groups`` maps (role, round) labels such as ("Mentees", "Baseline") to one average per
    domain. Colour follows the role and the fill the round (solid for the first, hatched for
    later ones), so groups differ in more than colour. Where ``suppressed`` is true the group
    has fewer than ``min_group`` people: no bar is drawn and the chart says so; a NaN that
    is not suppressed means nobody in the group rated that domain ("no ratings").
    """
    _check_points(points)
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    data = {
        (str(role), str(round_)): _as_floats(v, len(domains), f"“{role}, {round_}”")
        for (role, round_), v in groups.items()
    }
    hidden = {
        (str(role), str(round_)): [bool(x) for x in flags]
        for (role, round_), flags in (suppressed or {}).items()
    }
    if not data:
        return _message_figure(title, "No self-ratings yet.")
    roles = list(dict.fromkeys(role for role, _ in data))
    rounds = list(dict.fromkeys(round_ for _, round_ in data))

    count = len(data)
    figure = Figure(
        figsize=(8.0, min(20.0, 1.8 + 0.3 * count * len(domains) + 0.25 * len(domains))),
        layout="constrained",
    )
    ax = figure.add_subplot()
    height = 0.8 / count
    positions = np.arange(len(domains), dtype=float)
    for index, ((role, round_), values) in enumerate(data.items()):
        colour = PALETTE[roles.index(role) % len(PALETTE)]
        hatch = ROUND_HATCHES[rounds.index(round_) % len(ROUND_HATCHES)]
        offsets = positions - 0.4 + height * (index + 0.5)
        rated = ~np.isnan(values)
        ax.barh(
            offsets[rated],
            values[rated],
            height=height * 0.9,
            color="white" if hatch else colour,
            edgecolor=colour,
            hatch=hatch,
            linewidth=1.2,
            label=f"{role}, {round_.lower()}",
        )
        flags = hidden.get((role, round_), [False] * len(domains))
        for y, value, flag in zip(offsets, values, flags, strict=False):
            if not np.isnan(value):
                ax.text(value + 0.06, y, _number(value), va="center", ha="left", fontsize=8)
            else:
                note = f"fewer than {min_group} people" if flag else "no ratings"
                ax.text(
                    0.08, y, note, va="center", ha="left", color=QUIET, style="italic", fontsize=8
                )
    label = f"Average self-rating (1 to {points})"
    _rating_bars_axis(ax, positions, domains, points, label, title, 10, room=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return figure


def progress_histogram(
    values: Sequence[float], title: str = "Progress on goals across relationships"
) -> Figure:
    """How many relationships have reached each tenth of progress (0–100 %) on their goals.

    One value per relationship (its goals' mean progress); values outside 0–100 are clipped,
    NaN and None are left out. Each bar is labelled with its count and a dashed line marks
    the median.
    """
    from matplotlib.ticker import MaxNLocator

    array = np.array([math.nan if v is None else v for v in values], dtype=float)
    array = np.clip(array[~np.isnan(array)], 0, 100)
    if array.size == 0:
        return _message_figure(title, "No progress on goals recorded yet.")
    edges = np.arange(0, 101, 10)
    counts, _ = np.histogram(array, bins=edges)
    figure = Figure(figsize=(8.0, 4.2), layout="constrained")
    ax = figure.add_subplot()
    ax.bar(edges[:-1], counts, width=10, align="edge", color=PALETTE[2], edgecolor="white")
    for left, number in zip(edges[:-1], counts, strict=True):
        if number:
            ax.text(left + 5, number, str(int(number)), ha="center", va="bottom", fontsize=9)
    median = float(np.median(array))
    ax.axvline(median, color="#000000", linestyle="--", linewidth=1.2)
    ax.annotate(
        f"Median {median:.0f}%",
        xy=(median, 1.0),
        xycoords=ax.get_xaxis_transform(),
        xytext=(4, -2),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9,
    )
    ax.set_xlim(0, 100)
    ax.set_xticks(edges)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_ylim(0, max(int(counts.max()), 1) * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Progress on the relationship's goals (mean of its goals)")
    ax.set_ylabel("Relationships")
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_wrap(title, 60), fontsize=14)
    return figure
