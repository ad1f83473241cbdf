"""The cohort's figures for the facilitator: completion, goals, sessions and competency
averages across a programme.

What leaves this module is states, counts and averages, nothing else: figures come from
:func:`mentorkit.facilitator.dashboard.dashboard_rows` and from one programme-wide read
(:meth:`Store.latest_answers`) that is turned into numbers here and never shown. Competency
averages are per role and round (or per relationship, for the results page's heatmap), and a
group of fewer than ``min_group`` people gets no average (:func:`hide_small_groups`, the one
place that rule lives), so nobody's own ratings can be read off a chart or a table.

The answers a facilitator may read are in :mod:`mentorkit.facilitator.programme_answers`; the
tables out in :mod:`mentorkit.io.tables`, the report in
:mod:`mentorkit.io.documents.cohort_report`. This module imports pandas; only the cohort and
results pages and their exports import it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from mentorkit.core.fieldtypes import NOT_APPLICABLE
from mentorkit.core.models import MEMBER_ROLES
from mentorkit.core.store import Store
from mentorkit.facilitator import dashboard
from mentorkit.programme import ratings
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.scores import score_text

MIN_GROUP = 3
"""A group needs at least this many people for its average to be shown."""
STATE_CODES = {"Not started": 0, "In progress": 1, "Complete": 2}
GROUP_NAMES = {"mentor": "Mentors", "mentee": "Mentees", "peer": "Peers"}
AVERAGE_COLUMNS = ["framework", "domain", "role", "round", "mean", "people", "suppressed"]
RELATIONSHIP_AVERAGE_COLUMNS = [
    "relationship_id",
    "framework_id",
    "domain_id",
    "domain",
    "round",
    "mean",
    "people",
    "suppressed",
]


# --- completion, goals, sessions ---------------------------------------------------------------


def completion_matrix(rows: Sequence[dashboard.RelationshipRow]) -> pd.DataFrame:
    """Relationships (rows, by title) × tracked worksheets (columns, by title): 0 not started,
    1 in progress, 2 complete."""
    columns = [state.title for state in rows[0].worksheets] if rows else []
    data = [[STATE_CODES.get(state.label, 0) for state in row.worksheets] for row in rows]
    return pd.DataFrame(
        data,
        index=pd.Index([row.relationship.title for row in rows], name="relationship"),
        columns=pd.Index(columns, name="worksheet"),
        dtype=int,
    )


def goal_progress_distribution(rows: Iterable[dashboard.RelationshipRow]) -> list[float]:
    """Each relationship's progress on its goals (0–100), for those that recorded any."""
    return [float(row.goal_progress) for row in rows if row.goal_progress is not None]


def session_summary(rows: Sequence[dashboard.RelationshipRow]) -> dict[str, float]:
    """Sessions logged and hours across the programme.

    Keys: ``relationships``, ``sessions`` (held, i.e. with notes logged), ``hours``,
    ``mean_sessions`` and ``mean_hours`` per relationship, ``without_sessions`` (relationships
    with no session logged yet).
    """
    count = len(rows)
    sessions = sum(row.sessions_logged for row in rows)
    hours = sum(row.minutes_logged for row in rows) / 60
    return {
        "relationships": count,
        "sessions": sessions,
        "hours": hours,
        "mean_sessions": sessions / count if count else 0.0,
        "mean_hours": hours / count if count else 0.0,
        "without_sessions": sum(1 for row in rows if not row.sessions_logged),
    }


# --- competency averages -------------------------------------------------------------------


def _score(value: Any, points: int) -> float | None:
    """A rating as a number, or None for "n/a", blanks and anything off the scale."""
    if value == NOT_APPLICABLE or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 1 <= value <= points else None


