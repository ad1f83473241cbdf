"""What stands around every app page before its kernel has drawn anything: the page's title,
the programme's name and colour, who is signed in, Home and Sign out.

Voila calls ``prepare_page`` (its pre-launch hook) with the notebook it is about to run. The
hook leaves out the cells this person may not see (``programme.page_cells``) and puts what
mentorkit's template shows into the notebook's metadata, so the header is on screen at once,
while "Preparing your page…" waits for the kernel; and the version of the front-end's pieces
served in one file (``frontend.ChunkBundle``), for the template to load before Voila's own.
"""

from __future__ import annotations

from typing import Any

from mentorkit.core import paths
from mentorkit.core.models import Person
from mentorkit.core.store import Store
from mentorkit.exceptions import SpecError
from mentorkit.programme.page_cells import page_title, shown_cells
from mentorkit.programme.settings import DEFAULTS, ProgrammeSettings, load_settings
from mentorkit.server.frontend import built_from
from mentorkit.server.pages import programme_name

_WAITING = {
    "home": "Preparing your home page…",
    "dashboard": "Preparing the dashboard…",
    "cohort": "Preparing the cohort figures…",
    "matching": "Preparing matching…",
    "programme-setup": "Preparing the programme's set-up…",
    "results": "Preparing your results…",
    "portfolio": "Preparing your portfolio…",
    "application": "Preparing your application…",
}
"""What the page says while its kernel runs; a worksheet says "Preparing your worksheet…"."""


def settings_in_use() -> ProgrammeSettings:
    """The kit's settings (the defaults while its settings file has a problem: the pages
    themselves tell the facilitator what is wrong)."""
    try:
        return load_settings(paths.worksheets_folder())
    except (SpecError, OSError):
        return DEFAULTS


def waiting_text(notebook_name: str) -> str:
    """The words shown while this notebook's page is prepared."""
    return _WAITING.get(notebook_name, "Preparing your worksheet…")


def chrome(
    store: Store, person: Person, cells: list, notebook_name: str, xsrf: str
) -> dict[str, str]:
    """What mentorkit's template shows around the page (all plain text; the template
    escapes it)."""
    settings = settings_in_use()
    programme = settings.title or programme_name(store)
    title = page_title(cells) or notebook_name.replace("-", " ").capitalize()
    return {
        "title": title,
        "programme": programme,
        "accent": settings.accent,
        "person": person.name,
        "xsrf": xsrf,
        "waiting": waiting_text(notebook_name),
    }


def prepare_page(handler: Any, notebook: Any, cwd: str) -> Any:
    """Voila's pre-launch hook: the notebook as this person's page is served."""
    store: Store = handler.store
    person = store.person(int(handler.current_user.username))
    notebook.cells = shown_cells(notebook.cells, person.is_facilitator)
    name = handler.request.path.rsplit("/", 1)[-1].removesuffix(".ipynb")
    shown = chrome(store, person, notebook.cells, name, handler.xsrf_token.decode("ascii"))
    shown["front_end"] = built_from()
    notebook.metadata["mentorkit"] = shown
    notebook.metadata["title"] = f"{shown['title']} · {shown['programme']}"
    return notebook
