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
from mentorkit.io.charts import (
    PALETTE,
    QUIET,
    as_floats,
    check_points,
    clip_text,
    message_figure,
    number_text,
    wrap_label,
)
from mentorkit.io.charts.ratings import rating_bars_axis

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
    :func:`mentorkit.facilitator.cohort.completion_matrix`. Rows stay thin enough for 500 relationships
    to fit on a page; their names are shown only while rows are tall enough to read them
    (otherwise the axis says how many rows there are). Worksheet names sit along the top, the
    legend at the top right.
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
    columns = [wrap_label(str(c), 22) for c in matrix.columns]
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
        ax.set_yticks(range(count), [clip_text(r, 40) for r in rows], fontsize=label_size)
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
    ax.set_title(wrap_label(title, 60), fontsize=14)
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
                ax.text(value + 0.06, y, number_text(value), va="center", ha="left", fontsize=8)
            else:
                note = f"fewer than {min_group} people" if flag else "no ratings"
                ax.text(
                    0.08, y, note, va="center", ha="left", color=QUIET, style="italic", fontsize=8
                )
    label = f"Average self-rating (1 to {points})"
    rating_bars_axis(ax, positions, domains, points, label, title, 10, room=0.6)
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
        return message_figure(title, "No progress on goals recorded yet.")
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
    ax.set_title(wrap_label(title, 60), fontsize=14)
    return figure
