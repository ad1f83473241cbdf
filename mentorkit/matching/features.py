"""What is compared between two people: goal words, time slots as UTC half hours, and
ratings relative to the person's own."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from mentorkit.matching.arrays import distinct
from mentorkit.matching.model import DAYS, PARTS, Applicant

UNKNOWN = 0.5
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


@lru_cache(maxsize=4096)
def _slot_halfhours(slots: frozenset[str], offset: float) -> frozenset[int]:
    """The UTC half hours of the week covered by local ``slots`` at UTC ``offset``."""
    shift = round(offset * 2)
    out: set[int] = set()
    for slot in slots:
        day, part = slot.split("-")
        start, end = PARTS[part]
        base = DAYS.index(day) * 48 - shift
        out.update((base + h) % _WEEK for h in range(start, end))
    return frozenset(out)


def halfhours(app: Applicant) -> frozenset[int]:
    return _slot_halfhours(app.slots, app.utc_offset)


@lru_cache(maxsize=16384)
def goal_words(text: str) -> frozenset[str]:
    words = frozenset(map(_goal_word, _words_in(text)))
    return words - _NO_WORD if "" in words else words


def _words_in(text: str) -> list[str]:
    """``_WORD.findall(text.lower())`` (runs of a-z and 0-9), done by replacing everything
    else with spaces and splitting, which is quicker."""
    return text.lower().encode("ascii", "replace").decode("ascii").translate(_SPACES).split()


_SPACES = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


_NO_WORD = frozenset([""])


@lru_cache(maxsize=65536)
def _goal_word(word: str) -> str:
    """The word as goals are compared ("" for a stop word): a plural "s" taken off."""
    if word in STOP_WORDS or len(word) < 2:
        return ""
    if len(word) > 3 and word[-1] == "s" and word[-2:] not in _NOT_PLURAL:
        word = word[:-1]
    return "" if word in STOP_WORDS else word


def avoids(asker: Applicant, other: Applicant) -> bool:
    if not asker.avoid:
        return False
    return other.id.lower() in asker.avoid or (
        bool(other.email) and other.email.lower() in asker.avoid
    )


SLOT_CODES = {
    f"{day}-{part}": k
    for k, (day, part) in enumerate((day, part) for day in DAYS for part in PARTS)
}


def _slot_week() -> np.ndarray:
    """Boolean slots × half hours of the local week (row k: the half hours slot k covers)."""
    week = np.zeros((len(SLOT_CODES), _WEEK), bool)
    for slot, k in SLOT_CODES.items():
        day, part = slot.split("-")
        start, end = PARTS[part]
        week[k, DAYS.index(day) * 48 + start : DAYS.index(day) * 48 + end] = True
    return week


LOCAL_WEEK = _slot_week()


def utc_week(slots: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Boolean people × UTC half hours of the week from people × slot codes and each
    person's shift in half hours: as :func:`_slot_halfhours` for everyone at once (slots
    are whole half hours that never overlap, so a product of incidences)."""
    local = slots.astype(np.float32) @ LOCAL_WEEK.astype(np.float32) > 0
    out = np.empty_like(local)
    for shift in distinct(shifts):
        who = shifts == shift
        out[who] = np.roll(local[who], -int(shift), axis=1)
    return out
