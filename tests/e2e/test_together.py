"""Two people on one joint worksheet: live updates, conflicts, escaping and private fields."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    HOME_PATH,
    SAVED,
    add_own_tag,
    expect_texts,
    expect_unsaved,
    fill_texts,
    make_conflict,
    open_worksheet,
    own_tags,
    reload,
    sign_in,
    status,
    text_box,
    wait_saved,
    worksheet_for,
    xss_fired,
)

pytestmark = pytest.mark.e2e

PARTLY_SAVED = "Saved, except where you and someone else changed the same answer"


def test_partners_edit_at_once_and_settle_a_conflict(demo, new_context):
    chloe = worksheet_for(new_context(), demo, "Chloe Martin", 2)
    dev = worksheet_for(new_context(), demo, "Dev Patel", 2)
    both = {"mentor_background": "Chloe: ten years in theatre.", "mentee_background": "Dev: new."}

    fill_texts(chloe, {"mentor_background": both["mentor_background"]})
    fill_texts(dev, {"mentee_background": both["mentee_background"]})
    wait_saved(chloe)
    wait_saved(dev)
    # Each sees the other's answer appear on the open page, without reloading.
    expect_texts(chloe, both)
    expect_texts(dev, both)
    for page in (chloe, dev):
        reload(page)
        expect_texts(page, both)

    conflict = make_conflict(chloe, dev, "response_time", "Same day", "Within a week")
    expect(conflict).to_contain_text("Yours: Within a week")
    expect(conflict).to_contain_text("Saved by them: Same day")
    expect(status(dev)).to_have_text(PARTLY_SAVED)
    expect(text_box(dev, "response_time")).to_have_value("Within a week")
    reload(chloe)  # Dev's autosave held the disputed field back: Chloe's answer is still saved
    expect_texts(chloe, {**both, "response_time": "Same day"})

    dev.get_by_role("button", name="Keep mine").click()
    expect(conflict).to_have_count(0)
    expect(status(dev)).to_have_text(SAVED)
    expect(text_box(chloe, "response_time")).to_have_value("Within a week")
    for page in (chloe, dev):
        reload(page)
        expect_texts(page, {**both, "response_time": "Within a week"})


SCRIPT = '<img src=x onerror="window.__xss=1">'
BOLD = "<b>bold</b>"


def expect_nothing_rendered(page: Page) -> None:
    """The typed markup was not turned into elements, and its script never ran."""
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("b", has_text="bold")).to_have_count(0)
    assert not xss_fired(page)


def test_markup_typed_into_fields_is_shown_as_text(demo, new_context):
    elena = worksheet_for(new_context(), demo, "Elena Rossi", 3)
    farah = worksheet_for(new_context(), demo, "Farah Khan", 3)
    typed = {"mentor_hopes": SCRIPT, "response_time": BOLD}

    fill_texts(elena, typed)
    add_own_tag(elena, "expertise", SCRIPT)
    expect_unsaved(elena)
    wait_saved(elena)

    expect_texts(farah, typed)
    expect(own_tags(farah, "expertise")).to_have_text([SCRIPT])
    conflict = make_conflict(elena, farah, "mentee_hopes", SCRIPT, BOLD)
    expect(conflict).to_contain_text(f"Yours: {BOLD}")
    expect(conflict).to_contain_text(f"Saved by them: {SCRIPT}")
    expect_nothing_rendered(farah)

    reload(farah)
    expect_texts(farah, {**typed, "mentee_hopes": SCRIPT})
    expect(own_tags(farah, "expertise")).to_have_text([SCRIPT])
    home = sign_in(new_context(), demo, "Elena Rossi")
    for page in (elena, farah, home):
        expect_nothing_rendered(page)


def everything_shown(page: Page) -> str:
    """All text on the page, including what is inside text boxes."""
    return page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('input, textarea')].map(e => e.value)]
                 .join('\\n')"""
    )


def test_private_field_is_never_shown_to_the_partner(demo, new_context):
    secret = "Private note 7731: Ben seemed nervous"
    hopes = "Confidence in leading a team"
    ben = worksheet_for(new_context(), demo, "Ben Hughes", 1)
    amara = worksheet_for(new_context(), demo, "Amara Okafor", 1)

    fill_texts(amara, {"first_impressions": secret, "mentee_hopes": hopes})
    wait_saved(amara)
    reload(amara)
    expect_texts(amara, {"first_impressions": secret, "mentee_hopes": hopes})

    expect(text_box(ben, "mentee_hopes")).to_have_value(hopes)  # Ben's page has synced
    expect(text_box(ben, "first_impressions")).to_have_value("")
    assert secret not in everything_shown(ben)
    reload(ben)
    expect(text_box(ben, "mentee_hopes")).to_have_value(hopes)
    assert secret not in everything_shown(ben)
    ben.goto(demo.url + HOME_PATH)
    expect(ben.get_by_text("Hello, Ben Hughes")).to_be_visible()
    assert secret not in everything_shown(ben)

    # Nor to the facilitator, who sees the worksheet read only.
    facilitator = open_worksheet(sign_in(new_context(), demo, "Fran Fletcher"), demo, 1)
    expect(status(facilitator)).to_have_text("Read only")
    assert secret not in everything_shown(facilitator)
