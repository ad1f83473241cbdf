"""What only a browser shows of the look: text boxes in the page's own font, buttons that show
their whole label, links that look like links, and a chosen rating point that stands out by
colour and by shape."""

from __future__ import annotations

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
    buttons = field(page, FIRST_RATING).get_by_role("button")
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
