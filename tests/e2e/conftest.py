"""Fixtures and helpers for the browser tests: real Chromium against a real ``mentorkit serve``.

Each test gets fresh browser contexts (no shared cookies). Most tests share one demo server
and keep out of each other's way by using their own relationship or fields; tests that need
a clean state (rate limiting, restarting the server) get a server of their own.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from mentorkit.core.paths import SHIPPED_KIT
from mentorkit.core.spec import Field
from mentorkit.core.spec_loader import load_worksheet
from mentorkit.programme.kit_specs import load_specs
from mentorkit.programme.ratings import rating_worksheet
from mentorkit.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    free_port,
    init_demo,
    sign_in_with_link,
)

TIMEOUT_MS = 30_000
HOME_PATH = "/voila/render/home.ipynb"
WORKSHEET = "getting-to-know-each-other.ipynb"
SAVED = re.compile(r"^Saved \d{1,2}:\d{2}$")

expect.set_options(timeout=TIMEOUT_MS)

PAIR = "?relationship=1"
EVERY_PAGE = {
    "Amara Okafor": [
        "home.ipynb",
        f"getting-to-know-each-other.ipynb{PAIR}",
        f"negotiating-expectations.ipynb{PAIR}",
        f"mentoring-agreement.ipynb{PAIR}",
        f"our-sessions.ipynb{PAIR}",
        f"goals-and-actions.ipynb{PAIR}",
        f"session-notes.ipynb{PAIR}&session=1",
        f"reflection-journal.ipynb{PAIR}",
        f"ratings.ipynb{PAIR}",
        f"ratings.ipynb{PAIR}&task=ratings--mentor-competencies--self--baseline",
        f"results.ipynb{PAIR}",
        f"portfolio.ipynb{PAIR}",
        "application.ipynb",
        f"worksheet.ipynb{PAIR}&worksheet=closure",
    ],
    "Fran Fletcher": [
        "dashboard.ipynb",
        "cohort.ipynb",
        "matching.ipynb",
        "programme-setup.ipynb",
        "results.ipynb",
    ],
}
"""Every app page, by the person who opens it (a pair member and the facilitator)."""


@dataclass
class Demo:
    """A running server on its own copy of the demo programme, and everyone's access code."""

    server: Server
    codes: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.url

    def worksheet_url(self, relationship: int, notebook: str = WORKSHEET) -> str:
        return f"{self.url}/voila/render/{notebook}?relationship={relationship}"


def start_demo(folder: Path) -> Demo:
    codes = init_demo(folder)
    return Demo(Server(data=folder, port=free_port()).start(), codes)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The shared server: tests on it must not depend on each other's answers."""
    shared = start_demo(tmp_path_factory.mktemp("shared"))
    yield shared
    shared.server.stop()


@pytest.fixture
def fresh_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A server with nothing saved and no sign-in history, for this test alone."""
    own = start_demo(tmp_path_factory.mktemp("fresh"))
    yield own
    own.server.stop()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Make a browser context (a separate person's browser); all are closed after the test."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


# --- signing in and opening pages -------------------------------------------------------------


def sign_in(context: BrowserContext, demo: Demo, name: str) -> Page:
    """Sign ``name`` in through the ``?code=`` link (and its Sign in button); returns their
    page, showing home."""
    page = context.new_page()
    sign_in_with_link(page, demo.url, demo.codes[name])
    expect(page.get_by_text(f"Hello, {name}")).to_be_visible()
    return page


def open_worksheet(page: Page, demo: Demo, relationship: int, notebook: str = WORKSHEET) -> Page:
    """Go to the worksheet (``notebook``) for ``relationship`` and wait until the form has loaded."""
    page.goto(demo.worksheet_url(relationship, notebook))
    wait_loaded(page)
    return page


def wait_loaded(page: Page) -> None:
    expect(status(page)).to_have_text(re.compile(r"^(Saved \d|Nothing saved yet|Read only)"))


def reload(page: Page) -> None:
    page.reload()
    wait_loaded(page)


def worksheet_for(
    context: BrowserContext, demo: Demo, name: str, relationship: int, notebook: str = WORKSHEET
) -> Page:
    """Sign ``name`` in and open the worksheet (``notebook``) of ``relationship``."""
    return open_worksheet(sign_in(context, demo, name), demo, relationship, notebook)


# --- reading and changing the form ------------------------------------------------------------


def _kit_labels() -> dict[str, set[str]]:
    """Each field of the shipped kit (worksheets, group items, rating tasks, the application
    form) -> its labels, by field id and by "worksheet-id:field-id"."""
    labels: dict[str, set[str]] = {}

    def add(worksheet_id: str, fields: tuple[Field, ...]) -> None:
        for f in fields:
            if f.label:
                for key in (f.id, f"{worksheet_id}:{f.id}"):
                    labels.setdefault(key, set()).add(f.label)
            add(worksheet_id, f.fields)

    kit = SHIPPED_KIT / "worksheets"
    specs = load_specs(kit)
    application = load_worksheet(kit / "applications" / "application.yaml")
    for worksheet in [application, *specs.worksheets.values()]:
        add(worksheet.id, worksheet.fields)
    for framework in specs.frameworks.values():
        for whose in ("self", "partner"):
            rating = rating_worksheet(framework, whose, "baseline", "them")
            add(rating.id, rating.fields)
    return labels


KIT_LABELS = _kit_labels()


def label_of(field_id: str) -> str:
    """The label a person reads for the shipped kit's field ``field_id``: tests name fields by
    id, and find them by these words, as a screen reader does. An id two worksheets use for
    different questions is named with its worksheet: "application:frequency"."""
    labels = KIT_LABELS.get(field_id, set())
    assert len(labels) == 1, f"{field_id!r} has labels {labels or 'none'} in the shipped kit"
    return next(iter(labels))


def field(page: Page | Locator, field_id: str) -> Locator:
    """A field of several parts (choices, rating buttons, a repeating group), found by its
    accessible name: a group, or a radiogroup when it offers one choice."""
    name = label_of(field_id)
    return page.get_by_role("group", name=name, exact=True).or_(
        page.get_by_role("radiogroup", name=name, exact=True)
    )


def text_box(page: Page | Locator, field_id: str) -> Locator:
    """The text box of a text or paragraph field, by its label."""
    return page.get_by_role("textbox", name=label_of(field_id), exact=True)


def date_box(page: Page | Locator, field_id: str) -> Locator:
    """The date input of a date field, by its label (a date box is a textbox to the browser's
    accessibility tree)."""
    return text_box(page, field_id)


def number_box(page: Page | Locator, field_id: str) -> Locator:
    """The box of a number field, by its label."""
    return page.get_by_role("spinbutton", name=label_of(field_id), exact=True)


def group_items(page: Page, field_id: str) -> Locator:
    """The items of a repeating group, in the order shown."""
    return field(page, field_id).locator(".mk-group-item")


READ_GROUP_JS = """items => items.map(item => {
    const shown = {heading: item.querySelector('.widget-html-content')?.innerText.trim() ?? ''};
    for (const sub of item.querySelectorAll('.mk-field')) {
        if (sub.offsetParent === null) continue;  // hidden by show_if
        const id = [...sub.classList].find(c => c.startsWith('mk-field-')).slice(9);
        const radio = sub.querySelector('input[type=radio]:checked');
        const box = sub.querySelector('textarea, input[type=text], input[type=date]');
        shown[id] = radio ? radio.parentElement.innerText.trim() : box ? box.value : '';
    }
    return shown;
})"""


def read_group(page: Page, field_id: str) -> list[dict[str, str]]:
    """What each item of a repeating group shows: its heading and each visible sub-field
    (text, paragraph and date boxes by value, a choice by its label; "" when blank)."""
    return group_items(page, field_id).evaluate_all(READ_GROUP_JS)


def wait_for_group(
    page: Page,
    field_id: str,
    want: Callable[[list[dict[str, str]]], bool],
    timeout_ms: int = TIMEOUT_MS,
) -> list[dict[str, str]]:
    """Wait until ``want`` holds for what the group shows (see ``read_group``); returns it.

    Reading the whole group at once, rather than item by item, never catches it half redrawn.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        items = read_group(page, field_id)
        if want(items):
            return items
        assert time.monotonic() < deadline, f"{field_id} still shows {items}"
        page.wait_for_timeout(200)


