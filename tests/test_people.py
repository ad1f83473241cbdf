"""People with emails and details, added all at once; codes revoked and made anew."""

from __future__ import annotations

import pytest

from mentorkit.core import access
from mentorkit.exceptions import SignInRefused, StoreError

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL


def test_people_are_added_with_their_details_and_codes(programme):
    store = programme.store
    prog = programme.mentor.programme_id
    added = access.add_people(
        store,
        prog,
        [
            ("Iris Ng", "iris@example.org", {"role": "mentee", "years": 1.5, "unit": "Lab"}),
            ("Jon Ode", "jon@example.org", {"role": "mentor", "extra": {"Site": "North"}}),
        ],
    )
    assert [p.email for p, _ in added] == ["iris@example.org", "jon@example.org"]
    assert store.person_details(added[1][0].id) == {"role": "mentor", "extra": {"Site": "North"}}
    assert access.sign_in(store, added[0][1]).name == "Iris Ng"
    assert store.emails(prog) == {"iris@example.org", "jon@example.org"}


def test_a_repeated_email_adds_nobody(programme):
    store = programme.store
    prog = programme.mentor.programme_id
    access.add_people(store, prog, [("Iris Ng", "iris@example.org", {})])
    before = len(store.people(prog))
    with pytest.raises(StoreError) as caught:
        access.add_people(
            store, prog, [("Kim Lu", "kim@example.org", {}), ("Iris N", "iris@example.org", {})]
        )
    assert "nobody was added" in str(caught.value)
    assert len(store.people(prog)) == before  # Kim was not half-added


def test_a_revoked_code_stops_working_until_a_new_one_is_made(programme):
    store, mentee = programme.store, programme.mentee
    token = access.start_session(store, access.sign_in(store, programme.codes["mentee"]))
    access.revoke_code(store, mentee.id, by=programme.facilitator.id)
    assert not store.person(mentee.id).code_active
    assert access.signed_in_person_of(store, token) is None  # signed out everywhere
    with pytest.raises(SignInRefused):
        access.sign_in(store, programme.codes["mentee"])
    fresh = access.reset_code(store, mentee.id)
    assert store.person(mentee.id).code_active
    assert access.sign_in(store, fresh).id == mentee.id


def test_an_open_form_stops_saving_once_the_code_is_withdrawn(programme, first_session):
    from mentorkit.ui.forms import WorksheetForm

    form = WorksheetForm(first_session, programme.store, programme.mentee, programme.pair)
    field = next(f for f in first_session.answer_fields if f.type == "paragraph")
    form.fields[field.id].value = "Before"
    assert form.save()
    access.revoke_code(programme.store, programme.mentee.id)
    form.fields[field.id].value = "After the code was withdrawn"
    assert not form.save()
    assert "you have been signed out" in form.status_text
    assert form.fields[field.id].value == "After the code was withdrawn"  # still on the page
    saved = programme.store.load(first_session, programme.pair.id, programme.mentor.id).values
    assert saved[field.id] == "Before"