def _self_scores(
    store: Store, programme_id: int, frameworks: Mapping[str, Framework]
) -> pd.DataFrame:
    """One row per person, relationship, framework, domain and round they rated themselves
    in: the mean of their item ratings in that domain ("n/a" left out)."""
    relationships = {r.id: r for r in store.relationships(programme_id)}
    records = []
    for answers in store.latest_answers(programme_id):
        parsed = ratings.parse_worksheet_id(answers.worksheet_id)
        if parsed is None:
            continue
        framework_id, whose, round_id = parsed
        relationship = relationships.get(answers.relationship_id)
        framework = frameworks.get(framework_id)
        if whose != "self" or framework is None or relationship is None:
            continue
        role = relationship.role_of(answers.owner_id)  # the owner of a self-rating is rated
        if role is None or framework not in ratings.frameworks_for(role, dict(frameworks)):
            continue
        for domain in framework.domains:
            scores = [
                s
                for item in domain.items
                if (
                    s := _score(
                        answers.values.get(ratings.item_field_id(domain.id, item.id)),
                        framework.scale.points,
                    )
                )
                is not None
            ]
            if scores:
                records.append(
                    {
                        "relationship_id": relationship.id,
                        "framework_id": framework.id,
                        "domain_id": domain.id,
                        "role": role,
                        "round": round_id,
                        "person_id": answers.owner_id,
                        "score": sum(scores) / len(scores),
                    }
                )
    return pd.DataFrame.from_records(
        records,
        columns=[
            "relationship_id",
            "framework_id",
            "domain_id",
            "role",
            "round",
            "person_id",
            "score",
        ],
    )


