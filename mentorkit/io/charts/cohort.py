"""Charts of a whole cohort, for the facilitator's cohort page and report: worksheet
completion, competency averages by group and round (small groups hidden), and progress on goals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

if TYPE_CHECKING:
    import pandas as pd
from mentorkit.core.text import count_of
from mentorkit.io.charts import (
    CHART_HEIGHT,
    CHART_WIDTH,
    LABEL_SIZE,
    LINE_INCHES,
    PALETTE,
    QUIET,
    TEXT_SIZE,
    as_floats,
    chart_figure,
    chart_title,
    check_points,
    describe,
    key_height,
    legend_columns,
    message_figure,
    number_text,
    short_labels,
    style_axes,
)
from mentorkit.io.charts.ratings import SIDE_INCHES, rating_bars_axis, upright_names

#: Worksheet states in the completion heatmap: grey, orange, blue (Okabe–Ito), which differ in
#: lightness as well as hue, so they read in greyscale and with colour-blindness.
COMPLETION_STATES = ("Not started", "In progress", "Complete")
COMPLETION_COLOURS = ("#DDDDDD", "#E69F00", "#0072B2")
ROW_NAME_INCHES = 2.0
"""How wide a relationship's name beside the completion heatmap may be."""
THIN_ROW_INCHES = 0.32
"""A row's height in a completion heatmap too tall to name its rows: at most this."""
ROUND_HATCHES = ("", "///", "...", "xx")
ALT_ROWS = 40
"""The completion heatmap's text alternative lists each relationship up to this many."""
HISTOGRAM_WIDTH = 5.6
"""Inches: the progress histogram is printed 150 mm wide in the cohort report."""


def _completion_rows(
    rows: list[str], budget: float, first: int = 1
) -> tuple[list[str] | None, list[str], float]:
    """Row names (None when they cannot fit), their key, and each row's height (inches).

    Names are wrapped to two lines, or shortened to one line with a key (numbered from
    ``first``), whichever lets every row be tall enough for its name within ``budget`` inches
    with the key; beyond that rows are not named.
    """
    for lines in (2, 1):
        if len(rows) * (TEXT_SIZE * LINE_INCHES + 0.025) > budget:
            break  # not even a line each
        names, key = short_labels(rows, ROW_NAME_INCHES, TEXT_SIZE, lines, first)
        used = max(name.count("\n") + 1 for name in names)
        row = used * TEXT_SIZE * LINE_INCHES + 0.025
        if row * len(rows) + key_height(key) <= budget:
            return names, key, row
    return None, [], min(THIN_ROW_INCHES, budget / len(rows))


def _completion_alt(title: str, values: np.ndarray, rows: list[str], columns: list[str]) -> str:
    def counts(cells: np.ndarray) -> str:
        return ", ".join(
            f"{int((cells == code).sum())} {state.lower()}"
            for code, state in ((2, "Complete"), (1, "In progress"), (0, "Not started"))
        )

    by_worksheet = "; ".join(
        f"{column}: {counts(values[:, j])}" for j, column in enumerate(columns)
    )
    by_relationship = "; ".join(
        f"{row}: {int((values[i] == 2).sum())} of {len(columns)} complete, "
        f"{int((values[i] == 1).sum())} in progress"
        for i, row in enumerate(rows)
    )
    return (
        f"Heatmap “{title}”: {count_of(len(rows), 'relationship', 'relationships')} by "
        f"{count_of(len(columns), 'worksheet', 'worksheets')}, each worksheet complete, in "
        f"progress or not started. In all: {counts(values)}. By worksheet: {by_worksheet}."
        + (f" By relationship: {by_relationship}." if len(rows) <= ALT_ROWS else "")
    )


