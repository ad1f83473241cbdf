"""A crowd arriving at once (issue 14): every page is drawn and saves, and people beyond what
the machine is set to hold wait with their place shown, then get their page by themselves."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from mentorkit.testing import Server, add_pairs, free_port, init_demo

from .conftest import SAVED, WORKSHEET, sign_in, status, text_box, wait_loaded

PAIRS = 5
WAIT_MS = 180_000
"""Ten pages on two cores in CI: generous, but a page that never comes still fails."""


def arrive(context, url: str, code: str, relationship: int) -> Page:
    """Open a card's sign-in link that leads straight to the pair's worksheet and press Sign
    in without waiting for the page, as everyone in the room does at the same moment."""
    page = context.new_page()
    worksheet = f"/voila/render/{WORKSHEET}?relationship={relationship}"
    page.goto(f"{url}/signin?code={code}&next={quote(worksheet, safe='')}")
    page.locator("#signin").click(no_wait_after=True)
    return page


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    data = tmp_path_factory.mktemp("crowd")
    init_demo(data)
    pairs = add_pairs(data, PAIRS)
    server = Server(data=data, port=free_port(), extra_args=["--expect", "2"]).start()
    yield server, pairs
    server.stop()


def test_ten_people_arriving_at_once_all_get_their_worksheet_and_save(crowd, new_context):
    server, pairs = crowd
    people = []
    for relationship, mentor, mentee in pairs:
        for role, (name, code) in (("mentor", mentor), ("mentee", mentee)):
            people.append((relationship, role, name, code))
    pages = [arrive(new_context(), server.url, code, rel) for rel, _r, _n, code in people]

    typed = {}
    for page, (_rel, role, name, _code) in zip(pages, people, strict=True):
        box = text_box(page, f"{role}_hopes")
        expect(box, f"{name} on {page.url}").to_be_editable(timeout=WAIT_MS)
        typed[name] = f"{name} hopes to learn together"
        box.fill(typed[name])
    for page in pages:
        expect(status(page)).to_have_text(SAVED, timeout=WAIT_MS)

    # Every typed value is in the database, and each page shows its partner's.
    database = sqlite3.connect(server.data / "mentorkit.sqlite3")
    stored = " ".join(v for (v,) in database.execute("SELECT data FROM revisions"))
    database.close()
    assert all(value in stored for value in typed.values())
    for index, (_rel, role, _name, _code) in enumerate(people):
        partner = people[index + 1 if role == "mentor" else index - 1]
        expect(text_box(pages[index], f"{partner[1]}_hopes")).to_have_value(
            typed[partner[2]], timeout=WAIT_MS
        )
    log = server.log()
    assert "Timeout waiting for IOPub" not in log
    assert "Traceback" not in log


def test_beyond_the_pages_the_machine_holds_people_wait_their_turn(tmp_path, new_context):
    data = tmp_path / "small"
    codes = init_demo(data)
    server = Server(
        data=data, port=free_port(), extra_args=["--expect", "1", "--max-pages", "2"]
    ).start()
    try:
        first = arrive(new_context(), server.url, codes["Amara Okafor"], 1)
        second = arrive(new_context(), server.url, codes["Ben Hughes"], 1)
        for page in (first, second):
            expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))

        # A third person finds the machine full: their place is shown, and kept.
        third = arrive(new_context(), server.url, codes["Elena Rossi"], 3)
        place = third.get_by_role("status")
        expect(place).to_have_text("Preparing your page — you are next.")
        expect(third).to_have_title(re.compile("Preparing your page"))
        third.wait_for_timeout(4_500)  # two more asks, still waiting, still in place
        expect(third.get_by_role("status")).to_have_text("Preparing your page — you are next.")

        # Amara closes her tab: Elena's page opens by itself, and works.
        first.close(run_before_unload=True)
        box = text_box(third, "mentor_hopes")
        expect(box).to_be_editable(timeout=WAIT_MS)
        box.fill("Elena got in after waiting")
        expect(status(third)).to_have_text(SAVED)
        third.reload()
        expect(text_box(third, "mentor_hopes")).to_have_value("Elena got in after waiting")
    finally:
        server.stop()


def test_a_page_being_prepared_says_so_without_an_endless_animation(demo, new_context):
    """Forty pages loading at once on one laptop: an endless animation on each (Voila's
    spinning logo) costs a tenth of a core per page for as long as it shows. The front-end's
    code is held back for two seconds so the page stays in its loading state to be read."""
    context = new_context()
    page = sign_in(context, demo, "Amara Okafor")

    def held_back(route):
        page.wait_for_timeout(2000)
        route.continue_()

    context.route(re.compile(r"/mentorkit/static/page\.js"), held_back)
    page.goto(demo.worksheet_url(1), wait_until="commit")
    loading = page.get_by_role("status").filter(has_text="Preparing your worksheet…")
    expect(loading).to_be_visible()
    assert page.evaluate("document.getAnimations().length") == 0
    assert "Executing" not in loading.inner_text()
    context.unroute(re.compile(r"/mentorkit/static/page\.js"))
    wait_loaded(page)
    expect(loading).to_have_count(0)
