"""Signing in with an access code, moving between pages, and signing out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Response, expect

from .conftest import HOME_PATH, wait_loaded

pytestmark = pytest.mark.e2e

WRONG_CODE = "AAAA-BBBB-CCCC"
REFUSED = "That access code was not recognised"
SIGN_IN_PAGE = re.compile(r"/signin(\?|$)")


def submit_code(page: Page, code: str) -> Response:
    """Type a code into the sign-in form and press Sign in; returns the answer's response."""
    page.locator("#code").fill(code)
    with page.expect_navigation() as navigation:
        page.locator("#signin").click()
    return navigation.value


def expect_signed_out(page: Page, demo) -> None:
    """Opening home lands on the sign-in form, showing nobody's data."""
    page.goto(demo.url + HOME_PATH)
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fvoila%2Frender%2Fhome\.ipynb"))
    expect(page.locator("#code")).to_be_visible()
    expect(page.get_by_text("Hello,")).to_have_count(0)


def test_wrong_codes_are_refused_then_slowed_down(fresh_demo, new_context):
    page = new_context().new_page()
    page.goto(f"{fresh_demo.url}/signin")

    response = submit_code(page, WRONG_CODE)
    assert response.status == 403
    expect(page).to_have_url(SIGN_IN_PAGE)
    expect(page.get_by_role("alert")).to_contain_text(REFUSED)
    shown = page.locator("body").inner_text()
    assert not [name for name in fresh_demo.codes if name in shown]
    expect_signed_out(page, fresh_demo)

    for _ in range(2):
        assert submit_code(page, WRONG_CODE).status == 403
        expect(page.get_by_role("alert")).to_contain_text(REFUSED)
    response = submit_code(page, WRONG_CODE)
    assert response.status == 429
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^Too many wrong codes"))

    # While the wait lasts, even a right code is turned away.
    response = submit_code(page, fresh_demo.codes["Amara Okafor"])
    assert response.status == 429
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^Too many wrong codes"))
    expect_signed_out(page, fresh_demo)


def test_sign_in_once_then_move_freely_until_sign_out(demo, new_context):
    context = new_context()
    page = context.new_page()
    page.goto(f"{demo.url}/signin")
    submit_code(page, demo.codes["Hana Sato"])
    expect(page).to_have_url(re.compile(re.escape(HOME_PATH) + "$"))
    expect(page.get_by_text("Hello, Hana Sato")).to_be_visible()

    page.locator("a.mk-open", has_text="Getting to know each other").click()
    expect(page).to_have_url(re.compile(r"/getting-to-know-each-other\.ipynb\?relationship=3$"))
    wait_loaded(page)
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Hana Sato")
    expect(page.locator("#code")).to_have_count(0)

    page.get_by_role("link", name="Home").click()
    expect(page.get_by_text("Hello, Hana Sato")).to_be_visible()
    session = context.cookies()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin\?signed_out=1$"))
    expect(page.get_by_role("alert")).to_have_text("You are signed out. See you next time.")
    expect_signed_out(page, demo)

    # The old session cookie, kept by someone, no longer opens anything either.
    replay = new_context()
    replay.add_cookies(session)
    expect_signed_out(replay.new_page(), demo)
