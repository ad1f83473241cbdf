"""Matching a whole pool of applicants at once: mentors with mentees, group circles, or peers.

People apply as a ``mentor``, a ``mentee`` or ``either``; say what expertise they offer and
seek, their goals, when they are free, and who they would rather not be paired with. A
facilitator calls :func:`match` for a :class:`Proposal`: every pair with its score and the
reasons behind it, and every person left out with a plain reason why.

Scoring (each criterion is worked out on a 0..1 scale, then multiplied by its weight from
:class:`Weights`, see ``worksheets/matching/weights.yaml``):

* **expertise**: *coverage* of what the mentee seeks: the share of the mentee's ``seeks`` tags
  that the mentor ``offers`` (0 when the mentee named none). Coverage, not Jaccard, so a mentor
  who offers a lot is not marked down for it.
* **goals**: Jaccard overlap of the two goals texts as sets of lower-cased words, leaving out
  stop words and a trailing plural "s". No heavier language processing.
* **availability**: the share of the smaller availability that overlaps, after converting both
  people's time slots to UTC (am 08-12, pm 12-17, eve 17-21 local time, offsets rounded to the
  half hour); someone who gave no slots counts as half. Time zones more than 6 hours apart halve
  it. That makes 80% of the criterion; the other 20% is for the same meeting frequency.
* **experience gap**: full marks when the mentor has 3 to 15 more years of experience, rising
  from 0 at no difference and falling to 0 at 25 years. A mentee who asked for *reverse*
  mentoring wants a less experienced mentor, so the gap is turned round for them.
* **competencies**: when both rated themselves on some of the same domains, how strong the
  mentor is (relative to their own ratings) where the mentee is weakest (relative to theirs),
  weighted by the mentee's need; counts as half when there is nothing to compare.

For peers (``mode="peer"``) the same criteria are made symmetric: expertise and competencies
are averaged over both directions, and the experience criterion rewards *similar* experience
(full marks for the same years, nothing at 10 years apart).

Hard rules are never broken; :func:`forbidden` names the one that applies to a pair:
eligibility (a mentor needs two years' experience; a ``mentor`` is never a mentee and a
``mentee`` never a mentor; ``either`` may be on one side, never both), not-to-pair (either
person's ``avoid`` list, by id or email), capacity (a mentor takes at most ``capacity``
mentees), no common availability (both gave slots and none overlap in UTC), and the same
person. :func:`match` adds the facilitator's ``forbids`` and the weights' ``min_score``.

The solver, for mentors and mentees: each mentor becomes ``capacity`` columns of a score matrix
(mentees are rows) and :func:`scipy.optimize.linear_sum_assignment` solves it, with forbidden
pairs at a large cost. The result is *lexicographically* best: as many people matched as the
rules allow, and among those assignments the one with the highest total score. (A pure
"highest total" could leave someone without a mentor to give another person a better one;
programmes want everyone matched first.)

``either`` applicants are placed on one side before solving, by a fixed rule: those with under
two years' experience are mentees; the rest, most experienced first (ties by id), become
mentors while the mentees waiting outnumber the mentor places, and mentees otherwise. Anyone
placed this way who is left unmatched is then tried once on the other side, against the people
still unmatched. A lock fixes the side of the people it names.

Peers are matched on a general graph with the same objective (most pairs, then the highest
total). Pools of up to ``EXACT_PEERS`` people are solved exactly; larger ones use the
assignment relaxation on the doubled graph (``linear_sum_assignment`` on the symmetric score
matrix), turn its cycles into pairs, match the leftovers again and improve by swapping
partners. When the relaxation has no odd cycles the answer is provably the best possible;
otherwise the relaxation still bounds the best possible total, and the proposal's notes say
which case it was and how far below the bound the answer can at most be.

Locked pairs are fixed first and use up capacity; they must keep the hard rules but may score
below ``min_score``. The ``model`` an applicant prefers is not filtered on: the facilitator
chooses who goes into each run (e.g. only those who asked for peer mentoring).

The same input always gives the same output: applicants are sorted by id before anything is
built, so ties are settled the same way whatever order the applications came in.
"""

from __future__ import annotations

import gc
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .exceptions import MentorkitError, SpecError, SpecProblem
from .models import MIN_MENTOR_YEARS
from .yamlfile import read_yaml, unknown_keys

ROLES = ("mentor", "mentee", "either")
MODELS = ("one-to-one", "group", "peer", "reverse")
MODES = ("one-to-one", "group", "peer")
CRITERIA = ("expertise", "goals", "availability", "experience_gap", "competencies")
IDEAL_GAP = (3.0, 15.0)
GAP_CURVE = ((0.0, IDEAL_GAP[0], IDEAL_GAP[1], 25.0), (0.0, 1.0, 1.0, 0.0))
PEER_YEARS_SPAN = 10.0
FAR_APART_HOURS = 6.0
FREQUENCY_SHARE = 0.2
UNKNOWN = 0.5
EXACT_PEERS = 12
_EPS = 1e-9
_CHUNK = 1024
_CELLS = 1 << 18
_DENSE_WORDS = 512
_GUESS_BATCH = 64
# Threads for filling score matrices: numpy's matrix products already use every core, so
# leave them half (with two cores, one thread was faster than two).
_WORKERS = int(os.environ.get("W", min(8, os.cpu_count() or 1)))

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
# Local half hours (0 = midnight to 00:30) of each part of the day.
PARTS = {"am": (16, 24), "pm": (24, 34), "eve": (34, 42)}
_PART_ALIASES = {"morning": "am", "afternoon": "pm", "evening": "eve"}
_WEEK = 7 * 48

_WORD = re.compile(r"[a-z0-9]+")
_NOT_PLURAL = frozenset(("ss", "us", "is"))
STOP_WORDS = frozenset(
    _WORD.findall(
        """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further get getting had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves want like hope help become better improve develop learn
    gain build really able much many well"""
    )
)

# Rule codes in the score matrices (0 = allowed).
_OK, _INELIGIBLE, _AVOID, _NO_SLOT, _FORBID, _BELOW_MIN = range(6)
_SKIP = -1

NO_CAPACITY = "No mentor had capacity left"
ALL_AVOIDED = "Every possible {other} is on their not-to-pair list"
NO_SLOT = "No {other} shares a time slot"
BELOW_MIN = "Scores below the minimum"
ALL_FORBIDDEN = "Every possible {other} was ruled out by the facilitator"


# --------------------------------------------------------------------------------------------
# Data


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
        if role not in ROLES:
            raise MentorkitError(f"{who}: role {self.role!r} is not one of {', '.join(ROLES)}.")
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
        set_(self, "slots", frozenset(_slot(s, who) for s in _items(self.slots)))
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
        if self.min_score > self.total + _EPS:
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
    mentor_id: str
    mentee_id: str
    score: float
    reasons: tuple[Reason, ...]
    locked: bool = False


@dataclass(frozen=True)
class PeerPair:
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


# --------------------------------------------------------------------------------------------
# Weights file


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
        if minimum > total + _EPS:
            out.add(
                "min_score",
                f"min_score is {minimum:g}, more than the highest possible score ({total:g}).",
                "Lower min_score or raise the weights; scores range from 0 to their sum.",
            )
    if out.problems:
        raise SpecError(out.problems)
    return Weights(**values)


# --------------------------------------------------------------------------------------------
# Hard rules and scores for one pair


def forbidden(mentor: Applicant, mentee: Applicant, *, peer: bool = False) -> str | None:
    """The hard rule that forbids this pair, in plain words (rule name first), or None.

    With ``peer=True`` roles and years do not matter; the other rules still apply.
    """
    if mentor.id == mentee.id:
        return f"Same person: {mentor.label} cannot be paired with themselves."
    if not peer:
        if mentor.role == "mentee":
            return f"Eligibility: {mentor.label} applied only as a mentee, so cannot be a mentor."
        if mentee.role == "mentor":
            return f"Eligibility: {mentee.label} applied only as a mentor, so cannot be a mentee."
        if mentor.years < MIN_MENTOR_YEARS:
            return (
                f"Eligibility: {mentor.label} has under two years' experience "
                f"({mentor.years:g}), so can only be a mentee."
            )
    for asker, other in ((mentee, mentor), (mentor, mentee)):
        if _avoids(asker, other):
            return f"Not-to-pair: {asker.label} asked not to be paired with {other.label}."
    if mentor.slots and mentee.slots and not (_halfhours(mentor) & _halfhours(mentee)):
        return (
            f"No common availability: {mentor.label} and {mentee.label} share no time slot, "
            "even allowing for time zones."
        )
    return None


def score(
    mentor: Applicant, mentee: Applicant, weights: Weights | None = None, *, peer: bool = False
) -> tuple[float, tuple[Reason, ...]] | None:
    """The pair's score and its reasons (largest share first), or None when a hard rule
    forbids it (see :func:`forbidden`). ``min_score`` is not applied here."""
    weights = Weights() if weights is None else weights
    if forbidden(mentor, mentee, peer=peer) is not None:
        return None
    pool = _Pool([mentor, mentee])
    return _explain(pool, np.array([1]), np.array([0]), weights, peer)[0]


# --------------------------------------------------------------------------------------------
# The whole pool


