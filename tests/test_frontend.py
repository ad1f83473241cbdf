"""The page front-end shipped in the package is the one its sources build, and is served as
built: gzipped, and kept by browsers only under the address of its build."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import tornado.ioloop
import tornado.web

from mentorkit.server import frontend

SOURCES = Path(__file__).resolve().parents[1] / "frontend"


def _hash_of_sources() -> str:
    """The hash ``frontend/build.mjs`` gives its inputs (kept in step with it)."""
    names = ["package.json", "package-lock.json", "build.mjs"]
    names += sorted(f"src/{p.name}" for p in (SOURCES / "src").iterdir())
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((SOURCES / name).read_bytes())
    return digest.hexdigest()[:16]


def test_the_shipped_front_end_is_built_from_the_sources_in_the_checkout() -> None:
    built = frontend.built_from()
    assert built == _hash_of_sources(), "run: cd frontend && npm ci && npm run build"
    for name in ("page.js", "page.css"):
        text = (frontend.STATIC / name).read_text()
        assert text.startswith(f"/* mentorkit page front-end, built from {built} */")
    licences = (frontend.STATIC / "page.LICENSES.txt").read_text()
    assert "@jupyter-widgets/controls" in licences and "BSD-3-Clause" in licences


def test_only_the_two_front_end_files_are_assets() -> None:
    assert frontend.asset("page.js").content_type.startswith("application/javascript")
    assert frontend.asset("page.css").content_type.startswith("text/css")
    for name in ("BUILT_FROM", "page.LICENSES.txt", "../frontend.py", "page.js.map"):
        assert frontend.asset(name) is None


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """``FrontEndFile`` on a real server, on a loop of its own in a thread of its own (another
    test may have left this thread's loop running, as the browser tests' driver does)."""
    started = threading.Event()
    holder: dict = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        app = tornado.web.Application([(r"/static/(.*)", frontend.FrontEndFile)])
        server = app.listen(0, address="127.0.0.1")
        holder["port"] = next(iter(server._sockets.values())).getsockname()[1]
        holder["loop"] = tornado.ioloop.IOLoop.current()
        started.set()
        holder["loop"].start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{holder['port']}/static"
    holder["loop"].add_callback(holder["loop"].stop)
    thread.join(10)


def test_gzipped_and_kept_for_good_under_its_build(served: str) -> None:
    version = frontend.built_from()
    answer = requests.get(
        f"{served}/page.js?v={version}", headers={"Accept-Encoding": "gzip"}, stream=True
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    body = answer.raw.read(decode_content=False)
    assert gzip.decompress(body) == (frontend.STATIC / "page.js").read_bytes()


def test_an_old_address_is_answered_but_asked_again_next_time(served: str) -> None:
    answer = requests.get(f"{served}/page.css?v=old", headers={"Accept-Encoding": "identity"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "Content-Encoding" not in answer.headers
    assert answer.content == (frontend.STATIC / "page.css").read_bytes()


def test_nothing_else_is_served(served: str) -> None:
    assert requests.get(f"{served}/BUILT_FROM").status_code == 404
    assert requests.get(f"{served}/page.LICENSES.txt").status_code == 404


@pytest.mark.parametrize("name", ["page.js", "page.css"])
def test_no_address_outside_the_machine_in_the_front_end(name: str) -> None:
    text = (frontend.STATIC / name).read_text()
    for outside in ("https://cdn", "http://cdn", "fonts.googleapis", "unpkg.com", "jsdelivr"):
        assert outside not in text