def completion_heatmap(matrix: pd.DataFrame, title: str = "Worksheet completion") -> Figure:
    """Every relationship (rows) against every worksheet (columns), in three colours.

    ``matrix`` holds 0 (not started), 1 (in progress) or 2 (complete), as made by
    :func:`mentorkit.facilitator.cohort.completion_matrix`. The chart stays on one page (500
    relationships fit); rows are named (wrapped, or shortened with a key) while there is room
    for every name at full size, otherwise the axis says how many rows there are. Worksheet
    names stand upright along the top, the legend is under the grid.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    if matrix.shape[0] == 0:
        return message_figure(title, "No relationships yet.")
    if matrix.shape[1] == 0:
        return message_figure(title, "There are no worksheets to track.")
    values = matrix.to_numpy(dtype=float, na_value=np.nan)
    values = np.where(np.isin(values, (0, 1, 2)), values, 0.0)  # anything odd: not started
    rows = [str(r) for r in matrix.index]
    columns = [str(c) for c in matrix.columns]
    count = len(rows)

    # Worksheet names stand upright over their columns, shortened (with the key) when long.
    column = (CHART_WIDTH - ROW_NAME_INCHES - 0.45) / len(columns)
    column_names, column_key, top = upright_names(columns, column, TEXT_SIZE)
    fixed = 0.4 + top + 0.1 + 0.45
    budget = CHART_HEIGHT - fixed - key_height(column_key)  # title, names, legend, key
    row_names, row_key, row_inches = _completion_rows(rows, budget, len(column_key) + 1)
    key = [*column_key, *row_key]
    figure, panel = chart_figure(CHART_WIDTH, fixed + count * row_inches, key)
    ax = panel.add_subplot()
    colours = ListedColormap(COMPLETION_COLOURS)
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], colours.N)
    ax.imshow(values, cmap=colours, norm=norm, aspect="auto", interpolation="nearest")

    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels(column_names, rotation=90, ha="center", va="bottom", fontsize=TEXT_SIZE)
    if row_names is not None:
        ax.set_yticks(range(count), row_names, fontsize=TEXT_SIZE)
    else:
        ax.set_yticks([])
        ax.set_ylabel(
            f"{count} relationships, one thin row each (too many to name here)",
            color=QUIET,
            fontsize=TEXT_SIZE,
        )
    ax.tick_params(length=0, labelsize=TEXT_SIZE)
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
    panel.legend(
        handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=TEXT_SIZE
    )
    chart_title(ax, title)
    return describe(figure, _completion_alt(title, values, rows, columns))


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
    check_points(points)
    domains = [str(d) for d in domains]
    if not domains:
        raise ValueError("There are no domains to chart.")
    data = {
        (str(role), str(round_)): as_floats(v, len(domains), f"“{role}, {round_}”")
        for (role, round_), v in groups.items()
    }
    hidden = {
        (str(role), str(round_)): [bool(x) for x in flags]
        for (role, round_), flags in (suppressed or {}).items()
    }
    if not data:
        return message_figure(title, "No self-ratings yet.")
    roles = list(dict.fromkeys(role for role, _ in data))
    rounds = list(dict.fromkeys(round_ for _, round_ in data))

    count = len(data)
    names, key = short_labels(domains, SIDE_INCHES, LABEL_SIZE, 3)
    labels = [f"{role}, {round_.lower()}" for role, round_ in data]
    columns = legend_columns(labels, CHART_WIDTH)
    legend = -(-len(labels) // columns) * TEXT_SIZE * LINE_INCHES * 1.4 + 0.3
    lines = max(name.count("\n") + 1 for name in names)
    # Each bar tall enough for its value (9 pt), each domain for its name; shrunk towards
    # that least when many groups and domains would not fit a page.
    room = CHART_HEIGHT - 1.4 - legend - key_height(key)
    bar = max(0.18, min(0.22, room / (len(domains) * (count + 0.8))))
    row = max(bar * (count + 0.8), lines * LABEL_SIZE * LINE_INCHES + 0.1)
    figure, panel = chart_figure(CHART_WIDTH, 1.4 + legend + row * len(domains), key)
    ax = panel.add_subplot()
    height = 0.8 / count
    positions = np.arange(len(domains), dtype=float)
    notes: dict[tuple[str, str], list[str]] = {}
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
            label=labels[index],
        )
        flags = hidden.get((role, round_), [False] * len(domains))
        shown = notes.setdefault((role, round_), [])
        for y, value, flag in zip(offsets, values, flags, strict=False):
            if not np.isnan(value):
                ax.text(
                    value + 0.06, y, number_text(value), va="center", ha="left", fontsize=TEXT_SIZE
                )
                shown.append(number_text(value))
            else:
                note = f"fewer than {min_group} people" if flag else "no ratings"
                ax.text(
                    0.08,
                    y,
                    note,
                    va="center",
                    ha="left",
                    color=QUIET,
                    style="italic",
                    fontsize=TEXT_SIZE,
                )
                shown.append(note)
    label = f"Average self-rating (1 to {points})"
    rating_bars_axis(ax, positions, names, points, label, title, LABEL_SIZE, room=0.6)
    panel.legend(loc="outside lower center", ncols=columns, frameon=False, fontsize=TEXT_SIZE)
    by_group = " ".join(
        f"{label}: "
        + ", ".join(
            f"{domain} {value}" for domain, value in zip(domains, notes[group], strict=False)
        )
        + "."
        for label, group in zip(labels, data, strict=True)
    )
    return describe(
        figure,
        f"Bar chart “{title}”: average self-ratings from 1 to {points} in "
        f"{count_of(len(domains), 'domain', 'domains')}, by group. {by_group}",
    )


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
        return message_figure(title, "No progress on goals recorded yet.")
    edges = np.arange(0, 101, 10)
    counts, _ = np.histogram(array, bins=edges)
    figure = Figure(figsize=(HISTOGRAM_WIDTH, 3.6), layout="constrained")
    ax = figure.add_subplot()
    ax.bar(edges[:-1], counts, width=10, align="edge", color=PALETTE[2], edgecolor="white")
    for left, number in zip(edges[:-1], counts, strict=True):
        if number:
            ax.text(
                left + 5, number, str(int(number)), ha="center", va="bottom", fontsize=LABEL_SIZE
            )
    median = float(np.median(array))
    ax.axvline(median, color="#000000", linestyle="--", linewidth=1.2)
    ax.annotate(
        f"Median {median:.0f}%",
        xy=(median, 1.0),
        xycoords=ax.get_xaxis_transform(),
        xytext=(4 if median <= 70 else -4, -2),
        textcoords="offset points",
        ha="left" if median <= 70 else "right",
        va="top",
        fontsize=LABEL_SIZE,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )
    ax.set_xlim(0, 100)
    ax.set_xticks(edges)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_ylim(0, max(int(counts.max()), 1) * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Progress on the relationship's goals (mean of its goals)")
    ax.set_ylabel("Relationships")
    style_axes(ax, grid="y")
    chart_title(ax, title, HISTOGRAM_WIDTH)
    bins = ", ".join(
        f"{left}\u2013{left + 10}%: {int(number)}"
        for left, number in zip(edges[:-1], counts, strict=True)
    )
    return describe(
        figure,
        f"Histogram “{title}”: {count_of(int(array.size), 'relationship', 'relationships')} by "
        f"progress on their goals (the mean of each one's goals); median {median:.0f}%. "
        f"Relationships in each tenth: {bins}.",
    )
