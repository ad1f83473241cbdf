"""Programme settings a trainer or facilitator sets in the kit (``settings.yaml`` beside the
worksheets), not in code::

    title: Northfield Mentoring   # shown at the top of every page (empty: the programme's name)
    accent: "#1f5f8b"             # the colour of headings, links and the page's top line
    smallest_group: 3             # a cohort figure is shown only for groups this big or bigger
    quiet_days: 14                # days without activity before a pair "needs a check-in"
    autosave_seconds: 1.5         # the pause in typing before answers save themselves

Every key may be left out (its default is used). Problems are reported like any kit file's,
with file, line, key, what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mentorkit.core.spec_loader import SETTINGS_FILE
from mentorkit.core.yamlfile import Collector, read_spec_file, read_yaml, unknown_keys
from mentorkit.exceptions import SpecError

__all__ = ["SETTINGS_FILE", "ProgrammeSettings", "load_settings", "parse_settings"]
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5
"""WCAG 2 AA contrast for text: the accent colours links and headings on white."""


@dataclass(frozen=True)
class ProgrammeSettings:
    """The settings in force (the defaults where the kit says nothing)."""

    title: str = ""
    accent: str = "#1f5f8b"
    smallest_group: int = 3
    quiet_days: int = 14
    autosave_seconds: float = 1.5


DEFAULTS = ProgrammeSettings()
KEYS = tuple(DEFAULTS.__dataclass_fields__)


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` text on a white page."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def _whole(raw: dict, key: str, low: int, high: int, why: str, out: Collector) -> int:
    value = raw.get(key, getattr(DEFAULTS, key))
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        out.add(
            key,
            f"{key} is {value!r}; it must be a whole number from {low} to {high}{why}.",
            f"Write {key}: {getattr(DEFAULTS, key)} (the default), or another number in range.",
        )
        return int(getattr(DEFAULTS, key))
    return value


def parse_settings(text: str, file: str = "<text>") -> ProgrammeSettings:
    """Parse a settings file; raise SpecError listing every problem."""
    raw, out = read_yaml(text, file, "Write one setting per line, e.g. quiet_days: 14")
    unknown_keys(raw, KEYS, "", out)
    title = raw.get("title", "")
    if not isinstance(title, str) or len(title) > 80:
        out.add(
            "title", "title must be text of at most 80 characters.", "Write title: Our programme"
        )
        title = ""
    accent = raw.get("accent", DEFAULTS.accent)
    if not isinstance(accent, str) or not _COLOUR.match(accent):
        out.add(
            "accent",
            f"accent is {accent!r}, not a colour written #rrggbb.",
            'Write it in quotes, like accent: "#1f5f8b".',
        )
        accent = DEFAULTS.accent
    elif contrast_on_white(accent) < MIN_CONTRAST:
        out.add(
            "accent",
            f"accent {accent} is too light to read on white (contrast "
            f"{contrast_on_white(accent):.1f} to 1; text needs {MIN_CONTRAST}).",
            "Choose a darker shade of the colour.",
        )
        accent = DEFAULTS.accent
    smallest = _whole(
        raw, "smallest_group", 2, 50, " (smaller groups would show one person's ratings)", out
    )
    quiet = _whole(raw, "quiet_days", 1, 365, "", out)
    autosave = raw.get("autosave_seconds", DEFAULTS.autosave_seconds)
    if (
        isinstance(autosave, bool)
        or not isinstance(autosave, (int, float))
        or not (0.3 <= autosave <= 30)
    ):
        out.add(
            "autosave_seconds",
            f"autosave_seconds is {autosave!r}; it must be a number of seconds from 0.3 to 30.",
            "Write autosave_seconds: 1.5 (the default).",
        )
        autosave = DEFAULTS.autosave_seconds
    if out.problems:
        raise SpecError(out.problems)
    return ProgrammeSettings(str(title), accent.lower(), smallest, quiet, float(autosave))


def load_settings(folder: str | Path) -> ProgrammeSettings:
    """The settings in a worksheets folder's ``settings.yaml`` (the defaults without one)."""
    path = Path(folder) / SETTINGS_FILE
    if not path.is_file():
        return DEFAULTS
    return parse_settings(read_spec_file(path), str(path))
