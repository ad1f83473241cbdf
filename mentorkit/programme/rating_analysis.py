"""What the ratings show, as tidy pandas tables. Reads only; never writes.

Tables (one row per…):

* ``tidy(records)``: item rated — person, rater, relation (self/partner), round, framework,
  domain, item, score (NaN when "not applicable"), not_applicable.
* ``domain_scores(tidy)``: person × relation × round × domain — mean score of the rated items
  (not-applicable left out), ``n_items``, how many items the score rests on, and
  ``n_not_applicable``, how many were answered "not applicable".
* ``gaps(scores)``: person × round × domain — self, partner, gap (partner − self).
* ``change(scores)``: person × relation × domain — baseline, follow_up, change.
* ``highlights(scores)``: a person's strongest domains and development areas in one round.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from mentorkit.core.fieldtypes import NOT_APPLICABLE

KEYS = ["person_id", "person", "relation", "round", "framework", "domain_id", "domain"]
TIDY_COLUMNS = [
    "person_id",
    "person",
    "rater_id",
    "rater",
    "relation",
    "round",
    "framework",
    "domain_id",
    "domain",
    "item",
    "score",
    "not_applicable",
]


def tidy(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Rating records (see :func:`mentorkit.programme.ratings.rating_records`) as a long table."""
    frame = pd.DataFrame.from_records(list(records))
    if frame.empty:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    frame["not_applicable"] = frame["value"].eq(NOT_APPLICABLE)
    frame["score"] = pd.to_numeric(frame["value"].where(~frame["not_applicable"]), errors="coerce")
    return frame[TIDY_COLUMNS]


def domain_scores(ratings: pd.DataFrame) -> pd.DataFrame:
    """Mean score per person, relation, round and domain, and how many items it rests on."""
    if ratings.empty:
        return pd.DataFrame(columns=[*KEYS, "score", "n_items", "n_not_applicable"])
    grouped = ratings.groupby(KEYS, sort=False, dropna=False)
    return grouped.agg(
        score=("score", "mean"),
        n_items=("score", "count"),
        n_not_applicable=("not_applicable", "sum"),
    ).reset_index()


def _spread(scores: pd.DataFrame, index: list[str], column: str) -> pd.DataFrame:
    """One column per value of ``column``; rows only for combinations that exist."""
    means = scores.groupby([*index, column], sort=False, dropna=False)["score"].mean()
    return means.unstack(column).reset_index()


def gaps(scores: pd.DataFrame) -> pd.DataFrame:
    """Self against partner per domain: ``gap`` > 0 where the partner rates higher."""
    columns = ["person_id", "person", "round", "framework", "domain_id", "domain"]
    if scores.empty:
        return pd.DataFrame(columns=[*columns, "self", "partner", "gap"])
    wide = _spread(scores, columns, "relation")
    for relation in ("self", "partner"):
        if relation not in wide:
            wide[relation] = float("nan")
    wide["gap"] = wide["partner"] - wide["self"]
    wide.columns.name = None
    return wide[[*columns, "self", "partner", "gap"]]


def change(scores: pd.DataFrame) -> pd.DataFrame:
    """Baseline against follow-up per domain: ``change`` > 0 where the score rose."""
    columns = ["person_id", "person", "relation", "framework", "domain_id", "domain"]
    if scores.empty:
        return pd.DataFrame(columns=[*columns, "baseline", "follow_up", "change"])
    wide = _spread(scores, columns, "round")
    wide = wide.rename(columns={"follow-up": "follow_up"})
    for round_id in ("baseline", "follow_up"):
        if round_id not in wide:
            wide[round_id] = float("nan")
    wide["change"] = wide["follow_up"] - wide["baseline"]
    wide.columns.name = None
    return wide[[*columns, "baseline", "follow_up", "change"]]


def highlights(
    scores: pd.DataFrame, person_id: int, round_id: str, relation: str = "self", count: int = 2
) -> tuple[list[str], list[str]]:
    """(strongest domains, development areas) for one person and round; ties keep framework
    order, and a domain with no score is in neither list."""
    mine = scores[
        (scores.person_id == person_id)
        & (scores["round"] == round_id)
        & (scores.relation == relation)
    ].dropna(subset=["score"])
    mine = mine.reset_index(drop=True).reset_index(names="order")
    strongest = mine.sort_values(["score", "order"], ascending=[False, True]).head(count)
    weakest = mine.sort_values(["score", "order"], ascending=[True, True]).head(count)
    top = list(strongest.domain)
    return top, [domain for domain in weakest.domain if domain not in top]
