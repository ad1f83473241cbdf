"""Links between apps are followed inside the open page by its own kernel (issue 14): no new
page load, no new kernel, the address bar and Back/Forward as before, and nothing typed lost
on the way."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from playwright.sync_api import expect

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


def test_a_page_loads_its_front_end_in_two_files_kept_by_the_browser(demo, new_context):
    context = new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = sign_in(context, demo, "Dev Patel")
    page.get_by_role("link", name="Getting to know each other").first.click()
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))  # widgets drawn

    front_end = [url for url in asked if urlsplit(url).path.startswith("/mentorkit/static/")]
    assert sorted(url.split("?")[0].rsplit("/", 1)[1] for url in front_end) == [
        "page.css",
        "page.js",
    ]
    assert not [url for url in asked if "/voila/static/" in url or "/labextensions/" in url]
    assert len(asked) < 15, asked  # Voila's own front-end made over 90

    for url in front_end:
        served = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert served.status_code == 200
        assert served.headers["Content-Encoding"] == "gzip"
        assert "immutable" in served.headers["Cache-Control"]
        assert served.text.startswith("/* mentorkit page front-end, built from ")


def test_voilas_own_front_end_is_not_served(demo):
    for path in (
        "/voila/static/voila.js",
        "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json",
        "/voila/api/themes/@jupyterlab/theme-light-extension/index.css",
        "/mentorkit/static/BUILT_FROM",
        "/mentorkit/static/../frontend.py",
    ):
        assert requests.get(demo.url + path, timeout=10).status_code == 404, path
