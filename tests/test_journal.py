"""The reflection journal: private entries, one shared at a time, enforced by the store."""

from __future__ import annotations

import pytest

from mentorkit.core.spec_loader import parse_worksheet
from mentorkit.exceptions import InvalidAnswer
from mentorkit.ui.forms import WorksheetForm

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL

SECRET = "I felt out of my depth — zebra-7731"
SHARED = "I learned to pause before answering — okapi-2210"


@pytest.fixture
def journal(shipped):
    return shipped["reflection-journal"]


def entries(*items):
    return {"entries": list(items)}


def entry(eid, learned, share=False, portfolio=False):
    return {"_id": eid, "session": 2, "learned": learned, "share": share, "portfolio": portfolio}


def test_entries_are_private_until_their_owner_shares_one(programme, journal):
    store, pair = programme.store, programme.pair
    mentee, mentor, fac = programme.mentee, programme.mentor, programme.facilitator
    store.save(journal, pair.id, mentee.id, entries(entry("e1", SECRET), entry("e2", SHARED)), {})
    assert store.load(journal, pair.id, mentor.id, mentee.id).values == {}
    assert store.load(journal, pair.id, fac.id, mentee.id).values == {}
    own = store.load(journal, pair.id, mentee.id)
    store.save(
        journal,
        pair.id,
        mentee.id,
        entries(entry("e1", SECRET), entry("e2", SHARED, share=True)),
        own.revisions,
    )
    seen = store.load(journal, pair.id, mentor.id, mentee.id).values
    assert [e["learned"] for e in seen["entries"]] == [SHARED]
    assert SECRET not in repr(seen)
    assert store.load(journal, pair.id, fac.id, mentee.id).values == {}  # never the facilitator
    assert all(
        SECRET not in repr(r.values) for r in store.history(journal, pair.id, mentor.id, mentee.id)
    )


def test_the_partner_form_shows_only_shared_entries(programme, journal):
    store, pair = programme.store, programme.pair
    store.save(
        journal,
        pair.id,
        programme.mentee.id,
        entries(entry("e1", SECRET), entry("e2", SHARED, share=True)),
        {},
    )
    form = WorksheetForm(journal, store, programme.mentor, pair, subject_id=programme.mentee.id)
    assert form.read_only
    shown = form.fields["entries"].value
    assert [e["learned"] for e in shown] == [SHARED]


def test_an_empty_reflection_is_refused_with_a_clear_message(programme, journal):
    with pytest.raises(InvalidAnswer) as caught:
        programme.store.save(
            journal,
            programme.pair.id,
            programme.mentee.id,
            entries({"_id": "e1", "session": 3, "share": False}),
            {},
        )
    assert "Entry 1 is empty" in str(caught.value)
    assert "what happened, what I learned or what I will do differently" in str(caught.value)


def test_the_form_keeps_an_empty_entry_on_screen_and_says_what_to_do(programme, journal):
    form = WorksheetForm(journal, programme.store, programme.mentee, programme.pair)
    form.fields["entries"].value = [{"_id": "e1", "session": 3, "share": False}]
    form._changed("entries")
    assert not form.save()
    group = form.fields["entries"]
    _row, _heading, note = group._rows["e1"]
    assert "Entry 1 is empty" in note.value  # under the entry's own heading
    assert group.message.value == ""
    assert group.value[0]["session"] == 3  # nothing lost


def test_shared_when_must_name_a_yes_no_field_of_a_private_group():
    text = """
id: j
title: J
mode: individual
phase: implement-and-evaluate
fields:
  - id: entries
    type: group
    label: Entries
    shared_when: shre
    required_any: [nope]
    fields:
      - {id: share, type: yesno, label: Share}
      - {id: text, type: paragraph, label: Text}
"""
    from mentorkit.exceptions import SpecError

    with pytest.raises(SpecError) as caught:
        parse_worksheet(text, "j.yaml")
    report = str(caught.value)
    assert "shared_when names 'shre'" in report and "share" in report
    assert "required_any names 'nope'" in report
