"""Where things live: the data folder, and the kit (the worksheets, frameworks, plan and
notebooks a programme runs on).

A trainer's kit is a folder made by ``mentorkit kit new`` holding ``worksheets/`` and
``notebooks/``; the command line chooses it (``--kit``, ``$MENTORKIT_KIT``, or the kit the
programme was created with) and sets ``$MENTORKIT_KIT`` for everything it runs, so pages and
notebooks find it the same way. Without one, the kit shipped with mentorkit is used.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "mentorkit.sqlite3"
_CHECKOUT = Path(__file__).resolve().parents[2]


def data_folder(explicit: str | os.PathLike | None = None) -> Path:
    """``--data`` if given, else ``$MENTORKIT_DATA``, else ``$XDG_DATA_HOME/mentorkit``
    (``~/.local/share/mentorkit``)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if os.environ.get("MENTORKIT_DATA"):
        return Path(os.environ["MENTORKIT_DATA"]).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return (Path(base) / "mentorkit").resolve()


def store_url(explicit: str | None = None) -> str | None:
    """``--store`` if given, else ``$MENTORKIT_STORE``: a ``postgresql://`` URL naming the
    programme's database when it is not the data folder's SQLite file (None: it is)."""
    return explicit or os.environ.get("MENTORKIT_STORE") or None


def store_location(folder: str | os.PathLike | None = None) -> str:
    """Where the programme is kept: ``$MENTORKIT_STORE``'s URL, else the data folder's file."""
    return store_url() or str(database_path(folder))


def kept_kit_path(folder: str | os.PathLike | None = None) -> Path:
    """Where the data folder keeps a copy of the last kit that read without problems."""
    return data_folder(folder) / "kit-last-good.json"


def database_path(folder: str | os.PathLike | None = None) -> Path:
    """The SQLite file inside the data folder."""
    return data_folder(folder) / DATABASE_NAME


SHIPPED_KIT = _CHECKOUT
"""The kit shipped with mentorkit: this checkout's ``worksheets/`` and ``notebooks/``."""


def kit_folder() -> Path:
    """``$MENTORKIT_KIT`` if set, else the kit shipped with mentorkit."""
    if os.environ.get("MENTORKIT_KIT"):
        return Path(os.environ["MENTORKIT_KIT"]).expanduser().resolve()
    return SHIPPED_KIT


def worksheets_folder() -> Path:
    """``$MENTORKIT_WORKSHEETS`` if set, else the kit's ``worksheets/`` folder."""
    if os.environ.get("MENTORKIT_WORKSHEETS"):
        return Path(os.environ["MENTORKIT_WORKSHEETS"]).expanduser().resolve()
    return kit_folder() / "worksheets"


def notebooks_folder() -> Path:
    """``$MENTORKIT_NOTEBOOKS`` if set, else the kit's ``notebooks/`` folder."""
    if os.environ.get("MENTORKIT_NOTEBOOKS"):
        return Path(os.environ["MENTORKIT_NOTEBOOKS"]).expanduser().resolve()
    return kit_folder() / "notebooks"
