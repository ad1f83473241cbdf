"""Competency ratings end to end: a mentor rates herself and her mentee rates her, each in
their own browser; the ratings are kept, the results page charts and sums them up, and the
follow-up round shows each baseline answer."""

from __future__ import annotations

import base64
import csv
import io
import re
import time
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from mentorkit.core import paths
from mentorkit.programme.kit_specs import load_specs
from mentorkit.programme.ratings import item_field_id

from .conftest import (
    SAVED,
    TIMEOUT_MS,
    expect_unsaved,
    field,
    label_of,
    reload,
    sign_in,
    status,
    text_box,
    wait_loaded,
    wait_saved,
)

pytestmark = pytest.mark.e2e

RELATIONSHIP = 1
AMARA_SELF = "ratings--mentor-competencies--self--baseline"
BEN_ON_AMARA = "ratings--mentor-competencies--partner-2--baseline"
AMARA_FOLLOW_UP = "ratings--mentor-competencies--self--follow-up"

FRAMEWORK = load_specs(paths.worksheets_folder()).frameworks["mentor-competencies"]
ITEMS = [item_field_id(d.id, i.id) for d in FRAMEWORK.domains for i in d.items]
NOT_APPLICABLE_ITEM = "envision__succession"
COMMENT = "I push for stretch goals; I could listen more before I do."

# Amara: 4 everywhere, 5 in Challenge, one item not applicable. Ben: 3, and 2 in Challenge.
AMARA = {
    item: "Not applicable"
    if item == NOT_APPLICABLE_ITEM
    else "5"
    if item.startswith("challenge__")
    else "4"
    for item in ITEMS
}
BEN = {item: "2" if item.startswith("challenge__") else "3" for item in ITEMS}

AMARA_SUMMARY = (
    "You and Ben Hughes see your Challenge skills most differently: "
    "you rate yourself 5.0, Ben Hughes gives 2.0."
)
BEN_SUMMARY = (
    "You and Amara Okafor see Amara Okafor's Challenge skills most differently: "
    "Amara Okafor rates themselves 5.0, you give 2.0."
)
RADAR = ("Radar chart “", "own view and partner's view")
GAP_BARS = ("Bar chart “", "where the views differ")
"""How each chart's text alternative starts, and what it is about (it goes on to give every
domain's value)."""


def open_task(page: Page, demo, task: str) -> Page:
    page.goto(f"{demo.url}/voila/render/ratings.ipynb?relationship={RELATIONSHIP}&task={task}")
    wait_loaded(page)
    return page


def rate(page: Page, chosen: dict[str, str]) -> None:
    for item, label in chosen.items():
        field(page, item).get_by_role("radio", name=label, exact=True).click()


# Every rating question on the page (by the words that name it) -> its chosen buttons' labels.
SELECTED_JS = """groups => Object.fromEntries(groups.map(group => {
    const label = document.getElementById(group.getAttribute('aria-labelledby')).cloneNode(true);
    label.querySelectorAll('[aria-hidden=true]').forEach(hidden => hidden.remove());
    const chosen = group.querySelectorAll('[role=radio][aria-checked=true]');
    return [label.textContent.trim(), [...chosen].map(button => button.innerText.trim())];
}))"""


def selected(page: Page) -> dict[str, list[str]]:
    return (
        page.get_by_role("radiogroup")
        .filter(has=page.get_by_role("radio"))
        .evaluate_all(SELECTED_JS)
    )


def expect_selected(page: Page, chosen: dict[str, str | None]) -> None:
    """Wait until the page shows exactly these choices (None: nothing selected), every
    rating field being one of them."""
    want = {label_of(item): [] if label is None else [label] for item, label in chosen.items()}
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (shown := selected(page)) != want and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    wrong = {k: (shown.get(k), want.get(k)) for k in shown.keys() | want.keys()}
    assert shown == want, {k: v for k, v in wrong.items() if v[0] != v[1]}


def open_results(page: Page, demo) -> Page:
    page.goto(f"{demo.url}/voila/render/results.ipynb?relationship={RELATIONSHIP}")
    return page


def expect_chart(page: Page, alt: tuple[str, str]) -> None:
    starts, about = alt
    chart = page.locator(f'img[alt^="{starts}"][alt*="{about}"]')
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("alt", re.compile(r"Relate[^.]*\d\.\d"))  # its values
    expect(chart).to_be_visible()
    # decode() rejects for an image that cannot be shown
    assert chart.evaluate("img => img.decode().then(() => img.naturalWidth)") > 100


def download(page: Page, name: str) -> bytes:
    link = page.locator("a.mk-download", has_text=name).first
    media, _, data = link.get_attribute("href").partition(";base64,")
    assert media.startswith("data:"), media
    return base64.b64decode(data)


def test_rate_self_and_partner_then_see_results_and_follow_up(fresh_demo, new_context):
    amara = open_task(sign_in(new_context(), fresh_demo, "Amara Okafor"), fresh_demo, AMARA_SELF)
    ben = open_task(sign_in(new_context(), fresh_demo, "Ben Hughes"), fresh_demo, BEN_ON_AMARA)
    assert len(ITEMS) == 38
    expect_selected(amara, dict.fromkeys(ITEMS))

    rate(amara, AMARA)
    text_box(amara, "challenge__comment").fill(COMMENT)
    expect_unsaved(amara)
    rate(ben, BEN)
    expect_unsaved(ben)
    wait_saved(amara)
    wait_saved(ben)

    for page, chosen in ((amara, AMARA), (ben, BEN)):
        reload(page)
        expect(status(page)).to_have_text(SAVED)
        expect_selected(page, chosen)
    expect(text_box(amara, "challenge__comment")).to_have_value(COMMENT)
    expect(text_box(ben, "challenge__comment")).to_have_value("")

    open_results(ben, fresh_demo)
    expect(ben.locator("p.mk-summary")).to_have_text([BEN_SUMMARY])
    expect_chart(ben, RADAR)
    expect_chart(ben, GAP_BARS)

    open_results(amara, fresh_demo)
    expect(amara.locator("p.mk-summary")).to_have_text([AMARA_SUMMARY])
    expect_chart(amara, RADAR)
    expect_chart(amara, GAP_BARS)
    assert download(amara, "PNG").startswith(b"\x89PNG")
    assert b"<svg" in download(amara, "SVG")
    rows = list(csv.DictReader(io.StringIO(download(amara, "All ratings (CSV)").decode())))
    assert Counter((r["rater"], r["relation"], r["person"]) for r in rows) == {
        ("Amara Okafor", "self", "Amara Okafor"): 38,
        ("Ben Hughes", "partner", "Amara Okafor"): 38,
    }

    open_task(amara, fresh_demo, AMARA_FOLLOW_UP)
    expect(field(amara, "comprehend__role")).to_contain_text("Baseline: 4 of 5 (Usually)")
    expect(field(amara, "challenge__stretch")).to_contain_text("Baseline: 5 of 5 (Consistently)")
    expect(field(amara, NOT_APPLICABLE_ITEM)).to_contain_text("Baseline: Not applicable")
    expect_selected(amara, dict.fromkeys(ITEMS))  # a new round starts blank
