"""Charts of a goal plan: the timeline of objectives and actions, and progress over the
check-ins.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from mentorkit.io.charts import (
    LOWER,
    QUIET,
    clip_text,
    message_figure,
    plural,
    series_style,
    wrap_label,
)
from mentorkit.programme import goal_plans

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
_TIMELINE_KINDS: dict[str, dict[str, Any]] = {
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


def _row_label(goal: Mapping[str, object], objective: Mapping[str, object]) -> str:
    """'goal — outcome' in at most two lines of 34 characters, both parts shortened to fit."""
    outcome = str(objective.get("outcome") or "").strip() or UNTITLED_OBJECTIVE
    lines = textwrap.wrap(f"{clip_text(_goal_title(goal), 24)} \u2014 {outcome}", width=34)
    if len(lines) > 2:
        lines = [lines[0], clip_text(" ".join(lines[1:]), 34)]
    return "\n".join(lines)


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
    rows = goal_plans.objectives(plan)
    all_actions = [action for *_, action in goal_plans.actions(plan)]
    undated = sum(1 for action in all_actions if _day(action.get("due")) is None)
    overdue_ids = {id(action) for action in goal_plans.overdue(plan, today)}
    undated_note = (
        f"{plural(undated, 'action has', 'actions have')} no due date "
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
        return message_figure(title, "No objectives with dates yet.", undated_note)

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
    ax.set_title(wrap_label(title, 60), fontsize=14)
    if overdue_ids:
        ax.set_title(
            plural(len(overdue_ids), "overdue action", "overdue actions"),
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
    histories = [goal_plans.progress_history(check_ins, oid) for oid in objective_ids]
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
        return message_figure(title, "No check-ins yet. Record progress at your next session.")

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
        return message_figure(
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
            label=wrap_label(name, 30),
            **series_style(index),
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
    ax.set_title(wrap_label(title, 60), fontsize=14)
    if waiting:
        ax.set_xlabel(
            wrap_label(f"No progress recorded yet for: {', '.join(waiting)}.", 110),
            color=QUIET,
            fontsize=9,
            loc="left",
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return figure