def group_item(page: Page, field_id: str, first_text: str) -> Locator:
    """The item whose first sub-field holds ``first_text`` (found by its place in the list)."""
    firsts = [([*item.values()] + [""])[1] for item in read_group(page, field_id)]
    assert firsts.count(first_text) == 1, f"{first_text!r} not once in {firsts}"
    return group_items(page, field_id).nth(firsts.index(first_text))


def status(page: Page) -> Locator:
    return page.locator(".mk-status")


def press_save(page: Page) -> None:
    page.locator(".mk-savebar").get_by_role("button", name="Save").click()


def expect_unsaved(page: Page) -> None:
    """Call straight after a change: the page has noticed it (autosave comes 1.5 s later)."""
    expect(status(page)).to_have_text("Unsaved changes")


def wait_saved(page: Page) -> None:
    """Call after ``expect_unsaved``: the change has been saved."""
    expect(status(page)).to_have_text(SAVED)


def fill_texts(page: Page, values: dict[str, str]) -> None:
    """Type into text or paragraph fields; returns once the page has noticed."""
    for field_id, value in values.items():
        text_box(page, field_id).fill(value)
    expect_unsaved(page)


def expect_texts(page: Page, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        expect(text_box(page, field_id)).to_have_value(value)


def type_and_save(page: Page, field_id: str, text: str) -> None:
    fill_texts(page, {field_id: text})
    wait_saved(page)


def add_own_tag(page: Page, field_id: str, tag: str) -> None:
    box = field(page, field_id).get_by_role("combobox", name="Add your own: type and press Enter")
    box.fill(tag)
    box.press("Enter")


def own_tags(page: Page, field_id: str) -> Locator:
    return field(page, field_id).locator("div.jupyter-widget-tag")


def make_conflict(first: Page, second: Page, field_id: str, first_text: str, second_text: str):
    """Both people change the same field; ``first`` saves it before ``second`` does.

    ``second`` types while ``first`` has typed but not saved, then ``first`` saves at once
    with the Save button, so ``second``'s autosave (1.5 s later) finds the field changed.
    Returns the conflict box that ``second`` sees.
    """
    fill_texts(first, {field_id: first_text})
    text_box(second, field_id).fill(second_text)
    press_save(first)
    expect(status(first)).to_have_text(SAVED)
    conflict = second.locator(".mk-conflict")
    expect(conflict).to_be_visible()
    return conflict


def xss_fired(page: Page) -> bool:
    return page.evaluate("() => window.__xss !== undefined")


# --- kernels ---------------------------------------------------------------------------------


def kernel_of(page: Page) -> str:
    """The page's kernel id, from the configuration Voila writes into the page."""
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def shut_down(server: Server, kernel_ids: list[str], within: float = 20.0) -> bool:
    """True once the server's log says every one of these kernels was shut down."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        log = server.log()
        if all(f"Kernel shutdown: {k}" in log for k in kernel_ids):
            return True
        time.sleep(0.3)
    return False
