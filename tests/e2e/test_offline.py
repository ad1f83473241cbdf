"""A workshop room may have no internet: every page, for a participant and for the facilitator,
renders whole from the laptop alone. Every request not to the server is blocked and recorded,
and no request may fail."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import EVERY_PAGE as PAGES
from .conftest import sign_in

pytestmark = pytest.mark.e2e

LEAVING = ("/voila/api/shutdown/", "/mentorkit/page-state/")
"""What a page sends as it is left."""


def _guard(page: Page, server: str) -> tuple[list[str], list[str]]:
    """Block every request that would leave the machine; returns (blocked, failed) lists that
    fill as the page works."""
    blocked: list[str] = []
    failed: list[str] = []
    here = urlsplit(server).netloc

    def route(route) -> None:
        address = urlsplit(route.request.url)
        if address.scheme in ("data", "blob") or address.netloc == here:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def on_failed(request) -> None:
        # A page being left tells the server so (its kernel can go); the navigation itself
        # cuts those notices short, which is not a missing part of the next page.
        leaving = any(part in request.url for part in LEAVING) and "ABORTED" in request.failure
        if not leaving:
            failed.append(f"{request.url} {request.failure}")

    page.context.route("**/*", route)
    page.on("requestfailed", on_failed)
    return blocked, failed


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_whole_with_nothing_from_outside_the_machine(demo, new_context, name):
    page = sign_in(new_context(), demo, name)
    blocked, failed = _guard(page, demo.url)
    for path in PAGES[name]:
        page.goto(f"{demo.url}/voila/render/{path}")
        expect(page.get_by_text(f"Signed in as {name}"), path).to_be_visible()
        expect(page.locator("#loading"), path).to_be_hidden()
        expect(page.get_by_text("Something went wrong"), path).to_have_count(0)
        page.wait_for_load_state("networkidle")
        assert blocked == [], (path, blocked)
        assert failed == [], (path, failed)
