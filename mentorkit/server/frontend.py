"""The widgets' front-end as mentorkit serves it: one fix, and its pieces in one file.

**The pieces in one file.** A page's front-end is some 90 script files (4.7 MB), each
fetched by its own request as the page starts. Every request costs the browser and the server
work (measured on a quiet machine: Chromium spent 2.4-3.0 CPU-s loading home, 0.6 s of it in
the browser process handling requests), and on a room's Wi-Fi each is a round trip.
``ChunkBundle`` learns which of Voila's own pieces (``/voila/static/<n>.voila.js``) pages ask
for, from the answers the server gives, and from then on serves them in one gzipped script,
``/mentorkit/chunks.js?v=...``, which the page loads before ``voila.js``: the pieces register
themselves with Voila's loader (as they do when fetched one by one) and are not asked for
again. A piece not learned yet (a page nobody has opened before) is fetched as before, and
learned. Nothing in these files depends on who asks for them.

The widgets' own pieces (``/voila/labextensions/...``) are left out and load as before: with
them in the bundle, in a crowd of 40 some pages showed "Error displaying widget: model not
found" (the widget manager then seems to restore the kernel's widgets before their classes
are registered). Measured with Voila's pieces only (benchmarks/README.md): 40 of 40 people
complete, and the browsers used 300 CPU-s against 349 without the bundle.

**The fix.**

ipywidgets' page code asks the kernel for every widget's state and gives the kernel four
seconds to answer; after that it falls back to an older way of asking that never finishes
for a kernel of ipywidgets 8, so the page stays on "Loading widget..." for good (ipywidgets
issue 3633). On a laptop holding a workshop the answer often takes longer than four seconds:
measured with 40 people, most of the pages that never drew were this. mentorkit serves that
one script with the wait raised to two minutes; nothing else in it changes. If the installed
version has no such line, the file is served as installed and the log says so.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import tornado.locks
import tornado.web
from tornado.ioloop import IOLoop

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


CHUNK = re.compile(r"/voila/static/(?P<name>\d+\.voila\.js)")
"""One of Voila's pieces that registers itself with its loader when run (not ``voila.js``,
the entry, which must load on its own)."""


def _version_of(learned: list[str]) -> str:
    """The bundle's name for these pieces ("" for none)."""
    if not learned:
        return ""
    return hashlib.sha256("\n".join(learned).encode("utf-8")).hexdigest()[:16]


class ChunkBundle:
    """The front-end pieces pages have asked for, served together as one script."""

    def __init__(self, voila_static: list[str]) -> None:
        self.voila_static = [Path(p) for p in voila_static]
        self.learned: list[str] = []
        self._built: tuple[str, bytes, bytes] | None = None

    def note(self, path: str) -> None:
        """A piece was served to a page: from now on it is in the bundle."""
        if CHUNK.fullmatch(path) and path not in self.learned:
            self.learned.append(path)

    def _file(self, path: str) -> bytes | None:
        match = CHUNK.fullmatch(path)
        if match is None:
            return None
        for root in self.voila_static:
            if (root / match["name"]).is_file():
                return (root / match["name"]).read_bytes()
        return None

    @property
    def version(self) -> str:
        """What the page's address for the bundle carries ("" while nothing is learned):
        named by the pieces learned, so that asking it costs nothing on a page request."""
        return _version_of(self.learned)

    def build(self) -> tuple[str, bytes, bytes]:
        """(version, script, gzipped script) for the pieces learned now: reads the files and
        compresses them (a quarter of the bytes over a room's Wi-Fi), so it runs in a worker
        thread, never on the server's loop; kept until the next piece is learned."""
        learned = list(self.learned)
        version = _version_of(learned)
        if self._built is not None and self._built[0] == version:
            return self._built
        parts = []
        for path in learned:
            try:
                body = self._file(path)
            except OSError:
                body = None
            if body is not None:
                parts.append(body)
        script = b"\n;".join(parts)
        self._built = (version, script, gzip.compress(script, compresslevel=6, mtime=0))
        return self._built


class ChunkNote(tornado.web.OutputTransform):
    """Tells the bundle about every front-end piece served (a transform is given only the
    request, so the app sets the bundle on this class; pages find it in the settings)."""

    bundle: ChunkBundle | None = None

    def __init__(self, request: Any) -> None:
        super().__init__(request)
        self.path = request.path

    def transform_first_chunk(
        self, status_code: int, headers: Any, chunk: bytes, finishing: bool
    ) -> tuple[int, Any, bytes]:
        if status_code == 200 and self.bundle is not None:
            self.bundle.note(self.path)
        return status_code, headers, chunk


_building = tornado.locks.Lock()
"""One build at a time: a crowd's first pages all ask for the bundle at once."""


class ChunksScript(tornado.web.RequestHandler):
    """The learned pieces in one script; cached for good under its version's address."""

    def initialize(self, bundle: ChunkBundle) -> None:
        self.bundle = bundle

    async def get(self) -> None:
        async with _building:
            version, script, gzipped = await IOLoop.current().run_in_executor(
                None, self.bundle.build
            )
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        if self.get_argument("v", "") == version:
            self.set_header("Cache-Control", "max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
        self.set_header("Vary", "Accept-Encoding")
        if "gzip" in self.request.headers.get("Accept-Encoding", ""):
            self.set_header("Content-Encoding", "gzip")
            self.finish(gzipped)
        else:
            self.finish(script)
