"""Problems inside the items of a group: each message stands beside its sub-field, and only
what causes the problem waits to be saved; everything else typed is kept and saved."""

from __future__ import annotations

import re

import pytest

from mentorkit.ui.forms import WorksheetForm

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL

NEEDS_IT = "Please fill this in too: your choice under “Outcome” needs it."


def form_for(programme, ws, person):
    return WorksheetForm(ws, programme.store, person, programme.pair)


def stored(programme, ws, field_id):
    return programme.store.load(ws, programme.pair.id, programme.mentor.id).values.get(field_id)


def subs_of(group, index):
    """The sub-field widgets of item ``index``, by id."""
    _meta, subs = group._items[index]
    return {sub.field.id: sub for sub in subs}


def message(widget) -> str:
    """The text of a message widget ("" when none is shown)."""
    return re.sub(r"<[^>]+>", "", widget.message.value)


def choose(sub, value):
    """What clicking a choice does: the widget changes and its observers fire."""
    sub._radio.value = value


@pytest.mark.parametrize(
    ("outcome", "needed", "answer"),
    [("reworded", "shared_wording", "We meet every other week"), ("later", "later_session", "3")],
)
def test_an_outcome_waiting_for_its_sub_field_keeps_and_saves_everything_typed(
    programme, shipped, outcome, needed, answer
):
    ws = shipped["negotiating-expectations"]
    mine, theirs = (
        form_for(programme, ws, programme.mentor),
        form_for(programme, ws, programme.mentee),
    )
    group = mine.fields["expectations"]
    group._start_with("Meetings")
    group._start_with("Channels")
    mine.flush()

    first, second = subs_of(group, 0), subs_of(group, 1)
    choose(first["outcome"], outcome)
    first["clarifications"].input.value = "Asked: in person? Answered: mostly."
    second["clarifications"].input.value = "Typed in the other item"
    mine.flush()

    assert message(first[needed]) == NEEDS_IT  # beside the sub-field it is about
    assert message(group) == ""  # not at the bottom of the list
    assert all(message(sub) == "" for key, sub in first.items() if key != needed)
    assert mine.status_text.startswith("Not saved: 1 answer needs fixing")
    saved = stored(programme, ws, "expectations")
    assert [item["clarifications"] for item in saved] == [
        "Asked: in person? Answered: mostly.",
        "Typed in the other item",
    ]
    assert [item["text"] for item in saved] == ["Meetings", "Channels"]
    assert saved[0]["outcome"] is None  # only the choice that needs the answer waits

    theirs.refresh()
    theirs.fields["expectations"]._start_with("Goals")
    theirs.flush()
    mine.refresh()  # the partner's save arrives while the outcome still waits
    on_screen = mine.data["expectations"]
    assert [item["text"] for item in on_screen] == ["Meetings", "Channels", "Goals"]
    assert on_screen[0]["outcome"] == outcome
    assert on_screen[0]["clarifications"] == "Asked: in person? Answered: mostly."
    assert on_screen[1]["clarifications"] == "Typed in the other item"
    assert message(first[needed]) == NEEDS_IT

    first[needed].value = answer
    first[needed].changed()
    mine.flush()
    assert mine.status_text.startswith("Saved")
    assert message(first[needed]) == ""
    saved = {item["text"]: item for item in stored(programme, ws, "expectations")}
    assert saved["Meetings"]["outcome"] == outcome and saved["Meetings"][needed] == answer
    assert saved["Meetings"]["clarifications"] == "Asked: in person? Answered: mostly."
    assert saved["Channels"]["clarifications"] == "Typed in the other item"
    assert saved["Goals"]["_by"] == "Ben"


