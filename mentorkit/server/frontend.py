"""The page front-end as mentorkit serves it: one script and one stylesheet.

A page's cells arrive already run (Voila runs the notebook on the server); the page's script
(``static/page.js``, built from ``frontend/`` in the checkout) connects to the page's kernel,
restores its widgets and draws them. Voila's own front-end (JupyterLab's renderers and
extension loader: some 90 files, 4.7 MB, 2.4-3.0 CPU-s of Chromium per page) is not loaded:
in a room of forty on one laptop, the browsers' work on it was most of the machine's
(benchmarks/README.md).

The files are read once, gzipped once, and served under an address carrying the hash they
were built from (``static/BUILT_FROM``), so that a browser keeps them for good and asks again
only after an upgrade. They hold no user data: the same bytes for everyone.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tornado.web

STATIC = Path(__file__).parent / "static"
"""The built front-end (``frontend/build.mjs`` writes it)."""

_TYPES = {
    "page.js": "application/javascript; charset=utf-8",
    "page.css": "text/css; charset=utf-8",
}


@dataclass(frozen=True)
class Asset:
    """One front-end file, as served: its bytes, gzipped, and its content type."""

    body: bytes
    gzipped: bytes
    content_type: str


def built_from() -> str:
    """The hash the front-end was built from ("" when it has not been built)."""
    marker = STATIC / "BUILT_FROM"
    return marker.read_text().strip() if marker.exists() else ""


@cache
def asset(name: str) -> Asset | None:
    """The front-end file ``name`` (``page.js`` or ``page.css``), or None for any other."""
    if name not in _TYPES or not (STATIC / name).exists():
        return None
    body = (STATIC / name).read_bytes()
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), _TYPES[name])


class FrontEndFile(tornado.web.RequestHandler):
    """Serves ``page.js`` and ``page.css``, gzipped where the browser takes it; kept for good
    under the address of the build they come from."""

    def get(self, name: str) -> None:
        served = asset(name)
        if served is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", served.content_type)
        version = built_from()
        if version and self.get_argument("v", "") == version:
            self.set_header("Cache-Control", "max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
        self.set_header("Vary", "Accept-Encoding")
        if "gzip" in self.request.headers.get("Accept-Encoding", ""):
            self.set_header("Content-Encoding", "gzip")
            self.finish(served.gzipped)
        else:
            self.finish(served.body)
