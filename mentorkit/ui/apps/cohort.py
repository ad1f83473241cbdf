"""The facilitator's cohort page: completion, competency averages, goals and sessions across
the programme as charts, and the cohort report and programme data to download.

Everything shown comes from :mod:`mentorkit.facilitator.cohort`: states, counts, averages of groups of at
least three people, and the answers the worksheets share with the programme. The charts and
exports import matplotlib, pandas, fpdf2 and openpyxl only on this page.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from mentorkit.core.text import escape
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.dashboard import require_facilitator
from mentorkit.ui.apps.files import attempt, chart_image, error_html, started_download
from mentorkit.ui.page_log import log_exception

DOWNLOADS = {
    "pdf": ("Cohort report (PDF)", "cohort-report.pdf", "application/pdf"),
    "csv": ("Programme data (CSV)", "programme-data.zip", "application/zip"),
    "xlsx": (
        "Programme data (Excel)",
        "programme-data.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _image(figure) -> w.HTML:
    """A chart with its text alternative (what it shows, with its values)."""
    from mentorkit.io.charts import alt_text, figure_bytes

    png = figure_bytes(figure, "png")
    return w.HTML(f'<figure class="mk-chart">{chart_image(png, alt_text(figure), "")}</figure>')


def _list(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def _averages_table(rows: list[tuple]) -> str:
    if not rows:
        return '<p class="mk-help">No self-ratings yet.</p>'
    head = "".join(
        f"<th>{h}</th>" for h in ("Framework", "Domain", "Group", "Round", "Average", "People")
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f'<table class="mk-table mk-cohort-averages"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


class CohortPage:
    """The cohort's figures, drawn once when the page opens, and the download buttons."""

    def __init__(self, ctx: AppContext, today: dt.date | None = None):
        from mentorkit.facilitator import cohort, dashboard
        from mentorkit.io.documents.cohort_report import (
            overview,
            session_lines,
        )

        self.ctx = ctx
        self.programme_id = ctx.person.programme_id
        self.today = today or dt.date.today()
        self.frameworks = ctx.frameworks
        self.smallest = ctx.settings.smallest_group
        self.rows = dashboard.dashboard_rows(
            ctx.store,
            self.programme_id,
            ctx.worksheets,
            ctx.programme_plan,
            self.today,
            quiet_days=ctx.settings.quiet_days,
        )
        self.averages = cohort.competency_averages(
            ctx.store, self.programme_id, self.frameworks, self.smallest
        )
        summary = w.HTML(
            "<h2>Overview</h2>"
            + _list(overview(ctx.store, self.programme_id, self.rows, ctx.settings.quiet_days))
            + "<h2>Sessions and hours</h2>"
            + _list(session_lines(cohort.session_summary(self.rows)))
        )
        self.charts = w.VBox(self._charts())
        self.charts.add_class("mk-cohort-charts")
        table = w.HTML(
            "<h2>Competency self-ratings</h2><p>The average of each person's rating of "
            f"themselves, by role and round. Groups of fewer than {self.smallest} people "
            "show no average, so nobody's own ratings can be singled out.</p>"
            + _averages_table(cohort.averages_table_rows(self.averages))
        )
        self.downloads = w.HTML()
        self.downloads.add_class("mk-cohort-downloads")
        self.buttons = {}
        for kind, (label, _, _) in DOWNLOADS.items():
            button = w.Button(description=label, layout=w.Layout(width="auto"))
            button.on_click(lambda _, k=kind: self.prepare_download(k))
            self.buttons[kind] = button
        self.widget = w.VBox(
            [
                w.HTML(
                    "<p>Progress and figures across the programme. You see "
                    "states, counts and averages, never what pairs write to each other.</p>"
                ),
                summary,
                self.charts,
                table,
                w.HTML("<h2>Download</h2>"),
                w.HBox(list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap")),
                self.downloads,
            ]
        )

    def _charts(self) -> list[w.Widget]:
        from mentorkit.facilitator import cohort
        from mentorkit.io.charts.cohort import completion_heatmap, progress_histogram
        from mentorkit.io.documents.cohort_report import (
            averages_chart,
        )

        try:
            images = [
                w.HTML("<h2>Worksheet completion</h2>"),
                _image(completion_heatmap(cohort.completion_matrix(self.rows))),
                w.HTML("<h2>Competency self-ratings by role and round</h2>"),
            ]
            drawn = [
                _image(figure)
                for framework in self.frameworks.values()
                if (figure := averages_chart(self.averages, framework)) is not None
            ]
            if not drawn:
                note = (
                    "No self-ratings yet."
                    if self.averages.empty
                    else f"Every group has fewer than {self.smallest} people so far, so no "
                    "average is shown."
                )
                drawn = [w.HTML(f'<p class="mk-help">{escape(note)}</p>')]
            images += drawn
            images += [
                w.HTML("<h2>Progress on goals</h2>"),
                _image(progress_histogram(cohort.goal_progress_distribution(self.rows))),
            ]
            return images
        except Exception:
            log_exception("while drawing the cohort charts")
            return [
                w.HTML(
                    '<p class="mk-error">The charts could not be drawn just now. Please reload '
                    "the page; if it happens again, tell your trainer.</p>"
                )
            ]

    def make(self, kind: str) -> bytes:
        """The file for one download: ``pdf``, ``csv`` or ``xlsx``."""
        from mentorkit.facilitator.programme_answers import programme_tables
        from mentorkit.io.documents.cohort_report import (
            cohort_report,
        )
        from mentorkit.io.documents.report_formats import render_report
        from mentorkit.io.tables import to_csv, to_xlsx

        store, person = self.ctx.store, self.ctx.person
        if kind == "pdf":
            report = cohort_report(
                store,
                self.programme_id,
                self.ctx.worksheets,
                self.frameworks,
                self.ctx.programme_plan,
                self.today,
                viewer=person,
                rows=self.rows,
                min_group=self.smallest,
                quiet_days=self.ctx.settings.quiet_days,
            )
            return render_report(report, "pdf")
        tables = programme_tables(
            store, self.programme_id, self.ctx.worksheets, self.rows, viewer=person
        )
        return to_csv(tables) if kind == "csv" else to_xlsx(tables)

    def prepare_download(self, kind: str) -> None:
        """Make the file; it downloads at once (and stays as a link to save it again)."""
        _label, name, media = DOWNLOADS[kind]
        data, problem = attempt("making the file", lambda: self.make(kind))
        if data is None:
            self.downloads.value = error_html(problem)
            return
        self.ctx.store.audit(
            "export", self.ctx.person.id, f"cohort/{self.programme_id}", {"format": kind}
        )
        self.downloads.value = started_download(data, media, name)


def build_cohort(ctx: AppContext) -> w.Widget:
    """The cohort page (facilitators only)."""
    require_facilitator(ctx)
    cohort_page = CohortPage(ctx)
    box = cohort_page.widget
    box.page = cohort_page  # keeps the page alive with its widget
    return box


def cohort_app() -> w.Widget:
    """The cohort app, ready to display."""
    return page(build_cohort)
