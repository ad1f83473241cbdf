"""Links between the apps (relative, so they work under any Voila base URL)."""

from __future__ import annotations

from urllib.parse import urlencode

from mentorkit.core import paths


def worksheet_link(worksheet_id: str, relationship_id: int, person_id: int | None = None) -> str:
    """The page for one worksheet: its own notebook if there is one, else the generic one."""
    params: dict[str, object] = {"relationship": relationship_id}
    if person_id is not None:
        params["person"] = person_id
    if (paths.notebooks_folder() / f"{worksheet_id}.ipynb").exists():
        return f"{worksheet_id}.ipynb?{urlencode(params)}"
    return f"worksheet.ipynb?{urlencode({'worksheet': worksheet_id, **params})}"
