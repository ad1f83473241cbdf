"""The goals app: the plan editor, a timeline and progress charts, and downloads.

The charts and exports import matplotlib and fpdf2 only when they are asked for, so the
page opens as quickly as a plain worksheet.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from mentorkit.core.dates import date_words
from mentorkit.core.models import Relationship
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError
from mentorkit.programme import goal_plans, ratings, schedule
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.files import attempt, chart_image, error_html, started_download
from mentorkit.ui.apps.worksheet import choose_relationship
from mentorkit.ui.forms import PlanField, WorksheetForm
from mentorkit.ui.page_log import log_exception

GOALS, PLAN_FIELD = goal_plans.WORKSHEET, goal_plans.PLAN_FIELD
DOWNLOADS = (("pdf", "PDF"), ("md", "Markdown"), ("csv", "Actions (CSV)"))


class GoalsPage:
    """The form with its plan editor, and the charts and downloads tabs."""

    def __init__(self, ctx: AppContext, relationship: Relationship, form: WorksheetForm):
        self.ctx, self.relationship, self.form = ctx, relationship, form
        self.editor: PlanField = form.fields[PLAN_FIELD]  # type: ignore[assignment]
        self.today = dt.date.today()
        self.window = schedule.window(
            ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan
        )
        self.editor.window, self.editor.today = self.window, self.today
        try:
            self.editor.area_suggestions = tuple(
                ratings.development_areas(ctx.store, ctx.frameworks, relationship, ctx.person)
            )
        except Exception:  # suggestions are a help, never a reason the page cannot open
            log_exception("while collecting areas to develop")
        self.editor.refresh()
        self.charts = w.VBox([w.HTML('<p class="mk-help">Drawing the charts…</p>')])
        self.charts.add_class("mk-goal-charts")
        self.downloads = w.HTML()
        buttons = []
        for fmt, label in DOWNLOADS:
            button = w.Button(description=f"Download {label}", layout=w.Layout(width="auto"))
            button.on_click(lambda _, f=fmt: self.prepare_download(f))
            buttons.append(button)
        self.download_box = w.VBox(
            [
                w.HTML(
                    "<p>The goals and action plan as a document to keep or share, and the "
                    "actions as a spreadsheet.</p>"
                ),
                w.HBox(buttons, layout=w.Layout(flex_flow="row wrap")),
                self.downloads,
            ]
        )
        self.tabs = w.Tab(children=[form.widget, self.charts, self.download_box])
        for index, title in enumerate(("Plan", "Timeline and progress", "Download")):
            self.tabs.set_title(index, title)
        self.tabs.observe(self._tab_changed, "selected_index")
        self._drawn_for: object = None
        form.listeners.append(self._plan_saved)
        self.widget = w.VBox([self._sessions_line(), self.tabs])

    def _sessions_line(self) -> w.HTML:
        upcoming = self.window.next_session(self.today)
        if upcoming:
            number, day = upcoming
            text = f"Next session: session {number}, {date_words(day)}."
        elif self.window.sessions:
            text = "All the planned sessions have taken place."
        else:
            text = (
                "No session dates yet: they come from the start date and meeting frequency "
                "in your mentoring agreement."
            )
        return w.HTML(f'<p class="mk-help mk-next-session">{escape(text)}</p>')

    def _tab_changed(self, change: dict) -> None:
        if change["new"] == 1:
            self.draw_charts()

    def _plan_saved(self) -> None:
        if self.tabs.selected_index == 1:
            self.draw_charts()

    def draw_charts(self) -> None:
        """Draw the timeline and the progress chart from what is on screen."""
        plan = self.editor.value or {}
        if plan == self._drawn_for:
            return
        try:
            from mentorkit.io.charts import alt_text, figure_bytes
            from mentorkit.io.charts.goals import goal_progress_chart, goal_timeline

            timeline = goal_timeline(plan, self.today, self.window.sessions)
            progress = goal_progress_chart(plan, plan.get("check_ins") or [])
            images = [
                w.HTML(chart_image(figure_bytes(figure, "png"), alt_text(figure)))
                for figure in (timeline, progress)
            ]
        except Exception:
            log_exception("while drawing the goal charts")
            self.charts.children = [
                w.HTML(
                    '<p class="mk-error">The charts could not be drawn just now. Your plan '
                    "is safe; please try again in a moment.</p>"
                )
            ]
            return
        self._drawn_for = plan
        self.charts.children = images

    def prepare_download(self, fmt: str) -> None:
        """Make the file and offer it as a link (the browser saves it)."""
        from mentorkit.io.documents import goals as goal_exports

        made, problem = attempt(
            "making the goals file",
            lambda: goal_exports.export(
                self.editor.value or {},
                fmt,
                relationship=self.relationship,
                programme=self.ctx.store.programme(self.relationship.programme_id).name,
                window=self.window,
                today=self.today,
            ),
        )
        if made is None:
            self.downloads.value = error_html(problem)
            return
        data, media_type = made
        name = f"goals-and-actions.{fmt}"
        self.downloads.value = started_download(data, media_type, name)


def build_goals(ctx: AppContext) -> w.Widget:
    """The goals page for the chosen relationship."""
    worksheet = ctx.worksheets.get(GOALS)
    if worksheet is None:
        raise MentorkitError(
            f"The worksheet {GOALS!r} is missing from the worksheets folder, so the goals "
            "cannot be shown. Ask your trainer to restore it."
        )
    relationship = choose_relationship(ctx, GOALS)
    if not isinstance(relationship, Relationship):
        return relationship
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship)
    if not isinstance(form.fields.get(PLAN_FIELD), PlanField):
        raise MentorkitError(
            f"The goals worksheet has no field {PLAN_FIELD!r} of type goal_plan, so the plan "
            "cannot be shown. Ask your trainer to restore it (mentorkit check helps)."
        )
    goals_page = GoalsPage(ctx, relationship, form)
    box = goals_page.widget
    box.page = goals_page  # keeps the page (and its form's timers) alive
    return box


def goals_app() -> w.Widget:
    """The goals app, ready to display."""
    return page(build_goals)
