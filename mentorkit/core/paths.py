"""Where things live: the data folder, the worksheets and the notebooks."""

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


def database_path(folder: str | os.PathLike | None = None) -> Path:
    """The SQLite file inside the data folder."""
    return data_folder(folder) / DATABASE_NAME


def worksheets_folder() -> Path:
    """``$MENTORKIT_WORKSHEETS`` if set, else the ``worksheets/`` folder of this checkout."""
    if os.environ.get("MENTORKIT_WORKSHEETS"):
        return Path(os.environ["MENTORKIT_WORKSHEETS"]).expanduser().resolve()
    return _CHECKOUT / "worksheets"


def notebooks_folder() -> Path:
    """``$MENTORKIT_NOTEBOOKS`` if set, else the ``notebooks/`` folder of this checkout."""
    if os.environ.get("MENTORKIT_NOTEBOOKS"):
        return Path(os.environ["MENTORKIT_NOTEBOOKS"]).expanduser().resolve()
    return _CHECKOUT / "notebooks"
