"""The scripting surface: a programme's data as pandas tables, seen by whoever opens it."""

from __future__ import annotations

import pytest

import mentorkit
from mentorkit.core import paths
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.exceptions import ConfigError, NotAllowed, SignInRefused


@pytest.fixture
def answered(demo):
    """Amara and Ben's first worksheet, with a private note of Ben's, and Amara's closing
    reflection with an answer the facilitator may read."""
    store = Store(paths.database_path())
    worksheets = load_folder(paths.worksheets_folder())
    amara = next(p for p in store.people(1) if p.name == "Amara Okafor")
    ben = next(p for p in store.people(1) if p.name == "Ben Hughes")
    pair = next(r for r in store.relationships_of(amara.id) if r.role_of(ben.id))
    first = worksheets["getting-to-know-each-other"]
    store.save(
        first,
        pair.id,
        ben.id,
        {"mentee_hopes": "Confidence in meetings", "first_impressions": "Ben's secret note"},
        {},
    )
    closing = worksheets["closing-reflection"]
    store.save(
        closing, pair.id, amara.id, {"mentor_next": "yes", "take_away": "Amara's own words"}, {}
    )
    store.close()
    return demo


def test_a_mentor_sees_their_relationship_but_never_a_partners_private_note(answered):
    amara = mentorkit.open_programme(code=answered["Amara Okafor"])
    assert not amara.is_facilitator
    answers = amara.answers("getting-to-know-each-other")
    assert "Confidence in meetings" in set(answers["answer"])
    assert "Ben's secret note" not in set(answers["answer"])
    assert set(amara.relationships()["title"]) == {r.title for r in amara.relationship_list()}
    assert "Amara Okafor" in set(amara.people()["name"])
    with pytest.raises(NotAllowed):
        amara.competency_averages()


def test_the_facilitator_reads_programme_fields_only_and_the_whole_programme(answered):
    fran = mentorkit.open_programme(code=answered["Fran Fletcher"])
    assert fran.is_facilitator
    answers = fran.answers()
    assert set(answers["field"]) == {"mentor_next"}  # the one programme-visibility answer
    assert list(answers["answer"]) == ["Yes"]
    assert "Amara's own words" not in answers.to_string()
    relationships = fran.relationships()
    assert len(relationships) == len(fran.relationship_list()) > 1
    assert len(fran.people()) >= 8
    averages = fran.competency_averages()
    assert {"framework", "domain", "role", "mean", "suppressed"} <= set(averages.columns)
    with pytest.raises(NotAllowed):
        fran.ratings()  # one person's ratings are never the facilitator's to read


def test_opening_needs_a_code_that_works_and_a_programme_that_exists(
    answered, tmp_path, monkeypatch
):
    monkeypatch.delenv("MENTORKIT_CODE", raising=False)
    with pytest.raises(ConfigError, match="access code"):
        mentorkit.open_programme(code="")
    with pytest.raises(SignInRefused):
        mentorkit.open_programme(code="AAAA-BBBB-CCCC")
    with pytest.raises(ConfigError, match="no programme"):
        mentorkit.open_programme(tmp_path / "empty", code=answered["Fran Fletcher"])
    with pytest.raises(ConfigError, match="no worksheet 'nope'"):
        mentorkit.open_programme(code=answered["Amara Okafor"]).answers("nope")
