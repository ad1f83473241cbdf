"""In Chromium: a partner whose name is written like Markdown and HTML is shown by that name,
as text, on the page for rating them; nothing is fetched from the host the name points at."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import Request, expect

from mentorkit.core import access
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.store import Store
from mentorkit.programme import ratings

from .conftest import sign_in, wait_loaded

pytestmark = pytest.mark.e2e

EVIL = "![x](http://evil.example/x.png) [click](http://evil.example) <b>bold</b> **star**"
PLAIN = "Ada Plain"


def test_a_partners_markup_name_is_shown_as_text_on_the_rating_page(fresh_demo, new_context):
    store = Store(fresh_demo.server.data / DATABASE_NAME)
    try:
        programme = store.programme()
        eve, _ = access.add_person(store, programme.id, EVIL)
        ada, code = access.add_person(store, programme.id, PLAIN)
        pair = store.add_relationship(
            programme.id, "one-to-one", [(eve.id, "mentor"), (ada.id, "mentee")]
        )
    finally:
        store.close()
    fresh_demo.codes[PLAIN] = code
    context = new_context()
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    context.on("request", note)
    page = sign_in(context, fresh_demo, PLAIN)

    page.goto(f"{fresh_demo.url}/voila/render/ratings.ipynb?relationship={pair.id}")
    rate_them = page.get_by_role("link", name=EVIL, exact=True)
    expect(rate_them).to_have_count(2)  # baseline and follow-up, each by the name as typed
    rate_them.first.click()
    wait_loaded(page)
    task = ratings.worksheet_id("mentor-competencies", f"partner-{eve.id}", "baseline")
    assert page.url.endswith("?" + urlencode({"relationship": pair.id, "task": task}))
    intro = page.locator(".mk-intro")
    expect(intro).to_contain_text(f"Rate {EVIL} on each behaviour")
    expect(intro.get_by_role("img")).to_have_count(0)
    expect(intro.get_by_role("link")).to_have_count(0)
    expect(page.get_by_role("heading", name=f"rating {EVIL} (baseline)")).to_be_visible()
    expect(page.get_by_role("link", name="click", exact=True)).to_have_count(0)

    page.reload()
    wait_loaded(page)
    assert requested, "no requests were recorded"
    assert not [url for url in requested if urlparse(url).hostname == "evil.example"]
