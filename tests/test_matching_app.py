"""The facilitator's matching page, drawn headlessly: load, tune, lock, forbid, accept."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from pages import sign_in_as, text_of
from test_applications import pool, to_csv

from mentorkit.core.store import Store
from mentorkit.ui.apps import matching_app


def upload(page, data: bytes) -> None:
    page.upload.value = (
        {
            "name": "applications.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc),
        },
    )


def open_page(monkeypatch, demo):
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    return matching_app().children[-1].page


def test_a_pair_cannot_open_matching(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Ben Hughes")
    assert "This page is for the programme's facilitator" in text_of(matching_app())


def test_load_tune_lock_forbid_and_accept(demo, monkeypatch, tmp_path):
    page = open_page(monkeypatch, demo)
    upload(page, to_csv(pool()))
    assert "60" in page.loaded.value
    first = page.proposal
    assert first is not None and len(first.pairs) == 39  # 39 mentor places, 40 mentees
    assert all(
        not (p.mentor_id == "mentor0@example.org" and p.mentee_id == "mentee0@example.org")
        for p in first.pairs
    )
    assert "Not matched" in page.result.value and "capacity" in page.result.value
    # Weights: switching expertise off changes the proposal's total.
    page.sliders["expertise"].value = 0
    assert page.proposal.total_score != first.total_score
    page.sliders["expertise"].value = 40
    # Lock a pair the proposal did not choose, forbid one it did: both hold on re-runs.
    chosen = page.pick.options[0][1]
    page.pick.value = chosen
    page.forbid()
    assert all((p.mentor_id, p.mentee_id) != chosen for p in page.proposal.pairs)
    page.pick.value = page.pick.options[1][1]
    locked = page.pick.value
    page.lock()
    page.sliders["goals"].value = 5
    assert any((p.mentor_id, p.mentee_id) == locked and p.locked for p in page.proposal.pairs)
    assert "Locked:" in page.rules.value and "Never:" in page.rules.value
    # Accept: the people are added and the relationships created.
    store = Store(tmp_path / "mentorkit.sqlite3")
    before = len(store.relationships(1))
    page.accept()
    assert "Created 39 relationships and added" in page.message.value
    assert len(store.relationships(1)) == before + 39
    assert "access-cards.pdf" in page.cards.widget.value
    kinds = {r.kind for r in store.relationships(1)[before:]}
    assert kinds == {"one-to-one"}
    store.close()


def test_an_impossible_lock_is_explained(demo, monkeypatch):
    page = open_page(monkeypatch, demo)
    upload(page, to_csv(pool()))
    page.locks.append(("mentor0@example.org", "mentee0@example.org"))  # on a not-to-pair list
    page.run()
    assert page.proposal is None and page.accept_button.disabled
    assert "not-to-pair" in page.result.value.lower()


def test_accept_recognises_people_already_in_the_programme_by_email(demo, monkeypatch, tmp_path):
    from test_applications import mentee, mentor

    from mentorkit.core import access

    store = Store(tmp_path / "mentorkit.sqlite3")
    ((ada, _),) = access.add_people(store, 1, [("Ada Lovelace", "ada@example.org", {})])
    before = store.people(1)
    store.close()
    page = open_page(monkeypatch, demo)
    rows = [
        {**mentor(1), "Name": "Ada L.", "Email": "ADA@Example.org", "Slots": "mon-am"},
        {**mentee(1), "Slots": "mon-am"},
    ]
    upload(page, to_csv(rows))
    assert page.person_ids == {}  # from a file: people are found by email
    page.accept()
    assert "Created 1 relationship and added 1 person" in page.message.value
    store = Store(tmp_path / "mentorkit.sqlite3")
    after = store.people(1)
    added = [p for p in after if p not in before]
    assert [(p.name, p.email) for p in added] == [("Mentee 1", "mentee1@example.org")]
    made = store.relationships(1)[-1]
    assert [m.person_id for m in made.members] == [ada.id, added[0].id]
    store.close()
    # the names in the table of new codes (the PDF's base64 link can hold any three letters)
    named = re.findall(r"<tr><td>([^<]*)</td>", page.cards.widget.value)
    assert named == ["Mentee 1"]
