"""Packaging stays in step: pyproject.toml and environment.yml; the public API."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

import mentorkit

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_names = {_name(d) for d in conda if isinstance(d, str)} - {"python", "pip"}
    assert conda_names == {_name(d) for d in pyproject}


def test_public_api_is_sorted_and_importable():
    assert mentorkit.__all__ == sorted(mentorkit.__all__)
    for name in mentorkit.__all__:
        assert hasattr(mentorkit, name), name


def test_console_script_is_declared():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"mentorkit": "mentorkit.cli.main:main"}


def _loaded_after(statement: str) -> set[str]:
    code = f"{statement}; import sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_import_mentorkit_loads_no_heavy_libraries():
    heavy = {"pandas", "matplotlib", "scipy"}
    assert not heavy & _loaded_after("import mentorkit")
    assert not heavy & _loaded_after("import mentorkit.ui.apps")
