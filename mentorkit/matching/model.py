"""Applications, weights and proposals: what goes into the matcher and what comes out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from mentorkit.core.dates import FULL_DAY_NAMES, WEEKDAYS
from mentorkit.core.yamlfile import read_yaml, unknown_keys
from mentorkit.exceptions import MentorkitError, SpecError, SpecProblem

APPLICANT_ROLES = ("mentor", "mentee", "either")
MODELS = ("one-to-one", "group", "peer", "reverse")
MODES = ("one-to-one", "group", "peer")
CRITERIA = ("expertise", "goals", "availability", "experience_gap", "competencies")
EPS = 1e-9
DAYS = WEEKDAYS


# Local half hours (0 = midnight to 00:30) of each part of the day.
PARTS = {"am": (16, 24), "pm": (24, 34), "eve": (34, 42)}
_PART_ALIASES = {"morning": "am", "afternoon": "pm", "evening": "eve"}
NO_CAPACITY = "No mentor had capacity left"
ALL_AVOIDED = "Every possible {other} is on their not-to-pair list"
NO_SLOT = "No {other} shares a time slot"
BELOW_MIN = "Scores below the minimum"
ALL_FORBIDDEN = "Every possible {other} was ruled out by the facilitator"


@dataclass(frozen=True)
class Applicant:
    """One application. Sets may be given as any iterable (or a comma-separated string).

    ``avoid`` holds ids or emails of people not to be paired with; ``ratings`` maps competency
    domain ids to this person's own rating (any scale). ``email`` is optional and only used
    to honour other people's ``avoid`` lists.
    """

    id: str
    name: str
    role: str
    years: float
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    goals: str = ""
    model: str = "one-to-one"
    frequency: str = "monthly"
    slots: frozenset[str] = frozenset()
    utc_offset: float = 0.0
    capacity: int = 1
    avoid: frozenset[str] = frozenset()
    ratings: Mapping[str, float] = field(default_factory=dict, hash=False)
    email: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise MentorkitError(
                f"Every applicant needs an id (a non-empty text); got {self.id!r}."
            )
        who = f"Applicant {self.id!r}"
        set_ = object.__setattr__
        set_(self, "id", self.id.strip())
        set_(self, "name", str(self.name or "").strip())
        role = str(self.role).strip().lower()
        if role not in APPLICANT_ROLES:
            raise MentorkitError(
                f"{who}: role {self.role!r} is not one of {', '.join(APPLICANT_ROLES)}."
            )
        set_(self, "role", role)
        if not _is_number(self.years) or self.years < 0:
            raise MentorkitError(
                f"{who}: years of experience must be 0 or more, not {self.years!r}."
            )
        set_(self, "years", float(self.years))
        model = str(self.model).strip().lower()
        if model not in MODELS:
            raise MentorkitError(
                f"{who}: mentoring model {self.model!r} is not one of {', '.join(MODELS)}."
            )
        set_(self, "model", model)
        set_(self, "frequency", str(self.frequency or "").strip().lower())
        set_(self, "offers", _tags(self.offers))
        set_(self, "seeks", _tags(self.seeks))
        set_(self, "goals", str(self.goals or ""))
        set_(self, "slots", frozenset(parse_slot(s, who) for s in _items(self.slots)))
        if not _is_number(self.utc_offset) or not -12 <= self.utc_offset <= 14:
            raise MentorkitError(
                f"{who}: time zone must be a UTC offset in hours from -12 to 14, "
                f"not {self.utc_offset!r}."
            )
        set_(self, "utc_offset", float(self.utc_offset))
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, (int, np.integer)):
            raise MentorkitError(f"{who}: capacity must be a whole number, not {self.capacity!r}.")
        set_(self, "capacity", int(self.capacity))
        if self.capacity < 1:
            raise MentorkitError(
                f"{who}: capacity is {self.capacity}, but it must be at least 1 "
                "(leave someone out of the pool if they cannot take anyone this round)."
            )
        set_(self, "avoid", frozenset(a.strip().lower() for a in _items(self.avoid) if a.strip()))
        ratings: dict[str, float] = {}
        for key, value in dict(self.ratings or {}).items():
            if not _is_number(value):
                raise MentorkitError(f"{who}: the rating for {key!r} must be a number.")
            ratings[str(key).strip()] = float(value)
        set_(self, "ratings", dict(sorted(ratings.items())))
        set_(self, "email", str(self.email or "").strip())

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts (0 switches one off); pairs below ``min_score`` are
    never proposed (locks excepted). Scores range from 0 to the sum of the five weights."""

    expertise: float = 40.0
    goals: float = 20.0
    availability: float = 20.0
    experience_gap: float = 10.0
    competencies: float = 10.0
    min_score: float = 10.0

    def __post_init__(self) -> None:
        for name in (*CRITERIA, "min_score"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise MentorkitError(
                    f"The {name} weight must be a number of 0 or more, not {value!r}."
                )
            object.__setattr__(self, name, float(value))
        if self.min_score > self.total + EPS:
            raise MentorkitError(
                f"min_score is {self.min_score:g}, more than the highest possible score "
                f"({self.total:g}, the sum of the weights), so nobody could ever be matched."
            )

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in CRITERIA)


