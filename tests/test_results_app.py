"""The results page: own and partner's views compared round by round, the ratings download
made safe for spreadsheets, and a facilitator's heatmap that never singles anyone out."""

from __future__ import annotations

import base64
import csv
import io
import math
import re
from pathlib import Path

import pytest
from pages import sign_in_as

from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.facilitator import cohort
from mentorkit.io.charts import ratings as rating_charts
from mentorkit.io.charts.ratings import cohort_heatmap
from mentorkit.programme import rating_analysis, ratings
from mentorkit.programme.frameworks import load_frameworks
from mentorkit.ui.apps import results_app
from mentorkit.ui.apps.results import domain_table, ratings_csv

FRAMEWORKS = load_frameworks(Path(__file__).resolve().parent.parent / "worksheets" / "frameworks")
MENTOR, MENTEE = "mentor-competencies", "mentee-competencies"


class Ratings:
    """Ratings saved straight into the demo programme's store, as each rater would."""

    def __init__(self, folder: Path):
        self.store = Store(folder / "mentorkit.sqlite3")
        self.people = {p.name: p for p in self.store.people(1)}
        self.relationships = {
            p.name: r for r in self.store.relationships(1) for p in self._members(r)
        }

    def _members(self, relationship):
        return [self.store.person(m.person_id) for m in relationship.members]

    def rate(self, rater: str, framework: str, round_id: str, score: int, subject: str = ""):
        """``rater`` rates ``subject`` (themselves when not given) with ``score`` on every
        item of ``framework`` in ``round_id``."""
        person = self.people[rater]
        relationship = self.relationships[rater]
        whose = f"partner-{self.people[subject].id}" if subject else "self"
        sheet = ratings.rating_worksheet(FRAMEWORKS[framework], whose, round_id, subject or rater)
        values = {
            ratings.item_field_id(domain.id, item.id): score
            for domain in FRAMEWORKS[framework].domains
            for item in domain.items
        }
        bases = self.store.load(sheet, relationship.id, person.id).revisions
        self.store.save(sheet, relationship.id, person.id, values, bases)


@pytest.fixture
def saved(demo, tmp_path):
    made = Ratings(tmp_path)
    yield made
    made.store.close()


def results_for(monkeypatch, demo, name: str, relationship: int = 1) -> str:
    sign_in_as(monkeypatch, demo, name)
    monkeypatch.setenv("QUERY_STRING", f"relationship={relationship}")
    return results_app().children[2].value


# --- own view against the partner's, round by round ----------------------------------------


def test_a_follow_up_self_rating_is_compared_with_the_partners_baseline_until_theirs_is_in(
    demo, saved, monkeypatch
):
    saved.rate("Amara Okafor", MENTOR, "baseline", 2)
    saved.rate("Amara Okafor", MENTOR, "follow-up", 4)
    saved.rate("Ben Hughes", MENTOR, "baseline", 3, subject="Amara Okafor")

    page = results_for(monkeypatch, demo, "Amara Okafor")
    assert "Once both views are in" not in page
    assert (
        "You and Ben Hughes see your Comprehend skills most differently: you rate yourself "
        "2.0, Ben Hughes gives 3.0."
    ) in page
    assert (
        "Ben Hughes has not rated you for the follow-up yet. The views below are compared "
        "at the baseline."
    ) in page
    assert 'download="gaps-amara-okafor-mentor-competencies-baseline.png"' in page
    assert 'download="radar-amara-okafor-mentor-competencies-baseline.png"' in page
    assert 'download="growth-amara-okafor-mentor-competencies.png"' in page
    assert "Strongest (follow-up, own view)" not in page  # every domain is 4: none stands out
    # Ben sees the same comparison, in his words.
    assert "You have not rated Amara Okafor for the follow-up yet." in results_for(
        monkeypatch, demo, "Ben Hughes"
    )

    saved.rate("Ben Hughes", MENTOR, "follow-up", 5, subject="Amara Okafor")
    page = results_for(monkeypatch, demo, "Amara Okafor")
    assert "you rate yourself 4.0, Ben Hughes gives 5.0." in page
    assert 'download="gaps-amara-okafor-mentor-competencies-follow-up.png"' in page
    assert "has not rated" not in page


