"""Charts of a goal plan: the timeline of objectives and actions, and progress over the
check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from mentorkit.core.dates import short_date
from mentorkit.core.text import count_of
from mentorkit.io.charts import (
    CHART_HEIGHT,
    CHART_WIDTH,
    LABEL_SIZE,
    LINE_INCHES,
    LOWER,
    QUIET,
    TEXT_SIZE,
    TITLE_SIZE,
    chart_figure,
    chart_title,
    describe,
    fit_text,
    key_height,
    legend_columns,
    message_figure,
    series_style,
    short_labels,
    style_axes,
)
from mentorkit.programme import goal_plans

# --- goal plans ----------------------------------------------------------------------------

MAX_TIMELINE_ROWS = 40
"""A timeline shows at most this many objectives (fewer when their names would not fit on a
page at full size); a note counts the rest."""
ROW_LABEL_INCHES = 2.3
"""How wide an objective's name beside the timeline may be."""
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


def _said(day: dt.date) -> str:
    """A date as the text alternatives say it ("30 May 2025")."""
    return short_date(day)


def _goal_title(goal: Mapping[str, object]) -> str:
    return str(goal.get("title") or "").strip() or UNTITLED_GOAL


def _numbered(plan: Mapping[str, Any]) -> list[tuple[int, dict, dict, str]]:
    """(goal number, goal, objective, "1.2 outcome") for every objective, numbered as the
    plan and its report number them (goal 1, objective 2)."""
    rows = []
    for g, goal in enumerate(plan.get("goals") or [], start=1):
        for o, objective in enumerate(goal.get("objectives") or [], start=1):
            outcome = " ".join(str(objective.get("outcome") or "").split()) or UNTITLED_OBJECTIVE
            rows.append((g, goal, objective, f"{g}.{o} {outcome}"))
    return rows


