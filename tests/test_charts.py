"""Charts of competency ratings: what each figure draws, checked from its artists, not pixels."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib import dates as mdates
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from mentorkit import ConfigError
from mentorkit.io.charts import CHART_HEIGHT, LOWER, TEXT_SIZE, figure_bytes, text_inches
from mentorkit.io.charts.cohort import (
    COMPLETION_COLOURS,
    completion_heatmap,
    group_averages,
    progress_histogram,
)
from mentorkit.io.charts.goals import (
    DONE,
    DROPPED,
    MAX_TIMELINE_ROWS,
    goal_progress_chart,
    goal_timeline,
)
from mentorkit.io.charts.ratings import cohort_heatmap, gap_bars, radar

NAN = math.nan
DOMAINS = ["Relate", "Listen", "Set goals", "Give feedback", "Reflect"]


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _legend(ax):
    """The chart's legend: on the axes, or under the chart (its panel's)."""
    return ax.get_legend() or ax.get_figure().legends[0]


def _legend_labels(ax) -> list[str]:
    return [t.get_text() for t in _legend(ax).get_texts()]


def _key(fig: Figure) -> str:
    """The key of shortened names under a chart ("" when it has none)."""
    return " ".join(
        t.get_text()
        for sub in fig.subfigs
        for t in sub.texts
        if t.get_text().startswith(("In", "Key"))
    )


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


# --- radar ---------------------------------------------------------------------------------


@pytest.fixture
def radar_figure() -> Figure:
    return radar(
        DOMAINS,
        {"You": [4, 3, 5, 2, 3], "Your mentee": [3, 4, 4, 3, 2]},
        "How you both see your mentoring",
        5,
    )


def test_radar_is_a_polar_chart_with_title_and_one_closed_line_per_series(radar_figure):
    ax = radar_figure.axes[0]
    assert isinstance(radar_figure, Figure)
    assert ax.name == "polar"
    assert ax.get_title() == "How you both see your mentoring"
    lines = ax.get_lines()
    assert len(lines) == 2
    for line in lines:
        theta, r = line.get_data()
        assert len(r) == len(DOMAINS) + 1  # back to the start: a closed shape
        assert theta[0] == theta[-1] and r[0] == r[-1]
    np.testing.assert_array_equal(lines[0].get_ydata()[:-1], [4, 3, 5, 2, 3])
    assert len(ax.patches) >= 2  # a light fill for each series


def test_radar_legend_names_each_series(radar_figure):
    assert _legend_labels(radar_figure.axes[0]) == ["You", "Your mentee"]


def test_radar_series_colours_differ(radar_figure):
    first, second = radar_figure.axes[0].get_lines()
    assert to_hex(first.get_color()) != to_hex(second.get_color())
    assert first.get_linestyle() != second.get_linestyle()  # not told apart by colour alone


def test_radar_edge_labels_are_the_domains(radar_figure):
    ax = radar_figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == DOMAINS
    assert len(ax.get_xticks()) == len(DOMAINS)


def test_radar_radial_axis_runs_to_the_scale_top_with_whole_number_ticks(radar_figure):
    ax = radar_figure.axes[0]
    assert ax.get_ylim() == (0, 5)
    assert list(ax.get_yticks()) == [1, 2, 3, 4, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("points", [3, 4, 7, 10])
def test_radar_radial_limit_follows_points(points):
    fig = radar(["A", "B", "C"], {"Baseline": [1, 2, 3]}, "Scale", points)
    ax = fig.axes[0]
    assert ax.get_ylim()[1] == points
    assert list(ax.get_yticks()) == list(range(1, points + 1))


def test_radar_missing_score_is_a_gap_not_a_zero():
    fig = radar(
        DOMAINS,
        {"Baseline": [4, NAN, 3, 2, 3], "Follow-up": [None, 4, 4, 4, 5]},
        "Progress",
        5,
    )
    ax = fig.axes[0]
    baseline, follow_up = (line.get_ydata() for line in ax.get_lines())
    assert math.isnan(baseline[1])
    assert math.isnan(follow_up[0]) and math.isnan(follow_up[-1])  # the closing point too
    for values in (baseline, follow_up):
        assert not np.any(np.asarray(values)[~np.isnan(values)] == 0)
    labels = _legend_labels(ax)
    assert labels[0] == "Baseline (no rating: Listen)"
    assert labels[1] == "Follow-up (no rating: Relate)"


def test_radar_fill_never_reaches_into_a_missing_domain():
    fig = radar(DOMAINS, {"You": [4, NAN, 3, 2, 3]}, "Gaps", 5)
    ax = fig.axes[0]
    angles = np.linspace(0, 2 * math.pi, len(DOMAINS), endpoint=False)
    for patch in ax.patches:
        if patch is ax.patch:
            continue
        vertices = patch.get_xy()
        for theta, r in vertices:
            if r > 0:  # every filled corner away from the centre is a rated domain
                assert not np.isclose(theta, angles[1])


def test_radar_with_every_score_missing_still_draws():
    fig = radar(["A", "B", "C"], {"You": [NAN, NAN, NAN]}, "Nothing yet", 5)
    ax = fig.axes[0]
    assert np.isnan(ax.get_lines()[0].get_ydata()).all()
    assert _legend_labels(ax) == ["You (no rating: A, B, C)"]
    assert figure_bytes(fig, "png").startswith(b"\x89PNG")


def test_radar_long_domain_names_wrap_onto_lines():
    long_name = "Encourages independence and self-direction"
    fig = radar(["A", "B", long_name], {"You": [1, 2, 3]}, "Wrapped", 5)
    label = fig.axes[0].get_xticklabels()[2].get_text()
    assert "\n" in label and label.replace("\n", " ") == long_name


@pytest.mark.parametrize("domains", [["Relate", "Listen"], ["Relate"]])
def test_radar_with_fewer_than_three_domains_falls_back_to_grouped_bars(domains):
    values = {"Baseline": [2.0, 3.0][: len(domains)], "Follow-up": [3.5, 4.0][: len(domains)]}
    fig = radar(domains, values, "Baseline and follow-up", 5)
    ax = fig.axes[0]
    assert ax.name == "rectilinear"
    assert ax.get_title() == "Baseline and follow-up"
    assert _legend_labels(ax) == ["Baseline", "Follow-up"]
    bars = _bars(ax)
    assert len(bars) == 2 * len(domains)
    assert sorted(b.get_width() for b in bars) == sorted(sum(values.values(), []))
    assert [t.get_text() for t in ax.get_yticklabels()] == domains
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] >= 5
    assert list(ax.get_xticks()) == [1, 2, 3, 4, 5]


def test_fallback_bars_leave_out_a_missing_score_and_say_so():
    fig = radar(["Relate", "Listen"], {"You": [NAN, 4], "Your mentee": [3, 2]}, "Two", 5)
    ax = fig.axes[0]
    widths = [b.get_width() for b in _bars(ax)]
    assert len(widths) == 3
    assert 0 not in widths and not any(math.isnan(w) for w in widths)
    assert "no rating" in _texts(ax)
    assert _legend_labels(ax)[0] == "You (no rating: Relate)"


def test_radar_refuses_mismatched_or_empty_input():
    with pytest.raises(ValueError, match="3 domains"):
        radar(["A", "B", "C"], {"You": [1, 2]}, "Bad", 5)
    with pytest.raises(ValueError, match="no domains"):
        radar([], {}, "Bad", 5)
    with pytest.raises(ValueError, match="points"):
        radar(["A", "B", "C"], {"You": [1, 2, 3]}, "Bad", 1)


# --- gap bars ------------------------------------------------------------------------------

GAPS = [0.5, -1.0, 0.0, 1.25, -0.25]


@pytest.fixture
def gap_figure() -> Figure:
    return gap_bars(DOMAINS, GAPS, "Where your views differ")


def test_gap_bar_widths_equal_the_gaps(gap_figure):
    ax = gap_figure.axes[0]
    assert ax.get_title() == "Where your views differ"
    bars = sorted(_bars(ax), key=lambda b: b.get_y())
    assert [b.get_width() for b in bars] == GAPS
    assert [t.get_text() for t in ax.get_yticklabels()] == DOMAINS


def test_gap_bars_colour_positive_and_negative_differently(gap_figure):
    bars = _bars(gap_figure.axes[0])
    up = {to_hex(b.get_facecolor()) for b in bars if b.get_width() > 0}
    down = {to_hex(b.get_facecolor()) for b in bars if b.get_width() < 0}
    assert len(up) == 1 and len(down) == 1
    assert up != down


def test_gap_bars_are_centred_on_zero_with_a_line_there(gap_figure):
    ax = gap_figure.axes[0]
    left, right = ax.get_xlim()
    assert left == -right and right >= 1.25
    assert any(tuple(line.get_xdata()) == (0, 0) for line in ax.get_lines())


def test_gap_bars_label_values_with_signs_and_sides(gap_figure):
    ax = gap_figure.axes[0]
    texts = _texts(ax)
    for expected in ("+0.5", "\u22121.0", "0.0", "+1.3", "\u22120.3"):
        assert expected in texts
    assert "\u2190 Partner rates lower" in texts
    assert "Partner rates higher \u2192" in texts


def test_gap_bars_take_custom_side_labels():
    fig = gap_bars(["A"], [0.5], "Change", "Lower at follow-up", "Higher at follow-up")
    texts = _texts(fig.axes[0])
    assert "\u2190 Lower at follow-up" in texts and "Higher at follow-up \u2192" in texts


def test_gap_bars_leave_out_a_missing_gap():
    fig = gap_bars(["A", "B", "C"], [0.5, NAN, -1.0], "Gaps")
    ax = fig.axes[0]
    widths = [b.get_width() for b in _bars(ax)]
    assert sorted(widths) == [-1.0, 0.5]
    assert "no rating" in _texts(ax)


def test_gap_bars_with_no_gaps_at_all_still_have_a_sensible_axis():
    fig = gap_bars(["A", "B"], [NAN, NAN], "Nothing yet")
    left, right = fig.axes[0].get_xlim()
    assert left == -right and right > 0


# --- cohort heatmap ------------------------------------------------------------------------


@pytest.fixture
def matrix() -> pd.DataFrame:
    return pd.DataFrame(
        [[3.5, 4.0, NAN], [2.04, 1.0, 5.0]],
        index=["Cohort A", "Cohort B"],
        columns=["Relate", "Listen", "Set goals"],
    )


def test_heatmap_image_matches_the_matrix(matrix):
    fig = cohort_heatmap(matrix, "Average ratings by cohort", 5)
    ax = fig.axes[0]
    assert ax.get_title() == "Average ratings by cohort"
    image = ax.get_images()[0]
    data = image.get_array()
    assert data.shape == matrix.shape
    assert bool(data.mask[0, 2])  # the missing cell is masked, drawn in the "bad" grey
    assert image.get_clim() == (1, 5)


def test_heatmap_annotates_each_cell(matrix):
    fig = cohort_heatmap(matrix, "Average ratings", 5)
    texts = _texts(fig.axes[0])
    for expected in ("3.5", "4.0", "\u2013", "2.0", "1.0", "5.0"):
        assert expected in texts
    assert "0.0" not in texts and "nan" not in texts


def test_heatmap_labels_rows_columns_and_colourbar(matrix):
    fig = cohort_heatmap(matrix, "Average ratings", 5)
    ax, colourbar = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == list(matrix.columns)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.index)
    assert colourbar.get_xlabel() == "Average rating"  # under the grid, across
    assert list(colourbar.get_xticks()) == [1, 2, 3, 4, 5]


def test_heatmap_stands_column_labels_upright_only_when_they_do_not_fit_across():
    long = pd.DataFrame(
        [[3.0] * 8],
        index=["Everyone"],
        columns=[f"Encourage independence {n}" for n in range(8)],
    )
    labels = cohort_heatmap(long, "Long", 5).axes[0].get_xticklabels()
    assert all(label.get_rotation() > 0 for label in labels)
    short = pd.DataFrame([[3.0, 4.0]], index=["Everyone"], columns=["Relate", "Listen"])
    labels = cohort_heatmap(short, "Short", 5).axes[0].get_xticklabels()
    assert all(label.get_rotation() == 0 for label in labels)
    two = pd.DataFrame(
        [[3.0, 4.0]], index=["Everyone"], columns=["Encourage independence", "Reflect"]
    )
    labels = cohort_heatmap(two, "Room", 5).axes[0].get_xticklabels()
    assert all(label.get_rotation() == 0 for label in labels)  # two wide columns: room enough


def test_heatmap_colour_scale_is_fixed_to_the_scale(matrix):
    fig = cohort_heatmap(matrix, "Seven points", 7)
    assert fig.axes[0].get_images()[0].get_clim() == (1, 7)


def test_heatmap_refuses_an_empty_table():
    with pytest.raises(ValueError, match="nothing to chart"):
        cohort_heatmap(pd.DataFrame(), "Empty", 5)


# --- saving --------------------------------------------------------------------------------


def test_figure_bytes_png(radar_figure):
    assert figure_bytes(radar_figure, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_figure_bytes_svg(matrix):
    svg = figure_bytes(cohort_heatmap(matrix, "Average ratings", 5), "svg")
    text = svg.decode("utf-8")
    assert "<svg" in text and text.rstrip().endswith("</svg>")


@pytest.mark.parametrize("fmt", ["pdf", "jpeg", "", "gif"])
def test_figure_bytes_refuses_other_formats(gap_figure, fmt):
    with pytest.raises(ConfigError, match="png or svg"):
        figure_bytes(gap_figure, fmt)


# --- staying out of the way ----------------------------------------------------------------


def test_charts_are_not_managed_by_pyplot(radar_figure, gap_figure, matrix):
    heatmap = cohort_heatmap(matrix, "Average ratings", 5)
    for fig in (radar_figure, gap_figure, heatmap):
        assert fig.canvas.manager is None  # no window, no global figure list


def _modules_after(code: str) -> set[str]:
    code += "; import sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_import_mentorkit_does_not_load_matplotlib():
    assert not {m for m in _modules_after("import mentorkit") if m.startswith("matplotlib")}


def test_drawing_and_saving_never_loads_pyplot():
    code = (
        "import pandas as pd; from mentorkit.io.charts import figure_bytes; "
        "from mentorkit.io.charts.ratings import cohort_heatmap, gap_bars, radar; "
        "figure_bytes(radar(['A', 'B', 'C'], {'You': [1, 2, 3]}, 'T', 5), 'png'); "
        "figure_bytes(radar(['A'], {'You': [1]}, 'T', 5), 'svg'); "
        "figure_bytes(gap_bars(['A'], [1.0], 'T'), 'png'); "
        "figure_bytes(cohort_heatmap(pd.DataFrame([[1.0]]), 'T', 5), 'png')"
    )
    assert "matplotlib.pyplot" not in _modules_after(code)


# --- goal timeline -------------------------------------------------------------------------

TODAY = dt.date(2025, 3, 20)


def _num(day: str | dt.date) -> float:
    return float(mdates.date2num(dt.date.fromisoformat(day) if isinstance(day, str) else day))


def _marker_lines(ax, marker: str | None = None) -> list:
    """The lines that draw points (not the today, session and goal-divider lines)."""
    return [
        line
        for line in ax.get_lines()
        if line.get_linestyle() == "None" and marker in (None, line.get_marker())
    ]


def _points(lines) -> list[tuple[float, float]]:
    return sorted(
        (float(x), float(y)) for line in lines for x, y in zip(*line.get_data(), strict=True)
    )


@pytest.fixture
def plan() -> dict:
    return {
        "goals": [
            {
                "_id": "g1",
                "title": "Speak up in meetings",
                "objectives": [
                    {
                        "_id": "o1",
                        "outcome": "Present the quarterly update",
                        "target": "2025-05-30",
                        "actions": [
                            {"_id": "a1", "due": "2025-03-01", "status": "not_started"},
                            {"_id": "a2", "due": "2025-03-10", "status": "in_progress"},
                            {"_id": "a3", "due": "2025-03-05", "status": "done"},
                            {"_id": "a4", "due": "2025-04-20", "status": "not_started"},
                            {"_id": "a5", "due": None, "status": "not_started"},
                        ],
                    },
                    {"_id": "o2", "outcome": "Ask one question per meeting", "target": None},
                ],
            },
            {
                "_id": "g2",
                "title": "",
                "objectives": [
                    {
                        "_id": "o3",
                        "outcome": "Map the stakeholders",
                        "target": "2025-04-15",
                        "actions": [
                            {"_id": "a6", "due": "2025-03-02", "status": "dropped"},
                            {"_id": "a7", "due": "2025-04-25"},  # no status: not started
                        ],
                    }
                ],
            },
        ]
    }


@pytest.fixture
def timeline(plan) -> Figure:
    sessions = [dt.date(2025, 4, 10), dt.date(2025, 2, 20)]  # out of order on purpose
    return goal_timeline(plan, TODAY, sessions, "Amara's plan")


def test_timeline_has_one_row_per_objective_in_plan_order(timeline):
    ax = timeline.axes[0]
    assert ax.get_figure().get_suptitle() == "Amara's plan"  # over the whole chart
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels == [  # numbered as the plan and its report number them
        "1.1 Present the quarterly update",
        "1.2 Ask one question per meeting",
        "2.1 Map the stakeholders",
    ]
    assert "Goal 1: Speak up in meetings" in _key(timeline)
    assert "Goal 2: (untitled goal)" in _key(timeline)
    assert list(ax.get_yticks()) == [0, 1, 2]
    low, high = ax.get_ylim()
    assert low > high  # first objective at the top


def test_timeline_draws_a_diamond_per_dated_objective(timeline):
    ax = timeline.axes[0]
    diamonds = _marker_lines(ax, "D")
    assert _points(diamonds) == [(_num("2025-04-15"), 2.0), (_num("2025-05-30"), 0.0)]


def test_timeline_marks_actions_at_their_due_dates_by_status(timeline):
    ax = timeline.axes[0]
    circles = _points(_marker_lines(ax, "o"))
    crosses = _points(_marker_lines(ax, "x"))
    assert crosses == [(_num("2025-03-02"), 2.0)]  # dropped
    assert circles == sorted(
        (_num(day), row)
        for day, row in [
            ("2025-03-01", 0.0),
            ("2025-03-10", 0.0),
            ("2025-03-05", 0.0),
            ("2025-04-20", 0.0),
            ("2025-04-25", 2.0),
        ]
    )
    dropped = _marker_lines(ax, "x")[0]
    done = next(line for line in _marker_lines(ax, "o") if _num("2025-03-05") in line.get_xdata())
    assert to_hex(done.get_markerfacecolor()) == to_hex(DONE)
    assert to_hex(dropped.get_color()) == to_hex(DROPPED)


def test_timeline_draws_overdue_open_actions_in_vermilion_and_counts_them(timeline):
    ax = timeline.axes[0]
    red = [
        line for line in _marker_lines(ax) if to_hex(line.get_markeredgecolor()) == to_hex(LOWER)
    ]
    assert _points(red) == [(_num("2025-03-01"), 0.0), (_num("2025-03-10"), 0.0)]
    on_time = [
        line
        for line in _marker_lines(ax)
        if _num("2025-04-20") in line.get_xdata() or _num("2025-03-05") in line.get_xdata()
    ]
    assert on_time and all(
        to_hex(line.get_markeredgecolor()) != to_hex(LOWER) for line in on_time
    )  # done, and not yet due, are not overdue
    assert ax.get_title(loc="right") == "2 overdue actions"


def test_timeline_marks_today_and_each_session_in_order(timeline):
    ax = timeline.axes[0]
    texts = {t.get_text(): t for t in ax.texts}
    assert "Today" in texts
    assert any(
        tuple(line.get_xdata()) == (_num(TODAY), _num(TODAY)) and line.get_linestyle() == "-"
        for line in ax.get_lines()
    )
    assert texts["S1"].get_position()[0] == _num("2025-02-20")
    assert texts["S2"].get_position()[0] == _num("2025-04-10")
    assert "S3" not in texts
    dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert sorted(line.get_xdata()[0] for line in dotted) == [
        _num("2025-02-20"),
        _num("2025-04-10"),
    ]


def test_timeline_uses_a_concise_date_axis_covering_every_date(timeline):
    ax = timeline.axes[0]
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    left, right = ax.get_xlim()
    assert left < _num("2025-02-20") and right > _num("2025-05-30")


def test_timeline_notes_undated_actions_and_rows_with_no_dates(timeline):
    ax = timeline.axes[0]
    assert "1 action has no due date" in ax.get_xlabel()
    assert "no dates yet" in _texts(ax)  # the objective with no target and no actions


def test_timeline_legend_explains_the_markers(timeline):
    labels = _legend_labels(timeline.axes[0])
    for expected in (
        "Objective target",
        "Action: not started",
        "Action: done",
        "Action: dropped",
        "Overdue: not started",
        "Overdue: in progress",
    ):
        assert expected in labels
    assert "Action: in progress" not in labels  # no such action is drawn


def test_timeline_without_overdue_actions_says_nothing_about_them(plan):
    ax = goal_timeline(plan, dt.date(2025, 2, 1)).axes[0]
    assert ax.get_title(loc="right") == ""
    assert not [
        line for line in _marker_lines(ax) if to_hex(line.get_markeredgecolor()) == to_hex(LOWER)
    ]


@pytest.mark.parametrize(
    "empty",
    [
        {},
        {"goals": []},
        {"goals": [{"_id": "g1"}]},
        {"goals": [{"_id": "g1", "objectives": [{"_id": "o1", "actions": [{"_id": "a1"}]}]}]},
    ],
)
def test_timeline_of_a_plan_with_no_dates_says_so(empty):
    fig = goal_timeline(empty, TODAY)
    ax = fig.axes[0]
    assert "No objectives with dates yet." in _texts(ax)
    assert not ax.get_lines()


def test_timeline_with_no_dates_still_counts_undated_actions():
    draft = {"goals": [{"objectives": [{"_id": "o1", "actions": [{"_id": "a"}, {"_id": "b"}]}]}]}
    texts = _texts(goal_timeline(draft, TODAY).axes[0])
    assert "2 actions have no due date and are not on the timeline." in texts


def test_timeline_caps_rows_to_fit_a_page_and_says_how_many_more():
    many = {
        "goals": [
            {
                "_id": f"g{g}",
                "title": f"Goal {g}",
                "objectives": [
                    {"_id": f"o{g}-{o}", "outcome": f"Outcome {o}", "target": "2025-06-01"}
                    for o in range(12)
                ],
            }
            for g in range(5)
        ]
    }
    fig = goal_timeline(many, TODAY)
    ax = fig.axes[0]
    shown = len(ax.get_yticklabels())
    assert 20 <= shown < MAX_TIMELINE_ROWS == 40  # as many as fit a page at full size
    assert len(_points(_marker_lines(ax, "D"))) == shown
    assert f"Showing the first {shown} objectives, and {60 - shown} more" in ax.get_xlabel()
    assert fig.get_figheight() <= CHART_HEIGHT
    few = goal_timeline({"goals": many["goals"][:1]}, TODAY)
    assert "more" not in few.axes[0].get_xlabel()
    assert few.get_figheight() < fig.get_figheight()  # height grows with the rows


def test_timeline_labels_are_wrapped_and_shortened_with_a_key():
    outcome = (
        "Present the quarterly update to the leadership team without notes and take "
        "questions afterwards"
    )
    goal = "Speak up confidently in team meetings with senior stakeholders present"
    long = {
        "goals": [
            {
                "title": goal,
                "objectives": [{"_id": "o1", "outcome": outcome, "target": "2025-05-30"}],
            }
        ]
    }
    fig = goal_timeline(long, TODAY)
    label = fig.axes[0].get_yticklabels()[0].get_text()
    lines = label.split("\n")
    assert len(lines) == 2 and all(text_inches(line, TEXT_SIZE) <= 2.3 for line in lines)
    assert label.startswith("1.1 Present") and label.endswith("\u2026 [1]")
    assert f"[1] 1.1 {outcome}" in " ".join(_key(fig).split())
    assert f"Goal 1: {goal}" in " ".join(_key(fig).split())


def test_timeline_tolerates_unreadable_dates_and_unknown_statuses():
    odd = {
        "goals": [
            {
                "title": "G",
                "objectives": [
                    {
                        "_id": "o1",
                        "target": "not a date",
                        "actions": [
                            {"_id": "a1", "due": "2025-13-45"},
                            {"_id": "a2", "due": "2025-04-01", "status": "blocked"},
                        ],
                    }
                ],
            }
        ]
    }
    ax = goal_timeline(odd, TODAY).axes[0]
    assert not _marker_lines(ax, "D")
    assert _points(_marker_lines(ax, "o")) == [(_num("2025-04-01"), 0.0)]
    assert "1 action has no due date" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1.1 (no outcome yet)"]


# --- goal progress -------------------------------------------------------------------------


@pytest.fixture
def progress_plan() -> dict:
    return {
        "goals": [
            {"_id": "g1", "title": "Speak up", "objectives": [{"_id": "o1"}, {"_id": "o2"}]},
            {"_id": "g2", "title": "", "objectives": [{"_id": "o3"}]},
            {"_id": "g3", "title": "Delegate", "objectives": [{"_id": "o4"}]},
        ]
    }


CHECK_INS = [
    {"date": "2025-02-20", "progress": {"o1": {"percent": 20}, "o2": {"percent": 40}}},
    {"date": "2025-03-15", "progress": {"o1": {"percent": 60}, "o3": {"percent": 10}}},
    {"date": "2025-04-10", "progress": {"o3": {"percent": 50, "note": "Done half"}}},
]


def test_progress_is_the_mean_of_each_objectives_latest_percent():
    plan = {
        "goals": [{"_id": "g1", "title": "Speak up", "objectives": [{"_id": "o1"}, {"_id": "o2"}]}]
    }
    fig = goal_progress_chart(plan, CHECK_INS[:2])
    (line,) = fig.axes[0].get_lines()
    assert list(line.get_ydata()) == [30.0, 50.0]  # (20+40)/2, then (60+40)/2
    assert list(line.get_xdata()) == [_num("2025-02-20"), _num("2025-03-15")]


def test_progress_chart_draws_one_line_per_goal_with_progress(progress_plan):
    fig = goal_progress_chart(progress_plan, CHECK_INS)
    ax = fig.axes[0]
    assert ax.get_title() == "Progress over time"
    first, second = ax.get_lines()
    assert list(first.get_ydata()) == [30.0, 50.0, 50.0]  # carried forward to the last check-in
    assert list(first.get_xdata()) == [_num(c["date"]) for c in CHECK_INS]
    assert list(second.get_ydata()) == [10.0, 50.0]  # starts at its first entry
    assert list(second.get_xdata()) == [_num("2025-03-15"), _num("2025-04-10")]
    assert _legend_labels(ax) == ["Speak up", "(untitled goal)"]
    assert "No progress recorded yet for: Delegate." in ax.get_xlabel()


def test_progress_chart_axes_and_styles(progress_plan):
    ax = goal_progress_chart(progress_plan, CHECK_INS, "Amara's goals").axes[0]
    assert ax.get_title() == "Amara's goals"
    assert ax.get_ylim() == (0, 100)
    assert ax.yaxis.get_major_formatter()(50, 0) == "50%"
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    first, second = ax.get_lines()
    assert first.get_marker() not in (None, "None", "")
    assert first.get_linestyle() != second.get_linestyle()
    assert to_hex(first.get_color()) != to_hex(second.get_color())


def test_progress_chart_reads_check_ins_in_date_order(progress_plan):
    ax = goal_progress_chart(progress_plan, list(reversed(CHECK_INS))).axes[0]
    assert list(ax.get_lines()[0].get_ydata()) == [30.0, 50.0, 50.0]


@pytest.mark.parametrize("check_ins", [[], (), [{"progress": {"o1": {"percent": 10}}}]])
def test_progress_chart_with_no_check_ins_says_so(progress_plan, check_ins):
    ax = goal_progress_chart(progress_plan, check_ins).axes[0]
    assert "No check-ins yet. Record progress at your next session." in _texts(ax)
    assert not ax.get_lines()


def test_progress_chart_with_check_ins_but_no_progress_for_these_goals():
    ax = goal_progress_chart({}, CHECK_INS).axes[0]
    assert "No progress recorded against these goals yet." in _texts(ax)
    assert not ax.get_lines()


def test_goal_charts_are_exported_and_not_managed_by_pyplot(timeline, progress_plan):
    progress = goal_progress_chart(progress_plan, CHECK_INS)
    for fig in (timeline, progress, goal_timeline({}, TODAY)):
        assert fig.canvas.manager is None
        assert figure_bytes(fig, "png").startswith(b"\x89PNG")


# --- cohort: completion heatmap, group averages, progress histogram -------------------------


def _completion(count: int) -> pd.DataFrame:
    codes = np.arange(count * 4).reshape(count, 4) % 3
    return pd.DataFrame(
        codes,
        index=[f"Pair {n}" for n in range(count)],
        columns=["Getting to know each other", "Agreement", "Goals", "Closure"],
    )


def test_completion_heatmap_draws_the_states_in_three_colours_with_a_legend():
    matrix = _completion(3)
    fig = completion_heatmap(matrix)
    ax = fig.axes[0]
    image = ax.get_images()[0]
    np.testing.assert_array_equal(np.asarray(image.get_array()), matrix.to_numpy())
    colours = [to_hex(image.cmap(image.norm(code))) for code in (0, 1, 2)]
    assert colours == [c.lower() for c in COMPLETION_COLOURS]
    assert len(set(colours)) == 3
    assert _legend_labels(ax) == ["Not started", "In progress", "Complete"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.index)
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == list(matrix.columns)
    assert ax.get_title() == "Worksheet completion"


def test_completion_heatmap_stays_on_a_page_and_drops_names_that_would_overlap():
    small = completion_heatmap(_completion(3))
    big = completion_heatmap(_completion(500))
    assert big.get_size_inches()[1] <= CHART_HEIGHT  # 500 rows fit one page
    assert big.axes[0].get_images()[0].get_array().shape == (500, 4)
    assert not [t.get_text() for t in big.axes[0].get_yticklabels() if t.get_text()]
    assert "500 relationships" in big.axes[0].get_ylabel()
    assert small.get_size_inches()[1] < big.get_size_inches()[1]
    middling = completion_heatmap(_completion(40))
    assert len(middling.axes[0].get_yticklabels()) == 40  # still named while they fit
    for fig in (small, big):
        assert fig.canvas.manager is None
        assert figure_bytes(fig, "png").startswith(b"\x89PNG")


def test_completion_heatmap_with_no_relationships_says_so():
    fig = completion_heatmap(pd.DataFrame())
    assert "No relationships yet." in _texts(fig.axes[0])


def test_group_averages_bars_by_role_and_round_and_says_which_groups_are_too_small():
    fig = group_averages(
        ["Relate", "Listen"],
        {
            ("Mentees", "Baseline"): [3.0, 2.5],
            ("Mentees", "Follow-up"): [3.5, NAN],
            ("Mentors", "Baseline"): [NAN, 4.0],
        },
        "Averages",
        5,
        suppressed={("Mentors", "Baseline"): [True, False]},
    )
    ax = fig.axes[0]
    widths = sorted(round(b.get_width(), 2) for b in _bars(ax) if b.get_width() > 0)
    assert widths == [2.5, 3.0, 3.5, 4.0]
    texts = _texts(ax)
    assert "fewer than 3 people" in texts and "no ratings" in texts
    assert {"3.0", "2.5", "3.5", "4.0"} <= set(texts)
    assert _legend_labels(ax) == ["Mentees, baseline", "Mentees, follow-up", "Mentors, baseline"]
    handles = _legend(ax).legend_handles
    assert handles[0].get_hatch() in (None, "") and handles[1].get_hatch() == "///"
    assert to_hex(handles[0].get_edgecolor()) == to_hex(handles[1].get_edgecolor())
    assert to_hex(handles[0].get_edgecolor()) != to_hex(handles[2].get_edgecolor())
    assert ax.get_xlim() == (0, 5.6)


def test_group_averages_with_no_groups_says_so():
    fig = group_averages(["Relate"], {}, "Averages", 5)
    assert "No self-ratings yet." in _texts(fig.axes[0])


def test_progress_histogram_counts_relationships_per_tenth():
    fig = progress_histogram([5, 15, 12, 100, 95, None, NAN, 140])
    ax = fig.axes[0]
    heights = [b.get_height() for b in _bars(ax)]
    assert heights == [1, 2, 0, 0, 0, 0, 0, 0, 0, 3]  # 100 and 140 (clipped) in the last bin
    assert {"1", "2", "3"} <= set(_texts(ax))
    assert any(t.startswith("Median") for t in _texts(ax))
    assert ax.get_xlim() == (0, 100)
    assert ax.get_ylabel() == "Relationships"


def test_progress_histogram_with_nothing_says_so():
    fig = progress_histogram([])
    assert "No progress on goals recorded yet." in _texts(fig.axes[0])


def test_cohort_charts_are_exported_and_never_load_pyplot():
    code = (
        "import pandas as pd; from mentorkit.io.charts import figure_bytes; "
        "from mentorkit.io.charts.cohort import completion_heatmap, group_averages, "
        "progress_histogram; "
        "figure_bytes(completion_heatmap(pd.DataFrame([[0, 1, 2]])), 'png'); "
        "figure_bytes(group_averages(['A'], {('M', 'B'): [3.0]}, 'T', 5), 'png'); "
        "figure_bytes(progress_histogram([10.0]), 'png')"
    )
    assert "matplotlib.pyplot" not in _modules_after(code)