def test_clearing_a_needed_answer_keeps_the_saved_one_until_it_is_filled_in(programme, shipped):
    ws = shipped["negotiating-expectations"]
    form = form_for(programme, ws, programme.mentor)
    group = form.fields["expectations"]
    group._start_with("Meetings")
    item = subs_of(group, 0)
    choose(item["outcome"], "reworded")
    item["shared_wording"].input.value = "Monthly, for an hour"
    form.flush()
    item["shared_wording"].input.value = ""
    item["clarifications"].input.value = "Why an hour? Time to go deep."
    form.flush()
    assert message(item["shared_wording"]) == NEEDS_IT
    (saved,) = stored(programme, ws, "expectations")
    assert saved["shared_wording"] == "Monthly, for an hour"
    assert saved["clarifications"] == "Why an hour? Time to go deep."
    assert form.data["expectations"][0]["shared_wording"] is None  # the screen shows it blank


def test_a_new_item_missing_a_required_answer_waits_while_the_others_save(programme, shipped):
    ws = shipped["cpd-evidence"]
    form = form_for(programme, ws, programme.mentor)
    group = form.fields["evidence"]
    group._add.click()
    group._add.click()
    complete, missing = subs_of(group, 0), subs_of(group, 1)
    choose(complete["kind"], "course")
    complete["title"].input.value = "Leading teams course"
    missing["title"].input.value = "Chaired the regional meeting"
    missing["details"].input.value = "Kept it to time."
    form.flush()
    assert (
        message(missing["kind"]) == "Please fill this in too, so that this evidence can be saved."
    )
    assert message(group) == ""
    assert [e["title"] for e in stored(programme, ws, "evidence")] == ["Leading teams course"]
    assert form.data["evidence"][1]["details"] == "Kept it to time."  # kept on screen

    choose(missing["kind"], "responsibility")
    form.flush()
    assert message(missing["kind"]) == ""
    assert [e["title"] for e in stored(programme, ws, "evidence")] == [
        "Leading teams course",
        "Chaired the regional meeting",
    ]


def test_an_answer_too_long_in_an_item_waits_beside_its_box(programme, shipped):
    ws = shipped["negotiating-expectations"]
    form = form_for(programme, ws, programme.mentor)
    group = form.fields["expectations"]
    group._start_with("Boundaries")
    item = subs_of(group, 0)
    choose(item["outcome"], "agreed")
    item["clarifications"].input.value = "x" * 1501
    form.flush()
    assert "Shorten it by 1 character" in message(item["clarifications"])
    assert message(group) == ""
    (saved,) = stored(programme, ws, "expectations")
    assert saved["outcome"] == "agreed" and saved["clarifications"] is None
    assert form.data["expectations"][0]["clarifications"] == "x" * 1501


def test_an_empty_entry_gets_its_message_under_its_own_heading(programme, shipped):
    ws = shipped["reflection-journal"]
    form = form_for(programme, ws, programme.mentor)
    group = form.fields["entries"]
    group._add.click()
    group._add.click()
    written, empty = subs_of(group, 0), subs_of(group, 1)
    written["learned"].input.value = "To pause before answering"
    empty["session"].input.value = "3"
    form.flush()
    _row, _heading, note = group._rows[group._items[1][0]["_id"]]
    assert "Entry 2 is empty: please write what happened" in note.value
    assert message(group) == ""
    saved = programme.store.load(ws, programme.pair.id, programme.mentor.id).values["entries"]
    assert [e["learned"] for e in saved] == ["To pause before answering"]
    assert form.data["entries"][1]["session"] == 3


def test_a_note_about_the_list_leaves_the_messages_beside_the_items(programme, shipped):
    ws = shipped["negotiating-expectations"]
    form = form_for(programme, ws, programme.mentor)
    group = form.fields["expectations"]
    group._start_with("Meetings")
    item = subs_of(group, 0)
    choose(item["outcome"], "later")
    assert message(item["later_session"]) == NEEDS_IT
    group.set_message("There is room for at most 40.", "info")
    assert message(group) == "There is room for at most 40."
    assert message(item["later_session"]) == NEEDS_IT
