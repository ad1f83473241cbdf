"""Matching: known optima, every hard rule with its reason, locks and forbids, determinism,
explanations, the weights file, and property tests against brute force."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit import matching
from mentorkit.exceptions import MentorkitError, SpecError
from mentorkit.matching import Applicant, Proposal, Weights, forbidden, load_weights, match, score

ROOT = Path(__file__).resolve().parent.parent
ONLY_EXPERTISE = Weights(
    expertise=10, goals=0, availability=0, experience_gap=0, competencies=0, min_score=1
)
TAGS = ["management", "interpersonal", "specialist technical", "writing"]
SLOTS = ["mon-am", "mon-pm", "tue-eve", "wed-am"]
WORDS = ["lead", "team", "research", "grant", "writing", "confidence", "career", "data"]
DOMAINS = ["relate", "inform", "challenge"]


def person(id: str, role: str = "mentee", years: float | None = None, **kw) -> Applicant:
    if years is None:
        years = {"mentor": 10, "mentee": 1, "either": 5}[role]
    return Applicant(id=id, name=kw.pop("name", id.title()), role=role, years=years, **kw)


def pairs_of(proposal: Proposal) -> set[tuple[str, str]]:
    return {(p.mentor_id, p.mentee_id) for p in proposal.pairs}


def why_of(proposal: Proposal) -> dict[str, str]:
    return {u.applicant_id: u.why for u in proposal.unmatched}


def greedy_trap() -> list[Applicant]:
    """Scores (expertise only, ×10):  m1  m2  m3
    e1 seeks management+technical      10   5   0
    e2 seeks management                10   0   0
    e3 seeks interpersonal+writing      0   5   5
    Greedy (highest score first) takes e1-m1, then e3-m2, and leaves e2 alone: 15.
    The optimum is e2-m1, e1-m2, e3-m3: 20, everyone matched."""
    return [
        person("m1", "mentor", offers={"management", "specialist technical"}),
        person("m2", "mentor", offers={"specialist technical", "interpersonal"}),
        person("m3", "mentor", offers={"interpersonal"}),
        person("e1", seeks={"management", "specialist technical"}),
        person("e2", seeks={"management"}),
        person("e3", seeks={"interpersonal", "writing"}),
    ]


# --------------------------------------------------------------------------------------------
# Known optima and capacity


def test_hand_computed_three_by_three_where_greedy_is_wrong():
    pool = greedy_trap()
    result = match(pool, ONLY_EXPERTISE)
    assert pairs_of(result) == {("m1", "e2"), ("m2", "e1"), ("m3", "e3")}
    assert result.total_score == pytest.approx(20.0)
    assert result.unmatched == ()
    # What greedy would do, to show the trap is real.
    by_id = {a.id: a for a in pool}
    edges = sorted(
        (
            (-score(by_id[m], by_id[e], ONLY_EXPERTISE)[0], m, e)
            for m in ("m1", "m2", "m3")
            for e in ("e1", "e2", "e3")
        ),
    )
    used, greedy_total = set(), 0.0
    for negative, m, e in edges:
        if -negative >= 1 and m not in used and e not in used:
            used |= {m, e}
            greedy_total -= negative
    assert greedy_total == pytest.approx(15.0)


def test_a_mentor_with_capacity_two_takes_two():
    pool = [
        person("m1", "mentor", offers={"writing"}, capacity=2),
        person("m2", "mentor", offers={"management"}),
        person("e1", seeks={"writing"}),
        person("e2", seeks={"writing"}),
    ]
    result = match(pool, ONLY_EXPERTISE)
    assert pairs_of(result) == {("m1", "e1"), ("m1", "e2")}
    assert why_of(result)["m2"].startswith(matching.BELOW_MIN)
    groups = match(pool, ONLY_EXPERTISE, mode="group")
    assert [(c.mentor_id, c.mentee_ids) for c in groups.circles] == [("m1", ("e1", "e2"))]
    assert groups.circles[0].score == pytest.approx(20.0)


def test_capacity_is_never_exceeded_and_the_rest_are_told_why():
    pool = [
        person("m1", "mentor", offers={"writing"}),
        person("e1", seeks={"writing"}),
        person("e2", seeks={"writing"}),
        person("e3", seeks={"writing"}),
    ]
    result = match(pool, ONLY_EXPERTISE)
    assert len(result.pairs) == 1
    lonely = why_of(result)
    assert len(lonely) == 2
    assert all(why.startswith(matching.NO_CAPACITY) for why in lonely.values())


def test_everyone_is_matched_before_scores_are_maximised():
    # m1-e1 alone would score 10; m1-e2 + m2-e1 score only 2 + 2, but match both mentees.
    pool = [
        person("m1", "mentor", offers={"a", "b", "c", "d", "e"}),
        person("m2", "mentor", offers={"a"}),
        person("e1", seeks={"a", "b", "c", "d", "e"}),
        person("e2", seeks={"a", "v", "w", "x", "y"}, avoid={"m2"}),
    ]
    result = match(pool, ONLY_EXPERTISE)
    assert pairs_of(result) == {("m1", "e2"), ("m2", "e1")}
    assert result.total_score == pytest.approx(4.0)


# --------------------------------------------------------------------------------------------
# Hard rules, one by one, with their reasons


def test_eligibility_under_two_years_only_as_mentee():
    junior_mentor = person("m1", "mentor", years=1, offers={"writing"})
    junior_either = person("x1", "either", years=1.5, offers={"writing"})
    mentee = person("e1", seeks={"writing"})
    assert forbidden(junior_mentor, mentee).startswith("Eligibility")
    assert forbidden(junior_either, mentee).startswith("Eligibility")
    assert forbidden(person("e2"), mentee).startswith("Eligibility")  # a mentee never mentors
    assert forbidden(person("m2", "mentor"), mentee) is None
    assert forbidden(person("m3", "mentor"), person("m4", "mentor")).startswith("Eligibility")
    result = match([junior_mentor, junior_either, mentee], ONLY_EXPERTISE)
    assert result.pairs == ()
    reasons = why_of(result)
    assert reasons["m1"].startswith("Eligibility: under two years")
    assert "x1" in reasons and "e1" in reasons
    assert score(junior_mentor, mentee) is None


def test_not_to_pair_lists_by_id_or_email_either_way():
    mentor = person("m1", "mentor", offers={"writing"}, email="Amara@Example.org")
    by_id = person("e1", seeks={"writing"}, avoid={"m1"})
    by_email = person("e2", seeks={"writing"}, avoid="amara@example.org")
    asked_by_mentor = person("e3", seeks={"writing"}, email="cy@example.org")
    mentor2 = person("m2", "mentor", offers={"writing"}, avoid={"CY@example.org"})
    assert forbidden(mentor, by_id).startswith("Not-to-pair")
    assert forbidden(mentor, by_email).startswith("Not-to-pair")
    assert forbidden(mentor2, asked_by_mentor).startswith("Not-to-pair")
    assert score(mentor, by_id) is None
    result = match([mentor, by_id], ONLY_EXPERTISE)
    assert result.pairs == ()
    assert why_of(result)["e1"] == "Every possible mentor is on their not-to-pair list"
    assert why_of(result)["m1"] == "Every possible mentee is on their not-to-pair list"


def test_no_common_time_slot_after_time_zones():
    mentor = person("m1", "mentor", offers={"writing"}, slots={"mon-pm"})
    clash = person("e1", seeks={"writing"}, slots={"tue-am"})
    assert forbidden(mentor, clash).startswith("No common availability")
    result = match([mentor, clash], ONLY_EXPERTISE)
    assert why_of(result)["e1"] == "No mentor shares a time slot"
    # Monday morning at UTC-5 is 13:00-17:00 UTC: inside the mentor's Monday afternoon.
    west = person("e2", seeks={"writing"}, slots={"mon-am"}, utc_offset=-5)
    assert forbidden(mentor, west) is None
    _, reasons = score(mentor, west)
    availability = next(r for r in reasons if r.criterion == "availability")
    assert "Monday morning" in availability.text and "mon-am" not in availability.text
    # No slots at all is not a clash.
    assert forbidden(mentor, person("e3")) is None


def test_time_zones_far_apart_halve_availability():
    weights = Weights(
        expertise=0, goals=0, availability=10, experience_gap=0, competencies=0, min_score=0
    )
    mentor = person("m1", "mentor", slots={"mon-am"}, frequency="weekly")
    near = person("e1", slots={"mon-am"}, frequency="monthly")
    near_score, _ = score(mentor, near, weights)
    assert near_score == pytest.approx(8.0)  # full slot overlap, different frequency
    far = person("e2", slots={"mon-pm"}, utc_offset=-7)  # 19:00-24:00 UTC; no overlap
    assert forbidden(mentor, far) is not None
    far = person("e3", slots={"mon-eve"}, utc_offset=12, frequency="weekly")  # mon 05-09 UTC
    far_score, reasons = score(mentor, far, weights)
    # Overlap 1 hour of the smaller 4 hours, halved for 12 hours apart, plus same frequency.
    assert far_score == pytest.approx(10 * (0.8 * 0.25 * 0.5 + 0.2))
    assert "halved" in reasons[0].text


def test_same_person_is_never_paired():
    either = person("x1", "either", years=10)
    assert forbidden(either, either).startswith("Same person")
    assert forbidden(either, either, peer=True).startswith("Same person")
    assert score(either, either) is None
    result = match([either], ONLY_EXPERTISE)
    assert result.pairs == () and [u.applicant_id for u in result.unmatched] == ["x1"]


def test_scores_below_the_minimum_are_not_proposed():
    pool = [person("m1", "mentor", offers={"management"}), person("e1", seeks={"writing"})]
    result = match(pool, ONLY_EXPERTISE)
    assert result.pairs == ()
    assert why_of(result)["e1"].startswith("Scores below the minimum")
    assert why_of(result)["m1"].startswith("Scores below the minimum")


def test_facilitator_forbids_are_hard_rules():
    pool = greedy_trap()
    result = match(
        pool, ONLY_EXPERTISE, forbids=[("m3", "e3"), ("e3", "m2"), ("e3", "m1"), ("zz", "e1")]
    )
    assert not {("m3", "e3"), ("m2", "e3")} & pairs_of(result)
    assert why_of(result)["e3"] == "Every possible mentor was ruled out by the facilitator"


# --------------------------------------------------------------------------------------------
# Locks, forbids, re-runs, infeasible locks


def test_locks_are_kept_and_forbids_honoured_across_reruns():
    pool = greedy_trap()
    locks, forbids = [("m1", "e1")], [("m2", "e3")]
    first = match(pool, ONLY_EXPERTISE, locks=locks, forbids=forbids)
    assert ("m1", "e1") in pairs_of(first)
    assert [p.locked for p in first.pairs if (p.mentor_id, p.mentee_id) == ("m1", "e1")] == [True]
    assert ("m2", "e3") not in pairs_of(first)
    assert sum(p.locked for p in first.pairs) == 1
    # New applicants arrive; the same locks and forbids still hold.
    bigger = [
        *pool,
        person("m4", "mentor", offers={"management", "writing"}, capacity=2),
        person("e4", seeks={"writing"}),
    ]
    second = match(bigger, ONLY_EXPERTISE, locks=locks, forbids=forbids)
    assert ("m1", "e1") in pairs_of(second)
    assert ("m2", "e3") not in pairs_of(second)
    # Locking a whole proposal gives it back unchanged, every pair locked.
    third = match(bigger, ONLY_EXPERTISE, locks=second.as_locks(), forbids=forbids)
    assert pairs_of(third) == pairs_of(second)
    assert all(p.locked for p in third.pairs)
    # Pairing objects work as locks too.
    assert pairs_of(match(bigger, ONLY_EXPERTISE, locks=second.pairs)) == pairs_of(second)


def test_locks_that_break_rules_raise_naming_each_rule():
    pool = [
        person("m1", "mentor", offers={"writing"}),
        person("m2", "mentor", offers={"writing"}),
        person("e1", seeks={"writing"}, avoid={"m1"}),
        person("e2", seeks={"writing"}),
        person("e3", seeks={"writing"}),
        person("j1", "mentor", years=1),
    ]
    locks = [
        ("m1", "e1"),
        ("m2", "e2"),
        ("m2", "e3"),
        ("j1", "e3"),
        ("e2", "m1"),
        ("m1", "zz"),
        ("m1", "e2"),
    ]
    with pytest.raises(MentorkitError) as raised:
        match(pool, ONLY_EXPERTISE, locks=locks)
    message = str(raised.value)
    assert "Not-to-pair" in message  # m1 → e1
    assert "Capacity" in message  # m2 has two locked mentees
    assert "Eligibility" in message  # j1 has under two years; e2 is a mentee only
    assert "One mentor per mentee" in message  # e2 locked to m2 and m1
    assert "zz" in message
    with pytest.raises(MentorkitError, match="forbid"):
        match(pool, ONLY_EXPERTISE, locks=[("m2", "e2")], forbids=[("e2", "m2")])
    with pytest.raises(MentorkitError, match="No common availability"):
        match(
            [person("m1", "mentor", slots={"mon-am"}), person("e1", slots={"fri-eve"})],
            locks=[("m1", "e1")],
        )


def test_a_lock_below_the_minimum_is_kept():
    pool = [person("m1", "mentor", offers={"management"}), person("e1", seeks={"writing"})]
    result = match(pool, ONLY_EXPERTISE, locks=[("m1", "e1")])
    assert [(p.mentor_id, p.mentee_id, p.locked) for p in result.pairs] == [("m1", "e1", True)]


# --------------------------------------------------------------------------------------------
# Either, determinism, explanations


def test_either_applicants_fill_the_side_that_is_short():
    pool = [
        person("m1", "mentor", offers={"writing"}),
        *(person(f"e{k}", seeks={"writing"}) for k in range(3)),
        person("x1", "either", years=20, offers={"writing"}),
        person("x2", "either", years=12, offers={"writing"}),
        person("x3", "either", years=4, offers={"writing"}, seeks={"writing"}),
    ]
    result = match(pool, ONLY_EXPERTISE)
    mentors = {p.mentor_id for p in result.pairs}
    mentees = {p.mentee_id for p in result.pairs}
    assert {"x1", "x2"} <= mentors  # most experienced first, while mentees outnumber places
    assert not mentors & mentees
    assert any(
        n.startswith("X1, who could be either, was placed as a mentor") for n in result.notes
    )


def test_an_either_applicant_left_out_on_one_side_is_tried_on_the_other():
    pool = [
        person("m1", "mentor", offers={"writing"}, slots={"mon-am"}, capacity=2),
        person("e1", seeks={"writing"}, slots={"mon-am"}),
        # Placed as a mentee (there are enough places) but shares no slot with m1; it can
        # mentor e2, who is left over.
        person("x1", "either", years=9, offers={"management"}, slots={"fri-eve"}),
        person("e2", seeks={"management"}, slots={"fri-eve"}),
    ]
    weights = Weights(
        expertise=10, goals=0, availability=0, experience_gap=0, competencies=0, min_score=1
    )
    result = match(pool, weights)
    assert pairs_of(result) == {("m1", "e1"), ("x1", "e2")}
    assert any("matched as a mentor instead" in n for n in result.notes)


def test_two_either_applicants_left_over_on_the_same_side_can_pair_with_each_other():
    pool = [
        person("m", "mentor", years=20, slots={"mon-am"}),
        # Both placed as mentees (one mentor place), neither shares a slot with m; had they
        # both switched to mentoring, nobody would be paired.
        person("x", "either", years=8, slots={"tue-pm"}),
        person("y", "either", years=15, slots={"tue-pm"}),
    ]
    result = match(pool, Weights())
    assert pairs_of(result) == {("y", "x")}
    assert [(u.applicant_id, u.why) for u in result.unmatched] == [
        ("m", "No mentee shares a time slot")
    ]
    assert any("Y, who could be either," in n and "as a mentor instead" in n for n in result.notes)
    assert any("X, who could be either," in n and "in a second round" in n for n in result.notes)


def random_pool(seed: int, size: int = 40) -> list[Applicant]:
    rng = random.Random(seed)
    ids = [f"p{k:03d}" for k in range(size)]
    pool = []
    for id in ids:
        role = rng.choice(["mentor", "mentee", "mentee", "either"])
        pool.append(
            Applicant(
                id=id,
                name=id.upper(),
                role=role,
                years=rng.choice([0.5, 1, 3, 6, 12, 20]),
                offers=frozenset(rng.sample(TAGS, rng.randint(0, 3))),
                seeks=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                goals=" ".join(rng.sample(WORDS, rng.randint(0, 4))),
                frequency=rng.choice(["weekly", "monthly"]),
                slots=frozenset(rng.sample(SLOTS, rng.randint(0, 2))),
                utc_offset=rng.choice([0, 1, -5, 8]),
                capacity=rng.randint(1, 3),
                avoid=frozenset(rng.sample(ids, rng.randint(0, 2))),
                ratings={d: rng.randint(1, 5) for d in rng.sample(DOMAINS, rng.randint(0, 3))},
            )
        )
    return pool


@pytest.mark.parametrize("mode", ["one-to-one", "group", "peer"])
def test_shuffled_input_gives_the_same_proposal(mode):
    pool = random_pool(7)
    expected = match(pool, mode=mode, forbids=[("p001", "p002")])
    for seed in range(3):
        shuffled = pool[:]
        random.Random(seed).shuffle(shuffled)
        assert match(shuffled, mode=mode, forbids=[("p002", "p001")]) == expected


def test_explanations_put_the_biggest_reason_first():
    amara = person(
        "m1",
        "mentor",
        name="Amara",
        years=12,
        offers={"interpersonal", "management"},
        goals="Help new managers lead their teams",
        slots={"mon-am"},
        ratings={"relate": 5, "inform": 3},
    )
    ben = person(
        "e1",
        name="Ben",
        years=1,
        seeks={"interpersonal"},
        goals="Lead my team with confidence",
        slots={"mon-am"},
        ratings={"relate": 1, "inform": 4},
    )
    total, reasons = score(amara, ben)
    assert reasons[0] == matching.Reason(
        "expertise", 40.0, "Ben seeks interpersonal, which Amara offers"
    )
    assert [r.points for r in reasons] == sorted((r.points for r in reasons), reverse=True)
    assert {r.criterion for r in reasons} == set(matching.CRITERIA)
    assert total == pytest.approx(sum(r.points for r in reasons), abs=0.05)
    text = {r.criterion: r.text for r in reasons}
    assert "“lead” and “team”" in text["goals"]
    assert "11 years more experience" in text["experience_gap"]
    assert "Ben rated relate low" in text["competencies"]
    (pairing,) = match([amara, ben]).pairs
    assert pairing.score == pytest.approx(total) and pairing.reasons == reasons


def test_reverse_mentoring_turns_the_experience_gap_round():
    weights = Weights(
        expertise=0, goals=0, availability=0, experience_gap=10, competencies=0, min_score=0
    )
    junior = person("m1", "mentor", years=3)
    senior = person("e1", years=15, model="reverse")
    assert score(junior, senior, weights)[0] == pytest.approx(10.0)
    assert score(junior, person("e2", years=15), weights)[0] == pytest.approx(0.0)


def test_applications_are_checked():
    with pytest.raises(MentorkitError, match="time slot 'mon-night'"):
        person("a", slots={"mon-night"})
    with pytest.raises(MentorkitError, match="capacity"):
        person("a", "mentor", capacity=0)
    with pytest.raises(MentorkitError, match="role"):
        person("a", "boss", years=3)
    with pytest.raises(MentorkitError, match="more than one applicant: a"):
        match([person("a"), person("a", "mentor")])
    assert person("a", slots="Monday-Morning, WED-PM").slots == {"mon-am", "wed-pm"}
    assert person("a", offers="Management,  Specialist  Technical").offers == {
        "management",
        "specialist technical",
    }


# --------------------------------------------------------------------------------------------
# Peers


def test_peers_pair_up_once_each_and_respect_rules():
    pool = random_pool(3, size=60)
    result = match(pool, mode="peer", forbids=[("p000", "p001")])
    by_id = {a.id: a for a in pool}
    seen = [x for p in result.peers for x in (p.first_id, p.second_id)]
    assert len(seen) == len(set(seen))
    assert set(seen) | {u.applicant_id for u in result.unmatched} == set(by_id)
    for p in result.peers:
        assert forbidden(by_id[p.first_id], by_id[p.second_id], peer=True) is None
        assert {p.first_id, p.second_id} != {"p000", "p001"}
        assert p.score >= Weights().min_score - 1e-9
    assert result.total_score == pytest.approx(sum(p.score for p in result.peers))
    assert result.notes


def test_peer_locks_and_infeasible_peer_locks():
    pool = [person("a", years=3), person("b", years=3), person("c", avoid={"a"}), person("d")]
    result = match(pool, mode="peer", locks=[("b", "a")])
    assert ("a", "b", True) in {(p.first_id, p.second_id, p.locked) for p in result.peers}
    with pytest.raises(MentorkitError, match="Not-to-pair"):
        match(pool, mode="peer", locks=[("a", "c")])
    with pytest.raises(MentorkitError, match="one partner each"):
        match(pool, mode="peer", locks=[("a", "b"), ("a", "d")])


# --------------------------------------------------------------------------------------------
# Weights file


def test_shipped_weights_are_the_defaults_and_explained():
    path = ROOT / "worksheets" / "matching" / "weights.yaml"
    assert load_weights(path) == Weights()
    text = path.read_text()
    for name in (*matching.CRITERIA, "min_score"):
        assert f"\n{name}:" in text
    assert text.count("#") > 20


def test_weights_file_problems_are_named(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("expertize: 30\ngoals: -5\navailability: lots\n")
    with pytest.raises(SpecError) as raised:
        load_weights(path)
    message = str(raised.value)
    assert "Unknown key 'expertize'" in message and "Did you mean 'expertise'?" in message
    assert ":2" in message and "cannot be negative" in message
    assert "availability must be a number" in message
    path.write_text(
        "expertise: 5\ngoals: 0\navailability: 0\nexperience_gap: 0\n"
        "competencies: 0\nmin_score: 50\n"
    )
    with pytest.raises(SpecError, match="more than the highest possible score"):
        load_weights(path)
    path.write_text("goals: 35\n")
    assert load_weights(path) == Weights(goals=35)
    with pytest.raises(SpecError, match="cannot be read"):
        load_weights(tmp_path / "missing.yaml")
    with pytest.raises(MentorkitError):
        Weights(expertise=-1)


def test_matching_module_does_not_import_scipy_until_asked():
    code = "import mentorkit, mentorkit.matching, sys; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------
# Property tests


@st.composite
def pools(draw, max_size: int = 30, roles=("mentor", "mentee", "either"), max_capacity=3):
    size = draw(st.integers(1, max_size))
    ids = [f"p{k:02d}" for k in range(size)]
    out = []
    for id in ids:
        ratings = draw(st.dictionaries(st.sampled_from(DOMAINS), st.integers(1, 5), max_size=3))
        out.append(
            Applicant(
                id=id,
                name=id,
                role=draw(st.sampled_from(roles)),
                years=draw(st.sampled_from([0, 1, 2, 4, 8, 15, 25])),
                offers=draw(st.frozensets(st.sampled_from(TAGS))),
                seeks=draw(st.frozensets(st.sampled_from(TAGS), max_size=2)),
                goals=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
                frequency=draw(st.sampled_from(["weekly", "monthly"])),
                slots=draw(st.frozensets(st.sampled_from(SLOTS), max_size=2)),
                utc_offset=draw(st.sampled_from([0, 1, -5, 8])),
                capacity=draw(st.integers(1, max_capacity)),
                avoid=draw(st.frozensets(st.sampled_from(ids), max_size=2)),
                ratings=ratings,
            )
        )
    return out


@st.composite
def weights_strategy(draw) -> Weights:
    values = {
        "expertise": draw(st.sampled_from([0, 10, 40])),
        "goals": draw(st.sampled_from([0, 20])),
        "availability": draw(st.sampled_from([0, 20])),
        "experience_gap": draw(st.sampled_from([0, 10])),
        "competencies": draw(st.sampled_from([0, 10])),
    }
    minimum = draw(st.sampled_from([0, 5, 15]))
    return Weights(**values, min_score=min(minimum, sum(values.values())))


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_rules(pool: list[Applicant], weights: Weights, result: Proposal, forbids=()) -> None:
    by_id = {a.id: a for a in pool}
    ruled_out = {frozenset(f) for f in forbids}
    load: dict[str, int] = {}
    mentees = [p.mentee_id for p in result.pairs]
    for p in result.pairs:
        mentor, mentee = by_id[p.mentor_id], by_id[p.mentee_id]
        assert forbidden(mentor, mentee) is None
        assert frozenset((p.mentor_id, p.mentee_id)) not in ruled_out
        assert p.locked or p.score >= weights.min_score - 1e-6
        assert p.score == pytest.approx(score(mentor, mentee, weights)[0])
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    assert all(count <= by_id[m].capacity for m, count in load.items())
    assert len(mentees) == len(set(mentees))  # each mentee once
    assert not set(load) & set(mentees)  # nobody on both sides
    unmatched = [u.applicant_id for u in result.unmatched]
    assert len(unmatched) == len(set(unmatched))
    assert set(unmatched) | set(load) | set(mentees) == set(by_id)
    assert not set(unmatched) & (set(load) | set(mentees))
    assert all(u.why for u in result.unmatched)
    assert result.total_score == pytest.approx(sum(p.score for p in result.pairs))


@PROPERTY
@given(pool=pools(), weights=weights_strategy(), data=st.data())
def test_no_hard_rule_is_ever_broken(pool, weights, data):
    ids = [a.id for a in pool]
    forbids = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
    result = match(pool, weights, forbids=forbids)
    check_rules(pool, weights, result, forbids)
    # Keeping some of the pairs as locks keeps them, and the rules still hold.
    locks = result.as_locks()[::2]
    again = match(pool, weights, locks=locks, forbids=forbids)
    assert set(locks) <= {(p.mentor_id, p.mentee_id) for p in again.pairs if p.locked}
    check_rules(pool, weights, again, forbids)


def brute_force(pool: list[Applicant], weights: Weights) -> tuple[int, float]:
    mentors = [a for a in pool if a.role == "mentor" and a.years >= 2]
    mentees = [a for a in pool if a.role == "mentee"]
    options = []
    for e in mentees:
        mine = [None]
        for m in mentors:
            scored = score(m, e, weights)
            if scored is not None and scored[0] >= weights.min_score - 1e-9:
                mine.append((m.id, scored[0]))
        options.append(mine)
    best = (0, 0.0)
    for choice in itertools.product(*options):
        picked = [c for c in choice if c is not None]
        load: dict[str, int] = {}
        for m, _ in picked:
            load[m] = load.get(m, 0) + 1
        if any(load[m] > next(a.capacity for a in mentors if a.id == m) for m in load):
            continue
        value = (len(picked), sum(s for _, s in picked))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1]):
            best = value
    return best


@PROPERTY
@given(
    mentors=pools(max_size=4, roles=("mentor",), max_capacity=2),
    mentees=pools(max_size=4, roles=("mentee",)),
    weights=weights_strategy(),
)
def test_tiny_pools_reach_the_brute_force_optimum(mentors, mentees, weights):
    mentors = [
        Applicant(**{**a.__dict__, "id": "m" + a.id, "avoid": {"e" + x for x in a.avoid}})
        for a in mentors
    ]
    mentees = [
        Applicant(**{**a.__dict__, "id": "e" + a.id, "avoid": {"m" + x for x in a.avoid}})
        for a in mentees
    ]
    pool = mentors + mentees
    result = match(pool, weights)
    count, total = brute_force(pool, weights)
    assert len(result.pairs) == count
    assert result.total_score == pytest.approx(total, abs=1e-6)


def brute_force_peers(pool, weights) -> tuple[int, float]:
    def best(people):
        if len(people) < 2:
            return (0, 0.0)
        first, rest = people[0], people[1:]
        result = best(rest)
        for k, other in enumerate(rest):
            scored = score(first, other, weights, peer=True)
            if scored is None or scored[0] < weights.min_score - 1e-9:
                continue
            sub = best(rest[:k] + rest[k + 1 :])
            option = (sub[0] + 1, sub[1] + scored[0])
            if option[0] > result[0] or (option[0] == result[0] and option[1] > result[1]):
                result = option
        return result

    return best(list(pool))


@PROPERTY
@given(pool=pools(max_size=8), weights=weights_strategy())
def test_small_peer_pools_reach_the_brute_force_optimum(pool, weights):
    result = match(pool, weights, mode="peer")
    count, total = brute_force_peers(pool, weights)
    assert len(result.peers) == count
    assert result.total_score == pytest.approx(total, abs=1e-6)


@PROPERTY
@given(pool=pools(max_size=16), weights=weights_strategy())
def test_peer_relaxation_is_valid_and_right_when_it_says_best(pool, weights):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching.peers, "EXACT_PEERS", 0)
        result = match(pool, weights, mode="peer")
    by_id = {a.id: a for a in pool}
    seen = [x for p in result.peers for x in (p.first_id, p.second_id)]
    assert len(seen) == len(set(seen))
    for p in result.peers:
        assert forbidden(by_id[p.first_id], by_id[p.second_id], peer=True) is None
        assert p.score >= weights.min_score - 1e-6
    if len(pool) <= 10 and "Peer pairs are the best possible." in result.notes:
        count, total = brute_force_peers(pool, weights)
        assert (len(result.peers), result.total_score) == (count, pytest.approx(total, abs=1e-6))
    if len(pool) <= 10 and any("% below the best possible" in n for n in result.notes):
        assert len(result.peers) == brute_force_peers(pool, weights)[0]


@PROPERTY
@given(pool=pools(max_size=12), weights=weights_strategy())
def test_score_matrix_agrees_with_pairwise_scores(pool, weights):
    pool = sorted(pool, key=lambda a: a.id)
    arrays = matching.pool.Pool(pool)
    everyone = list(range(len(pool)))
    no_forbids = matching.arrays.pair_index_arrays(set())
    for peer in (False, True):
        scores, codes, _ = matching.matrix.score_matrix(
            arrays, everyone, everyone, weights, no_forbids, peer
        )
        for r, mentee in enumerate(pool):
            for c, mentor in enumerate(pool):
                rule = forbidden(mentor, mentee, peer=peer)
                assert (codes[r, c] in (1, 2, 3)) == (rule is not None)
                if rule is None:
                    assert scores[r, c] == pytest.approx(
                        score(mentor, mentee, weights, peer=peer)[0]
                    )
                    below = scores[r, c] < weights.min_score - 1e-9
                    assert (codes[r, c] == 5) == below
