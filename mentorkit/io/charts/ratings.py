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

from mentorkit.core.text import count_of
from mentorkit.io.charts import (
    CHART_WIDTH,
    DASH,
    HEATMAP_COLOURS,
    HIGHER,
    LABEL_SIZE,
    LINE_INCHES,
    LOWER,
    MISSING,
    PALETTE,
    QUIET,
    TEXT_SIZE,
    as_floats,
    chart_figure,
    chart_title,
    check_points,
    describe,
    fit_text,
    legend_columns,
    number_text,
    series_style,
    short_labels,
    style_axes,
    text_inches,
    values_text,
)

SPOKE_INCHES = 1.35
"""How wide a radar's domain name may be: the circle keeps at least half the chart's width."""
SIDE_INCHES = 1.9
"""How wide a domain name beside bars may be."""
ROW_NAME_INCHES = 2.0
"""How wide a row's name (a relationship's or a group's) beside a heatmap may be."""
COLUMN_NAME_INCHES = 1.6
"""How long a column's name standing upright over a heatmap may be, per line."""
RADAR_NAMED_SPOKES = 8
"""A radar with more domains than this names its spokes only if every name fits one line;
otherwise the spokes are numbered and the key names them."""


def upright_names(
    columns: Sequence[str], column: float, size: float, first: int = 1
) -> tuple[list[str], list[str], float]:
    """Names to stand upright over heatmap columns ``column`` inches wide: two lines each where
    the columns are wide enough, else one, shortened with a key (numbered from ``first``) past
    :data:`COLUMN_NAME_INCHES`; and how tall the tallest is (inches)."""
    lines = 2 if column >= 2 * size * LINE_INCHES + 0.04 else 1
    names, key = short_labels(columns, COLUMN_NAME_INCHES, size, lines, first)
    return names, key, max(text_inches(name, size) for name in names)


def _spoke_labels(domains: list[str]) -> tuple[list[str], list[str]]:
    """Names for a radar's spokes and the key: wrapped to four lines (shortened with the key
    beyond); past :data:`RADAR_NAMED_SPOKES` spokes, one line or numbers, so that
    neighbours never run into each other."""
    if len(domains) <= RADAR_NAMED_SPOKES:
        return short_labels(domains, SPOKE_INCHES, LABEL_SIZE, 4)
    names, key = short_labels(domains, SPOKE_INCHES, LABEL_SIZE, 1)
    if not key:
        return names, key
    return [str(n) for n in range(1, len(domains) + 1)], [
        f"{n} {domain}" for n, domain in enumerate(domains, start=1)
    ]


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


def _legend_entries(labels: list[str], width: float = CHART_WIDTH) -> tuple[list[str], int]:
    """Legend labels and columns for a legend under a chart: side by side when they fit, else
    one a line, each wrapped to the chart's width."""
    columns = legend_columns(labels, width)
    if columns == 1:
        labels = [fit_text(label, width - 1.0, TEXT_SIZE) for label in labels]
    return labels, columns


def _legend_height(labels: list[str], columns: int) -> float:
    rows = [
        max(label.count("\n") + 1 for label in labels[i : i + columns])
        for i in range(0, len(labels), columns)
    ]
    return sum(rows) * TEXT_SIZE * LINE_INCHES * 1.25 + 0.25 if labels else 0.0


def _ratings_alt(kind: str, title: str, domains, data: dict[str, np.ndarray], points: int) -> str:
    rated = " ".join(f"{name}: {values_text(domains, values)}." for name, values in data.items())
    scale = f"ratings from 1 to {points} in {count_of(len(domains), 'domain', 'domains')}"
    return f"{kind} “{title}”: {scale}. {rated or 'No ratings.'}"


