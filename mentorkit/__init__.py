"""mentorkit: worksheets, agreements and reflection for mentoring programmes.

The apps live in :mod:`mentorkit.ui.apps` (they import ipywidgets); this top level stays light so
that ``import mentorkit`` loads none of pandas, matplotlib or scipy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit import programme  # noqa: F401 - its field types (the goal plan) join the table
from mentorkit.core.spec import Field, Worksheet
from mentorkit.core.spec_loader import load_folder, load_worksheet, parse_worksheet
from mentorkit.core.store import Store
from mentorkit.exceptions import (
    AccessError,
    BackupError,
    ConfigError,
    DatabaseDamaged,
    DatabaseTooNew,
    ImportRefused,
    InvalidAnswer,
    MentorkitError,
    MissingEntry,
    NotAllowed,
    SignInRefused,
    SpecError,
    SpecProblem,
    StaleRevision,
    StoreError,
    TooManyAttempts,
)

if TYPE_CHECKING:
    from mentorkit.io.programme_data import ProgrammeData

__version__ = "0.1.0"


def open_programme(data_folder: str | None = None, code: str | None = None) -> ProgrammeData:
    """A programme's data as pandas tables, seen by the person whose access ``code`` is given
    (see :class:`mentorkit.io.programme_data.ProgrammeData`). Loads pandas when called."""
    from mentorkit.io.programme_data import ProgrammeData

    return ProgrammeData.open(data_folder, code)


__all__ = [
    "AccessError",
    "BackupError",
    "ConfigError",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "Field",
    "ImportRefused",
    "InvalidAnswer",
    "MentorkitError",
    "MissingEntry",
    "NotAllowed",
    "SignInRefused",
    "SpecError",
    "SpecProblem",
    "StaleRevision",
    "Store",
    "StoreError",
    "TooManyAttempts",
    "Worksheet",
    "__version__",
    "load_folder",
    "load_worksheet",
    "open_programme",
    "parse_worksheet",
]
