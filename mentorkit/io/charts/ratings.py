"""Charts of competency ratings: a person's profile (radar), the gaps between two people's
ratings, and the heatmap of a programme's relationships by domain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

if TYPE_CHECKING:
    import pandas as pd
from matplotlib.projections.polar import PolarAxes

from mentorkit.io.charts import (
    DASH,
    HEATMAP_COLOURS,
    HIGHER,
    LOWER,
    MISSING,
    PALETTE,
    QUIET,
    as_floats,
    check_points,
    number_text,
    series_style,
    wrap_label,
)


def _series_label(name: str, domains: Sequence[str], values: np.ndarray) -> str:
    """The legend entry for one series, naming any domains it has no rating for."""
    missing = [str(domains[int(i)]) for i in np.flatnonzero(np.isnan(values))]
    if not missing:
        return str(name)
    return f"{name} (no rating: {', '.join(missing)})"


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
    check_points(points)
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    data = {str(name): as_floats(v, len(domains), f"“{name}”") for name, v in series.items()}
    if len(domains) < 3:
        return _grouped_bars(domains, data, title, points)

    figure = Figure(figsize=(7.0, 7.0), layout="constrained")
    ax = cast(PolarAxes, figure.add_subplot(projection="polar"))
    ax.set_theta_offset(math.pi / 2)  # first domain at the top
    ax.set_theta_direction(-1)  # then clockwise
    angles = np.linspace(0, 2 * math.pi, len(domains), endpoint=False)

    for index, (name, values) in enumerate(data.items()):
        style = series_style(index)
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
    labels = ax.set_xticklabels([wrap_label(d, 18) for d in domains], fontsize=11)
    for label, angle in zip(labels, angles, strict=True):
        across, up = math.sin(angle), math.cos(angle)  # clockwise from the top
        label.set_horizontalalignment(
            "left" if across > 0.1 else "right" if across < -0.1 else "center"
        )
        label.set_verticalalignment("bottom" if up > 0.1 else "top" if up < -0.1 else "center")
    ax.tick_params(axis="x", pad=4)
    ax.grid(color="#BBBBBB", linewidth=0.8)
    ax.spines["polar"].set_color("#BBBBBB")
    ax.set_title(wrap_label(title, 55), fontsize=14, pad=24)
    if data:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(len(data), 3),
            frameon=False,
            fontsize=10,
        )
    return figure


def rating_bars_axis(
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
    ax.set_yticks(positions, [wrap_label(d, 24) for d in domains], fontsize=fontsize)
    ax.invert_yaxis()
    ax.set_xlim(0, points + room)
    ax.set_xticks(range(1, points + 1))
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(wrap_label(title, 60), fontsize=14)


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
                ax.text(value + 0.06, y, number_text(value), va="center", ha="left", fontsize=9)
    rating_bars_axis(ax, positions, domains, points, f"Rating (1 to {points})", title, 11)
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
    values = as_floats(gaps, len(domains), "gaps")
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
            ax.text(value - pad, y, number_text(value, signed=True), va="center", ha="right")
        else:
            ax.text(value + pad, y, number_text(value, signed=True), va="center", ha="left")
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlim(-limit, limit)
    ax.set_yticks(positions, [wrap_label(d, 24) for d in domains], fontsize=11)
    ax.set_ylim(len(domains) - 0.5, -0.5)  # first domain at the top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: number_text(x, signed=True)))
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
    ax.set_title(wrap_label(title, 60), fontsize=14)
    return figure


def cohort_heatmap(matrix: pd.DataFrame, title: str, points: int) -> Figure:
    """A grid of average ratings: people or groups down the side, domains across the top.

    The colour scale is fixed at 1..``points`` so charts can be compared. Each cell shows its
    value to one decimal place; a NaN cell is grey and marked "–" (no rating).
    """
    check_points(points)
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
            number_text(value),
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
    ax.set_title(wrap_label(title, 60), fontsize=14)
    if np.isnan(values).any():
        ax.set_xlabel(f"{DASH} no rating", color=QUIET, loc="right", fontsize=9)
    return figure


def _heatmap_colours():
    """The heatmap colour map (viridis: colour-blind safe), with grey for missing cells."""
    from matplotlib import colormaps

    return colormaps[HEATMAP_COLOURS].with_extremes(bad=MISSING)
