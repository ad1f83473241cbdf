"""What only a browser shows of the look: text boxes in the page's own font, buttons that show
their whole label, links that look like links, and a chosen rating point that stands out by
colour and by shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import field, sign_in, wait_loaded

pytestmark = pytest.mark.e2e

FIRST_RATING = "comprehend__role"


def test_text_buttons_links_and_the_chosen_rating_are_clear(demo, new_context):
    page = sign_in(new_context(), demo, "Amara Okafor")
    link = page.locator(".mk-page a").first
    expect(link).to_have_css("text-decoration-line", "underline")

    page.goto(f"{demo.url}/voila/render/getting-to-know-each-other.ipynb?relationship=1")
    wait_loaded(page)
    box = page.locator(".mk-page textarea").first
    assert "monospace" not in box.evaluate("e => getComputedStyle(e).fontFamily")

    page.goto(
        f"{demo.url}/voila/render/ratings.ipynb?relationship=1"
        "&task=ratings--mentor-competencies--self--follow-up"
    )
    wait_loaded(page)
    buttons = field(page, FIRST_RATING).get_by_role("radio")
    chosen, other = buttons.nth(2), buttons.nth(3)
    chosen.click()
    expect(chosen).to_have_css("font-weight", "600")
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).boxShadow]"
    chosen_look, other_look = chosen.evaluate(style), other.evaluate(style)
    assert chosen_look[0] != other_look[0], (chosen_look, other_look)  # colour
    assert chosen_look[1] != "none" and other_look[1] in ("none", ""), (chosen_look, other_look)

    # Every button's label fits inside it (wrapped if need be, never cut off).
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.mk-page button')]
            .filter(b => b.offsetParent && b.scrollWidth > b.clientWidth + 1)
            .map(b => b.innerText)"""
    )
    assert cut == []


def test_every_page_wears_the_programmes_header_and_one_title(demo, new_context):
    page = sign_in(new_context(), demo, "Amara Okafor")
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Demo mentoring programme")
    expect(header).to_contain_text("Signed in as Amara Okafor")
    expect(header.get_by_role("link", name="Home")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).to_have_title("Your mentoring programme · Demo mentoring programme")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_text("Trainers", exact=False)).to_have_count(0)

    # a link followed inside the page: the tab's title follows it
    page.get_by_role("link", name="Negotiating expectations").first.click()
    expect(page).to_have_title("Negotiating expectations · Demo mentoring programme")
    expect(page.get_by_role("heading", level=1, name="Negotiating expectations")).to_be_visible()
    expect(page.get_by_text("For facilitators")).to_have_count(0)  # the facilitator's only
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_text("For facilitators")).to_have_count(0)


def test_the_facilitator_sees_the_facilitators_notes(demo, new_context):
    page = sign_in(new_context(), demo, "Fran Fletcher")
    page.goto(f"{demo.url}/voila/render/negotiating-expectations.ipynb?relationship=1")
    expect(page.get_by_text("For facilitators: running this in a workshop")).to_be_visible()
    expect(page.get_by_text("Trainers", exact=False)).to_have_count(0)


def test_the_room_view_is_for_a_projector(demo, new_context):
    page = sign_in(new_context(), demo, "Fran Fletcher")
    page.goto(f"{demo.url}/voila/render/dashboard.ipynb")
    expect(page.get_by_role("table")).to_be_visible()
    page.get_by_role("button", name="Room view").click()
    overall = page.locator(".mk-room-overall")
    expect(overall).to_contain_text("The room has done")
    expect(page.get_by_role("banner")).to_be_hidden()  # the whole screen is the room's
    expect(page.get_by_role("heading", name="Dashboard")).to_be_hidden()
    expect(page.get_by_label("Search")).to_be_hidden()
    expect(page.get_by_text("Needs a check-in")).to_have_count(0)  # progress only
    card = page.locator(".mk-room-card").first
    assert float(card.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 20
    page.get_by_role("button", name="Back to the dashboard").click()
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()


def test_a_file_downloads_in_the_one_click_that_makes_it(demo, new_context):
    page = sign_in(new_context(), demo, "Amara Okafor")
    page.goto(f"{demo.url}/voila/render/our-sessions.ipynb?relationship=1")
    button = page.get_by_role("button", name=re.compile("calendar", re.IGNORECASE))
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "mentoring-sessions.ics"
    assert Path(download.value.path()).read_bytes().startswith(b"BEGIN:VCALENDAR")
    expect(page.get_by_role("link", name="save mentoring-sessions.ics again")).to_be_visible()
