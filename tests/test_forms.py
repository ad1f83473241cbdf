"""Forms driven headlessly, as a person would: set widget values, click buttons."""

from __future__ import annotations

import ipywidgets as w
import pytest

from mentorkit.core.fieldtypes import NOT_APPLICABLE
from mentorkit.core.spec_loader import parse_worksheet
from mentorkit.ui.forms import WorksheetForm


def form_for(programme, ws, person, subject=None):
    return WorksheetForm(ws, programme.store, person, programme.pair, subject_id=subject)


def type_into(form, field_id, text):
    """What typing does: the inner text widget's value changes and observers fire."""
    form.fields[field_id].input.value = text


def stored(programme, ws, viewer):
    return programme.store.load(ws, programme.pair.id, viewer.id).values


def test_every_field_type_round_trips(programme, every_type):
    form = form_for(programme, every_type, programme.mentor)
    values = {
        "name": "Amara",
        "story": "Long story",
        "years": 12,
        "started": "2024-02-29",
        "role": "peer",
        "tags": ["a", "my own tag"],
        "confidence": NOT_APPLICABLE,
        "agreed": True,
        "why": "Because",
        "actions": [{"_id": "a1", "what": "Read", "due": "2025-01-01"}],
    }
    form.data = values
    assert form.data == values
    assert form.save()
    again = form_for(programme, every_type, programme.mentor)
    assert again.data == values


