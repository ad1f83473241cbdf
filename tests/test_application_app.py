"""The application page, and the facilitator matching the applications filled in on it."""

from __future__ import annotations

from pages import sign_in_as, text_of

from mentorkit.core.store import Store
from mentorkit.ui.apps import application_app, home, matching_app


def fill(monkeypatch, demo, name, answers):
    sign_in_as(monkeypatch, demo, name)
    box = application_app().children[-1]
    form = box.form
    for field_id, value in answers.items():
        form.fields[field_id].value = value
        form._changed(field_id)
    assert form.save(), form.status_text
    return box


def test_people_apply_and_the_facilitator_matches_them(demo, monkeypatch, tmp_path):
    store = Store(tmp_path / "mentorkit.sqlite3")
    before = len(store.relationships(1))
    people = store.people(1)
    store.close()
    fill(
        monkeypatch,
        demo,
        "Chloe Martin",
        {
            "role": "mentor",
            "years": 9,
            "offers": ["management", "interpersonal"],
            "goals": "Help someone lead their first team",
            "slots": ["wed-pm"],
            "capacity": 1,
            "frequency": "monthly",
        },
    )
    fill(
        monkeypatch,
        demo,
        "Dev Patel",
        {
            "role": "mentee",
            "years": 1,
            "seeks": ["management"],
            "goals": "Lead my first team",
            "slots": ["wed-pm"],
            "frequency": "monthly",
        },
    )
    junior = fill(monkeypatch, demo, "Hana Sato", {"role": "mentor", "years": 1, "goals": "x"})
    assert "under two years" in junior.children[1].value
    # Applications are not relationships: nobody's home or the dashboard lists them.
    sign_in_as(monkeypatch, demo, "Chloe Martin")
    assert "Application of" not in text_of(home())
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    page = matching_app().children[-1].page
    page.load_from_site()
    assert "Hana" in page.loaded.value or "under two years" in page.loaded.value
    pairs = [(page._name(a), page._name(b)) for a, b, *_ in page._pairs()]
    assert pairs == [("Chloe Martin", "Dev Patel")]
    page.accept()
    assert "Created 1 relationship." in page.message.value
    assert "added" not in page.message.value and page.cards.widget.value == ""
    store = Store(tmp_path / "mentorkit.sqlite3")
    # The people who applied are paired: nobody is added, nobody counted twice.
    assert store.people(1) == people
    relationships = store.relationships(1)
    assert len(relationships) == before + 1
    assert all(r.kind != "application" for r in relationships)
    ids = {p.name: p.id for p in people}
    made = relationships[-1]
    assert [(m.person_id, m.role) for m in made.members] == [
        (ids["Chloe Martin"], "mentor"),
        (ids["Dev Patel"], "mentee"),
    ]
    assert [r.id for r in store.relationships_of(ids["Dev Patel"])][-1] == made.id
    store.close()


def test_a_partner_never_sees_an_application(demo, monkeypatch, tmp_path):
    fill(monkeypatch, demo, "Ben Hughes", {"role": "mentee", "years": 1, "goals": "SECRET-owl-3"})
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "SECRET-owl-3" not in text_of(home())
    store = Store(tmp_path / "mentorkit.sqlite3")
    ben = next(p for p in store.people(1) if p.name == "Ben Hughes")
    amara = next(p for p in store.people(1) if p.name == "Amara Okafor")
    record = store.application_record(ben)
    import pytest

    from mentorkit.exceptions import NotAllowed
    from mentorkit.ui.apps.application import application_worksheet

    with pytest.raises(NotAllowed):
        store.load(application_worksheet(), record.id, amara.id, ben.id)
    store.close()


def test_facilitators_are_sent_to_matching(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    assert "appear on the Matching page" in text_of(application_app())
