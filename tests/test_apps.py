"""The app pages, drawn headlessly in this process with a signed-in person."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pages import sign_in_as, text_of

from mentorkit.ui.apps import home, worksheet

CLOSURE_TITLE = "Closing our mentoring relationship"


def test_home_lists_relationships_and_worksheets(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Ben Hughes")
    page = text_of(home())
    assert "Hello, Ben Hughes" in page
    assert "Amara Okafor (mentor), Ben Hughes (mentee)" in page
    assert "getting-to-know-each-other.ipynb?relationship=1" in page
    assert "Not started" in page


def test_facilitator_home_shows_every_relationship(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    page = text_of(home())
    assert "facilitator" in page
    assert "Leadership circle" in page and "Chloe Martin" in page


def test_without_a_code_the_page_asks_for_one(demo, monkeypatch):
    monkeypatch.delenv("MENTORKIT_CODE", raising=False)
    page = home()
    assert "Type the access code" in text_of(page)
    box = page.children[1]
    code, button = box.children[1].children
    code.value = "WRONG-CODE-1234"
    button.click()
    assert "not recognised" in text_of(page)
    code.value = demo["Amara Okafor"]
    button.click()
    assert "Hello, Amara Okafor" in text_of(page)


def test_worksheet_page_for_the_only_relationship(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    page = text_of(worksheet("getting-to-know-each-other"))
    assert "Welcome to your first session together" in page  # the worksheet's introduction
    assert "Nothing saved yet" in page
    # the worksheet's own notebook titles the page ("# Session 1: …"): no second title
    assert '<h1 class="mk-title">' not in page and '<h2 class="mk-title">' not in page


def test_the_page_for_any_worksheet_titles_it_itself(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    monkeypatch.setenv("QUERY_STRING", "worksheet=getting-to-know-each-other")
    page = text_of(worksheet())
    assert '<h1 class="mk-title">Getting to know each other</h1>' in page


def test_worksheet_page_refuses_someone_elses_relationship(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    monkeypatch.setenv("QUERY_STRING", "relationship=2")
    page = text_of(worksheet("getting-to-know-each-other"))
    assert "not part of" in page and "Traceback" not in page


def test_unknown_worksheet_and_bad_link_get_plain_messages(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "no worksheet called 'nope'" in text_of(worksheet("nope"))
    monkeypatch.setenv("QUERY_STRING", "relationship=abc")
    assert "is not a number" in text_of(worksheet("getting-to-know-each-other"))


def test_generic_page_without_a_worksheet_offers_a_choice(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "Choose a worksheet" in text_of(worksheet())


def test_a_broken_kit_with_no_good_copy_tells_the_facilitator_and_no_one_else_its_paths(
    demo, monkeypatch, tmp_path: Path
):
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "bad.yaml").write_text("id: bad\nfields: [\n")
    monkeypatch.setenv("MENTORKIT_WORKSHEETS", str(folder))
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    page = text_of(home())
    assert "being changed by your programme's trainer" in page and "Your saved work is safe" in page
    assert "bad.yaml" not in page and str(tmp_path) not in page
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    page = text_of(home())
    assert "The kit needs fixing" in page and "bad.yaml, line 3" in page
    assert str(tmp_path) not in page


def test_a_kit_file_broken_while_serving_keeps_the_last_good_copy_until_fixed(
    demo, monkeypatch, tmp_path: Path
):
    folder = tmp_path / "worksheets"
    shutil.copytree(Path(__file__).resolve().parent.parent / "worksheets", folder)
    monkeypatch.setenv("MENTORKIT_WORKSHEETS", str(folder))
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "Getting to know each other" in text_of(home())  # read cleanly: kept as good
    closure = folder / "closure.yaml"
    good = closure.read_text()
    closure.write_text(good.replace("type: paragraph", "type: textarea", 1))
    page = text_of(home())
    assert "Getting to know each other" in page and CLOSURE_TITLE in page
    assert "The kit needs fixing" not in page and "closure.yaml" not in page
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    page = text_of(home())
    assert "The kit needs fixing" in page and "last version that worked" in page
    assert "closure.yaml, line" in page and "Did you mean 'paragraph'" in page
    assert str(tmp_path) not in page
    closure.write_text(good)  # fixed: picked up by the next page, no restart
    assert "The kit needs fixing" not in text_of(home())


def test_missing_programme_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORKIT_DATA", str(tmp_path / "empty"))
    monkeypatch.delenv("MENTORKIT_STRICT", raising=False)
    assert "mentorkit init" in text_of(home())
    assert not (tmp_path / "empty").exists()


def test_strict_mode_raises_for_notebook_tests(demo, monkeypatch):
    monkeypatch.setenv("MENTORKIT_STRICT", "1")
    monkeypatch.delenv("MENTORKIT_CODE", raising=False)
    with pytest.raises(RuntimeError, match="Nobody is signed in"):
        home()


def test_damaged_database_is_explained_and_left_alone(tmp_path, monkeypatch):
    (tmp_path / "mentorkit.sqlite3").write_bytes(b"garbage" * 500)
    monkeypatch.setenv("MENTORKIT_DATA", str(tmp_path))
    monkeypatch.delenv("MENTORKIT_STRICT", raising=False)
    page = text_of(home())
    assert "not a readable mentorkit database" in page and "Traceback" not in page
    assert (tmp_path / "mentorkit.sqlite3").read_bytes() == b"garbage" * 500


def test_agreement_page_confirms_and_shows_the_version(demo, monkeypatch):
    from mentorkit.ui.apps import agreement_app

    sign_in_as(monkeypatch, demo, "Amara Okafor")
    page = agreement_app()
    box = page.children[2]
    form, panel = box.form, box.panel
    assert form.fields["model"].value == "one-to-one"
    form.fields["purpose"].input.value = "To grow as a <b>leader</b>"
    panel.confirm()
    text = text_of(page)
    assert "Version 1" in text and "waiting for confirmation" in text
    assert panel.confirm_button.description == "You have confirmed this version"
    assert "To grow as a <b>leader</b>" not in panel.confirmation.value


def test_home_lists_parked_expectations_under_their_session(demo, monkeypatch):
    from mentorkit.ui.apps import worksheet as worksheet_app

    sign_in_as(monkeypatch, demo, "Ben Hughes")
    page = worksheet_app("negotiating-expectations")
    form = page.children[2].form
    group = form.fields["expectations"]
    group._start_with("Boundaries: <i>evenings</i>")
    _meta, subs = group._items[0]
    by_id = {s.field.id: s for s in subs}
    by_id["outcome"].value = "later"
    by_id["outcome"].changed()
    by_id["later_session"].value = "4"
    by_id["later_session"].changed()
    form.flush()
    home_page = home().children[2].value
    assert "To come back to" in home_page and "<h4>Session 4</h4>" in home_page
    assert "&lt;i&gt;evenings&lt;/i&gt;" in home_page


def test_ratings_list_and_follow_up_shows_the_baseline(demo, monkeypatch):
    from mentorkit.programme import ratings
    from mentorkit.ui.apps import ratings_app

    sign_in_as(monkeypatch, demo, "Ben Hughes")
    listing = text_of(ratings_app())
    assert "Rate yourself, and your partner" in listing and "Amara Okafor" in listing
    assert (
        "at the start (baseline, sessions 1–2) and again at the end (follow-up, session 6)"
        in listing
    )
    assert "(baseline (" not in listing
    baseline = ratings.worksheet_id("mentee-competencies", "self", "baseline")
    monkeypatch.setenv("QUERY_STRING", f"relationship=1&task={baseline}")
    form = ratings_app().children[2].form
    form.fields["respect__value_mentor"]._buttons.value = 4
    form.fields["respect__time"]._buttons.value = "n/a"
    form.flush()
    assert form.status_text.startswith("Saved")
    follow_up = ratings.worksheet_id("mentee-competencies", "self", "follow-up")
    monkeypatch.setenv("QUERY_STRING", f"relationship=1&task={follow_up}")
    later = ratings_app().children[2].form
    assert later.fields["respect__value_mentor"].field.help.startswith("Baseline: 4 of 5")
    assert later.fields["respect__time"].field.help.startswith("Baseline: Not applicable")


def _rate(monkeypatch, demo, name, framework, whose, score):
    from mentorkit.programme import ratings
    from mentorkit.ui.apps import ratings_app

    sign_in_as(monkeypatch, demo, name)
    monkeypatch.setenv(
        "QUERY_STRING", f"relationship=1&task={ratings.worksheet_id(framework, whose, 'baseline')}"
    )
    form = ratings_app().children[2].form
    for field in form.fields.values():
        if field.field.type == "rating":
            field._buttons.value = score
    form.flush()
    assert form.status_text.startswith("Saved")


def test_results_show_charts_summary_and_downloads(demo, monkeypatch):
    from mentorkit.ui.apps import results_app

    _rate(monkeypatch, demo, "Amara Okafor", "mentor-competencies", "self", 4)
    _rate(monkeypatch, demo, "Ben Hughes", "mentor-competencies", "partner-2", 3)
    monkeypatch.setenv("QUERY_STRING", "relationship=1")
    html_text = results_app().children[2].value
    assert "You and Ben Hughes see your" not in html_text  # Ben is signed in now
    assert "You and you" not in html_text
    assert "data:image/png;base64," in html_text and "ratings.csv" in html_text
    assert "the same in every domain, so none stands out" in html_text
    assert (
        "You and Amara Okafor see Amara Okafor&#x27;s Comprehend skills most differently: Amara Okafor rates themselves 4.0, you give 3.0."
        in html_text
    )
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    cohort = results_app().children[2].value
    assert "Average self-ratings per relationship" in cohort
    # Amara is the only person rated on her framework in her pair: no figure rests on her.
    assert "Mentor competencies: no relationship has 3 or more people rated" in cohort
    assert "data:image/png" not in cohort and "cohort-mentor-competencies.png" not in cohort


def test_a_custom_framework_works_in_rating_and_results(demo, monkeypatch, tmp_path):
    import shutil

    from mentorkit.programme import ratings
    from mentorkit.ui.apps import ratings_app, results_app

    folder = tmp_path / "worksheets"
    shutil.copytree(Path(__file__).resolve().parent.parent / "worksheets", folder)
    shutil.copy(
        Path(__file__).resolve().parent / "specs" / "frameworks" / "valid" / "seven-point.yaml",
        folder / "frameworks",
    )
    monkeypatch.setenv("MENTORKIT_WORKSHEETS", str(folder))
    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "A validated seven-point instrument" in text_of(ratings_app())
    task = ratings.worksheet_id("seven-point", "self", "baseline")
    monkeypatch.setenv("QUERY_STRING", f"relationship=1&task={task}")
    form = ratings_app().children[2].form
    buttons = form.fields["trust__honest"]._buttons
    assert [label for label, _ in buttons.options][:7] == [str(n) for n in range(1, 8)]
    buttons.value = 7
    form.flush()
    monkeypatch.setenv("QUERY_STRING", "relationship=1")
    assert "You: A validated seven-point instrument" in results_app().children[2].value


def test_the_kits_settings_reach_the_pages(demo, monkeypatch, tmp_path: Path):
    from mentorkit.core.signin import signed_in_person
    from mentorkit.server.chrome import chrome
    from mentorkit.ui.apps import dashboard_app
    from mentorkit.ui.apps.cohort import cohort_app
    from mentorkit.ui.apps.common import open_store
    from mentorkit.ui.forms import form

    monkeypatch.setattr(form, "_autosave_delay", form.AUTOSAVE_DELAY)  # put back afterwards
    folder = tmp_path / "worksheets"
    shutil.copytree(Path(__file__).resolve().parent.parent / "worksheets", folder)
    settings = Path(__file__).resolve().parent / "specs" / "settings" / "valid" / "settings.yaml"
    shutil.copy(settings, folder / "settings.yaml")
    monkeypatch.setenv("MENTORKIT_WORKSHEETS", str(folder))
    sign_in_as(monkeypatch, demo, "Ben Hughes")
    store = open_store()
    try:  # what the page's header shows (mentorkit's template draws it)
        shown = chrome(store, signed_in_person(store), [], "home", "token")
    finally:
        store.close()
    assert (shown["programme"], shown["accent"]) == ("Northfield Mentoring", "#7a1f5c")
    monkeypatch.setenv("QUERY_STRING", "relationship=1")
    worksheet("getting-to-know-each-other")
    assert form._autosave_delay == 3.0
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    monkeypatch.delenv("QUERY_STRING")
    dashboard = dashboard_app()
    quiet = [w for w in _walk(dashboard) if getattr(w, "description", "").startswith("Flag after")]
    assert quiet[0].value == 21
    assert "Groups of fewer than 4 people" in text_of(cohort_app())


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