def _timeline_rows(
    rows: list[tuple[int, dict, dict, str]], fixed: float
) -> tuple[int, list[str], list[str], float]:
    """How many rows fit a page beside ``fixed`` inches of title, axis and legend, their
    labels, the key (each goal's title, and objectives shortened to two lines in full), and
    each row's height."""
    most = int((CHART_HEIGHT - fixed) // (TEXT_SIZE * LINE_INCHES + 0.08))  # a line each
    for shown in range(min(len(rows), MAX_TIMELINE_ROWS, max(most, 1)), 0, -1):
        names, shortened = short_labels(
            [r[3] for r in rows[:shown]], ROW_LABEL_INCHES, TEXT_SIZE, 2
        )
        goals = dict.fromkeys(f"Goal {g}: {_goal_title(goal)}" for g, goal, _o, _l in rows[:shown])
        key = [*goals, *shortened]
        lines = max(name.count("\n") + 1 for name in names)
        row = lines * TEXT_SIZE * LINE_INCHES + 0.08
        if shown == 1 or fixed + shown * row + key_height(key) <= CHART_HEIGHT:
            return shown, names, key, row
    return 0, [], [], 0.0


def _action_text(action: Mapping[str, Any], day: dt.date, overdue: bool) -> str:
    what = " ".join(str(action.get("what") or "").split())
    status = goal_plans.STATUSES.get(action.get("status") or "not_started", "Not started")
    named = f"action “{what}”" if what else "an action"
    late = ", overdue" if overdue else ""
    return f"{named} due {_said(day)}, {status.lower()}{late}"


def _timeline_alt(
    title: str,
    rows: list[tuple[int, dict, dict, str]],
    today: dt.date,
    sessions: Sequence[dt.date],
    overdue_ids: set[int],
    notes: list[str],
) -> str:
    goals = len({g for g, _goal, _o, _l in rows})
    facts = [
        f"{count_of(len(rows), 'objective', 'objectives')} in {count_of(goals, 'goal', 'goals')}",
        f"today is {_said(today)}",
    ]
    if sessions:
        facts.append(f"sessions on {', '.join(_said(d) for d in sessions)}")
    if overdue_ids:
        facts.append(f"{count_of(len(overdue_ids), 'action is', 'actions are')} overdue")
    parts = [f"Timeline chart “{title}”: {'; '.join(facts)}."]
    seen: set[int] = set()
    for g, goal, objective, label in rows:
        if id(goal) not in seen:
            seen.add(id(goal))
            parts.append(f"Goal {g}: {_goal_title(goal)}.")
        target = _day(objective.get("target"))
        bits = [f"target {_said(target)}"] if target else []
        bits += [
            _action_text(action, due, id(action) in overdue_ids)
            for action in objective.get("actions") or []
            if (due := _day(action.get("due"))) is not None
        ]
        parts.append(f"Objective {label}: {'; '.join(bits) or 'no dates yet'}.")
    return " ".join([*parts, *notes])


def _date_axis(ax, days: Sequence[dt.date]) -> None:
    """Dates along x with a concise formatter, padded so no marker sits on the edge."""
    low, high = mdates.date2num(min(days)), mdates.date2num(max(days))
    pad = max(3.0, 0.04 * (high - low))
    ax.set_xlim(low - pad, high + pad)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.get_offset_text().set_fontsize(LABEL_SIZE)


def goal_timeline(
    plan: dict,
    today: dt.date,
    sessions: Sequence[dt.date] = (),
    title: str = "Timeline",
) -> Figure:
    """A timeline of a goal plan: one row per objective, grouped by goal in plan order.

    Rows are named "1.2 outcome" (goal 1, objective 2, as the plan numbers them), wrapped to
    two lines; a key under the chart gives each goal's title and any outcome too long for
    two lines in full. Each objective's target date is a diamond; its actions sit on the same
    row at their due dates, marked by status, and open actions past their due date are drawn
    in vermilion and counted in the top right. A solid line marks ``today`` and dotted lines
    the ``sessions`` (S1, S2 … in date order). Actions with no due date are left off and
    counted in a note; objectives past :data:`MAX_TIMELINE_ROWS`, or past what fits a page,
    are counted, not drawn.
    """
    all_rows = _numbered(plan)
    all_actions = [action for *_, action in goal_plans.actions(plan)]
    undated = sum(1 for action in all_actions if _day(action.get("due")) is None)
    overdue_ids = {id(action) for action in goal_plans.overdue(plan, today)}
    undated_note = (
        f"{count_of(undated, 'action has', 'actions have')} no due date "
        f"and {'is' if undated == 1 else 'are'} not on the timeline."
        if undated
        else ""
    )
    dated = any(
        _day(objective.get("target")) is not None
        or any(_day(a.get("due")) is not None for a in objective.get("actions") or [])
        for _g, _goal, objective, _label in all_rows
    )
    if not dated:
        return message_figure(title, "No objectives with dates yet.", undated_note)

    session_days = sorted(day for day in (_day(s) for s in sessions) if day is not None)
    kinds = _TIMELINE_KINDS
    legend_rows = -(
        -len(kinds) // legend_columns([k["label"] for k in kinds.values()], CHART_WIDTH)
    )
    fixed = 1.6 + legend_rows * TEXT_SIZE * LINE_INCHES * 1.4 + 0.3  # title, dates, notes, legend
    shown, names, key, row = _timeline_rows(all_rows, fixed)
    hidden = len(all_rows) - shown
    rows = all_rows[:shown]

    figure, panel = chart_figure(CHART_WIDTH, fixed + shown * row, key, heading="Key:")
    ax = panel.add_subplot()
    points: dict[str, tuple[list[float], list[int]]] = {kind: ([], []) for kind in kinds}
    days: list[dt.date] = [today, *session_days]
    for y, (_g, _goal, objective, _label) in enumerate(rows):
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
                fontsize=TEXT_SIZE,
                color=QUIET,
                style="italic",
            )

    # Shade every other goal's rows and rule between goals, so objectives read as groups.
    start, band = 0, 0
    for y in range(1, len(rows) + 1):
        if y == len(rows) or rows[y][1] is not rows[start][1]:
            if band % 2:
                ax.axhspan(start - 0.5, y - 0.5, color=GOAL_BAND, linewidth=0, zorder=0)
            if y < len(rows):
                ax.axhline(y - 0.5, color="#CCCCCC", linewidth=0.8, zorder=0.5)
            start, band = y, band + 1

    for kind, (xs, ys) in points.items():
        if xs:
            ax.plot(xs, ys, linestyle="none", zorder=3, **kinds[kind])

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
            fontsize=TEXT_SIZE,
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
        fontsize=TEXT_SIZE,
        fontweight="bold",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        zorder=4,
    )

    ax.set_yticks(range(len(rows)), names, fontsize=TEXT_SIZE)
    ax.set_ylim(len(rows) - 0.5 + 0.7, -0.5 - 0.7)  # first row on top; bands for the labels
    _date_axis(ax, days)
    style_axes(ax, grid="x")
    ax.tick_params(axis="y", length=0, labelsize=TEXT_SIZE)
    # The title spans the chart; the count of overdue actions sits under it, at the right.
    panel.suptitle(fit_text(title, CHART_WIDTH - 0.3, TITLE_SIZE), fontsize=TITLE_SIZE)
    if overdue_ids:
        ax.set_title(
            count_of(len(overdue_ids), "overdue action", "overdue actions"),
            loc="right",
            fontsize=LABEL_SIZE,
            color=LOWER,
            fontweight="bold",
        )
    notes = [undated_note] if undated_note else []
    if hidden:
        notes.append(f"Showing the first {shown} objectives, and {hidden} more not shown.")
    if notes:
        ax.set_xlabel(
            fit_text(" ".join(notes), CHART_WIDTH - ROW_LABEL_INCHES - 0.4, TEXT_SIZE),
            color=QUIET,
            fontsize=TEXT_SIZE,
            loc="left",
        )
    drawn = [kind for kind, (xs, _ys) in points.items() if xs]
    panel.legend(
        *ax.get_legend_handles_labels(),
        loc="outside lower center",
        ncols=legend_columns([kinds[k]["label"] for k in drawn], CHART_WIDTH),
        frameon=False,
        fontsize=TEXT_SIZE,
    )
    alt_notes = [undated_note] if undated_note else []
    return describe(
        figure, _timeline_alt(title, all_rows, today, session_days, overdue_ids, alt_notes)
    )


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

    labels = [name for name, _xs, _ys in lines]
    columns = legend_columns(labels, CHART_WIDTH)
    if columns == 1:
        labels = [fit_text(label, CHART_WIDTH - 1.0, TEXT_SIZE) for label in labels]
    legend_lines = sum(
        max(label.count("\n") + 1 for label in labels[i : i + columns])
        for i in range(0, len(labels), columns)
    )
    note = (
        fit_text(
            f"No progress recorded yet for: {', '.join(waiting)}.", CHART_WIDTH - 1.0, TEXT_SIZE
        )
        if waiting
        else ""
    )
    extra = (note.count("\n") + 1) * TEXT_SIZE * LINE_INCHES if note else 0.0
    figure, panel = chart_figure(
        CHART_WIDTH, 4.0 + extra + legend_lines * TEXT_SIZE * LINE_INCHES * 1.4 + 0.3
    )
    ax = panel.add_subplot()
    for index, ((_name, xs, ys), label) in enumerate(zip(lines, labels, strict=True)):
        ax.plot(
            mdates.date2num(xs),
            ys,
            linewidth=2,
            markersize=7,
            label=label,
            **series_style(index),
        )
    ax.set_ylim(0, 100)
    ax.set_yticks(range(0, 101, 20))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_ylabel("Progress")
    _date_axis(ax, days)
    style_axes(ax, grid="both")
    chart_title(ax, title)
    if note:
        ax.set_xlabel(note, color=QUIET, fontsize=TEXT_SIZE, loc="left")
    panel.legend(loc="outside lower center", ncols=columns, frameon=False, fontsize=TEXT_SIZE)
    return describe(figure, _progress_alt(title, days, lines, waiting))


def _progress_alt(
    title: str,
    days: Sequence[dt.date],
    lines: list[tuple[str, list[dt.date], list[float]]],
    waiting: list[str],
) -> str:
    each = " ".join(
        f"{name}: "
        + ", ".join(f"{percent:.0f}% on {_said(day)}" for day, percent in zip(xs, ys, strict=True))
        + "."
        for name, xs, ys in lines
    )
    span = (
        f"on {_said(days[0])}" if len(days) == 1 else f"from {_said(days[0])} to {_said(days[-1])}"
    )
    return (
        f"Line chart “{title}”: each goal's progress (0 to 100%) at "
        f"{count_of(len(days), 'check-in', 'check-ins')} {span}. {each}"
        + (f" No progress recorded yet for: {', '.join(waiting)}." if waiting else "")
    )