def radar(
    domains: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    points: int,
) -> Figure:
    """A radar chart of ratings: one closed, lightly filled line per series.

    ``series`` maps a name ("You", "Your mentee", "Baseline" …) to one score per domain on a
    1..``points`` scale; NaN or None means no rating and leaves a gap in that line. With fewer
    than three domains a radar means little, so a grouped bar chart is drawn instead. Domain
    names too long for the room beside the circle are shortened and given in full in a key.
    """
    check_points(points)
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    data = {str(name): as_floats(v, len(domains), f"“{name}”") for name, v in series.items()}
    if len(domains) < 3:
        return _grouped_bars(domains, data, title, points)

    spokes, key = _spoke_labels(domains)
    legend, columns = _legend_entries(
        [_series_label(name, domains, values) for name, values in data.items()]
    )
    figure, panel = chart_figure(
        CHART_WIDTH, CHART_WIDTH - 0.2 + _legend_height(legend, columns), key
    )
    ax = cast(PolarAxes, panel.add_subplot(projection="polar"))
    ax.set_theta_offset(math.pi / 2)  # first domain at the top
    ax.set_theta_direction(-1)  # then clockwise
    angles = np.linspace(0, 2 * math.pi, len(domains), endpoint=False)

    for index, (label, values) in enumerate(zip(legend, data.values(), strict=True)):
        style = series_style(index)
        closed_angles = np.append(angles, angles[0])
        closed_values = np.append(values, values[0])
        ax.plot(closed_angles, closed_values, linewidth=2, markersize=6, label=label, **style)
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
    numbers = ax.set_yticklabels(
        [str(p) for p in range(1, points + 1)], color=QUIET, fontsize=TEXT_SIZE
    )
    for number in numbers:  # keep the scale readable where a line crosses it
        number.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    ax.set_rlabel_position(180 / len(domains))  # numbers sit between the first two domains
    ax.set_xticks(angles)
    names = ax.set_xticklabels(spokes, fontsize=LABEL_SIZE)
    for name, angle in zip(names, angles, strict=True):
        across, up = math.sin(angle), math.cos(angle)  # clockwise from the top
        name.set_horizontalalignment(
            "left" if across > 0.1 else "right" if across < -0.1 else "center"
        )
        name.set_verticalalignment("bottom" if up > 0.1 else "top" if up < -0.1 else "center")
    ax.tick_params(axis="x", pad=4)
    ax.grid(color="#BBBBBB", linewidth=0.8)
    ax.spines["polar"].set_color("#BBBBBB")
    chart_title(ax, title, pad=16)
    if data:
        panel.legend(loc="outside lower center", ncols=columns, frameon=False, fontsize=TEXT_SIZE)
    return describe(figure, _ratings_alt("Radar chart", title, domains, data, points))


def rating_bars_axis(
    ax,
    positions: np.ndarray,
    labels: Sequence[str],
    points: int,
    xlabel: str,
    title: str,
    fontsize: float = LABEL_SIZE,
    room: float = 0.5,
) -> None:
    """Dress an axis of horizontal rating bars: ``labels`` (the domains, already fitted to
    their room) down the side, first at the top, the scale along the bottom with ``room`` past
    the top point for the value labels."""
    ax.set_yticks(positions, list(labels), fontsize=fontsize)
    ax.invert_yaxis()
    ax.set_xlim(0, points + room)
    ax.set_xticks(range(1, points + 1))
    ax.set_xlabel(xlabel)
    style_axes(ax, grid="x")
    ax.tick_params(axis="y", labelsize=fontsize)
    chart_title(ax, title)


