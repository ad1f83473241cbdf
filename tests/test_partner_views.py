"""Whose copy is whose: someone else's copy of an individual worksheet is titled for its
owner, a worksheet only its owner sees offers nobody else's copy, and application questions
for one role are asked only of that role."""

from __future__ import annotations

import html
import re

import pytest
from pages import sign_in_as, text_of

from mentorkit.core.paths import database_path
from mentorkit.core.store import Store
from mentorkit.ui.apps import application_app, worksheet
from mentorkit.ui.apps.worksheet import only_its_owner_sees, whose_title

AMARA, BEN, FRAN = "Amara Okafor", "Ben Hughes", "Fran Fletcher"


def person_id(name: str) -> int:
    store = Store(database_path())
    try:
        return next(p.id for p in store.people(store.programme().id) if p.name == name)
    finally:
        store.close()


def open_page(monkeypatch, demo, viewer: str, worksheet_id: str, **query: object):
    sign_in_as(monkeypatch, demo, viewer)
    link = "&".join(f"{k}={v}" for k, v in {"relationship": 1, **query}.items())
    monkeypatch.setenv("QUERY_STRING", link)
    return worksheet(worksheet_id)


def title_of(page) -> str:
    """The worksheet's title above the form ("" where the page's notebook titles the page)."""
    header = page.children[-1].form.widget.children[0].value
    found = re.search(r"<h[12][^>]*>(.*?)</h[12]>", header)
    return html.unescape(found[1]) if found else ""


def test_whose_title_names_the_owner():
    assert whose_title("My reflection journal", "Ben") == "Ben's reflection journal"
    assert whose_title("My CPD evidence", "Ben") == "Ben's CPD evidence"
    assert whose_title("Closing words", "Ben") == "Ben's copy of Closing words"


def test_someone_elses_journal_is_titled_for_whose_it_is(demo, monkeypatch):
    ben = person_id(BEN)
    theirs = open_page(monkeypatch, demo, AMARA, "reflection-journal", person=ben)
    assert title_of(theirs) == f"{BEN}'s reflection journal"
    text = text_of(theirs)
    assert "My reflection journal" not in text
    assert "Your entries are **private**" not in text  # the owner's introduction is not shown
    assert f"This is {BEN}'s copy, read only" in text
    assert "Your own</a>" in text
    own = open_page(monkeypatch, demo, AMARA, "reflection-journal")
    assert title_of(own) == ""  # its notebook titles the page: "Reflection journal"
    assert f">{BEN}'s reflection journal</a>" in text_of(own)
    assert f"person={ben}" in text_of(own)


@pytest.mark.parametrize("viewer", [AMARA, FRAN])
def test_evidence_only_its_owner_sees_offers_no_other_copy(demo, monkeypatch, shipped, viewer):
    assert only_its_owner_sees(shipped["cpd-evidence"])
    assert not only_its_owner_sees(shipped["reflection-journal"])  # entries can be shared
    assert not only_its_owner_sees(shipped["closing-reflection"])
    own = text_of(open_page(monkeypatch, demo, AMARA, "cpd-evidence"))
    assert "nobody else sees yours" in own and "person=" not in own
    theirs = open_page(monkeypatch, demo, viewer, "cpd-evidence", person=person_id(BEN))
    assert f"only {BEN} can open their copy" in text_of(theirs)
    assert not hasattr(theirs.children[-1], "form")


@pytest.mark.parametrize(
    ("role", "not_for_this_role"),
    [("mentee", "As a mentor"), ("mentor", "be mentored"), ("either", "be mentored")],
)
def test_application_questions_for_one_role_are_asked_only_of_it(
    demo, monkeypatch, role, not_for_this_role
):
    sign_in_as(monkeypatch, demo, BEN)
    form = application_app().children[-1].form
    form.fields["role"].value = role
    form._changed("role")
    shown = [f.field.label for f in form.fields.values() if f.widget.layout.display != "none"]
    assert shown and not [label for label in shown if not_for_this_role in label]
    asked_capacity = any("how many mentees" in label for label in shown)
    assert asked_capacity == (role != "mentee")