def test_partner_ratings_without_an_own_rating_say_what_is_missing(demo, saved, monkeypatch):
    saved.rate("Ben Hughes", MENTOR, "baseline", 3, subject="Amara Okafor")
    page = results_for(monkeypatch, demo, "Amara Okafor")
    assert "You have not rated yourself for the baseline yet." in page
    assert "gaps-amara-okafor" not in page


# --- the ratings download ------------------------------------------------------------------


FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "@SUM(1+1)", "+1", "-2+3"]


def test_the_ratings_csv_neutralises_every_text_cell():
    records = [
        {
            "person_id": 1,
            "person": FORMULAS[0],
            "rater_id": 2,
            "rater": FORMULAS[1],
            "relation": "partner",
            "round": "baseline",
            "framework": "f",
            "domain_id": "d",
            "domain": FORMULAS[2],
            "item": FORMULAS[3],
            "value": 4,
            "rated_on": None,
        }
    ]
    tidy = rating_analysis.tidy(records)
    made = ratings_csv(tidy, rating_analysis.domain_scores(tidy))
    rows = list(csv.reader(io.StringIO(made.decode("utf-8-sig"))))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert [cells[c] for c in ("person", "rater", "domain", "item")] == ["'" + f for f in FORMULAS]
    assert (cells["person_id"], cells["score"], cells["not_applicable"]) == ("1", "4", "False")


def _record(domain: str, item: str, value) -> dict:
    return {
        "person_id": 1,
        "person": "Ben",
        "rater_id": 1,
        "rater": "Ben",
        "relation": "self",
        "round": "baseline",
        "framework": "f",
        "domain_id": domain.lower(),
        "domain": domain,
        "item": item,
        "value": value,
        "rated_on": None,
    }


def test_domain_scores_leave_out_not_applicable_and_round_half_up_on_page_and_csv():
    records = [
        *(_record("Relate", f"r{i}", v) for i, v in enumerate([4, 3, "n/a", 4])),  # 11/3
        *(_record("Challenge", f"c{i}", v) for i, v in enumerate([3, 3, 3, 4])),  # 13/4 = 3.25
        *(_record("Inform", f"i{i}", "n/a") for i in range(2)),
    ]
    tidy = rating_analysis.tidy(records)
    scores = rating_analysis.domain_scores(tidy)
    rows = list(csv.DictReader(io.StringIO(ratings_csv(tidy, scores).decode("utf-8-sig"))))
    by_domain = {r["domain"]: r for r in rows}
    assert by_domain["Relate"]["domain_score"] == "3.7"
    assert by_domain["Relate"]["domain_items_rated"] == "3"
    assert by_domain["Relate"]["domain_items_not_applicable"] == "1"
    assert by_domain["Challenge"]["domain_score"] == "3.3"  # half up; round() would give 3.2
    assert (
        by_domain["Inform"]["domain_score"] == ""
        and by_domain["Inform"]["domain_items_rated"] == "0"
    )
    table = domain_table(scores, "baseline", "Amara", you=True)
    assert '<th scope="row">Relate</th><td>3.7 from 3 items (1 not applicable)</td>' in table
    assert "<td>3.3 from 4 items</td>" in table
    assert "<td>no rating (all 2 not applicable)</td>" in table


def test_the_results_page_offers_a_neutralised_ratings_csv(demo, tmp_path, monkeypatch):
    store = Store(tmp_path / "mentorkit.sqlite3")
    (mentor, code), (mentee, _) = (
        access.add_person(store, 1, FORMULAS[0]),
        access.add_person(store, 1, FORMULAS[1]),
    )
    relationship = store.add_relationship(
        1, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
    )
    sheet = ratings.rating_worksheet(FRAMEWORKS[MENTOR], "self", "baseline", "yourself")
    values = {
        ratings.item_field_id(d.id, i.id): 3 for d in FRAMEWORKS[MENTOR].domains for i in d.items
    }
    store.save(sheet, relationship.id, mentor.id, values, {})
    store.close()
    monkeypatch.setenv("MENTORKIT_CODE", code)
    monkeypatch.setenv("QUERY_STRING", f"relationship={relationship.id}")
    page = results_app().children[2].value
    data = re.search(r'download="ratings.csv" href="data:text/csv;base64,([^"]+)"', page)
    rows = list(csv.reader(io.StringIO(base64.b64decode(data.group(1)).decode("utf-8-sig"))))
    assert len(rows) > 1 and rows[1][1] == "'" + FORMULAS[0]
    assert not any(cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row)


