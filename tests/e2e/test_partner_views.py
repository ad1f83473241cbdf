"""In Chromium: someone else's copy of an individual worksheet says whose it is; a worksheet
only its owner sees offers nobody else's copy; a question for mentors is asked of mentors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.store import Store

from .conftest import field, sign_in, wait_loaded

pytestmark = pytest.mark.e2e

AMARA, BEN = "Amara Okafor", "Ben Hughes"
CAPACITY = "As a mentor, how many mentees I can take"


def person_id(demo, name: str) -> int:
    store = Store(demo.server.data / DATABASE_NAME)
    try:
        return next(p.id for p in store.people(store.programme().id) if p.name == name)
    finally:
        store.close()


def test_a_partners_journal_is_titled_for_whose_it_is(demo, new_context):
    amara = sign_in(new_context(), demo, AMARA)
    amara.goto(f"{demo.url}/voila/render/reflection-journal.ipynb?relationship=1")
    wait_loaded(amara)
    theirs = amara.get_by_role("link", name=f"{BEN}'s reflection journal")
    expect(theirs).to_be_visible()
    theirs.click()
    wait_loaded(amara)
    expect(amara.locator(".mk-form h2")).to_have_text(f"{BEN}'s reflection journal")
    expect(amara.get_by_role("heading", name="My reflection journal")).to_have_count(0)
    expect(amara.get_by_text(f"This is {BEN}'s copy, read only")).to_be_visible()
    expect(amara.get_by_role("link", name="Your own")).to_be_visible()


def test_evidence_only_its_owner_sees_offers_no_partners_copy(demo, new_context):
    amara = sign_in(new_context(), demo, AMARA)
    amara.goto(f"{demo.url}/voila/render/worksheet.ipynb?worksheet=cpd-evidence&relationship=1")
    wait_loaded(amara)
    expect(amara.get_by_text("nobody else sees yours")).to_be_visible()
    expect(amara.get_by_role("link", name=re.compile(BEN))).to_have_count(0)
    amara.goto(
        f"{demo.url}/voila/render/worksheet.ipynb?worksheet=cpd-evidence&relationship=1"
        f"&person={person_id(demo, BEN)}"
    )
    expect(amara.get_by_text(f"only {BEN} can open their copy")).to_be_visible()
    expect(amara.locator(".mk-form")).to_have_count(0)


def test_only_someone_who_may_mentor_is_asked_a_mentors_capacity(fresh_demo, new_context):
    ben = sign_in(new_context(), fresh_demo, BEN)
    ben.get_by_role("link", name="My application").click()
    wait_loaded(ben)
    capacity = ben.get_by_text(CAPACITY)
    expect(capacity).to_be_hidden()
    role = field(ben, "role")
    for label, asked in (("A mentee", False), ("A mentor", True), ("Either", True)):
        role.get_by_label(label, exact=True).check()
        expect(capacity).to_be_visible() if asked else expect(capacity).to_be_hidden()
    role.get_by_label("A mentee", exact=True).check()
    expect(capacity).to_be_hidden()