def match(
    applicants: Iterable[Applicant],
    weights: Weights | None = None,
    locks: Iterable[Any] = (),
    forbids: Iterable[Sequence[str]] = (),
    mode: str = "one-to-one",
) -> Proposal:
    """Propose pairs (or circles, or peer pairs) for the whole pool at once.

    ``locks`` are pairs to keep whatever else happens: ``(mentor id, mentee id)`` tuples (for
    peers, any order), or :class:`Pairing`/:class:`PeerPair` objects, e.g.
    ``proposal.as_locks()``. They are fixed first and use up capacity. ``forbids`` are pairs of
    ids (either order) never to be paired, on top of the hard rules; ids not in the pool are
    ignored, so the same lists can be passed to every re-run.

    Raises :class:`MentorkitError` naming every rule that makes the locks impossible; nothing
    is ever proposed in part.
    """
    weights = Weights() if weights is None else weights
    if mode not in MODES:
        raise MentorkitError(f"Unknown matching mode {mode!r}; use one of {', '.join(MODES)}.")
    with _collector_paused():
        apps = _pool_list(applicants)
        pool = _Pool(apps)
        forbid_set = _forbid_set(forbids, pool)
        if mode == "peer":
            return _match_peers(pool, weights, locks, forbid_set)
        return _match_bipartite(pool, weights, locks, forbid_set, mode)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while matching: the matcher makes many small objects
    (sets, texts, reasons) and no reference cycles, so collections would only cost time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Helpers: values


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


def _slot(text: str, who: str) -> str:
    raw = text.strip().lower().replace("_", "-").replace(" ", "-")
    day, _, part = raw.partition("-")
    day = _FULL_DAYS.get(day, day)
    part = _PART_ALIASES.get(part, part)
    if day not in DAYS or part not in PARTS:
        raise MentorkitError(
            f"{who}: time slot {text!r} is not a day and part of the day. "
            "Write them like mon-am, wed-pm or fri-eve."
        )
    return f"{day}-{part}"


@lru_cache(maxsize=4096)
def _slot_halfhours(slots: frozenset[str], offset: float) -> frozenset[int]:
    """The UTC half hours of the week covered by local ``slots`` at UTC ``offset``."""
    shift = round(offset * 2)
    out = set()
    for slot in slots:
        day, part = slot.split("-")
        start, end = PARTS[part]
        base = DAYS.index(day) * 48 - shift
        out.update((base + h) % _WEEK for h in range(start, end))
    return frozenset(out)


def _halfhours(app: Applicant) -> frozenset[int]:
    return _slot_halfhours(app.slots, app.utc_offset)


@lru_cache(maxsize=16384)
def _goal_words(text: str) -> frozenset[str]:
    words = frozenset(map(_goal_word, _WORD.findall(text.lower())))
    return words - _NO_WORD if "" in words else words


_NO_WORD = frozenset([""])


@lru_cache(maxsize=65536)
def _goal_word(word: str) -> str:
    """The word as goals are compared ("" for a stop word): a plural "s" taken off."""
    if word in STOP_WORDS or len(word) < 2:
        return ""
    if len(word) > 3 and word[-1] == "s" and word[-2:] not in _NOT_PLURAL:
        word = word[:-1]
    return "" if word in STOP_WORDS else word


def _avoids(asker: Applicant, other: Applicant) -> bool:
    if not asker.avoid:
        return False
    return other.id.lower() in asker.avoid or (
        bool(other.email) and other.email.lower() in asker.avoid
    )


def _relative(ratings: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(need, strength) per domain, relative to the person's own lowest and highest ratings."""
    if not ratings:
        return {}, {}
    low, high = min(ratings.values()), max(ratings.values())
    if high - low <= 0:
        return dict.fromkeys(ratings, UNKNOWN), dict.fromkeys(ratings, UNKNOWN)
    need = {d: (high - r) / (high - low) for d, r in ratings.items()}
    strength = {d: (r - low) / (high - low) for d, r in ratings.items()}
    return need, strength


def _pool_list(applicants: Iterable[Applicant]) -> list[Applicant]:
    apps = list(applicants)
    for app in apps:
        if not isinstance(app, Applicant):
            raise MentorkitError(f"match() takes Applicant objects, not {type(app).__name__}.")
    seen: dict[str, int] = {}
    for app in apps:
        seen[app.id] = seen.get(app.id, 0) + 1
    twice = sorted(k for k, n in seen.items() if n > 1)
    if twice:
        more = f" and {len(twice) - 10} more" if len(twice) > 10 else ""
        raise MentorkitError(
            f"These ids are used by more than one applicant: {', '.join(twice[:10])}{more}. "
            "Give every applicant their own id."
        )
    return sorted(apps, key=lambda a: a.id)


# --------------------------------------------------------------------------------------------
# Helpers: the pool as arrays, and the criteria on them


class _Pool:
    """Applicants as arrays, for scoring many pairs at once.

    Built from integer codes in flat passes (tags, slots, ratings, avoid entries), with no
    Python loop over pairs and no per-person array writes."""

    def __init__(self, apps: list[Applicant]):
        self.apps = apps
        n = self.n = len(apps)
        self.index = {a.id: i for i, a in enumerate(apps)}
        tags = sorted({t for a in apps for t in a.offers | a.seeks})
        tag_at = {t: i for i, t in enumerate(tags)}
        self.offers = _incidence([[tag_at[t] for t in a.offers] for a in apps], len(tags))
        self.seeks = _incidence([[tag_at[t] for t in a.seeks] for a in apps], len(tags))
        self.n_seeks = self.seeks.sum(1).astype(float)
        self.words = [_goal_words(a.goals) for a in apps]
        self.n_words = np.array([len(w) for w in self.words], float)
        self._word_matrix = None
        self._avail_columns: tuple[np.ndarray, np.ndarray] | None = None
        self.slots = _incidence([[_SLOT_CODES[s] for s in a.slots] for a in apps], len(_SLOT_CODES))
        self.shifts = np.array([round(a.utc_offset * 2) for a in apps], np.intp)
        self.avail = _utc_week(self.slots, self.shifts)
        self.hours = self.avail.sum(1).astype(float)
        self.utc = np.array([a.utc_offset for a in apps], float)
        frequencies = {f: k for k, f in enumerate(sorted({a.frequency for a in apps}))}
        self.freq = np.array([frequencies[a.frequency] for a in apps], int)
        self.years = np.array([a.years for a in apps], float)
        self.reverse = np.array([a.model == "reverse" for a in apps], bool)
        self.mentor_only = np.array([a.role == "mentor" for a in apps], bool)
        self.mentee_only = np.array([a.role == "mentee" for a in apps], bool)
        domains = sorted({d for a in apps for d in a.ratings})
        at = {d: k for k, d in enumerate(domains)}
        self.need = np.zeros((n, len(domains)))
        self.strength = np.zeros((n, len(domains)))
        self.rated = np.zeros((n, len(domains)))
        lengths = np.array([len(a.ratings) for a in apps], np.intp)
        if lengths.sum():
            # The same arithmetic as _relative, on every rating at once.
            who = np.repeat(np.arange(n), lengths)
            where = np.array([at[d] for a in apps for d in a.ratings], np.intp)
            value = np.array([r for a in apps for r in a.ratings.values()], float)
            starts = np.cumsum(lengths) - lengths
            some = lengths > 0
            low = np.zeros(n)
            high = np.zeros(n)
            low[some] = np.minimum.reduceat(value, starts[some])
            high[some] = np.maximum.reduceat(value, starts[some])
            span = (high - low)[who]
            spread = span > 0
            need = np.full(len(value), UNKNOWN)
            strength = np.full(len(value), UNKNOWN)
            np.divide(high[who] - value, span, out=need, where=spread)
            np.divide(value - low[who], span, out=strength, where=spread)
            self.need[who, where] = need
            self.strength[who, where] = strength
            self.rated[who, where] = 1.0
        self.avoid_pairs = _avoid_pairs(apps)

    def word_matrix(self):
        """People × goal words held by at least two people (a word only one person uses is
        never shared, so it cannot change an intersection): dense float32 when there are few
        such words, sparse otherwise. ``words[r] @ words_c`` counts shared words either way."""
        if self._word_matrix is None:
            counts: dict[str, int] = {}
            for words in self.words:
                for word in words:
                    counts[word] = counts.get(word, 0) + 1
            vocab = {w: k for k, w in enumerate(sorted(w for w, c in counts.items() if c > 1))}
            codes = [[vocab[w] for w in words if w in vocab] for words in self.words]
            if len(vocab) <= _DENSE_WORDS:
                self._word_matrix = _incidence(codes, max(len(vocab), 1)).astype(np.float32)
            else:
                from scipy import sparse

                codes = [sorted(c) for c in codes]
                indptr = np.zeros(self.n + 1, np.int64)
                indptr[1:] = np.cumsum([len(c) for c in codes])
                indices = np.fromiter((k for c in codes for k in c), np.int64, int(indptr[-1]))
                self._word_matrix = sparse.csr_matrix(
                    (np.ones(len(indices)), indices, indptr), shape=(self.n, len(vocab))
                )
        return self._word_matrix

    def avail_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """(people × distinct half-hour columns as float32, how many half hours each column
        stands for): half hours everyone has alike are counted once, with a weight."""
        if self._avail_columns is None:
            packed = np.ascontiguousarray(np.packbits(self.avail, axis=0).T)
            keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
            _, first, counts = np.unique(keys, return_index=True, return_counts=True)
            used = self.avail[:, first].any(0)
            self._avail_columns = (
                np.ascontiguousarray(self.avail[:, first[used]], np.float32),
                counts[used].astype(np.float32),
            )
        return self._avail_columns


def _shared_counts(words, rows: np.ndarray, cols_t) -> np.ndarray:
    """Dense rows × cols counts of shared goal words (``cols_t`` is ``words[cols].T``)."""
    product = words[rows] @ cols_t
    return product if isinstance(product, np.ndarray) else product.toarray()


def _avoid_pairs(apps: list[Applicant]) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) index arrays of every pair where one avoids the other (named by id or email),
    both directions, sorted and without repeats (as sorted(set(pairs)) would be)."""
    n = max(len(apps), 1)
    first: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    for i, a in enumerate(apps):
        for key in (a.id.lower(), a.email.lower()) if a.email else (a.id.lower(),):
            if key in first:
                more.setdefault(key, [first[key]]).append(i)
            else:
                first[key] = i
    named = [k for a in apps for k in a.avoid]
    who = np.repeat(np.arange(len(apps), dtype=np.int64), [len(a.avoid) for a in apps])
    whom = np.array([first.get(k, -1) for k in named], np.int64)
    flat = who * n + whom
    flat = flat[whom >= 0]
    if more:
        extra = [
            i * n + j
            for i, a in enumerate(apps)
            for k in a.avoid.intersection(more)
            for j in more[k][1:]
        ]
        flat = np.concatenate([flat, np.array(extra, np.int64)])
    flat = _distinct(np.concatenate([flat, (flat % n) * n + flat // n]))
    return (flat // n).astype(np.intp), (flat % n).astype(np.intp)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of a 1-D array (as ``np.unique``, whose hashing path is slower
    here for large integer arrays)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _incidence(codes: list, width: int) -> np.ndarray:
    """Boolean n × width matrix with True at each person's listed column codes."""
    lengths = np.fromiter(map(len, codes), np.intp, count=len(codes))
    out = np.zeros((len(codes), width), bool)
    if lengths.sum():
        cols = np.fromiter((c for row in codes for c in row), np.intp, count=int(lengths.sum()))
        out[np.repeat(np.arange(len(codes)), lengths), cols] = True
    return out


