"""An open page stops acting for its person once their session ends (signed out, or a code
withdrawn or replaced): no save, no partner sync, no timers; the page says so."""

from __future__ import annotations

from pages import sign_in_as, text_of

from mentorkit.core import access
from mentorkit.core.store import SaveLimit
from mentorkit.exceptions import SavingTooFast
from mentorkit.ui.apps import worksheet
from mentorkit.ui.apps.common import open_store
from mentorkit.ui.forms import WorksheetForm, guard
from mentorkit.ui.forms.timing import Debouncer, Repeater


def person_named(store, name):
    return next(p for p in store.people(store.programme().id) if p.name == name)


def test_a_withdrawn_code_stops_the_open_page_and_its_timers(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    page = worksheet("getting-to-know-each-other")
    assert "Nothing saved yet" in text_of(page)
    assert guard.live()

    store = open_store()
    access.revoke_code(store, person_named(store, "Amara Okafor").id)

    ticks, saves = [], []
    repeater, debouncer = (
        Repeater(2.0, lambda: ticks.append(1)),
        Debouncer(1.5, lambda: saves.append(1)),
    )
    debouncer.pending = True
    repeater._tick()
    debouncer.fire()
    assert not guard.live()
    assert ticks == [] and saves == []
    shown = text_of(page)
    assert "You have been signed out" in shown
    assert "Getting to know each other" not in shown  # the form is gone from the page


def test_a_session_check_that_fails_for_a_moment_does_not_end_the_page(monkeypatch):
    """A busy database while checking is not a sign-out: the partner sync goes on."""
    answers = iter([RuntimeError("database is locked"), RuntimeError("still locked"), True])
    ended, logged = [], []
    monkeypatch.setattr(guard, "_log", logged.append)

    def check():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    guard.watch(check, lambda: ended.append(1), served=False)
    try:
        ticks = []
        repeater = Repeater(2.0, lambda: ticks.append(1))
        repeater._tick()
        repeater._tick()
        repeater._tick()
        assert ticks == [1, 1, 1]
        assert ended == []
        assert not repeater.stopped
        assert len(logged) == 1  # once per run of failures, not once per tick
        assert "checking the session" in logged[0]
    finally:
        repeater.stop()
        guard.release()


def test_a_session_check_that_answers_ended_still_ends_the_page():
    ended = []
    guard.watch(lambda: False, lambda: ended.append(1), served=False)
    try:
        assert not guard.live()
        assert not guard.live()
        assert ended == [1]
    finally:
        guard.release()


def test_nothing_is_guarded_without_a_page():
    guard.release()
    assert guard.live()
    calls = []
    debouncer = Debouncer(0.1, lambda: calls.append(1))
    debouncer.pending = True
    debouncer.fire()
    assert calls == [1]


def test_a_page_saving_faster_than_anyone_types_is_held_back_and_keeps_the_text(
    programme, first_session
):
    limited = programme.store
    limited.save_limit = SaveLimit(revisions=3, seconds=60)
    form = WorksheetForm(first_session, limited, programme.mentor, programme.pair)
    for n in range(3):
        form.fields["mentor_background"].input.value = f"draft {n}"
        assert form.save()
    form.fields["mentor_background"].input.value = "draft 3, typed by a script"
    assert not form.save()
    assert "saving faster than the programme allows" in form.status_text
    assert form.fields["mentor_background"].value == "draft 3, typed by a script"
    assert form._autosave.pending  # it will try again by itself
    assert (
        limited.load(first_session, programme.pair.id, programme.mentee.id).values[
            "mentor_background"
        ]
        == "draft 2"
    )


def test_the_save_limit_counts_one_persons_saves_only(programme, first_session):
    store = programme.store
    store.save_limit = SaveLimit(revisions=2, seconds=60)
    pair = programme.pair.id
    bases = store.load(first_session, pair, programme.mentor.id).revisions
    for n in range(2):
        snapshot = store.save(
            first_session, pair, programme.mentor.id, {"mentor_background": f"{n}"}, bases
        )
        bases = snapshot.revisions
    try:
        store.save(first_session, pair, programme.mentor.id, {"mentor_background": "x"}, bases)
    except SavingTooFast as error:
        assert 1 <= error.wait_seconds <= 60
    else:
        raise AssertionError("the third save in a minute was allowed")
    assert store.save(first_session, pair, programme.mentee.id, {"mentor_background": "y"}, bases)


def test_pages_open_the_store_with_the_save_limit(demo):
    assert open_store().save_limit == SaveLimit()
