"""How a competency score is rounded and written, the same on every page and in every export.

A domain score is the mean of the items rated in it; items answered "not applicable" are left
out, so every score is shown with how many items it rests on. Scores are rounded half up to
one decimal place (3.25 is 3.3, never the 3.2 that Python's ``round`` gives).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DECIMALS = 1
NO_SCORE = "no rating"


def rounded(value: float | None) -> float | None:
    """``value`` rounded half up to :data:`DECIMALS` places (None if there is no score)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    step = Decimal(1).scaleb(-DECIMALS)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def score_text(value: float | None) -> str:
    """A score as shown: "3.7", or "no rating"."""
    shown = rounded(value)
    return NO_SCORE if shown is None else f"{shown:.{DECIMALS}f}"


def items_text(rated: int, not_applicable: int = 0) -> str:
    """How many items a score rests on: "3 items", "3 items (1 not applicable)"."""
    text = f"{rated} item{'' if rated == 1 else 's'}"
    return text + (f" ({not_applicable} not applicable)" if not_applicable else "")


def score_with_items(value: float | None, rated: int, not_applicable: int = 0) -> str:
    """ "3.7 from 3 items (1 not applicable)", or "no rating" with why where all were N/A."""
    if rounded(value) is None:
        return NO_SCORE + (f" (all {not_applicable} not applicable)" if not_applicable else "")
    return f"{score_text(value)} from {items_text(rated, not_applicable)}"
