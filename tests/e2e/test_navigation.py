"""Links between apps are followed inside the open page by its own kernel (issue 14): no new
page load, no new kernel, the address bar and Back/Forward as before, and nothing typed lost
on the way."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect
from voila.utils import get_voila_labextensions_path

from mentorkit.server.frontend import LONG_WAIT, SHORT_WAIT, patched_scripts

from .conftest import HOME_PATH, SAVED, WORKSHEET, kernel_of, sign_in, status


def test_a_link_from_home_opens_the_worksheet_in_the_same_page(demo, new_context):
    page = sign_in(new_context(), demo, "Chloe Martin")
    kernel = kernel_of(page)
    loads = []
    page.on("load", lambda _: loads.append(page.url))

    page.get_by_role("link", name="Getting to know each other").first.click()
    expect(page).to_have_url(re.compile(rf"/voila/render/{WORKSHEET}\?relationship=\d+$"))
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))
    expect(page).to_have_title("Session 1: Getting to know each other · Demo mentoring programme")
    assert kernel_of(page) == kernel and loads == []  # drawn in place by home's kernel

    page.go_back()
    expect(page).to_have_url(re.compile(rf"{HOME_PATH}$"))
    expect(page.get_by_text("Hello, Chloe Martin")).to_be_visible()
    page.go_forward()
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_text("Hello, Chloe Martin")).to_be_visible()
    assert kernel_of(page) == kernel and loads == []


def test_text_typed_just_before_leaving_is_saved(demo, new_context):
    page = sign_in(new_context(), demo, "Dev Patel")
    page.get_by_role("link", name="Getting to know each other").first.click()
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))
    box = page.locator("#rendered_cells textarea").first
    box.fill("Typed a moment before going home")
    page.get_by_role("link", name="Home").click()  # before the autosave's moment
    expect(page.get_by_text("Hello, Dev Patel")).to_be_visible()

    # A fresh page (its own kernel, as a shared link opens) shows it saved.
    other = new_context()
    again = sign_in(other, demo, "Dev Patel")
    again.get_by_role("link", name="Getting to know each other").first.click()
    expect(again.locator("#rendered_cells textarea").first).to_have_value(
        "Typed a moment before going home"
    )
    address = again.url
    direct = other.new_page()
    direct.goto(address)  # a direct link still opens as a page of its own
    expect(direct.locator("#rendered_cells textarea").first).to_have_value(
        "Typed a moment before going home"
    )
    expect(status(direct)).to_have_text(SAVED)


def test_the_navigator_follows_only_this_sites_app_pages(demo, new_context):
    page = sign_in(new_context(), demo, "Amara Okafor")
    before = page.locator("#rendered_cells").inner_text()
    for address in ("/etc/passwd", "/voila/render/../../secret.ipynb", "https://evil.example/"):
        page.evaluate(
            "(address) => { const box = document.querySelector('.mk-navigator input');"
            " box.value = address + ' 1'; box.dispatchEvent(new Event('input', {bubbles: true})); }",
            address,
        )
    page.wait_for_timeout(1500)
    assert page.locator("#rendered_cells").inner_text() == before
    log = demo.server.log()
    assert "Not an app page, not followed: /etc/passwd" in log
    assert "Traceback" not in log


def test_the_widgets_script_is_served_with_a_long_wait_for_state(demo):
    fixed = patched_scripts(get_voila_labextensions_path())
    assert fixed  # the installed widget manager has the four-second wait
    for name in fixed:
        served = requests.get(f"{demo.url}/voila/labextensions/{name}", timeout=10)
        assert served.status_code == 200
        assert LONG_WAIT in served.text and SHORT_WAIT not in served.text


VOILA_PIECE = re.compile(r"/voila/static/\d+\.voila\.js")


def test_a_page_loads_voilas_pieces_in_one_file_once_they_are_known(demo, new_context):
    first = sign_in(new_context(), demo, "Chloe Martin")  # pages before this one taught them
    expect(first.get_by_role("link", name="Getting to know each other").first).to_be_visible()

    context = new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = sign_in(context, demo, "Dev Patel")
    page.get_by_role("link", name="Getting to know each other").first.click()
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))  # widgets drawn

    bundles = [url for url in asked if "/mentorkit/chunks.js?v=" in url]
    pieces = [url for url in asked if VOILA_PIECE.search(url)]
    assert len(bundles) == 1, asked
    assert pieces == [], pieces  # none fetched one by one
    assert len(asked) < 40, asked  # it was over 90

    served = requests.get(bundles[0], headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Encoding"] == "gzip"
    assert "immutable" in served.headers["Cache-Control"]
    assert "webpackChunk" in served.text
