"""mentorkit's Voila template: what its scripts say matches what the apps say."""

from __future__ import annotations

import re
from pathlib import Path

import mentorkit
from mentorkit.ui.apps.common import SIGNED_OUT

TEMPLATE = Path(mentorkit.__file__).parent / "server/jupyter/voila/templates/mentorkit"


def _js_string(script: str, name: str) -> str:
    """The value of ``const NAME = 'a' + 'b';`` in a script (its comment left out)."""
    declaration = re.search(rf"const {name} =(.*?);\n", script, re.S)
    assert declaration, f"{name} not found"
    return "".join(re.findall(r"'([^']*)'", declaration.group(1)))


def test_a_page_whose_kernel_is_gone_says_signed_out_in_the_apps_words():
    script = (TEMPLATE / "connection.js").read_text("utf-8")
    assert _js_string(script, "SIGNED_OUT") == SIGNED_OUT


def test_the_template_includes_its_scripts():
    page = (TEMPLATE / "index.html.j2").read_text("utf-8")
    for script in (
        "connection.js",
        "navigation.js",
        "accessibility.js",
        "downloads.js",
        "mentorkit.css",
    ):
        assert f"{{% include '{script}' %}}" in page
        assert (TEMPLATE / script).is_file()
