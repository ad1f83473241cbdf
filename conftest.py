"""Notebook tests (nbval) run every notebook against a fresh demo programme.

The kernels nbval starts inherit this environment: a demo data folder, Amara's access code,
and strict mode, so a notebook that would show an error message fails instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile


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
    os.environ["MENTORKIT_NOTEBOOK_DATA"] = folder
    os.environ["MENTORKIT_DATA"] = folder
    os.environ["MENTORKIT_CODE"] = code
    os.environ["MENTORKIT_STRICT"] = "1"
