"""The application page: each person's application for matching, saved as they type."""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core import paths
from mentorkit.core.models import MIN_MENTOR_YEARS
from mentorkit.core.spec import Worksheet
from mentorkit.core.spec_loader import load_worksheet
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.forms import WorksheetForm

APPLICATION_FILE = "applications/application.yaml"


def application_worksheet() -> Worksheet:
    """The application form the trainer keeps in ``worksheets/applications/``."""
    path = paths.worksheets_folder() / APPLICATION_FILE
    if not path.is_file():
        raise MentorkitError(
            "The application form is missing (worksheets/applications/application.yaml). "
            "Ask your trainer to restore it."
        )
    return load_worksheet(path)


def eligibility_note(values: dict) -> str:
    """A plain word when someone with under two years' experience applies as a mentor."""
    years = values.get("years")
    if (
        values.get("role") == "mentor"
        and isinstance(years, (int, float))
        and years < MIN_MENTOR_YEARS
    ):
        return (
            "With under two years' experience you can apply as a mentee (or choose “Either” "
            "and we will match you as a mentee). Your answers are saved."
        )
    return ""


def build_application(ctx: AppContext) -> w.Widget:
    """The signed-in person's application."""
    if ctx.person.is_facilitator:
        raise MentorkitError(
            "Facilitators do not apply: the applications people fill in here appear on the "
            "Matching page."
        )
    worksheet = application_worksheet()
    record = ctx.store.application_record(ctx.person)
    form = WorksheetForm(worksheet, ctx.store, ctx.person, record)
    note = w.HTML()
    note.add_class("mk-application-note")

    def check() -> None:
        text = eligibility_note(form.data)
        note.value = f'<div class="mk-message mk-warning">{escape(text)}</div>' if text else ""

    form.listeners.append(check)
    check()
    box = w.VBox([form.widget, note])
    box.form = form
    return box


def application_app() -> w.Widget:
    """The application app, ready to display."""
    return page(build_application)