# --- the facilitator's heatmap -------------------------------------------------------------


@pytest.fixture
def heatmaps(monkeypatch):
    """Every matrix the facilitator's page draws, by title."""
    drawn: dict[str, object] = {}
    draw = cohort_heatmap

    def spy(matrix, title, points):
        drawn[title] = matrix.copy()
        return draw(matrix, title, points)

    monkeypatch.setattr(rating_charts, "cohort_heatmap", spy)
    return drawn


def figures(drawn) -> list[float]:
    return [v for m in drawn.values() for v in m.to_numpy().ravel() if not math.isnan(v)]


def test_the_heatmap_never_shows_a_figure_resting_on_fewer_than_three_people(
    demo, saved, monkeypatch, heatmaps
):
    saved.rate("Amara Okafor", MENTOR, "baseline", 2)  # alone on her framework in her pair
    saved.rate("Ben Hughes", MENTEE, "baseline", 3)  # alone on his
    saved.rate("Elena Rossi", MENTOR, "baseline", 1)  # the only mentor of her circle
    saved.rate("Farah Khan", MENTEE, "baseline", 5)
    saved.rate("George Li", MENTEE, "follow-up", 4)  # 2 mentees so far
    saved.rate("George Li", MENTEE, "baseline", 4)

    page = results_for(monkeypatch, demo, "Fran Fletcher")
    assert heatmaps == {}
    for title in ("Mentor competencies", "Mentee competencies"):
        assert f"{title}: no relationship has 3 or more people rated on it yet" in page

    saved.rate("Hana Sato", MENTEE, "baseline", 3)  # the circle's third mentee
    page = results_for(monkeypatch, demo, "Fran Fletcher")
    assert list(heatmaps) == ["Mentee competencies: average self-ratings"]
    matrix = heatmaps["Mentee competencies: average self-ratings"]
    assert list(matrix.index) == ["Amara Okafor & Ben Hughes", "Leadership circle"]
    assert matrix.loc["Amara Okafor & Ben Hughes"].isna().all()
    assert (matrix.loc["Leadership circle"] == 4.0).all()  # (5 + 4 + 3) / 3 at the baseline
    assert set(figures(heatmaps)) == {4.0}
    assert "Mentor competencies: no relationship has 3 or more people" in page


def test_relationship_averages_follow_the_cohort_reports_smallest_group_rule(demo, saved):
    for name, score in (("Farah Khan", 5), ("George Li", 4), ("Hana Sato", 3)):
        saved.rate(name, MENTEE, "baseline", score)
    saved.rate("Farah Khan", MENTEE, "follow-up", 1)
    saved.rate("Amara Okafor", MENTOR, "baseline", 2)
    averages = cohort.relationship_averages(saved.store, 1, FRAMEWORKS)
    circle = saved.relationships["Farah Khan"].id
    mine = averages[(averages.relationship_id == circle) & (averages.framework_id == MENTEE)]
    # One mentee has rated the follow-up so far, so the baseline of all three counts.
    assert set(mine["round"]) == {"baseline"} and set(mine["people"]) == {3}
    assert (mine["mean"] == 4.0).all() and not mine["suppressed"].any()
    assert averages[averages.framework_id == MENTOR]["mean"].isna().all()
    at_two = cohort.relationship_averages(saved.store, 1, FRAMEWORKS, min_group=1)
    assert set(at_two[at_two.framework_id == MENTOR]["mean"]) == {2.0}
