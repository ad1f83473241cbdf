"""One person filling in a worksheet: every kind of field is kept, and too-long text is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    SAVED,
    add_own_tag,
    date_box,
    expect_unsaved,
    field,
    open_worksheet,
    own_tags,
    press_save,
    reload,
    status,
    text_box,
    type_and_save,
    wait_saved,
    worksheet_for,
)

pytestmark = pytest.mark.e2e

BACKGROUND = "Started as a clinical photographer in Leeds.\nNow I lead a team of six."
REPLY_TIME = "Within two working days"
OWN_TAG = "Colour management"
NEXT_DATE = "2030-05-17"
INTEREST = "Hill walking"


def fill_every_kind_of_field(page: Page) -> None:
    text_box(page, "mentor_background").fill(BACKGROUND)
    text_box(page, "response_time").fill(REPLY_TIME)
    field(page, "expertise").get_by_label("Management").check()
    add_own_tag(page, "expertise", OWN_TAG)
    field(page, "meeting_frequency").get_by_label("Once a month").check()
    expect(date_box(page, "next_meeting")).to_be_hidden()
    field(page, "first_meeting_done").get_by_role("radio", name="Yes").click()
    expect(date_box(page, "next_meeting")).to_be_visible()
    date_box(page, "next_meeting").fill(NEXT_DATE)
    interests = field(page, "shared_interests")
    interests.get_by_role("button", name="Add shared interest").click()
    text_box(interests, "what").fill(INTEREST)
    expect_unsaved(page)
    wait_saved(page)


def expect_every_kind_of_field_kept(page: Page) -> None:
    expect(status(page)).to_have_text(SAVED)
    expect(text_box(page, "mentor_background")).to_have_value(BACKGROUND)
    expect(text_box(page, "response_time")).to_have_value(REPLY_TIME)
    expertise = field(page, "expertise")
    expect(expertise.get_by_label("Management")).to_be_checked()
    expect(expertise.get_by_label("Interpersonal skills")).not_to_be_checked()
    expect(own_tags(page, "expertise")).to_have_text([OWN_TAG])
    expect(field(page, "meeting_frequency").get_by_label("Once a month")).to_be_checked()
    expect(field(page, "meeting_frequency").get_by_label("Every two weeks")).not_to_be_checked()
    yes = field(page, "first_meeting_done").get_by_role("radio", name="Yes")
    expect(yes).to_have_class(re.compile(r"\bmod-active\b"))
    expect(date_box(page, "next_meeting")).to_have_value(NEXT_DATE)
    items = field(page, "shared_interests").locator(".mk-group-item")
    expect(items).to_have_count(1)
    expect(text_box(items, "what")).to_have_value(INTEREST)


def test_answers_survive_reload_new_page_and_server_restart(fresh_demo, new_context):
    context = new_context()
    page = worksheet_for(context, fresh_demo, "Amara Okafor", 1)
    fill_every_kind_of_field(page)

    reload(page)
    expect_every_kind_of_field_kept(page)

    page.close()
    page = open_worksheet(context.new_page(), fresh_demo, 1)
    expect_every_kind_of_field_kept(page)

    page.close()
    fresh_demo.server.restart()
    page = open_worksheet(context.new_page(), fresh_demo, 1)
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Amara Okafor")
    expect_every_kind_of_field_kept(page)


def test_too_long_text_is_refused_while_other_fields_save(demo, new_context):
    amara = worksheet_for(new_context(), demo, "Amara Okafor", 1)
    ben = worksheet_for(new_context(), demo, "Ben Hughes", 1)
    type_and_save(amara, "mentor_background", "The version that fits.")

    too_long = "x" * 2050
    text_box(amara, "mentor_background").fill(too_long)
    expect(text_box(amara, "mentor_background")).to_have_accessible_description(
        re.compile("the limit is 2,000. Shorten it by 50 characters")
    )
    expect(status(amara)).to_have_text(re.compile(r"^Not saved: 1 answer needs fixing"))
    expect(text_box(amara, "mentor_background")).to_have_value(too_long)

    text_box(amara, "meeting_times").fill("Tuesday lunchtimes; never after 6pm")
    press_save(amara)
    expect(status(amara)).to_have_text(re.compile(r"^Not saved: 1 answer needs fixing"))
    expect(text_box(amara, "mentor_background")).to_have_value(too_long)

    # The other field reaches the partner; the refused text never does.
    expect(text_box(ben, "meeting_times")).to_have_value("Tuesday lunchtimes; never after 6pm")
    expect(text_box(ben, "mentor_background")).to_have_value("The version that fits.")

    reload(amara)
    expect(text_box(amara, "mentor_background")).to_have_value("The version that fits.")
    expect(text_box(amara, "meeting_times")).to_have_value("Tuesday lunchtimes; never after 6pm")
    expect(status(amara)).to_have_text(SAVED)