class Reason(NamedTuple):
    """One criterion's share of a score, in words."""

    criterion: str
    points: float
    text: str


@dataclass(frozen=True)
class Pairing:
    """A proposed mentor and mentee, with the score and its reasons (largest share first)."""

    mentor_id: str
    mentee_id: str
    score: float
    reasons: tuple[Reason, ...]
    locked: bool = False


@dataclass(frozen=True)
class PeerPair:
    """Two proposed peers, with the score and its reasons (largest share first)."""

    first_id: str
    second_id: str
    score: float
    reasons: tuple[Reason, ...]
    locked: bool = False


@dataclass(frozen=True)
class Circle:
    """A group: one mentor and the mentees matched with them."""

    mentor_id: str
    mentee_ids: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Unmatched:
    applicant_id: str
    why: str


@dataclass(frozen=True)
class Proposal:
    pairs: tuple[Pairing, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    circles: tuple[Circle, ...] = ()
    peers: tuple[PeerPair, ...] = ()
    notes: tuple[str, ...] = ()
    mode: str = "one-to-one"

    def as_locks(self) -> tuple[tuple[str, str], ...]:
        """Every proposed pair as a lock, to keep them all when matching again."""
        if self.mode == "peer":
            return tuple((p.first_id, p.second_id) for p in self.peers)
        return tuple((p.mentor_id, p.mentee_id) for p in self.pairs)


def load_weights(path: str | Path) -> Weights:
    """Read weights from YAML. Missing keys keep their defaults; unknown keys, negative or
    non-numeric values are refused with a :class:`SpecError` naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(
            [
                SpecProblem(
                    str(path),
                    None,
                    "",
                    f"The weights file cannot be read ({error.strerror or error}).",
                    "Check the path; worksheets/matching/weights.yaml is a good start.",
                )
            ]
        ) from None
    raw, out = read_yaml(
        text, str(path), "Copy worksheets/matching/weights.yaml and change the numbers."
    )
    defaults = Weights()
    allowed = (*CRITERIA, "min_score")
    unknown_keys(raw, allowed, "", out)
    values: dict[str, float] = {}
    for key in allowed:
        if key not in raw:
            continue
        value = raw[key]
        if not _is_number(value):
            out.add(
                key,
                f"{key} must be a number, not {value!r}.",
                f"Write a number, for example {key}: {getattr(defaults, key):g}",
            )
        elif value < 0:
            out.add(
                key,
                f"{key} is {value:g}, but weights cannot be negative.",
                "Use 0 to switch a criterion off, or a positive number to make it count.",
            )
        else:
            values[key] = float(value)
    if not out.problems:
        total = sum(values.get(k, getattr(defaults, k)) for k in CRITERIA)
        minimum = values.get("min_score", defaults.min_score)
        if minimum > total + EPS:
            out.add(
                "min_score",
                f"min_score is {minimum:g}, more than the highest possible score ({total:g}).",
                "Lower min_score or raise the weights; scores range from 0 to their sum.",
            )
    if out.problems:
        raise SpecError(out.problems)
    return Weights(**values)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split(",")
    return [str(item) for item in value]


def _tags(value: Any) -> frozenset[str]:
    return frozenset(t for t in (" ".join(i.lower().split()) for i in _items(value)) if t)


def parse_slot(text: str, who: str) -> str:
    """A time slot in its standard form (``mon-am``), from forgiving input such as
    ``Monday morning`` or ``wed_pm``; ``who`` starts the error message when it is not one."""
    raw = text.strip().lower().replace("_", "-").replace(" ", "-")
    day, _, part = raw.partition("-")
    day = FULL_DAY_NAMES.get(day, day)
    part = _PART_ALIASES.get(part, part)
    if day not in DAYS or part not in PARTS:
        raise MentorkitError(
            f"{who}: time slot {text!r} is not a day and part of the day. "
            "Write them like mon-am, wed-pm or fri-eve."
        )
    return f"{day}-{part}"