def test_typing_autosaves_and_shows_the_state(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    assert form.status_text == "Nothing saved yet"
    type_into(form, "mentor_background", "Photographer, then teacher")
    assert form.status_text == "Unsaved changes"
    assert form.dirty
    form.flush()
    assert form.status_text.startswith("Saved ")
    assert stored(programme, first_session, programme.mentee)["mentor_background"] == (
        "Photographer, then teacher"
    )
    assert "1 of 6 answered" in form.progress_label.value


def test_text_over_the_limit_is_held_back_without_losing_it(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    type_into(form, "mentor_background", "first version")
    form.flush()
    too_long = "x" * 2001
    type_into(form, "mentor_background", too_long)
    type_into(form, "meeting_times", "Tuesdays")
    assert not form.save()
    assert (
        "the limit is 2,000. Shorten it by 1 character"
        in form.fields["mentor_background"].message.value
    )
    assert form.status_text.startswith("Not saved: 1 answer needs fixing")
    assert form.fields["mentor_background"].value == too_long
    saved = stored(programme, first_session, programme.mentor)
    assert saved["mentor_background"] == "first version"
    assert saved["meeting_times"] == "Tuesdays"


def test_show_if_hides_and_shows_fields(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    date = form.fields["next_meeting"]
    assert date.widget.layout.display == "none"
    form.fields["first_meeting_done"].input.value = True
    assert date.widget.layout.display is None
    form.fields["first_meeting_done"].input.value = False
    assert date.widget.layout.display == "none"


def test_group_items_can_be_added_reordered_and_removed(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    group = form.fields["shared_interests"]
    group._add.click()
    group._add.click()
    (_, first), (_, second) = group._items
    first[0].input.value = "Hiking"
    second[0].input.value = "Jazz"
    assert [i["what"] for i in group.value] == ["Hiking", "Jazz"]
    move_up = group._list.children[1].children[0].children[1]
    move_up.click()
    assert [i["what"] for i in group.value] == ["Jazz", "Hiking"]
    remove_first = group._list.children[0].children[0].children[3]
    remove_first.click()
    assert [i["what"] for i in group.value] == ["Hiking"]
    form.flush()
    saved = stored(programme, first_session, programme.mentee)["shared_interests"]
    assert [{k: v for k, v in item.items() if k != "_id"} for item in saved] == [
        {"_by": "Amara", "what": "Hiking", "note": None}
    ]


def test_own_tags_and_other_choice(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    expertise = form.fields["expertise"]
    expertise._boxes["management"].value = True
    expertise._tags.value = ["Medical photography"]
    frequency = form.fields["meeting_frequency"]
    frequency._radio.value = frequency.OTHER
    frequency._other.value = "Every three weeks"
    assert form.data["expertise"] == ["management", "Medical photography"]
    assert form.data["meeting_frequency"] == "Every three weeks"


def test_partners_edits_merge_and_appear_without_reload(programme, first_session):
    mine = form_for(programme, first_session, programme.mentor)
    theirs = form_for(programme, first_session, programme.mentee)
    type_into(mine, "mentor_background", "Amara's story")
    type_into(theirs, "mentee_background", "Ben's story")
    mine.flush()
    theirs.flush()
    assert theirs.data["mentor_background"] == "Amara's story"
    mine.refresh()
    assert mine.data["mentee_background"] == "Ben's story"
    both = stored(programme, first_session, programme.mentor)
    assert both["mentor_background"] == "Amara's story"
    assert both["mentee_background"] == "Ben's story"


@pytest.mark.parametrize("keep_mine", [True, False])
def test_same_field_conflict_is_shown_and_never_silently_lost(programme, first_session, keep_mine):
    mine = form_for(programme, first_session, programme.mentor)
    theirs = form_for(programme, first_session, programme.mentee)
    type_into(mine, "meeting_times", "Tuesdays")
    type_into(theirs, "meeting_times", "Fridays")
    mine.flush()
    theirs.flush()
    assert theirs.conflicts == {"meeting_times": "Tuesdays"}
    assert theirs.data["meeting_times"] == "Fridays"
    box = theirs.conflict_box.children[0].children[0].value
    assert "Tuesdays" in box and "Fridays" in box
    assert stored(programme, first_session, programme.mentor)["meeting_times"] == "Tuesdays"
    theirs.resolve("meeting_times", keep_mine=keep_mine)
    expected = "Fridays" if keep_mine else "Tuesdays"
    assert stored(programme, first_session, programme.mentor)["meeting_times"] == expected
    assert theirs.conflicts == {}
    assert theirs.status_text.startswith("Saved")


def test_partner_copy_of_individual_worksheet_is_read_only_and_filtered(programme, every_type):
    own = form_for(programme, every_type, programme.mentor)
    own.data = {"name": "Amara", "story": "secret", "confidence": 2}
    own.save()
    view = form_for(programme, every_type, programme.mentee, subject=programme.mentor.id)
    assert view.read_only and view.save_button.disabled
    assert view.data["name"] == "Amara" and view.data["story"] is None
    assert view.fields["name"].input.disabled
    assert not view.save()


def test_user_text_is_escaped_in_labels_and_conflicts(programme):
    ws = parse_worksheet(
        "id: x\ntitle: <script>t</script>\nmode: joint\nphase: define-scope\nfields:\n"
        "  - {id: a, type: text, label: '<img src=x onerror=alert(1)>'}\n"
    )
    form = form_for(programme, ws, programme.mentor)
    assert "<img" not in form.fields["a"].title.value
    assert "&lt;img src=x" in form.fields["a"].title.value
    assert "<script>" not in form.widget.children[0].value
    other = form_for(programme, ws, programme.mentee)
    type_into(form, "a", "<b>mine</b>")
    type_into(other, "a", "<b>theirs</b>")
    form.flush()
    other.flush()
    html = other.conflict_box.children[0].children[0].value
    assert "<b>mine</b>" not in html and "&lt;b&gt;mine&lt;/b&gt;" in html


def test_a_failing_store_says_so_and_keeps_the_answer(programme, first_session, monkeypatch):
    form = form_for(programme, first_session, programme.mentor)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(programme.store, "save", broken)
    type_into(form, "mentor_background", "precious")
    assert not form.save()
    assert form.status_text.startswith("Could not save: something went wrong on our side")
    assert form.data["mentor_background"] == "precious"


def test_widgets_are_real_ipywidgets(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    assert isinstance(form.widget, w.VBox)
    assert isinstance(form.fields["mentor_background"].input, w.Textarea)


def test_pending_autosave_is_saved_when_the_kernel_shuts_down(programme, first_session):
    form = form_for(programme, first_session, programme.mentor)
    type_into(form, "mentee_hopes", "typed just before closing the tab")
    form._save_if_pending()
    assert stored(programme, first_session, programme.mentee)["mentee_hopes"] == (
        "typed just before closing the tab"
    )
    form.close()


def test_partner_saves_update_items_in_place_and_keep_a_blank_new_item(programme, shipped):
    ws = shipped["negotiating-expectations"]
    mine = form_for(programme, ws, programme.mentor)
    theirs = form_for(programme, ws, programme.mentee)
    mine.fields["expectations"]._start_with("Mine")
    mine.flush()
    theirs.refresh()
    typing_box = mine.fields["expectations"]._items[0][1][0].input
    mine.fields["expectations"]._add.click()  # a blank item, not saved yet
    theirs.fields["expectations"]._start_with("Theirs")
    theirs.flush()
    mine.refresh()
    group = mine.fields["expectations"]
    assert group._items[0][1][0].input is typing_box  # the same text box: focus is not lost
    texts = [subs[0].value for _meta, subs in group._items]
    assert texts == ["Mine", "Theirs", None]


def test_confirming_refuses_when_the_agreement_changed_unseen(programme, shipped):
    from mentorkit.exceptions import MentorkitError
    from mentorkit.programme import agreement

    seen = agreement.fingerprint(programme.store, shipped, programme.pair.id)
    other = form_for(programme, shipped["mentoring-agreement"], programme.mentee)
    other.fields["purpose"].input.value = "Changed by Ben"
    other.flush()
    with pytest.raises(MentorkitError, match="changed a moment ago"):
        agreement.confirm(programme.store, shipped, programme.pair.id, programme.mentor, seen)