def _bar_rows(labels: Sequence[str], bars: int, smallest: float = 0.45) -> float:
    """Inches for one domain's row of ``bars`` bars: room for its label and each bar's value."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(smallest, lines * LABEL_SIZE * LINE_INCHES + 0.12, bars * 0.22)


def _grouped_bars(
    domains: list[str], data: dict[str, np.ndarray], title: str, points: int
) -> Figure:
    """Horizontal bars, one group per domain and one bar per series (the radar's fallback)."""
    count = max(len(data), 1)
    names, key = short_labels(domains, SIDE_INCHES, LABEL_SIZE, 3)
    legend, columns = _legend_entries(
        [_series_label(name, domains, values) for name, values in data.items()]
    )
    row = _bar_rows(names, count)
    height = 1.3 + row * len(domains) + _legend_height(legend, columns)
    figure, panel = chart_figure(CHART_WIDTH, height, key)
    ax = panel.add_subplot()
    bar = 0.8 / count
    positions = np.arange(len(domains), dtype=float)
    for index, (label, values) in enumerate(zip(legend, data.values(), strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        offsets = positions - 0.4 + bar * (index + 0.5)
        rated = ~np.isnan(values)
        ax.barh(offsets[rated], values[rated], height=bar * 0.9, color=colour, label=label)
        for y, value in zip(offsets, values, strict=True):
            if np.isnan(value):
                ax.text(
                    0.08,
                    y,
                    "no rating",
                    va="center",
                    ha="left",
                    color=QUIET,
                    style="italic",
                    fontsize=TEXT_SIZE,
                )
            else:
                ax.text(
                    value + 0.06, y, number_text(value), va="center", ha="left", fontsize=TEXT_SIZE
                )
    rating_bars_axis(ax, positions, names, points, f"Rating (1 to {points})", title)
    if data:
        panel.legend(loc="outside lower center", ncols=columns, frameon=False, fontsize=TEXT_SIZE)
    return describe(figure, _ratings_alt("Bar chart", title, domains, data, points))


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

    names, key = short_labels(domains, SIDE_INCHES, LABEL_SIZE, 3)
    side = (CHART_WIDTH - SIDE_INCHES - 0.4) / 2  # half the bars' width, for each side's words
    sides = [
        fit_text(f"\u2190 {left_label}", side, LABEL_SIZE),
        fit_text(f"{right_label} \u2192", side, LABEL_SIZE),
    ]
    side_lines = max(text.count("\n") + 1 for text in sides)
    row = _bar_rows(names, 1)
    figure, panel = chart_figure(CHART_WIDTH, 1.5 + side_lines * 0.2 + row * len(domains), key)
    ax = panel.add_subplot()
    positions = np.arange(len(domains), dtype=float)
    colours = [HIGHER if v > 0 else LOWER for v in values[rated]]
    ax.barh(positions[rated], values[rated], height=0.6, color=colours)
    pad = limit * 0.02
    for y, value in zip(positions, values, strict=True):
        if np.isnan(value):
            ax.text(
                pad,
                y,
                "no rating",
                va="center",
                ha="left",
                color=QUIET,
                style="italic",
                fontsize=TEXT_SIZE,
            )
        elif value < 0:
            ax.text(
                value - pad,
                y,
                number_text(value, signed=True),
                va="center",
                ha="right",
                fontsize=LABEL_SIZE,
            )
        else:
            ax.text(
                value + pad,
                y,
                number_text(value, signed=True),
                va="center",
                ha="left",
                fontsize=LABEL_SIZE,
            )
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlim(-limit, limit)
    ax.set_yticks(positions, names, fontsize=LABEL_SIZE)
    ax.set_ylim(len(domains) - 0.5, -0.5)  # first domain at the top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: number_text(x, signed=True)))
    style_axes(ax, grid="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    for x, text, align in ((0.0, sides[0], "left"), (1.0, sides[1], "right")):
        ax.annotate(
            text,
            xy=(x, 0.0),
            xycoords="axes fraction",
            xytext=(0, -20),  # below the tick numbers
            textcoords="offset points",
            ha=align,
            va="top",
            fontsize=LABEL_SIZE,
        )
    ax.set_xlabel("Difference in rating", color=QUIET, labelpad=10 + side_lines * 13)
    chart_title(ax, title)
    shown = ", ".join(
        f"{domain} {'no rating' if math.isnan(v) else number_text(v, signed=True)}"
        for domain, v in zip(domains, values, strict=True)
    )
    return describe(
        figure,
        f"Bar chart “{title}”: the difference in rating in each domain, above 0 where "
        f"“{right_label}” and below 0 where “{left_label}”: {shown}.",
    )


def cohort_heatmap(matrix: pd.DataFrame, title: str, points: int) -> Figure:
    """A grid of average ratings: people or groups down the side, domains across the top.

    The colour scale (viridis, which reads with colour-blindness and in greyscale) is fixed at
    1..``points`` so charts can be compared, with its key under the grid. Each cell shows its
    value to one decimal place; a NaN cell is grey and marked "–" (no rating). Names wrap to
    their room; longer ones are shortened and given in full in a key.
    """
    check_points(points)
    values = matrix.to_numpy(dtype=float, na_value=np.nan)
    if values.size == 0:
        raise ValueError("There is nothing to chart: the table has no rows or no columns.")
    rows = [str(r) for r in matrix.index]
    columns = [str(c) for c in matrix.columns]

    row_names, row_key = short_labels(rows, ROW_NAME_INCHES, LABEL_SIZE, 3)
    side = min(ROW_NAME_INCHES, max(text_inches(r, LABEL_SIZE) for r in row_names)) + 0.25
    cell = (CHART_WIDTH - side - 0.3) / len(columns)
    flat = [fit_text(c, cell - 0.08, LABEL_SIZE) for c in columns]
    rotate = any(text_inches(c, LABEL_SIZE) > cell - 0.08 or c.count("\n") > 1 for c in flat)
    if rotate:  # upright, as the completion heatmap's worksheets
        column_names, column_key, top = upright_names(columns, cell, LABEL_SIZE, len(row_key) + 1)
    else:
        column_names, column_key = flat, []
        top = max(c.count("\n") + 1 for c in flat) * LABEL_SIZE * LINE_INCHES
    key = [*row_key, *column_key]
    row_height = max(
        0.4, max(r.count("\n") + 1 for r in row_names) * LABEL_SIZE * LINE_INCHES + 0.14
    )
    height = 0.55 + top + row_height * len(rows) + 1.0
    figure, panel = chart_figure(CHART_WIDTH, height, key)
    ax = panel.add_subplot()
    colours = _heatmap_colours()
    norm = Normalize(vmin=1, vmax=points)
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=colours, norm=norm, aspect="auto", interpolation="none"
    )

    number_size = LABEL_SIZE if cell >= 0.4 else TEXT_SIZE
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
            fontsize=number_size,
        )

    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)))
    if rotate:
        ax.set_xticklabels(column_names, rotation=90, ha="center", va="bottom")
    else:
        ax.set_xticklabels(column_names)
    ax.set_yticks(range(len(rows)), row_names)
    ax.tick_params(length=0, labelsize=LABEL_SIZE)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)

    bar = panel.colorbar(image, ax=ax, location="bottom", shrink=0.7, aspect=30, pad=0.02)
    bar.set_label("Average rating", fontsize=LABEL_SIZE)
    bar.locator = FixedLocator(range(1, points + 1))
    bar.update_ticks()
    bar.ax.tick_params(labelsize=LABEL_SIZE)
    bar.outline.set_visible(False)
    chart_title(ax, title)
    if np.isnan(values).any():
        ax.set_xlabel(f"{DASH} no rating", color=QUIET, loc="right", fontsize=TEXT_SIZE)
    shown = "; ".join(f"{r}: {values_text(columns, v)}" for r, v in zip(rows, values, strict=True))
    return describe(
        figure,
        f"Heatmap “{title}”: average ratings from 1 to {points}, "
        f"{count_of(len(rows), 'row', 'rows')} by {count_of(len(columns), 'domain', 'domains')}. "
        f"{shown}.",
    )


def _heatmap_colours():
    """The heatmap colour map (viridis: colour-blind safe), with grey for missing cells."""
    from matplotlib import colormaps

    return colormaps[HEATMAP_COLOURS].with_extremes(bad=MISSING)
