"""A trainer's kit folder: made from the shipped kit, and checked before it is used.

A kit holds ``worksheets/`` (worksheets, ``programme.yaml``, ``frameworks/``,
``applications/``, ``matching/weights.yaml``) and ``notebooks/`` (the pages, and
``analysis/`` for JupyterLab), with a README for trainers. Everything in it is the trainer's
to change; mentorkit's code stays where it was installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mentorkit.core.paths import SHIPPED_KIT
from mentorkit.exceptions import ConfigError

KIT_PARTS = ("worksheets", "notebooks")
"""The folders every kit has."""
_LEFT_OUT = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".*")

KIT_README = """\
# Your mentorkit kit

This folder is yours: the worksheets, competency frameworks, programme plan, matching
weights and page notebooks your programme runs on. Change them freely; mentorkit's own code
is not in here, so updating mentorkit never overwrites your work.

* `worksheets/` — one YAML file per worksheet (questions, guidance, who sees what), the
  programme plan `programme.yaml` (sessions and what each one uses), `frameworks/` (the
  competencies people rate), `applications/` (the application form),
  `matching/weights.yaml` (what matters when pairing people), and `settings.yaml` (the
  title and colour on the pages, the smallest cohort group, quiet days, autosave delay).
* `notebooks/` — the pages people see. Their text cells are guidance you can reword; the one
  line of code in each draws the page (leave it as it is). `analysis/` holds notebooks for
  you, opened in JupyterLab, never served to participants.

Working with the kit:

    mentorkit check --kit {kit}                 # every problem, with file, line and how to fix it
    mentorkit kit import-framework FILE.xlsx --kit {kit} --rated mentor --replaces mentor-competencies
    mentorkit preview --kit {kit}               # every page, on a throwaway demo programme
    mentorkit init --kit {kit} --name "Our programme"   # a programme that uses this kit
    mentorkit serve                             # uses the kit the programme was created with
    mentorkit lab --kit {kit}                   # JupyterLab in this folder, with the programme's data

`mentorkit serve --kit DIR` (or `MENTORKIT_KIT=DIR`) uses another kit for one run.
"""


def check_kit(folder: Path) -> Path:
    """``folder`` resolved, if it is a kit; else ConfigError naming what is missing."""
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise ConfigError(
            f"There is no kit folder {folder}. Make one with `mentorkit kit new {folder}`, "
            "or give the folder your kit is in."
        )
    for part in KIT_PARTS:
        if not (folder / part).is_dir():
            raise ConfigError(
                f"The kit {folder} has no {part}/ folder. A kit holds worksheets/ and "
                "notebooks/: copy the missing one from a kit made by `mentorkit kit new`."
            )
    if not (folder / "notebooks" / "home.ipynb").is_file():
        raise ConfigError(
            f"The kit {folder} has no notebooks/home.ipynb, the page everyone starts from. "
            "Copy it from a kit made by `mentorkit kit new`."
        )
    return folder


def new_kit(folder: Path, source: Path = SHIPPED_KIT) -> Path:
    """Copy the kit at ``source`` (the shipped one) into ``folder``, which must be new or
    empty, with a README for trainers; returns the kit's folder."""
    folder = Path(folder).expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(
            f"{folder} is not empty. Give `mentorkit kit new` a new folder, so that nothing "
            "already there is overwritten."
        )
    folder.mkdir(parents=True, exist_ok=True)
    for part in KIT_PARTS:
        shutil.copytree(source / part, folder / part, ignore=_LEFT_OUT)
    (folder / "README.md").write_text(KIT_README.format(kit=folder), encoding="utf-8")
    return folder
