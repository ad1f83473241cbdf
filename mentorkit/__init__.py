"""mentorkit: worksheets, agreements and reflection for mentoring programmes.

The apps live in :mod:`mentorkit.ui.apps` (they import ipywidgets); this top level stays light so
that ``import mentorkit`` loads none of pandas, matplotlib or scipy.
"""

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

__version__ = "0.1.0"

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
    "parse_worksheet",
]
