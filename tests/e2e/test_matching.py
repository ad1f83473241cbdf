"""The facilitator's matching page: load sixty applications, tune the weights and see the
proposal change, lock a pair that then holds on re-runs, accept, and find the new relationships
on the dashboard. Only the facilitator may open the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from test_applications import pool, to_csv

from .conftest import Demo, sign_in
from .test_facilitator import (
    DASHBOARD,
    FACILITATOR,
    FOR_FACILITATOR,
    dash_row,
    open_dashboard,
    page_url,
)

pytestmark = pytest.mark.e2e

MATCHING = "matching.ipynb"
MATCH_WAIT_MS = 60_000
"""Matching sixty people again (and redrawing 39 rows) after each change, on a loaded machine."""

LOCKED_MENTOR, LOCKED_MENTEE = "Mentor 1", "Mentee 12"
"""A pair proposed once expertise counts for nothing; raising the goals weight to 5 would
part them (checked against ``mentorkit.matching.match``), so the lock is what keeps them."""

TOTAL = re.compile(r"^39 pairs proposed, total score \d+\.$")


def open_matching(page: Page, demo: Demo) -> Page:
    page.goto(page_url(demo, MATCHING))
    expect(page.get_by_role("heading", name="Matching")).to_be_visible()
    expect(page.locator(".mk-match-file")).to_be_visible()
    return page


def upload_applications(page: Page, data: bytes) -> None:
    """Give ``data`` to the applications box (see ``test_facilitator.upload``)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".mk-match-file").click()
    chooser.value.set_files({"name": "applications.csv", "mimeType": "text/csv", "buffer": data})


def set_weight(page: Page, name: str, value: int) -> None:
    """Type ``value`` into the slider's editable readout and press Enter."""
    readout = page.locator(f".mk-weight-{name} .widget-readout")
    readout.click()
    readout.press("ControlOrMeta+A")
    readout.press_sequentially(str(value))
    readout.press("Enter")
    expect(readout).to_have_text(re.compile(rf"^{value}(\.0+)?$"))


def total(page: Page) -> Locator:
    """The line above the table: "39 pairs proposed, total score 3377."."""
    return page.locator(".mk-match-result p").first


def table_rows(page: Page) -> Locator:
    return page.locator(".mk-match-table tbody tr")


def proposed_row(page: Page, mentor: str, mentee: str) -> Locator:
    return (
        table_rows(page)
        .filter(has=page.locator("td:nth-child(1)", has_text=re.compile(f"^{re.escape(mentor)}$")))
        .filter(has=page.locator("td:nth-child(2)", has_text=re.compile(f"^{re.escape(mentee)}$")))
    )


