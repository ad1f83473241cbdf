"""In Chromium: two people apply on the site, the facilitator matches the applications filled
in here and accepts, and the pair is made between the people who applied: nobody is added,
no new code is made, and each finds the new relationship on their own home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import field, sign_in, status, text_box

pytestmark = pytest.mark.e2e

WAIT_MS = 60_000


def apply(page: Page, role: str, years: str, goals: str, expertise: tuple[str, str]) -> None:
    """Fill in My application: the role, years, goals, one area of expertise, Wednesday
    afternoons and once a month; wait until it is saved."""
    page.get_by_role("link", name="My application").click()
    expect(status(page)).to_have_text(re.compile(r"^(Nothing saved yet|Saved \d)"))
    field(page, "role").get_by_label(role).check()
    text_box(page, "years").fill(years)
    text_box(page, "goals").fill(goals)
    field(page, expertise[0]).get_by_label(expertise[1]).check()
    field(page, "slots").get_by_label("Wednesday afternoon").check()
    field(page, "application:frequency").get_by_label("Once a month").check()
    expect(status(page)).to_have_text(re.compile(r"^Saved \d"), timeout=WAIT_MS)


def test_accepting_site_applications_pairs_the_people_who_applied(fresh_demo, new_context):
    chloe = sign_in(new_context(), fresh_demo, "Chloe Martin")
    apply(chloe, "A mentor", "9", "Help someone lead their first team", ("offers", "Management"))
    dev = sign_in(new_context(), fresh_demo, "Dev Patel")
    apply(dev, "A mentee", "1", "Lead my first team", ("seeks", "Management"))

    fran = sign_in(new_context(), fresh_demo, "Fran Fletcher")
    fran.goto(f"{fresh_demo.url}/voila/render/matching.ipynb")
    fran.locator(".mk-match-site").click()
    expect(fran.locator(".mk-match-summary")).to_have_text(
        "2 applications are ready to match (1 mentor, 1 mentee).", timeout=WAIT_MS
    )
    rows = fran.locator(".mk-match-table tbody tr")
    expect(rows).to_have_count(1, timeout=WAIT_MS)
    expect(rows.locator("td").nth(0)).to_have_text("Chloe Martin")
    expect(rows.locator("td").nth(1)).to_have_text("Dev Patel")
    fran.locator(".mk-match-accept").click()
    expect(fran.locator(".mk-message.mk-ok")).to_have_text(
        "Created 1 relationship.", timeout=WAIT_MS
    )
    expect(fran.locator(".mk-new-codes h4")).to_have_count(0)  # nobody new, no new codes
    expect(fran.get_by_text("mentorkit.invalid")).to_have_count(0)

    # Dev, in his own browser, finds the new pair beside the peer pair he was already in.
    dev.goto(fresh_demo.url + "/")
    expect(dev.get_by_text(re.compile(r"Chloe Martin \(mentor\)"))).to_have_count(1)
    expect(dev.get_by_text("Traceback")).to_have_count(0)
