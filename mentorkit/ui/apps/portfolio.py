"""The portfolio app: what goes into your CPD portfolio, and the PDF or HTML to download."""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core.models import Relationship
from mentorkit.core.text import escape
from mentorkit.exceptions import NotAllowed
from mentorkit.io import portfolio
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.files import attempt, error_html, started_download
from mentorkit.ui.apps.links import worksheet_link
from mentorkit.ui.apps.worksheet import choose_relationship

FORMATS = (("pdf", "PDF"), ("html", "HTML"))


class PortfolioPage:
    """A summary of the portfolio's contents with download buttons."""

    def __init__(self, ctx: AppContext, relationship: Relationship):
        self.ctx, self.relationship = ctx, relationship
        chosen = portfolio.chosen_reflections(
            ctx.store, ctx.worksheets, relationship.id, ctx.person
        )
        evidence = (
            portfolio.values_of(
                ctx.store, ctx.worksheets, portfolio.EVIDENCE, relationship.id, ctx.person.id
            ).get("evidence")
            or []
        )
        journal = escape(worksheet_link(portfolio.JOURNAL, relationship.id))
        evidence_link = escape(worksheet_link(portfolio.EVIDENCE, relationship.id))
        summary = w.HTML(
            f"<p>Your portfolio for <b>{escape(relationship.title)}</b> "
            "brings together your profile, the agreement, your goals and their outcomes, your "
            "competency ratings at baseline and follow-up, a log of your sessions with their "
            "hours, the reflections you choose, and your evidence.</p><ul>"
            f"<li>{len(chosen)} reflection{'s' if len(chosen) != 1 else ''} chosen. Choose "
            f'more in <a href="{journal}">your journal</a> with <i>Include in my CPD '
            "portfolio</i>; nothing private goes in unless you choose it.</li>"
            f"<li>{len(evidence)} piece{'s' if len(evidence) != 1 else ''} of evidence. Add "
            f'achievements, courses and certificates in <a href="{evidence_link}">My CPD '
            "evidence</a>.</li></ul>"
        )
        buttons = []
        for fmt, label in FORMATS:
            button = w.Button(description=f"Download {label}", layout=w.Layout(width="auto"))
            button.add_class(f"mk-portfolio-{fmt}")
            button.on_click(lambda _, f=fmt: self.prepare_download(f))
            buttons.append(button)
        self.downloads = w.HTML()
        self.widget = w.VBox([summary, w.HBox(buttons), self.downloads])

    def prepare_download(self, fmt: str) -> None:
        """Build the portfolio now (from the latest saves) and offer it as a link."""
        from mentorkit.io.documents.report import MEDIA_TYPES
        from mentorkit.io.documents.report_formats import render_report

        data, problem = attempt(
            "making the portfolio",
            lambda: render_report(
                portfolio.build_portfolio(
                    self.ctx.store,
                    self.ctx.worksheets,
                    self.ctx.frameworks,
                    self.relationship,
                    self.ctx.person,
                    self.ctx.programme_plan,
                ),
                fmt,
            ),
        )
        if data is None:
            self.downloads.value = error_html(problem)
            return
        name = f"cpd-portfolio.{fmt}"
        self.downloads.value = started_download(data, MEDIA_TYPES[fmt], name)


def build_portfolio_page(ctx: AppContext) -> w.Widget:
    """The portfolio page of the signed-in person."""
    relationship = choose_relationship(ctx, "portfolio")
    if not isinstance(relationship, Relationship):
        return relationship
    if relationship.role_of(ctx.person.id) is None:
        raise NotAllowed(
            "A CPD portfolio belongs to the person it describes; only the people in a "
            "relationship can make theirs."
        )
    portfolio_page = PortfolioPage(ctx, relationship)
    box = portfolio_page.widget
    box.page = portfolio_page
    return box


def portfolio_app() -> w.Widget:
    """The portfolio app, ready to display."""
    return page(build_portfolio_page)
