"""Notebook tests (nbval) run every notebook against a fresh demo programme.

The kernels nbval starts inherit this environment: a demo data folder, an access code (Fran
the facilitator's for the facilitator's notebooks, Amara's for the others), and strict mode,
so a notebook that would show an error message fails instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FACILITATOR_NOTEBOOKS = {"dashboard", "programme-setup", "cohort", "matching", "programme-data"}


def pytest_configure(config) -> None:
    if os.environ.get("MENTORKIT_NOTEBOOK_DATA"):
        return
    folder = tempfile.mkdtemp(prefix="mentorkit-nbval-")
    out = subprocess.run(
        [sys.executable, "-m", "mentorkit", "init", "--demo", "--data", folder],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    code = re.search(r"Amara Okafor\s+mentor\s+(\S+)", out).group(1)
    facilitator = re.search(r"Fran Fletcher\s+facilitator\s+(\S+)", out).group(1)
    os.environ["MENTORKIT_NOTEBOOK_DATA"] = folder
    os.environ["MENTORKIT_DATA"] = folder
    os.environ["MENTORKIT_CODE"] = code
    os.environ["MENTORKIT_PAIR_CODE"] = code
    os.environ["MENTORKIT_FACILITATOR_CODE"] = facilitator
    os.environ["MENTORKIT_STRICT"] = "1"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """Before a notebook's kernel starts, sign in as the person that notebook is for."""
    path = Path(str(getattr(item, "path", "")))
    if path.suffix != ".ipynb" or "MENTORKIT_PAIR_CODE" not in os.environ:
        return
    who = "FACILITATOR" if path.stem in FACILITATOR_NOTEBOOKS else "PAIR"
    os.environ["MENTORKIT_CODE"] = os.environ[f"MENTORKIT_{who}_CODE"]