_SLOT_CODES = {
    f"{day}-{part}": k
    for k, (day, part) in enumerate((day, part) for day in DAYS for part in PARTS)
}


def _slot_week() -> np.ndarray:
    """Boolean slots × half hours of the local week (row k: the half hours slot k covers)."""
    week = np.zeros((len(_SLOT_CODES), _WEEK), bool)
    for slot, k in _SLOT_CODES.items():
        day, part = slot.split("-")
        start, end = PARTS[part]
        week[k, DAYS.index(day) * 48 + start : DAYS.index(day) * 48 + end] = True
    return week


_LOCAL_WEEK = _slot_week()


def _utc_week(slots: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Boolean people × UTC half hours of the week from people × slot codes and each
    person's shift in half hours: as :func:`_slot_halfhours` for everyone at once (slots
    are whole half hours that never overlap, so a product of incidences)."""
    local = slots.astype(np.float32) @ _LOCAL_WEEK.astype(np.float32) > 0
    out = np.empty_like(local)
    for shift in _distinct(shifts):
        who = shifts == shift
        out[who] = np.roll(local[who], -int(shift), axis=1)
    return out


def _pair_arrays(pairs: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    ordered = sorted(pairs)
    return (
        np.array([p[0] for p in ordered], np.intp),
        np.array([p[1] for p in ordered], np.intp),
    )


def _as_set(pair_arrays: tuple[np.ndarray, np.ndarray]) -> set[tuple[int, int]]:
    first, second = pair_arrays
    return set(zip(first.tolist(), second.tolist(), strict=True))


def _ratio(part, whole):
    """``part / whole``, 0 where ``whole`` is 0 (``whole`` is per person, so this is cheap)."""
    whole = np.asarray(whole, float)
    return part * np.divide(1.0, whole, out=np.zeros_like(whole), where=whole > 0)


def _jaccard(inter, size_a, size_b):
    union = size_a + size_b - inter
    return np.divide(inter, union, out=np.zeros(union.shape), where=union > 0)


def _availability(overlap, hours_a, hours_b, delta_utc, same_frequency):
    smaller = np.minimum(hours_a, hours_b) + np.zeros(np.shape(overlap))
    slots = np.divide(overlap, smaller, out=np.full(smaller.shape, UNKNOWN), where=smaller > 0)
    slots[np.abs(delta_utc) > FAR_APART_HOURS] *= 0.5
    slots *= 1.0 - FREQUENCY_SHARE
    slots[same_frequency] += FREQUENCY_SHARE
    return slots


def _competency(num, den):
    return np.divide(num, den, out=np.full(np.shape(num), UNKNOWN), where=den > _EPS)


def _directed(pool: _Pool, e, m, tags, words, overlap, num, den) -> dict[str, np.ndarray]:
    """Criteria (0..1) for mentees ``e`` with mentors ``m`` (broadcastable index arrays),
    given the exact intersection counts and competency sums."""
    gap = pool.years[m] - pool.years[e]
    gap = np.where(pool.reverse[e], -gap, gap)
    return {
        "expertise": _ratio(tags, pool.n_seeks[e]),
        "goals": _jaccard(words, pool.n_words[e], pool.n_words[m]),
        "availability": _availability(
            overlap,
            pool.hours[e],
            pool.hours[m],
            pool.utc[e] - pool.utc[m],
            pool.freq[e] == pool.freq[m],
        ),
        "experience_gap": np.interp(gap, *GAP_CURVE, left=0.0, right=0.0),
        "competencies": _competency(num, den),
    }


def _mutual(pool: _Pool, a, b, tags_ab, tags_ba, words, overlap, comp_ab, comp_ba):
    """Peer criteria for ``a`` with ``b``: the directed ones averaged over both directions."""
    return {
        "expertise": (_ratio(tags_ab, pool.n_seeks[a]) + _ratio(tags_ba, pool.n_seeks[b])) / 2,
        "goals": _jaccard(words, pool.n_words[a], pool.n_words[b]),
        "availability": _availability(
            overlap,
            pool.hours[a],
            pool.hours[b],
            pool.utc[a] - pool.utc[b],
            pool.freq[a] == pool.freq[b],
        ),
        "experience_gap": np.clip(
            1.0 - np.abs(pool.years[a] - pool.years[b]) / PEER_YEARS_SPAN, 0.0, 1.0
        ),
        "competencies": (_competency(*comp_ab) + _competency(*comp_ba)) / 2,
    }


def _total(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    total = np.zeros(np.shape(parts["expertise"]))
    for name in CRITERIA:
        weight = getattr(weights, name)
        if weight:
            total += weight * parts[name]
    return total


def _pair_parts(pool: _Pool, e: np.ndarray, m: np.ndarray, peer: bool) -> dict[str, np.ndarray]:
    """Criteria for the pairs (e[k], m[k]), one by one (for explanations)."""
    words = np.array([len(pool.words[i] & pool.words[j]) for i, j in zip(e, m, strict=True)], float)
    overlap = (pool.avail[e] & pool.avail[m]).sum(1).astype(float)
    tags_em = (pool.seeks[e] & pool.offers[m]).sum(1).astype(float)
    comp_em = ((pool.need[e] * pool.strength[m]).sum(1), (pool.need[e] * pool.rated[m]).sum(1))
    if not peer:
        return _directed(pool, e, m, tags_em, words, overlap, *comp_em)
    tags_me = (pool.seeks[m] & pool.offers[e]).sum(1).astype(float)
    comp_me = ((pool.need[m] * pool.strength[e]).sum(1), (pool.need[m] * pool.rated[e]).sum(1))
    return _mutual(pool, e, m, tags_em, tags_me, words, overlap, comp_em, comp_me)


def _block_pairs(pool_pairs, rows: np.ndarray, cols: np.ndarray, n: int):
    """(row positions, column positions) in the rows × cols block of those ``pool_pairs``
    that fall inside it, ordered by row."""
    first, second = pool_pairs
    if not (len(first) and len(rows) and len(cols)):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    rpos = np.full(n, -1, np.intp)
    cpos = np.full(n, -1, np.intp)
    rpos[rows] = np.arange(len(rows))
    cpos[cols] = np.arange(len(cols))
    r, c = rpos[first], cpos[second]
    keep = (r >= 0) & (c >= 0)
    r, c = r[keep], c[keep]
    order = np.argsort(r, kind="stable")
    return r[order], c[order]


def _put(code: np.ndarray, where: np.ndarray, kind: int) -> None:
    """``code[where] = kind`` for int8 codes, without branches: the masks here are scattered,
    and a masked store that branches per cell is many times slower."""
    flip = where.view(np.int8) * np.int8(-1)  # all bits set where True
    code ^= (code ^ np.int8(kind)) & flip


def _mark(code: np.ndarray, pairs, part: slice, kind: int) -> None:
    """Set ``kind`` at the block pairs (from :func:`_block_pairs`) inside the rows ``part``."""
    r, c = pairs
    lo, hi = np.searchsorted(r, (part.start, part.stop))
    if hi > lo:
        code[r[lo:hi] - part.start, c[lo:hi]] = kind


def _matrix(
    pool: _Pool,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: Weights,
    forbid_pairs,
    peer: bool = False,
    places: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """Scores and rule codes for every row × column pair (mentees × mentors, or peers × peers),
    built with matrix products in chunks of rows; no Python loop over pairs.

    Given ``places`` (how many partners each column can take), also the solver's input, made
    while each chunk is still in cache: ``(cost, owner, row_shift, likely)``. ``cost`` has
    column j repeated ``places[j]`` times (``owner`` maps them back) and holds minus the
    score where the pair is allowed, :func:`_forbidden_cost` where not, less each row's
    least cost (``row_shift``); ``likely`` holds each row's two best allowed columns or -1.
    See :func:`_assign`.

    For mentors and mentees, whatever depends only on the column (or on a column's years,
    time zone and frequency) is worked out once, and each criterion is added to the scores
    as soon as it is known, with the same arithmetic as :func:`_directed` and :func:`_total`
    so the numbers are exactly the same."""
    rows = np.asarray(rows, np.intp)
    cols = np.asarray(cols, np.intp)
    scores = np.zeros((len(rows), len(cols)))
    codes = np.zeros((len(rows), len(cols)), np.int8)
    owner = None if places is None else np.repeat(np.arange(len(cols)), places)
    cost = None if owner is None else np.empty((len(rows), len(owner)))
    row_shift = np.zeros(len(rows))
    likely = np.full((len(rows), 2), -1, np.intp)
    big = _forbidden_cost(weights, len(rows))
    solver_input = None if cost is None else (cost, owner, row_shift, likely)
    if not len(rows) or not len(cols):
        return scores, codes, solver_input
    words = pool.word_matrix()
    words_c = words[cols].T if isinstance(words, np.ndarray) else words[cols].T.tocsc()
    avail, hours_per_column = pool.avail_columns()
    offers_c = pool.offers[cols].T.astype(np.float32)
    seeks_c = pool.seeks[cols].T.astype(np.float32)
    avail_c = np.ascontiguousarray(avail[cols].T)
    strength_c = pool.strength[cols].T
    rated_c = pool.rated[cols].T
    has_c = pool.hours[cols] > 0
    avoid = _block_pairs(pool.avoid_pairs, rows, cols, pool.n)
    ruled_out = _block_pairs(forbid_pairs, rows, cols, pool.n)
    # People who gave no time slots: whole rows or columns, so no per-cell mask is needed.
    slotless_c = np.flatnonzero(~has_c)
    bad_r = np.flatnonzero(pool.mentor_only[rows]) if not peer else np.zeros(0, np.intp)
    cpos = np.full(pool.n, -1, np.intp)
    cpos[cols] = np.arange(len(cols))
    m = cols[None, :]
    used = [(name, getattr(weights, name)) for name in CRITERIA if getattr(weights, name)]
    bad_c = (
        np.flatnonzero(pool.mentee_only[cols] | (pool.years[cols] < MIN_MENTOR_YEARS))
        if not peer
        else np.zeros(0, np.intp)
    )
    years_u, years_at = np.unique(pool.years[cols], return_inverse=True)
    meet = np.stack([pool.utc[cols], pool.freq[cols].astype(float)], 1)
    meet_u, meet_at = np.unique(meet, axis=0, return_inverse=True)
    years_at, meet_at = years_at.ravel(), meet_at.ravel()
    far_share = (1.0 - FREQUENCY_SHARE) * 0.5  # exactly half of 1 - FREQUENCY_SHARE

    def directed(r: np.ndarray, total: np.ndarray, overlap: np.ndarray, slotless_r) -> None:
        """Add each weighted criterion to ``total`` (as :func:`_directed` and :func:`_total`,
        with the weight folded into per-row factors where that saves a pass)."""
        e = r[:, None]
        for name, weight in used:
            if name == "expertise":
                tags = pool.seeks[r].astype(np.float32) @ offers_c
                total += tags * _ratio(weight, pool.n_seeks[e])
            elif name == "goals":
                inter = _shared_counts(words, r, words_c)
                value = np.add.outer(pool.n_words[r], pool.n_words[cols])
                value -= inter
                np.maximum(value, 1.0, out=value)  # no words on either side: 0 of 0 shared
                np.divide(inter, value, out=value)
                value *= weight
                total += value
            elif name == "availability":
                # As _availability: the share of the smaller availability (half when either
                # gave none), halved when far apart, then the frequency share.
                value = np.minimum.outer(pool.hours[r], pool.hours[cols])
                np.maximum(value, 1.0, out=value)  # no slots: no overlap, set just below
                np.divide(overlap, value, out=value)
                value[slotless_r] = UNKNOWN
                value[:, slotless_c] = UNKNOWN
                far = np.abs(pool.utc[e] - meet_u[None, :, 0]) > FAR_APART_HOURS
                factor = weight * np.where(far, far_share, 1.0 - FREQUENCY_SHARE)
                value *= np.take(factor, meet_at, axis=1)
                same = pool.freq[e] == meet_u[None, :, 1]
                value += np.take(np.where(same, weight * FREQUENCY_SHARE, 0.0), meet_at, axis=1)
                total += value
            elif name == "experience_gap":
                gap = years_u[None, :] - pool.years[e]
                gap = np.where(pool.reverse[e], -gap, gap)
                table = weight * np.interp(gap, *GAP_CURVE, left=0.0, right=0.0)
                total += np.take(table, years_at, axis=1)
            else:
                num = pool.need[r] @ strength_c
                den = pool.need[r] @ rated_c
                # As _competency, without a masked divide: UNKNOWN where nothing compares.
                none = den <= _EPS
                np.maximum(den, _EPS, out=den)
                value = num / den
                value *= ~none
                value += none * UNKNOWN
                value *= weight
                total += value

    def fill(part: slice) -> None:
        r = rows[part]
        e = r[:, None]
        code = codes[part]
        total = scores[part]
        overlap = (avail[r] * hours_per_column) @ avail_c
        slotless_r = np.flatnonzero(pool.hours[r] <= 0)
        if peer:
            inter_words = _shared_counts(words, r, words_c).astype(float)
            tags_em = (pool.seeks[r].astype(np.float32) @ offers_c).astype(float)
            comp_em = (pool.need[r] @ strength_c, pool.need[r] @ rated_c)
            tags_me = (pool.offers[r].astype(np.float32) @ seeks_c).astype(float)
            comp_me = (pool.strength[r] @ pool.need[cols].T, pool.rated[r] @ pool.need[cols].T)
            parts = _mutual(
                pool, e, m, tags_em, tags_me, inter_words, overlap.astype(float), comp_em, comp_me
            )
            total += _total(parts, weights)
        else:
            directed(r, total, overlap, slotless_r)
        _put(code, total < weights.min_score - _EPS, _BELOW_MIN)
        _mark(code, ruled_out, part, _FORBID)
        no_slot = overlap == 0
        no_slot[slotless_r] = False
        no_slot[:, slotless_c] = False
        _put(code, no_slot, _NO_SLOT)
        _mark(code, avoid, part, _AVOID)
        lo, hi = np.searchsorted(bad_r, (part.start, part.stop))
        code[bad_r[lo:hi] - part.start] = _INELIGIBLE
        if bad_c.size:
            code[:, bad_c] = _INELIGIBLE
        same = cpos[r]
        hit = np.flatnonzero(same >= 0)
        code[hit, same[hit]] = _INELIGIBLE
        if cost is not None:
            mine = np.negative(total)
            # Forbidden pairs cost ``big``: -total + (big + total), without branches.
            ruled = (code != _OK).astype(float)
            ruled *= big + total
            mine += ruled
            mine.min(1, out=row_shift[part])
            mine -= row_shift[part, None]
            # Each row's two best columns (the solver's likely choices), -1 if not allowed.
            at = np.arange(len(r))
            first = mine.argmin(1)
            held = mine[at, first]
            mine[at, first] = np.inf
            second = mine.argmin(1)
            mine[at, first] = held
            for rank, pick in enumerate((first, second)):
                likely[part, rank] = np.where(code[at, pick] == _OK, pick, -1)
            # mode="clip" writes straight into out ("raise" buffers); owner is always in range.
            np.take(mine, owner, axis=1, out=cost[part], mode="clip")

    # Rows are independent, so chunks can be filled by threads (numpy releases the GIL);
    # the numbers do not depend on how the rows are split. Chunks of about _CELLS cells
    # keep each temporary array in cache.
    workers = max(1, min(_WORKERS, len(rows) * len(cols) // 250_000))
    size = max(1, min(_CHUNK, -(-len(rows) // workers), _CELLS // len(cols)))
    parts = [slice(start, start + size) for start in range(0, len(rows), size)]
    if workers == 1 or len(parts) == 1:
        for part in parts:
            fill(part)
    else:
        with _one_blas_thread(), ThreadPoolExecutor(workers) as pool_of_threads:
            list(pool_of_threads.map(fill, parts))
    return scores, codes, solver_input


_blas_controller = None


def _one_blas_thread():
    """While chunks are filled in parallel, each matrix product runs on its own core (BLAS
    threads on top of ours would fight over the same cores)."""
    global _blas_controller
    from threadpoolctl import ThreadpoolController

    if _blas_controller is None:
        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


# --------------------------------------------------------------------------------------------
# Helpers: explanations


def _names(items: Iterable[str]) -> str:
    items = sorted(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _explain(
    pool: _Pool, e: np.ndarray, m: np.ndarray, weights: Weights, peer: bool
) -> list[tuple[float, tuple[Reason, ...]]]:
    """(score, reasons) for the pairs (e[k], m[k]); reasons largest share first."""
    if not len(e):
        return []
    e, m = np.asarray(e, np.intp), np.asarray(m, np.intp)
    parts = _pair_parts(pool, e, m, peer)
    totals = _total(parts, weights).tolist()
    used = [(name, getattr(weights, name)) for name in CRITERIA if getattr(weights, name) > 0]
    facts = _PairFacts(pool, e, m, peer)
    values = {name: parts[name].tolist() for name, _ in used}
    order = {name: k for k, name in enumerate(CRITERIA)}
    out = []
    for k, (i, j) in enumerate(zip(e.tolist(), m.tolist(), strict=True)):
        mentee, mentor = pool.apps[i], pool.apps[j]
        reasons = [
            Reason(
                name,
                round(weight * values[name][k], 2),
                _TEXTS[name](mentor, mentee, pool, facts, k, values[name][k]),
            )
            for name, weight in used
        ]
        reasons.sort(key=lambda r: (-r.points, order[r.criterion]))
        out.append((totals[k], tuple(reasons)))
    return out


class _PairFacts:
    """What the reasons for many pairs (e[k], m[k]) need, worked out for all pairs at once:
    the mentee's slots that meet the mentor's time, and the competency that fits best."""

    def __init__(self, pool: _Pool, e: np.ndarray, m: np.ndarray, peer: bool):
        self.peer = peer
        self.mentees, self.mentors = e.tolist(), m.tolist()
        slot_names = list(_SLOT_CODES)
        meets = np.zeros((len(e), len(slot_names)), bool)
        theirs = pool.avail[m].astype(np.float32)
        for shift in _distinct(pool.shifts[e]):
            here = pool.shifts[e] == shift
            week = np.roll(_LOCAL_WEEK, -int(shift), axis=1).astype(np.float32)
            meets[here] = theirs[here] @ week.T > 0
        meets &= pool.slots[e]
        self.shared_slots = [[slot_names[c] for c in np.flatnonzero(row)] for row in meets]
        self.domains = sorted({d for a in pool.apps for d in a.ratings})
        fit, need, domain = _best_fit(pool, e, m)
        self.swapped = np.zeros(len(e), bool)
        if peer:
            # Either may be the one with the need; the mentee's direction wins ties.
            fit_b, need_b, domain_b = _best_fit(pool, m, e)
            self.swapped = _lexically_greater((fit_b, need_b, domain_b), (fit, need, domain))
            fit = np.where(self.swapped, fit_b, fit)
            domain = np.where(self.swapped, domain_b, domain)
        self.fit, self.domain = fit.tolist(), domain.tolist()


def _best_fit(pool: _Pool, low: np.ndarray, high: np.ndarray):
    """Per pair: (fit, need, domain index) of the domain both rated where ``low`` needs most
    of what ``high`` is strong in; ties go to the larger need, then the later domain. -1 as
    the domain when they rated nothing in common."""
    common = (pool.rated[low] > 0) & (pool.rated[high] > 0)
    fit = np.where(common, pool.need[low] * pool.strength[high], -np.inf)
    need = np.where(common, pool.need[low], -np.inf)
    best = fit.max(1, initial=-np.inf)
    top = common & (fit == best[:, None])
    best_need = np.where(top, need, -np.inf).max(1, initial=-np.inf)
    top &= need == best_need[:, None]
    width = top.shape[1]
    if not width:
        return best, best_need, np.full(len(low), -1)
    domain = np.where(top.any(1), width - 1 - np.argmax(top[:, ::-1], axis=1), -1)
    return best, best_need, domain


def _lexically_greater(a: tuple, b: tuple) -> np.ndarray:
    """Element-wise ``a > b`` for tuples of equal-length arrays compared in order."""
    greater = np.zeros(len(a[0]), bool)
    equal = np.ones(len(a[0]), bool)
    for x, y in zip(a, b, strict=True):
        greater |= equal & (x > y)
        equal &= x == y
    return greater


def _text_expertise(mentor, mentee, pool, facts, k, value) -> str:
    if facts.peer:
        lines = []
        for a, b in ((mentee, mentor), (mentor, mentee)):
            if a.seeks & b.offers:
                lines.append(
                    f"{a.label} seeks {_names(a.seeks & b.offers)}, which {b.label} offers"
                )
        return "; ".join(lines) or "Neither offers what the other seeks"
    if not mentee.seeks:
        return f"{mentee.label} did not say what expertise they seek"
    covered, missing = mentee.seeks & mentor.offers, mentee.seeks - mentor.offers
    if not covered:
        return f"{mentor.label} offers none of what {mentee.label} seeks ({_names(missing)})"
    text = f"{mentee.label} seeks {_names(covered)}, which {mentor.label} offers"
    return text + (f" (but not {_names(missing)})" if missing else "")


def _text_goals(mentor, mentee, pool, facts, k, value) -> str:
    shared = pool.words[facts.mentees[k]] & pool.words[facts.mentors[k]]
    if not shared:
        return "Their goals have no words in common"
    return f"Their goals share the words {_names(f'“{w}”' for w in shared)}"


def _text_availability(mentor, mentee, pool, facts, k, value) -> str:
    bits = []
    if mentor.slots and mentee.slots:
        bits.append(f"both free at {_names(facts.shared_slots[k])} ({mentee.label}'s time)")
    else:
        missing = [a.label for a in (mentor, mentee) if not a.slots]
        bits.append(f"no time slots from {_names(missing)} (counted as half)")
    apart = abs(mentor.utc_offset - mentee.utc_offset)
    if apart > FAR_APART_HOURS:
        bits.append(f"time zones {apart:g} hours apart (halved)")
    if mentor.frequency == mentee.frequency and mentor.frequency:
        bits.append(f"both want to meet {mentor.frequency}")
    else:
        bits.append(
            f"different frequencies ({mentor.frequency or '?'} / {mentee.frequency or '?'})"
        )
    text = "; ".join(bits)
    return text[0].upper() + text[1:]


def _text_experience(mentor, mentee, pool, facts, k, value) -> str:
    if facts.peer:
        alike = "Similar" if value >= 0.5 else "Different"
        return f"{alike} experience: {mentee.years:g} and {mentor.years:g} years"
    gap = mentor.years - mentee.years
    low, high = IDEAL_GAP
    if mentee.model == "reverse":
        return (
            f"Reverse mentoring: {mentee.label} has {-gap:g} years more experience than "
            f"{mentor.label} ({low:g}-{high:g} is ideal)"
        )
    if gap >= 0:
        return (
            f"{mentor.label} has {gap:g} years more experience than {mentee.label} "
            f"({low:g}-{high:g} is ideal)"
        )
    return f"{mentor.label} has {-gap:g} years less experience than {mentee.label}"


def _text_competencies(mentor, mentee, pool, facts, k, value) -> str:
    domain = facts.domain[k]
    if domain < 0:
        return "No shared competency ratings to compare (counted as half)"
    if facts.fit[k] <= 0:
        return f"{mentor.label} is not strongest where {mentee.label} rated themselves lowest"
    low, high = (mentor, mentee) if facts.swapped[k] else (mentee, mentor)
    return (
        f"{low.label} rated {facts.domains[domain]} low, where {high.label} rated themselves highly"
    )


_TEXTS = {
    "expertise": _text_expertise,
    "goals": _text_goals,
    "availability": _text_availability,
    "experience_gap": _text_experience,
    "competencies": _text_competencies,
}


def _why(counts: np.ndarray, side: str, best: float, weights: Weights) -> str:
    """Why someone has no partner, from how their possible partners were ruled out."""
    other = {"mentee": "mentor", "mentor": "mentee", "peer": "peer"}[side]
    if counts.sum() == 0:
        if side == "mentee":
            return f"{NO_CAPACITY} (there were no mentors in this pool)"
        return f"There were no {other}s to match"
    if counts[_OK]:
        if side == "mentee":
            n = int(counts[_OK])
            return f"{NO_CAPACITY} ({n} suitable mentor{'s were' if n > 1 else ' was'} full)"
        return f"Every suitable {other} was paired with someone else"
    kinds = [k for k in range(1, 6) if counts[k]]
    if len(kinds) == 1:
        kind = kinds[0]
        if kind == _AVOID:
            return ALL_AVOIDED.format(other=other)
        if kind == _NO_SLOT:
            return NO_SLOT.format(other=other)
        if kind == _FORBID:
            return ALL_FORBIDDEN.format(other=other)
        if kind == _BELOW_MIN:
            return f"{BELOW_MIN} (best {best:.1f}, minimum {weights.min_score:g})"
        return f"No eligible {other}"
    phrases = {
        _INELIGIBLE: "not eligible",
        _AVOID: "on a not-to-pair list",
        _NO_SLOT: "with no shared time slot",
        _FORBID: "ruled out by the facilitator",
        _BELOW_MIN: f"scoring below the minimum of {weights.min_score:g}",
    }
    detail = ", ".join(f"{int(counts[k])} {phrases[k]}" for k in kinds)
    return f"No possible {other}: {detail}"


def _counts(codes: np.ndarray, axis: int) -> np.ndarray:
    """Per row (axis=1) or column (axis=0): how many entries have each code (skips ignored)."""
    if axis == 0:
        codes = codes.T
    # Codes run from _SKIP (-1) to 5: seven kinds per row, counted in one pass.
    flat = codes.astype(np.intp) + (np.arange(codes.shape[0])[:, None] * 7 + 1)
    counts = np.bincount(flat.ravel(), minlength=codes.shape[0] * 7)
    return counts.reshape(codes.shape[0], 7)[:, 1:]


# --------------------------------------------------------------------------------------------
# Helpers: the solvers


def _forbid_set(forbids: Iterable[Sequence[str]], pool: _Pool):
    pairs = set()
    for item in forbids:
        ids = _two_ids(item, "A forbid")
        if all(x in pool.index for x in ids):
            i, j = (pool.index[x] for x in ids)
            pairs |= {(i, j), (j, i)}
    return _pair_arrays(pairs)


def _two_ids(item: Any, what: str) -> tuple[str, str]:
    if hasattr(item, "mentor_id"):
        return item.mentor_id, item.mentee_id
    if hasattr(item, "first_id"):
        return item.first_id, item.second_id
    try:
        first, second = item
    except (TypeError, ValueError):
        raise MentorkitError(f"{what} must be a pair of ids, not {item!r}.") from None
    return str(first), str(second)


def _forbidden_cost(weights: Weights, rows: int) -> float:
    """The solver's cost for a pair that is not allowed: more than any set of allowed pairs
    could ever make up, so the solver first matches as many rows as the rules permit."""
    return (weights.total + 1.0) * (rows + 1.0)


def _assign(
    cost: np.ndarray,
    owner: np.ndarray,
    row_shift: np.ndarray,
    allowed: np.ndarray,
    alongside: Callable[[threading.Event], Any] | None = None,
) -> tuple[list[tuple[int, int]], Any]:
    """(row, column) pairs: as many rows matched as ``allowed`` permits, then the lowest total
    cost, each column used at most as often as it is repeated in ``cost`` (``owner`` gives
    the column of each repeat; all from :func:`_matrix` with ``places``).

    Taking a constant off a row changes no choice when every row is matched, and the solver,
    which starts from zero, finds its way sooner; ``row_shift`` is put back when there are
    fewer places than rows. The solver lets go of the GIL, so ``alongside`` (if given) runs
    on another core meanwhile, told by an event when the solver is done; its result is
    returned with the pairs."""
    from scipy.optimize import linear_sum_assignment

    rows = np.flatnonzero(allowed.any(1))
    usable = allowed.any(0)[owner]
    if not len(rows) or not usable.any():
        done = threading.Event()
        done.set()
        return [], alongside(done) if alongside else None
    if len(rows) < len(allowed):
        cost = cost[rows]
    if not usable.all():
        cost, owner = np.compress(usable, cost, axis=1), owner[usable]
    if len(rows) > len(owner):
        cost = cost + row_shift[rows, None]
    with ThreadPoolExecutor(1) as beside:
        solved = threading.Event()
        extra = beside.submit(alongside, solved) if alongside else None
        try:
            r, c = linear_sum_assignment(cost)
        finally:
            solved.set()
    r, c = rows[r], owner[c]
    keep = allowed[r, c]
    pairs = list(zip(r[keep].tolist(), c[keep].tolist(), strict=True))
    return pairs, extra.result() if extra else None


def _lock_problems_bipartite(pool: _Pool, locks, forbid_pairs, weights) -> list[tuple[int, int]]:
    problems: list[str] = []
    pairs: list[tuple[int, int]] = []
    forbid = _as_set(forbid_pairs)
    for item in locks:
        mentor_id, mentee_id = _two_ids(item, "A lock")
        missing = [x for x in (mentor_id, mentee_id) if x not in pool.index]
        if missing:
            problems.append(
                f"Lock {mentor_id} → {mentee_id}: {_names(missing)} not in the pool "
                "(a lock can only name applicants)."
            )
            continue
        i, j = pool.index[mentor_id], pool.index[mentee_id]
        mentor, mentee = pool.apps[i], pool.apps[j]
        rule = forbidden(mentor, mentee)
        if rule:
            problems.append(f"Lock {mentor.label} → {mentee.label} breaks a hard rule. {rule}")
        elif (i, j) in forbid:
            problems.append(
                f"Lock {mentor.label} → {mentee.label} is also forbidden (forbid rule): "
                "remove either the lock or the forbid."
            )
        elif (i, j) not in pairs:
            pairs.append((i, j))
    mentors = {i for i, _ in pairs}
    mentees: dict[int, list[int]] = {}
    for i, j in pairs:
        mentees.setdefault(j, []).append(i)
    for j, mine in sorted(mentees.items()):
        if len(mine) > 1:
            problems.append(
                f"One mentor per mentee: {pool.apps[j].label} is locked to "
                f"{_names(pool.apps[i].label for i in mine)}."
            )
    for person in sorted(mentors & set(mentees)):
        problems.append(
            f"Eligibility (one side only): {pool.apps[person].label} is locked both as a "
            "mentor and as a mentee."
        )
    load: dict[int, int] = {}
    for i, _ in pairs:
        load[i] = load.get(i, 0) + 1
    for i, count in sorted(load.items()):
        if count > pool.apps[i].capacity:
            problems.append(
                f"Capacity: {pool.apps[i].label} is locked to {count} mentees but can take "
                f"{pool.apps[i].capacity}."
            )
    if problems:
        raise MentorkitError(
            "These locks cannot all be kept, so nothing was proposed:\n  - "
            + "\n  - ".join(problems)
        )
    return sorted(pairs)


def _match_bipartite(pool: _Pool, weights: Weights, locks, forbid_pairs, mode: str) -> Proposal:
    apps = pool.apps
    locked = _lock_problems_bipartite(pool, locks, forbid_pairs, weights)
    remaining = np.array([a.capacity for a in apps], np.int64)
    side = [""] * pool.n
    taken = np.zeros(pool.n, bool)
    for i, j in locked:
        side[i], side[j] = "mentor", "mentee"
        remaining[i] -= 1
        taken[j] = True
    notes: list[str] = []
    ineligible = []
    flexible = []
    for k, a in enumerate(apps):
        if side[k]:
            continue
        if a.role == "mentor":
            if a.years < MIN_MENTOR_YEARS:
                ineligible.append(k)
            else:
                side[k] = "mentor"
        elif a.role == "mentee" or a.years < MIN_MENTOR_YEARS:
            side[k] = "mentee"
        else:
            flexible.append(k)
    supply = int(sum(remaining[k] for k in range(pool.n) if side[k] == "mentor"))
    demand = int(sum(1 for k in range(pool.n) if side[k] == "mentee" and not taken[k]))
    for k in sorted(flexible, key=lambda k: (-apps[k].years, apps[k].id)):
        if supply < demand:
            side[k] = "mentor"
            supply += int(remaining[k])
            notes.append(
                f"{apps[k].label} (either) was placed as a mentor: more mentees were waiting "
                "than there were mentor places."
            )
        else:
            side[k] = "mentee"
            demand += 1
            notes.append(
                f"{apps[k].label} (either) was placed as a mentee: there were enough mentor places."
            )

    pairs: list[tuple[int, int]] = []
    rounds: list[tuple] = []
    explained: dict[tuple[int, int], tuple[float, tuple[Reason, ...]]] = {}

    def solve(mentees: list[int], mentors: list[int]) -> None:
        rows, cols = np.array(mentees, np.intp), np.array(mentors, np.intp)
        places = np.minimum(remaining[cols], len(rows))
        scores, codes, (cost, owner, row_shift, likely) = _matrix(
            pool, rows, cols, weights, forbid_pairs, places=places
        )
        # While the solver runs: the first round's tally (for the reasons someone is left
        # unmatched), and reasons for the pairs the solver is likely to choose.
        found, beside = _assign(
            cost,
            owner,
            row_shift,
            codes == _OK,
            alongside=None
            if rounds
            else partial(_first_round_extras, pool, weights, rows, cols, scores, codes, likely),
        )
        tally, guessed = beside if beside else (None, {})
        explained.update(guessed)
        rounds.append((rows, cols, scores, codes, tally))
        for r, c in found:
            i, j = mentors[c], mentees[r]
            pairs.append((i, j))
            remaining[i] -= 1
            taken[j] = True

    mentors = [k for k in range(pool.n) if side[k] == "mentor"]
    solve([k for k in range(pool.n) if side[k] == "mentee" and not taken[k]], mentors)
    has_mentee = {i for i, _ in pairs} | {i for i, _ in locked}
    retry = [
        k
        for k in flexible
        if (side[k] == "mentor" and k not in has_mentee) or (side[k] == "mentee" and not taken[k])
    ]
    for k in retry:
        side[k] = "mentee" if side[k] == "mentor" else "mentor"
    if retry:
        mentors = [k for k in range(pool.n) if side[k] == "mentor" and remaining[k] > 0]
        solve([k for k in range(pool.n) if side[k] == "mentee" and not taken[k]], mentors)
        has_mentee = {i for i, _ in pairs} | {i for i, _ in locked}
        for k in retry:
            role = "mentor" if side[k] == "mentor" else "mentee"
            matched = k in has_mentee if role == "mentor" else bool(taken[k])
            if matched:
                notes.append(
                    f"{apps[k].label} (either) found no match on the first side and was "
                    f"matched as a {role} instead."
                )

    unmatched = _why_bipartite(
        pool,
        weights,
        forbid_pairs,
        side,
        taken,
        has_mentee,
        retry,
        ineligible,
        {j for _, j in locked},
        rounds[0],
    )
    lock_set = set(locked)
    everything = sorted(set(locked) | set(pairs))  # apps are in id order
    missing = [p for p in everything if p not in explained]
    explained.update(
        zip(
            missing,
            _explain(
                pool,
                np.array([j for _, j in missing], np.intp),
                np.array([i for i, _ in missing], np.intp),
                weights,
                peer=False,
            ),
            strict=True,
        )
    )
    out = tuple(
        Pairing(apps[i].id, apps[j].id, *explained[i, j], (i, j) in lock_set) for i, j in everything
    )
    circles: tuple[Circle, ...] = ()
    if mode == "group":
        groups: dict[str, list[Pairing]] = {}
        for p in out:
            groups.setdefault(p.mentor_id, []).append(p)
        circles = tuple(
            Circle(mid, tuple(p.mentee_id for p in ps), sum(p.score for p in ps))
            for mid, ps in sorted(groups.items())
        )
    return Proposal(
        pairs=out,
        unmatched=unmatched,
        total_score=float(sum(p.score for p in out)),
        circles=circles,
        notes=tuple(notes),
        mode=mode,
    )


def _first_round_extras(pool, weights, rows, cols, scores, codes, likely, solved):
    """What can be worked out while the solver runs: the :class:`_Tally`, then the reasons
    for the pairs the solver is likely to choose (each mentee's best mentor, then second
    best: ``likely`` from :func:`_matrix`) until ``solved`` is set. Returns (tally,
    {(mentor, mentee): (score, reasons)})."""
    tally = _Tally(codes, scores)
    found: dict[tuple[int, int], tuple[float, tuple[Reason, ...]]] = {}
    for rank in range(likely.shape[1]):
        for start in range(0, len(rows), _GUESS_BATCH):
            if solved.is_set():
                return tally, found
            pick = likely[start : start + _GUESS_BATCH, rank]
            ok = pick >= 0
            e, m = rows[start : start + _GUESS_BATCH][ok], cols[pick[ok]]
            keys = zip(m.tolist(), e.tolist(), strict=True)
            found.update(zip(keys, _explain(pool, e, m, weights, peer=False), strict=True))
    return tally, found


class _Tally:
    """Per row and per column of a built matrix: how many pairs have each rule code, and the
    best score among those below the minimum (for the reasons someone is left unmatched)."""

    def __init__(self, codes: np.ndarray, scores: np.ndarray):
        counts: tuple[list, list] = ([], [])
        for kind in range(6):
            has = codes == kind
            counts[0].append(has.sum(0))
            counts[1].append(has.sum(1))
        self.counts = (np.stack(counts[0], -1), np.stack(counts[1], -1))
        self.low = tuple(np.max(scores, axis=axis, where=has, initial=-np.inf) for axis in (0, 1))

    def lookup(self, built_rows, built_cols, rows, cols, axis: int, n: int):
        """(counts, lows) for ``rows`` (axis 1) or ``cols`` (axis 0) against all of the other
        side, or (None, None) when the built matrix does not answer exactly that."""
        mine, other, whole = (rows, cols, built_cols) if axis == 1 else (cols, rows, built_rows)
        built = built_rows if axis == 1 else built_cols
        if not np.array_equal(other, whole) or np.intersect1d(rows, cols).size:
            return None, None
        at = np.full(n, -1, np.intp)
        at[built] = np.arange(len(built))
        k = at[mine]
        if (k < 0).any():
            return None, None
        return self.counts[axis][k], self.low[axis][k]


def _cached_block(cached, rows: np.ndarray, cols: np.ndarray, n: int):
    """The rows × cols part of a matrix already built, or (None, None) if it lacks some."""
    built_rows, built_cols, scores, codes = cached[:4]
    if np.array_equal(rows, built_rows):
        cpos = np.full(n, -1, np.intp)
        cpos[built_cols] = np.arange(len(built_cols))
        c = cpos[cols]
        return (None, None) if (c < 0).any() else (scores[:, c], codes[:, c])
    rpos = np.full(n, -1, np.intp)
    cpos = np.full(n, -1, np.intp)
    rpos[built_rows] = np.arange(len(built_rows))
    cpos[built_cols] = np.arange(len(built_cols))
    r, c = rpos[rows], cpos[cols]
    if (r < 0).any() or (c < 0).any():
        return None, None
    return scores[np.ix_(r, c)], codes[np.ix_(r, c)].copy()


def _why_bipartite(
    pool, weights, forbid_pairs, side, taken, has_mentee, retry, ineligible, locked, first
) -> tuple[Unmatched, ...]:
    """Why each person without a partner has none, from all their possible partners on the
    other side (mentees locked elsewhere do not count). Reuses the first round's matrix when
    it covers everyone asked about."""
    apps = pool.apps
    mentors = np.array([k for k in range(pool.n) if side[k] == "mentor"], np.intp)
    mentees = np.array(
        [k for k in range(pool.n) if side[k] == "mentee" and k not in locked], np.intp
    )
    lonely_mentees = [int(k) for k in mentees if not taken[k]]
    lonely_mentors = [int(k) for k in mentors if k not in has_mentee]
    retry_set = set(retry)
    as_mentee = sorted(set(lonely_mentees) | (retry_set & set(lonely_mentors)))
    as_mentor = sorted(set(lonely_mentors) | (retry_set & set(lonely_mentees)))
    why: dict[int, list[tuple[str, str]]] = {}

    def explain(rows, cols, role, axis) -> None:
        if not len(rows if axis == 1 else cols):
            return
        rows, cols = np.asarray(rows, np.intp), np.asarray(cols, np.intp)
        tally = first[4]
        counts, low = (
            tally.lookup(first[0], first[1], rows, cols, axis, pool.n) if tally else (None, None)
        )
        if counts is None:
            scores, codes = _cached_block(first, rows, cols, pool.n)
            if scores is None:
                scores, codes, _ = _matrix(pool, rows, cols, weights, forbid_pairs)
            if np.intersect1d(rows, cols).size:
                codes[rows[:, None] == cols[None, :]] = _SKIP
            counts = _counts(codes, axis)
            low = np.full(codes.shape[1 - axis], -np.inf)
            below = np.nonzero(codes == _BELOW_MIN)
            if below[0].size:
                np.maximum.at(low, below[1 - axis], scores[below])
        people = rows if axis == 1 else cols
        for k, person in enumerate(people):
            why.setdefault(person, []).append((role, _why(counts[k], role, float(low[k]), weights)))

    explain(as_mentee, mentors, "mentee", axis=1)
    explain(mentees, as_mentor, "mentor", axis=0)
    out = []
    for k in ineligible:
        out.append(
            Unmatched(
                apps[k].id,
                f"Eligibility: under two years' experience ({apps[k].years:g}), so can only be "
                "a mentee, but applied only as a mentor",
            )
        )
    for k, reasons in why.items():
        if k in retry_set:
            text = "Tried on both sides. " + " ".join(
                f"As a {role}: {reason}." for role, reason in sorted(reasons)
            )
        else:
            text = reasons[0][1]
        out.append(Unmatched(apps[k].id, text))
    return tuple(sorted(out, key=lambda u: u.applicant_id))


# --------------------------------------------------------------------------------------------
# Helpers: peers


def _match_peers(pool: _Pool, weights: Weights, locks, forbid_pairs) -> Proposal:
    apps = pool.apps
    forbid = _as_set(forbid_pairs)
    problems = []
    locked: list[tuple[int, int]] = []
    for item in locks:
        first, second = _two_ids(item, "A lock")
        missing = [x for x in (first, second) if x not in pool.index]
        if missing:
            problems.append(
                f"Lock {first} + {second}: {_names(missing)} not in the pool "
                "(a lock can only name applicants)."
            )
            continue
        i, j = sorted((pool.index[first], pool.index[second]))
        rule = forbidden(apps[i], apps[j], peer=True)
        if rule:
            problems.append(f"Lock {apps[i].label} + {apps[j].label} breaks a hard rule. {rule}")
        elif (i, j) in forbid:
            problems.append(
                f"Lock {apps[i].label} + {apps[j].label} is also forbidden (forbid rule): "
                "remove either the lock or the forbid."
            )
        elif (i, j) not in locked:
            locked.append((i, j))
    seen: dict[int, int] = {}
    for pair in locked:
        for k in pair:
            seen[k] = seen.get(k, 0) + 1
    for k, count in sorted(seen.items()):
        if count > 1:
            problems.append(
                f"Capacity (one partner each): {apps[k].label} is locked to {count} peers."
            )
    if problems:
        raise MentorkitError(
            "These locks cannot all be kept, so nothing was proposed:\n  - "
            + "\n  - ".join(problems)
        )
    free = np.array([k for k in range(pool.n) if k not in seen], np.intp)
    scores, codes, _ = _matrix(pool, free, free, weights, forbid_pairs, peer=True)
    scores = (scores + scores.T) / 2
    allowed = (codes == _OK) & (codes.T == _OK)
    chosen, exact, gap = _peer_solve(scores, allowed, weights)
    notes = []
    if len(free) > 1:
        if exact:
            notes.append("Peer pairs are the best possible.")
        elif gap is not None:
            notes.append(
                "Peer pairs were found by an assignment relaxation and local improvement; "
                f"their total is at most {gap:.2%} below the best possible."
            )
        else:
            notes.append(
                "Peer pairs were found by an assignment relaxation and local improvement; "
                "they may fall a little short of the best possible."
            )
    pairs = sorted(locked + [tuple(sorted((int(free[a]), int(free[b])))) for a, b in chosen])
    explained = _explain(
        pool, np.array([i for i, _ in pairs]), np.array([j for _, j in pairs]), weights, True
    )
    lock_set = set(locked)
    peers = tuple(
        PeerPair(apps[i].id, apps[j].id, s, reasons, (i, j) in lock_set)
        for (i, j), (s, reasons) in zip(pairs, explained, strict=True)
    )
    matched = {k for p in pairs for k in p}
    lonely = [k for k in free.tolist() if k not in matched]
    unmatched = []
    if lonely:
        pos = {k: n for n, k in enumerate(free.tolist())}
        rows = np.array([pos[k] for k in lonely])
        sub_codes = np.where(allowed[rows], _OK, np.maximum(codes[rows], codes.T[rows]))
        sub_codes[np.arange(len(rows)), rows] = _SKIP
        counts = _counts(sub_codes, 1)
        low = np.where(sub_codes == _BELOW_MIN, scores[rows], -np.inf).max(axis=1, initial=-np.inf)
        for n, k in enumerate(lonely):
            unmatched.append(Unmatched(apps[k].id, _why(counts[n], "peer", float(low[n]), weights)))
    return Proposal(
        pairs=(),
        unmatched=tuple(unmatched),
        total_score=float(sum(p.score for p in peers)),
        peers=peers,
        notes=tuple(notes),
        mode="peer",
    )


def _peer_solve(
    scores: np.ndarray, allowed: np.ndarray, weights: Weights
) -> tuple[list[tuple[int, int]], bool, float | None]:
    """Pairs of a general graph: most pairs, then highest total. Exact for small pools.

    Also says whether the pairs are provably best and, if not, how far below the best they
    can at most be (a share of the bound), when the relaxation can tell."""
    n = len(scores)
    np.fill_diagonal(allowed, False)
    if n <= EXACT_PEERS:
        return _peer_exact(scores, allowed), True, None
    pairs, exact, (most, heaviest) = _peer_relaxed(
        scores, allowed, np.arange(n), weights, first=True
    )
    if exact:
        return pairs, True, None
    pairs = _peer_improve(scores, allowed, pairs)
    gap = None
    if len(pairs) == most and heaviest > 0:
        total = sum(float(scores[a, b]) for a, b in pairs)
        gap = max(0.0, (heaviest - total) / heaviest)
    return pairs, False, gap


def _peer_exact(scores: np.ndarray, allowed: np.ndarray) -> list[tuple[int, int]]:
    n = len(scores)
    memo: dict[int, tuple[int, float, tuple[tuple[int, int], ...]]] = {}

    def best(mask: int) -> tuple[int, float, tuple[tuple[int, int], ...]]:
        if mask == 0:
            return (0, 0.0, ())
        if mask in memo:
            return memo[mask]
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        result = best(rest)
        for j in range(i + 1, n):
            if rest >> j & 1 and allowed[i, j]:
                count, total, chosen = best(rest & ~(1 << j))
                option = (count + 1, total + float(scores[i, j]), ((i, j), *chosen))
                if option[:2] > result[:2]:
                    result = option
        memo[mask] = result
        return result

    return sorted(best((1 << n) - 1)[2])


def _peer_relaxed(scores, allowed, nodes, weights, first=False):
    """Solve the doubled graph, turn its cycles into pairs, and repeat on the leftovers.

    Returns the pairs, whether they are provably best (no odd cycles at the first level), and
    the relaxation's bound: no matching has more than ``bound[0]`` pairs, and none with that
    many pairs weighs more than ``bound[1]``."""
    from scipy.optimize import linear_sum_assignment

    nodes = nodes[allowed[np.ix_(nodes, nodes)].any(1)]
    if len(nodes) < 2:
        return [], True, (0, 0.0)
    ok = allowed[np.ix_(nodes, nodes)]
    sub = scores[np.ix_(nodes, nodes)]
    big = (weights.total + 1.0) * (len(nodes) + 1.0)
    cost = np.where(ok, -sub, big)
    _, sigma = linear_sum_assignment(cost)
    in_cover = ok[np.arange(len(nodes)), sigma]
    bound = (
        int(len(nodes) - (~in_cover).sum()) // 2,
        float(sub[np.arange(len(nodes)), sigma][in_cover].sum()) / 2,
    )
    seen = np.zeros(len(nodes), bool)
    pairs: list[tuple[int, int]] = []
    left: list[int] = []
    exact = True
    for start in range(len(nodes)):
        if seen[start]:
            continue
        cycle = []
        k = start
        while not seen[k]:
            seen[k] = True
            cycle.append(k)
            k = sigma[k]
        if len(cycle) == 1:
            left.append(cycle[0])
            continue
        edges_ok = [ok[cycle[t], cycle[(t + 1) % len(cycle)]] for t in range(len(cycle))]
        if len(cycle) > 2 and (len(cycle) % 2 or not all(edges_ok)):
            exact = False
        chosen = _cycle_pairs(cycle, ok, sub)
        pairs.extend(chosen)
        used = {x for p in chosen for x in p}
        left.extend(x for x in cycle if x not in used)
    out = [(int(nodes[a]), int(nodes[b])) for a, b in pairs]
    if len(left) >= 2 and pairs:
        more, _, _ = _peer_relaxed(scores, allowed, nodes[sorted(left)], weights)
        out.extend(more)
    return out, exact and first, bound


def _cycle_pairs(cycle: list[int], ok: np.ndarray, scores: np.ndarray) -> list[tuple[int, int]]:
    """Best pairs (most, then highest total) along the edges of one cycle."""
    length = len(cycle)
    if length == 2:
        a, b = cycle
        return [(a, b)] if ok[a, b] else []

    def path(seq: list[int]) -> tuple[int, float, list[tuple[int, int]]]:
        best = [(0, 0.0, [])] * (len(seq) + 1)
        for t in range(2, len(seq) + 1):
            best[t] = best[t - 1]
            a, b = seq[t - 2], seq[t - 1]
            if ok[a, b]:
                prev = best[t - 2]
                option = (prev[0] + 1, prev[1] + float(scores[a, b]), [*prev[2], (a, b)])
                if option[:2] > best[t][:2]:
                    best[t] = option
        return best[len(seq)]

    options = [path(cycle)]
    a, b = cycle[-1], cycle[0]
    if ok[a, b]:
        inner = path(cycle[1:-1])
        options.append((inner[0] + 1, inner[1] + float(scores[a, b]), [*inner[2], (a, b)]))
    return max(options, key=lambda o: o[:2])[2]


def _peer_improve(scores, allowed, pairs, rounds: int = 100) -> list[tuple[int, int]]:
    """Local search: add pairs through unmatched people, then swap partners between pairs."""
    n = len(scores)
    partner = np.full(n, -1, np.intp)
    for a, b in pairs:
        partner[a], partner[b] = b, a
    for _ in range(rounds):
        changed = False
        lonely = np.flatnonzero(partner < 0)
        # u - a = b - v  becomes  u = a, b = v (one more pair).
        if len(lonely) >= 2:
            a_ends = np.flatnonzero(partner >= 0)
            for a in a_ends.tolist():
                b = partner[a]
                if b < 0 or partner[a] < 0:
                    continue
                lonely = np.flatnonzero(partner < 0)
                us = lonely[allowed[a, lonely]]
                vs = lonely[allowed[b, lonely]]
                for u in us.tolist():
                    v = vs[vs != u]
                    if len(v):
                        v = int(v[np.argmax(scores[b, v])])
                        partner[a], partner[u], partner[b], partner[v] = u, a, v, b
                        changed = True
                        break
        # Two lonely people who may be paired.
        lonely = np.flatnonzero(partner < 0)
        for u in lonely.tolist():
            if partner[u] >= 0:
                continue
            free = np.flatnonzero((partner < 0) & allowed[u])
            if len(free):
                v = int(free[np.argmax(scores[u, free])])
                partner[u], partner[v] = v, u
                changed = True
        # Swap partners between two pairs when both new pairs are allowed and it gains.
        a = np.flatnonzero(partner > np.arange(n))
        b = partner[a]
        if len(a) >= 2:
            current = scores[a, b]
            base = current[:, None] + current[None, :]
            gain1 = np.where(
                allowed[np.ix_(a, a)] & allowed[np.ix_(b, b)],
                scores[np.ix_(a, a)] + scores[np.ix_(b, b)] - base,
                -np.inf,
            )
            gain2 = np.where(
                allowed[np.ix_(a, b)] & allowed[np.ix_(b, a)],
                scores[np.ix_(a, b)] + scores[np.ix_(b, a)] - base,
                -np.inf,
            )
            gain = np.triu(np.maximum(gain1, gain2), 1)
            gain[np.tril_indices(len(a))] = -np.inf
            order = np.argsort(-gain, axis=None, kind="stable")
            used = np.zeros(len(a), bool)
            for flat in order.tolist():
                x, y = divmod(flat, len(a))
                if gain[x, y] <= _EPS:
                    break
                if used[x] or used[y]:
                    continue
                used[x] = used[y] = True
                if gain1[x, y] >= gain2[x, y]:
                    new = ((a[x], a[y]), (b[x], b[y]))
                else:
                    new = ((a[x], b[y]), (b[x], a[y]))
                for p, q in new:
                    partner[p], partner[q] = q, p
                changed = True
        # Replace a partner with a lonely person who scores higher with them.
        lonely = np.flatnonzero(partner < 0)
        if len(lonely):
            for x in np.flatnonzero(partner >= 0).tolist():
                y = partner[x]
                if y < 0:
                    continue
                lonely = np.flatnonzero(partner < 0)
                cand = lonely[allowed[x, lonely]]
                if len(cand):
                    u = int(cand[np.argmax(scores[x, cand])])
                    if scores[x, u] > scores[x, y] + _EPS:
                        partner[y], partner[x], partner[u] = -1, u, x
                        changed = True
        if not changed:
            break
    return [(int(x), int(partner[x])) for x in range(n) if partner[x] > x]