def hide_small_groups(groups: pd.DataFrame, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The smallest-group rule, for every figure about people's own ratings: where a row's
    ``people`` is below ``min_group``, its ``mean`` becomes NaN and ``suppressed`` true, so
    nobody's own ratings can be read off a chart or a table. Changes and returns ``groups``."""
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        raise ValueError(f"min_group must be a whole number from 1 (got {min_group!r}).")
    groups["suppressed"] = (groups["people"] < min_group).astype(bool)
    groups["mean"] = groups["mean"].where(~groups["suppressed"])
    return groups


def competency_averages(
    store: Store,
    programme_id: int,
    frameworks: Mapping[str, Framework],
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """The mean self-rating per framework, domain, role and round, over people.

    Columns: ``framework`` and ``domain`` (titles), ``role`` (mentor, mentee or peer, from
    the relationship the rating belongs to), ``round`` (baseline or follow-up), ``mean``,
    ``people`` (how many people it rests on) and ``suppressed``. Each person's domain score
    is the mean of their own item ratings ("n/a" left out); someone rated in two
    relationships in the same role counts once, with the mean of both. A group of fewer than
    ``min_group`` people gets no mean (NaN, ``suppressed`` true) so nobody is singled out.
    """
    hide_small_groups(pd.DataFrame({"mean": [], "people": []}), min_group)  # checks min_group
    scores = _self_scores(store, programme_id, frameworks)
    if scores.empty:
        return pd.DataFrame(columns=AVERAGE_COLUMNS)
    keys = ["framework_id", "domain_id", "role", "round"]
    per_person = scores.groupby([*keys, "person_id"], sort=False)["score"].mean().reset_index()
    groups = hide_small_groups(
        per_person.groupby(keys, sort=False)["score"]
        .agg(mean="mean", people="count")
        .reset_index(),
        min_group,
    )

    framework_order = {f.id: n for n, f in enumerate(frameworks.values())}
    domain_order = {(f.id, d.id): n for f in frameworks.values() for n, d in enumerate(f.domains)}
    order = [
        (
            framework_order[f],
            domain_order[(f, d)],
            MEMBER_ROLES.index(r),
            list(ratings.ROUNDS).index(o),
        )
        for f, d, r, o in zip(
            groups["framework_id"],
            groups["domain_id"],
            groups["role"],
            groups["round"],
            strict=True,
        )
    ]
    groups = groups.iloc[sorted(range(len(groups)), key=order.__getitem__)].copy()
    titles = {(f.id, d.id): (f.title, d.title) for f in frameworks.values() for d in f.domains}
    pairs = [titles[key] for key in zip(groups["framework_id"], groups["domain_id"], strict=True)]
    groups["framework"] = [framework for framework, _ in pairs]
    groups["domain"] = [domain for _, domain in pairs]
    groups["people"] = groups["people"].astype(int)
    groups["suppressed"] = groups["suppressed"].astype(bool)
    return groups[AVERAGE_COLUMNS].reset_index(drop=True)


def relationship_averages(
    store: Store,
    programme_id: int,
    frameworks: Mapping[str, Framework],
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """The mean self-rating per relationship, framework and domain, over the people rated in
    it, at the latest round in which at least ``min_group`` of them have rated themselves
    (the latest round, until one has).

    Columns: ``relationship_id``, ``framework_id``, ``domain_id``, ``domain`` (its title),
    ``round``, ``mean``, ``people`` and ``suppressed``. The same smallest-group rule as
    :func:`competency_averages` applies: a one-to-one pair has one person rated on each
    framework, so it never shows a figure; a group circle of ``min_group`` mentees does.
    """
    hide_small_groups(pd.DataFrame({"mean": [], "people": []}), min_group)  # checks min_group
    scores = _self_scores(store, programme_id, frameworks)
    if scores.empty:
        return pd.DataFrame(columns=RELATIONSHIP_AVERAGE_COLUMNS)
    order = list(ratings.ROUNDS)
    scores["order"] = scores["round"].map(order.index)
    pair = ["relationship_id", "framework_id"]
    raters = scores.groupby([*pair, "order"])["person_id"].transform("nunique")
    # The latest round with enough people rated counts; before there is one, the latest.
    scores["enough"] = scores["order"].where(raters >= min_group, -1)
    chosen = scores.groupby(pair)["enough"].transform("max")
    chosen = chosen.where(chosen >= 0, scores.groupby(pair)["order"].transform("max"))
    latest = scores[scores["order"] == chosen]
    keys = ["relationship_id", "framework_id", "domain_id", "round"]
    groups = hide_small_groups(
        latest.groupby(keys, sort=False)
        .agg(mean=("score", "mean"), people=("person_id", "nunique"))
        .reset_index(),
        min_group,
    )
    titles = {(f.id, d.id): d.title for f in frameworks.values() for d in f.domains}
    groups["domain"] = [
        titles[key] for key in zip(groups["framework_id"], groups["domain_id"], strict=True)
    ]
    groups["people"] = groups["people"].astype(int)
    return groups[RELATIONSHIP_AVERAGE_COLUMNS].reset_index(drop=True)


def framework_chart_data(
    averages: pd.DataFrame, framework: Framework
) -> tuple[list[str], dict[tuple[str, str], list[float]], dict[tuple[str, str], list[bool]]]:
    """Domains, means and suppressed flags per (group, round) for one framework's chart."""
    mine = averages[averages["framework"] == framework.title]
    domains = [d.title for d in framework.domains if d.title in set(mine["domain"])]
    groups: dict[tuple[str, str], list[float]] = {}
    hidden: dict[tuple[str, str], list[bool]] = {}
    for role in MEMBER_ROLES:
        for round_id, (round_title, _) in ratings.ROUNDS.items():
            part = mine[(mine["role"] == role) & (mine["round"] == round_id)]
            if part.empty:
                continue
            by_domain = part.set_index("domain")
            key = (GROUP_NAMES[role], round_title)
            groups[key] = [
                float(by_domain["mean"].get(d, math.nan)) if d in by_domain.index else math.nan
                for d in domains
            ]
            hidden[key] = [bool(by_domain["suppressed"].get(d, False)) for d in domains]
    return domains, groups, hidden


def averages_table_rows(averages: pd.DataFrame, min_group: int = MIN_GROUP) -> list[tuple]:
    """(framework, domain, group, round, average, people) as text, for tables."""
    return [
        (
            row.framework,
            row.domain,
            GROUP_NAMES.get(row.role, row.role),
            ratings.ROUNDS.get(row.round, (row.round,))[0],
            f"fewer than {min_group} people" if row.suppressed else score_text(row.mean),
            str(int(row.people)),
        )
        for row in averages.itertuples(index=False)
    ]
