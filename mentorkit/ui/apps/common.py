"""What every app page shares: opening the store, finding who is signed in, loading the
worksheets, and turning any failure into a plain message instead of a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as w

from mentorkit.core import access, paths
from mentorkit.core.models import Person
from mentorkit.core.signin import query, signed_in_person, still_signed_in, under_voila
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import SaveLimit, Store
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError, SpecError, SpecProblem, StoreUnavailable
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.kit_specs import load_kit
from mentorkit.programme.plan import ProgrammePlan
from mentorkit.programme.settings import DEFAULTS, ProgrammeSettings
from mentorkit.ui.apps import navigation
from mentorkit.ui.apps.style import stylesheet
from mentorkit.ui.forms import guard
from mentorkit.ui.forms.form import use_autosave_delay
from mentorkit.ui.page_log import log, log_exception


@dataclass
class AppContext:
    """Everything an app page needs to draw itself."""

    store: Store
    person: Person
    worksheets: dict[str, Worksheet]
    query: dict[str, str]
    programme_plan: ProgrammePlan | None = None
    frameworks: dict[str, Framework] = field(default_factory=dict)
    settings: ProgrammeSettings = DEFAULTS


def strict() -> bool:
    """Under tests (``MENTORKIT_STRICT=1``) a page raises instead of showing a message, so that
    nbval notices a notebook that would show one."""
    return os.environ.get("MENTORKIT_STRICT") == "1"


def notice(message: str, title: str = "Sorry, this page cannot be shown") -> w.HTML:
    """A plain, escaped message box."""
    if strict():
        raise RuntimeError(f"{title}: {message}")
    return w.HTML(f'<div class="mk-notice"><b>{escape(title)}</b><br>{escape(message)}</div>')


def open_store() -> Store:
    """The programme's store (``$MENTORKIT_STORE``, else the data folder's SQLite file),
    without ever creating an empty one by mistake; a page's saves are held to the store's save
    limit (what a person can type, not what a script can send)."""
    url = paths.store_url()
    if url:
        return Store(url, save_limit=SaveLimit())
    path = paths.database_path()
    if not path.exists():
        raise MentorkitError(
            f"There is no programme in {path.parent} yet. "
            "The facilitator can create one with: mentorkit init"
        )
    return Store(path, save_limit=SaveLimit())


def site_address(path: str) -> str:
    """``path`` on the site serving this page: under its base URL (``$MENTORKIT_BASE_URL``,
    set by ``mentorkit serve``; behind JupyterHub, a prefix such as ``/user/NAME/``)."""
    return os.environ.get("MENTORKIT_BASE_URL", "/").rstrip("/") + "/" + path.lstrip("/")


def header(person: Person, settings: ProgrammeSettings = DEFAULTS) -> w.HTML:
    """Who is signed in, for a notebook opened outside Voila. A served page has mentorkit's
    header from its template (the programme's name and colour, Home, Sign out): empty there."""
    if under_voila():
        return w.HTML("")
    title = f"{escape(settings.title)} · " if settings.title else ""
    return w.HTML(f'<div class="mk-header">{title}Signed in as <b>{escape(person.name)}</b></div>')


SIGNED_OUT = (
    "Your session has ended (you signed out, or your access code was changed or withdrawn), "
    "so this page has stopped: nothing more is saved or shown here. Anything you saved is "
    "safe. Sign in again with your access code to carry on."
)


def signed_out_notice() -> w.HTML:
    """What a page becomes once its session has ended."""
    link = (
        f' <a href="{escape(site_address("signin"))}">Sign in again</a>.' if under_voila() else ""
    )
    return w.HTML(
        f'<div class="mk-notice" role="alert"><b>You have been signed out</b><br>'
        f"{escape(SIGNED_OUT)}{link}</div>"
    )


def sign_in_box(store: Store, on_success: Callable[[Person], None]) -> w.Widget:
    """Ask for an access code (used outside Voila; under Voila the sign-in page does it)."""
    if under_voila():
        return w.HTML(
            '<div class="mk-notice"><b>Please sign in.</b><br>Your sign-in has ended. '
            f'<a href="{escape(site_address("signin"))}">Sign in again</a> with your access '
            "code.</div>"
        )
    code = w.Text(placeholder="e.g. K7QM-4XRT-9B2H", description="Access code")
    button = w.Button(description="Sign in", button_style="primary")
    message = w.HTML()

    def attempt(_: object = None) -> None:
        try:
            person = access.sign_in(store, code.value, client="notebook")
        except MentorkitError as error:
            message.value = f'<span class="mk-error">{escape(error)}</span>'
            return
        on_success(person)

    button.on_click(attempt)
    intro = w.HTML("<h2>Welcome</h2><p>Type the access code your facilitator gave you.</p>")
    return w.VBox([intro, w.HBox([code, button]), message])


def problem_lines(problems: tuple[SpecProblem, ...] | list[SpecProblem]) -> list[str]:
    """Kit problems as the facilitator reads them: paths within the kit, not the server's."""
    kit = paths.kit_folder()
    lines = []
    for problem in problems:
        file = Path(problem.file)
        try:
            shown = file.resolve().relative_to(kit.resolve()).as_posix()
        except ValueError:
            shown = file.name
        where = f"{shown}, line {problem.line}" if problem.line else shown
        at = f" (at {problem.path})" if problem.path else ""
        lines.append(f"{where}{at}: {problem.message} Fix: {problem.fix}")
    return lines


def kit_problems_notice(problems: tuple[SpecProblem, ...], kept: bool) -> w.HTML:
    """For the facilitator only: which kit file has a problem and how to fix it."""
    intro = (
        "A file in the programme's kit has a problem, so every page goes on with the last "
        "version that worked; participants see nothing of this. Fix the file and reload: "
        "the fix is picked up at once, with no restart."
        if kept
        else "A file in the programme's kit has a problem, so this page cannot be drawn. Fix "
        "it and reload."
    )
    items = "".join(f"<li>{escape(line)}</li>" for line in problem_lines(problems))
    return w.HTML(
        f'<div class="mk-notice mk-kit-problems" role="alert"><b>The kit needs fixing</b>'
        f"<br>{escape(intro)}<ul>{items}</ul></div>"
    )


KIT_BEING_CHANGED = (
    "This page is being changed by your programme's trainer and cannot be shown just now. "
    "Your saved work is safe. Please try again in a few minutes; if it goes on, tell your "
    "facilitator."
)


def page(build: Callable[[AppContext], w.Widget]) -> w.VBox:
    """An app page: ``build`` draws it once the person is known; failures become messages."""
    root = w.VBox([])
    root.add_class("mk-page")
    moving: list[w.Widget] = []  # the navigator, on the first page a kernel draws

    def show(*children: w.Widget) -> None:
        root.children = [stylesheet(), *moving, *children]

    box = navigation.navigator(root, show)
    if box is not None:
        moving.append(box)

    def draw(store: Store, person: Person) -> None:
        navigation.viewer(person.is_facilitator)
        guard.watch(
            lambda: still_signed_in(store, person),
            lambda: show(signed_out_notice()),
            served=under_voila(),
        )
        try:
            kit = load_kit(paths.worksheets_folder(), paths.kept_kit_path())
        except SpecError as error:
            log.error("The kit has problems and no last good copy is kept:\n%s", error)
            if person.is_facilitator:
                show(header(person), kit_problems_notice(tuple(error.problems), kept=False))
            else:
                show(header(person), notice(KIT_BEING_CHANGED, "Please try again soon"))
            return
        if kit.problems:
            log.error(
                "The kit has problems; pages use the last good copy:\n%s",
                SpecError(list(kit.problems)),
            )
        specs = kit.specs
        use_autosave_delay(specs.settings.autosave_seconds)
        warning = (
            [kit_problems_notice(kit.problems, kept=True)]
            if kit.problems and person.is_facilitator
            else []
        )
        try:
            ctx = AppContext(
                store,
                person,
                specs.worksheets,
                query(),
                specs.plan,
                specs.frameworks,
                specs.settings,
            )
            show(header(person, specs.settings), *warning, build(ctx))
        except SpecError as error:  # a kit file read by the page itself (weights, forms)
            log.error("A kit file this page reads has problems:\n%s", error)
            if person.is_facilitator:
                show(header(person), kit_problems_notice(tuple(error.problems), kept=False))
            else:
                show(header(person), notice(KIT_BEING_CHANGED, "Please try again soon"))
        except StoreUnavailable as error:
            log.error("The programme's database: %s", error)
            show(header(person), notice(error.public, "Please try again soon"))
        except MentorkitError as error:
            show(header(person), notice(str(error)))
        except Exception:
            log_exception("while drawing a page")
            if strict():
                raise
            show(
                notice(
                    "Something went wrong on our side. Your saved work is safe. Please reload "
                    "the page; if it happens again, tell your facilitator."
                )
            )

    try:
        store = open_store()
        person = signed_in_person(store)
    except StoreUnavailable as error:
        log.error("The programme's database: %s", error)
        show(notice(error.public, "Please try again soon"))
        return root
    except MentorkitError as error:
        show(notice(str(error)))
        return root
    except Exception:
        log_exception("while opening the programme")
        show(notice("The programme's data could not be opened. Please tell your facilitator."))
        return root
    if person is None:
        if strict():
            raise RuntimeError("Nobody is signed in (set MENTORKIT_CODE for notebook tests).")
        show(sign_in_box(store, lambda signed: draw(store, signed)))
    else:
        draw(store, person)
    return root