def test_facilitator_matches_sixty_applications(fresh_demo, new_context):
    demo = fresh_demo
    fran_context = new_context()
    fran = sign_in(fran_context, demo, FACILITATOR)

    # The dashboard before: the demo's own relationships.
    board = open_dashboard(fran_context.new_page(), demo)
    before_rows = board.locator(".mk-dash-table tr.mk-dash-row")
    expect(before_rows).to_have_count(3)
    before = before_rows.count()
    board.close()

    # The applications: 20 mentors with 39 places between them, and 40 mentees.
    open_matching(fran, demo)
    expect(fran.locator(".mk-match-table")).to_have_count(0)
    accept = fran.locator(".mk-match-accept")
    expect(accept).to_be_disabled()
    upload_applications(fran, to_csv(pool()))
    expect(fran.locator(".mk-match-summary")).to_have_text(
        "60 applications are ready to match (20 mentors, 40 mentees).", timeout=MATCH_WAIT_MS
    )
    expect(fran.locator(".mk-match-bad")).to_have_count(0)
    expect(table_rows(fran)).to_have_count(39, timeout=MATCH_WAIT_MS)
    expect(total(fran)).to_have_text(TOTAL)
    unmatched = fran.locator(".mk-match-unmatched li")
    expect(unmatched).to_have_count(1)
    expect(unmatched).to_have_text(re.compile(r"^Mentee \d+: No mentor had capacity left \(.+\)$"))
    picks = fran.locator(".mk-match-pick select option")
    expect(picks).to_have_count(39)
    # ipywidgets writes an option's spaces as no-break spaces, hence \s rather than " ".
    expect(picks.first).to_have_text(re.compile(r"^Mentor\s\d+\s–\sMentee\s\d+\s\(\d+\)$"))
    expect(accept).to_be_enabled()
    expect(fran.get_by_text("🔒")).to_have_count(0)

    # Expertise counts for nothing: a different proposal.
    first_total = total(fran).inner_text()
    first_table = fran.locator(".mk-match-table tbody").inner_text()
    set_weight(fran, "expertise", 0)
    expect(total(fran)).not_to_have_text(first_total, timeout=MATCH_WAIT_MS)
    expect(total(fran)).to_have_text(TOTAL)
    expect(table_rows(fran)).to_have_count(39)
    assert fran.locator(".mk-match-table tbody").inner_text() != first_table

    # She locks one proposed pair.
    pair = f"{LOCKED_MENTOR} – {LOCKED_MENTEE}".replace(" ", r"\s")
    option = picks.filter(has_text=re.compile(rf"^{pair}\s\(\d+\)$"))
    expect(option).to_have_count(1)
    fran.locator(".mk-match-pick select").select_option(label=option.inner_text())
    fran.locator(".mk-match-lock").click()
    expect(fran.locator(".mk-match-rules")).to_have_text(
        f"Locked: {LOCKED_MENTOR} – {LOCKED_MENTEE}", timeout=MATCH_WAIT_MS
    )
    locked_row = proposed_row(fran, LOCKED_MENTOR, LOCKED_MENTEE)
    expect(locked_row.locator("td").last).to_have_text("🔒", timeout=MATCH_WAIT_MS)

    # Another weight changes the proposal; the locked pair stays, marked.
    second_total = total(fran).inner_text()
    set_weight(fran, "goals", 5)
    expect(total(fran)).not_to_have_text(second_total, timeout=MATCH_WAIT_MS)
    expect(table_rows(fran)).to_have_count(39)
    expect(locked_row).to_have_count(1)
    expect(locked_row.locator("td").last).to_have_text("🔒")
    expect(fran.locator(".mk-match-table td", has_text="🔒")).to_have_count(1)
    expect(fran.locator(".mk-match-rules")).to_have_text(
        f"Locked: {LOCKED_MENTOR} – {LOCKED_MENTEE}"
    )
    expect(unmatched).to_have_count(1)

    # Accept: everyone in a pair is added, with codes and cards.
    accept.click()
    expect(fran.locator(".mk-message.mk-ok")).to_have_text(
        "Created 39 relationships and added 59 people (their codes are below).",
        timeout=MATCH_WAIT_MS,
    )
    expect(accept).to_be_disabled()
    cards = fran.locator("a.mk-cards")
    expect(cards).to_have_attribute("download", "access-cards.pdf")
    assert cards.get_attribute("href").startswith("data:application/pdf;base64,")
    expect(fran.locator(".mk-new-codes").get_by_role("heading")).to_have_text(
        "New access codes (59)"
    )

    # The dashboard, opened afresh in her browser: 39 more relationships, the locked pair too.
    board = open_dashboard(fran_context.new_page(), demo)
    assert board.url.endswith(DASHBOARD)
    expect(board.locator(".mk-dash-table tr.mk-dash-row")).to_have_count(before + 39)
    expect(board.get_by_text(re.compile(rf"^{before + 39} relationships ·"))).to_be_visible()
    row = dash_row(board, f"{LOCKED_MENTOR} & {LOCKED_MENTEE}")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_contain_text(
        f"{LOCKED_MENTOR} (mentor), {LOCKED_MENTEE} (mentee)"
    )
    expect(board.get_by_text("Traceback")).to_have_count(0)
    expect(fran.get_by_text("Traceback")).to_have_count(0)


def test_a_pair_member_cannot_open_matching(demo, new_context):
    ben = sign_in(new_context(), demo, "Ben Hughes")
    ben.goto(page_url(demo, MATCHING))
    expect(ben.locator(".mk-notice")).to_contain_text(FOR_FACILITATOR)
    expect(ben.locator(".mk-match-file, .mk-match-result, .mk-match-accept")).to_have_count(0)
    expect(ben.get_by_text("Traceback")).to_have_count(0)
