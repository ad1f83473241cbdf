"""One fix to the widgets' front-end, served in place of the installed file.

ipywidgets' page code asks the kernel for every widget's state and gives the kernel four
seconds to answer; after that it falls back to an older way of asking that never finishes
for a kernel of ipywidgets 8, so the page stays on "Loading widget..." for good (ipywidgets
issue 3633). On a laptop holding a workshop the answer often takes longer than four seconds:
measured with 40 people, most of the pages that never drew were this. mentorkit serves that
one script with the wait raised to two minutes; nothing else in it changes. If the installed
version has no such line, the file is served as installed and the log says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

import tornado.web

log = logging.getLogger("mentorkit.server")

SHORT_WAIT = '"Control comm did not respond in time")),4e3)'
LONG_WAIT = '"Control comm did not respond in time")),12e4)'


def patched_scripts(labextension_paths: list[str]) -> dict[str, bytes]:
    """URL path (under ``/voila/labextensions/``) -> the fixed script, for each installed
    widget-manager script that holds the four-second wait."""
    found: dict[str, bytes] = {}
    for root in labextension_paths:
        base = Path(root)
        for script in sorted(base.glob("@voila-dashboards/widgets-manager*/static/*.js")):
            text = script.read_text("utf-8", errors="replace")
            if SHORT_WAIT in text:
                name = script.relative_to(base).as_posix()
                found.setdefault(name, text.replace(SHORT_WAIT, LONG_WAIT).encode("utf-8"))
    if not found:
        log.warning(
            "The widgets' four-second wait was not found; pages on a crowded machine "
            "may stay on 'Loading widget...' (ipywidgets issue 3633)."
        )
    return found


class PatchedScript(tornado.web.RequestHandler):
    """Serves one fixed script (the same bytes for everyone; it holds no user data)."""

    def initialize(self, body: bytes) -> None:
        self.body = body

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "max-age=3600")
        self.finish(self.body)
