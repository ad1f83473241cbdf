"""The rating app: rate yourself and your partner on your frameworks, round by round."""

from __future__ import annotations

from urllib.parse import urlencode

import ipywidgets as w

from mentorkit.core.models import Relationship
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError
from mentorkit.programme import ratings
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.worksheet import choose_relationship
from mentorkit.ui.forms import WorksheetForm

APP = "ratings.ipynb"


def task_link(relationship_id: int, worksheet_id: str) -> str:
    return f"{APP}?{urlencode({'relationship': relationship_id, 'task': worksheet_id})}"


def _task_list(ctx: AppContext, relationship: Relationship, tasks: list[ratings.RatingTask]) -> str:
    rows = []
    for task in tasks:
        worksheet = task.worksheet()
        status = ctx.store.status(worksheet, relationship.id, ctx.person.id)
        round_title = ratings.round_label(task.round_id, ctx.programme_plan)
        who = "Yourself" if task.whose == "self" else task.subject.name
        rows.append(
            f'<tr><td><a class="mk-open" href="{escape(task_link(relationship.id, worksheet.id))}">'
            f"{escape(who)}</a></td><td>{escape(task.framework.title)}</td>"
            f"<td>{escape(round_title)}</td><td>{escape(status.label)}"
            f" ({status.answered}/{status.counted})</td></tr>"
        )
    return (
        '<table class="mk-table"><thead><tr><th>Whom you rate</th><th>Framework</th>'
        f"<th>Round</th><th>Status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def build_ratings(ctx: AppContext) -> w.Widget:
    """The list of ratings to do, or the chosen one as a form."""
    relationship = choose_relationship(ctx, "ratings")
    if not isinstance(relationship, Relationship):
        return relationship
    tasks = ratings.tasks_for(ctx.person, relationship, ctx.frameworks, ctx.programme_plan)
    if not tasks:
        raise MentorkitError("There are no competency ratings for you in this relationship.")
    chosen = ctx.query.get("task")
    task = next((t for t in tasks if t.worksheet().id == chosen), None)
    if task is None:
        if chosen:
            raise MentorkitError("That rating is not one of yours. Choose one from the list.")
        plan = ctx.programme_plan
        baseline = ratings.round_aside("baseline", plan)
        follow_up = ratings.round_aside("follow-up", plan)
        return w.HTML(
            "<p>Rate yourself, and your partner, at the "
            f"start ({escape(baseline)}) and again at the end ({escape(follow_up)}). Your "
            "partner sees your ratings of them; the facilitator sees only totals across the "
            f"programme.</p>{_task_list(ctx, relationship, tasks)}"
        )
    worksheet = task.worksheet()
    if task.round_id != "baseline":
        earlier_task = ratings.RatingTask(
            task.framework, task.whose, task.subject, "baseline", ctx.programme_plan
        )
        earlier = ctx.store.load(earlier_task.worksheet(), relationship.id, ctx.person.id).values
        worksheet = ratings.with_earlier_round(worksheet, earlier, "Baseline")
    # the task's own title ("Rating Ben Hughes (baseline)") under the page's
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship, heading="h2")
    back = w.HTML(
        f'<p><a href="{escape(APP)}?relationship={relationship.id}">All ratings</a> · '
        f'<a href="results.ipynb?relationship={relationship.id}">See the results</a></p>'
    )
    box = w.VBox([back, form.widget])
    box.form = form
    return box


def ratings_app() -> w.Widget:
    """The rating app, ready to display."""
    return page(build_ratings)
