"""The agreement: expectations taken from the negotiation, versions and confirmations."""

from __future__ import annotations

import pytest

from mentorkit.exceptions import NotAllowed
from mentorkit.programme import agreement
from mentorkit.ui.forms import WorksheetForm

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL


@pytest.fixture
def negotiation(programme, shipped):
    return WorksheetForm(
        shipped[agreement.EXPECTATIONS], programme.store, programme.mentor, programme.pair
    )


@pytest.fixture
def agreement_form(programme, shipped):
    return WorksheetForm(
        shipped[agreement.AGREEMENT], programme.store, programme.mentor, programme.pair
    )


def add_expectation(form, text, outcome=None, **more):
    group = form.fields["expectations"]
    group._add.click()
    _meta, subs = group._items[-1]
    by_id = {s.field.id: s for s in subs}
    by_id["text"].input.value = text
    if outcome:
        by_id["outcome"].value = outcome
        by_id["outcome"].changed()
    for key, value in more.items():
        by_id[key].value = value
        by_id[key].changed()
    form.flush()


def test_outcomes_sort_expectations(programme, shipped, negotiation):
    add_expectation(negotiation, "Meet monthly", "agreed")
    add_expectation(
        negotiation, "Reply same day", "reworded", shared_wording="Reply within two days"
    )
    add_expectation(negotiation, "Help me get promoted", "not_applicable")
    add_expectation(negotiation, "Shadow a board meeting", "later", later_session="3")
    items = agreement.expectation_items(
        programme.store, shipped, programme.pair.id, programme.mentee.id
    )
    assert [e.wording for e in agreement.agreed(items)] == ["Meet monthly", "Reply within two days"]
    assert agreement.agreed(items)[1].text == "Reply same day"
    assert all(e.raised_by == "Amara" for e in agreement.agreed(items))
    (point,) = agreement.open_points(items)
    assert (point.text, point.when) == ("Shadow a board meeting", "Session 3")


def test_a_parked_point_comes_back_on_a_date_written_in_words():
    items = [
        {
            "text": "Shadow a board meeting",
            "_by": "Amara",
            "outcome": "later",
            "later_session": "3",
            "later_date": "2027-03-02",
        },
        {"text": "Meet the director", "_by": "Ben", "outcome": "later", "later_date": "2027-04-06"},
    ]
    assert [p.when for p in agreement.open_points(items)] == [
        "Session 3 or Tue 2 March 2027",
        "Tue 6 April 2027",
    ]


def test_reworded_without_wording_is_held_back_with_a_message(negotiation, programme, shipped):
    add_expectation(negotiation, "Weekly calls", "reworded")
    group = negotiation.fields["expectations"]
    wording = next(s for s in group._items[0][1] if s.field.id == "shared_wording")
    assert "your choice under “Outcome” needs it" in wording.message.value
    assert group.message.value == ""
    assert negotiation.status_text.startswith("Not saved")
    assert negotiation.data["expectations"][0]["outcome"] == "reworded"
    (item,) = agreement.expectation_items(
        programme.store, shipped, programme.pair.id, programme.mentor.id
    )
    assert item["text"] == "Weekly calls"  # saved, but not agreed until the wording is written
    assert agreement.agreed([item]) == []


def test_dates_out_of_order_are_refused_beside_the_field(agreement_form, programme, shipped):
    agreement_form.fields["start_date"].value = "2027-03-01"
    agreement_form._changed("start_date")
    agreement_form.fields["review_date"].value = "2027-01-01"
    agreement_form._changed("review_date")
    agreement_form.fields["purpose"].input.value = "Grow as a leader"
    agreement_form.flush()
    assert "before “Start date”" in agreement_form.fields["review_date"].message.value
    saved = programme.store.load(
        shipped[agreement.AGREEMENT], programme.pair.id, programme.mentor.id
    ).values
    assert saved["purpose"] == "Grow as a leader" and saved.get("review_date") is None
    agreement_form.fields["review_date"].value = "2027-06-01"
    agreement_form._changed("review_date")
    agreement_form.flush()
    assert agreement_form.problems == {}


def test_confirmations_make_versions_and_edits_clear_them(
    programme, shipped, agreement_form, negotiation
):
    store, pair = programme.store, programme.pair
    agreement_form.fields["purpose"].input.value = "First purpose"
    agreement_form.flush()
    agreement.confirm(store, shipped, pair.id, programme.mentor)
    version = agreement.confirm(store, shipped, pair.id, programme.mentee)
    assert version.number == 1 and len(version.confirmations) == 2
    agreement_form.fields["purpose"].input.value = "Second purpose"
    agreement_form.flush()
    now = agreement.current_version(store, shipped, pair.id)
    assert now.number == 2 and now.confirmations == ()
    old = agreement.build_document(
        store, shipped, pair, programme.mentee, store.versions(agreement.AGREEMENT, pair.id)[0]
    )
    assert old.version == 1 and old.confirmed
    assert ("The purpose of our relationship", "First purpose") in old.sections[0].items
    add_expectation(negotiation, "A new expectation", "agreed")
    agreement.confirm(store, shipped, pair.id, programme.mentor)
    agreement.confirm(store, shipped, pair.id, programme.mentee)
    add_expectation(negotiation, "Changed the negotiation", "agreed")
    assert agreement.current_version(store, shipped, pair.id).number == 3


def test_outsiders_cannot_confirm(programme, shipped):
    with pytest.raises(NotAllowed):
        agreement.confirm(programme.store, shipped, programme.pair.id, programme.outsider)


def test_document_waits_for_everyone(programme, shipped, agreement_form):
    agreement_form.fields["purpose"].input.value = "Purpose"
    agreement_form.flush()
    agreement.confirm(programme.store, shipped, programme.pair.id, programme.mentor)
    doc = agreement.build_document(programme.store, shipped, programme.pair, programme.mentor)
    assert doc.waiting_for == ("Ben",) and not doc.confirmed
    assert doc.members == (("Amara", "mentor"), ("Ben", "mentee"))


def test_starter_topics_add_an_item_in_one_click(negotiation):
    group = negotiation.fields["expectations"]
    group._start_with("Goals: what we want to achieve together")
    assert negotiation.data["expectations"][0]["text"].startswith("Goals:")
    assert negotiation.data["expectations"][0]["_by"] == "Amara"


def test_two_people_adding_expectations_at_once_keep_both(programme, shipped, negotiation):
    other = WorksheetForm(
        shipped[agreement.EXPECTATIONS], programme.store, programme.mentee, programme.pair
    )
    negotiation.fields["expectations"]._start_with("Mine")
    other.fields["expectations"]._start_with("Theirs")
    negotiation.flush()
    other.flush()
    negotiation.refresh()
    texts = sorted(i["text"] for i in negotiation.data["expectations"])
    assert texts == ["Mine", "Theirs"]
    assert negotiation.conflicts == {} and other.conflicts == {}
