"""The page front-end shipped in the package is the one its sources build, and is served as
built: gzipped, and kept by browsers only under the address of its build."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
import tornado.testing
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


class FrontEndFileTest(tornado.testing.AsyncHTTPTestCase):
    def get_app(self) -> tornado.web.Application:
        return tornado.web.Application([(r"/static/(.*)", frontend.FrontEndFile)])

    def test_gzipped_and_kept_for_good_under_its_build(self) -> None:
        version = frontend.built_from()
        answer = self.fetch(
            f"/static/page.js?v={version}",
            headers={"Accept-Encoding": "gzip"},
            decompress_response=False,
        )
        assert answer.code == 200
        assert answer.headers["Content-Encoding"] == "gzip"
        assert "immutable" in answer.headers["Cache-Control"]
        assert gzip.decompress(answer.body) == (frontend.STATIC / "page.js").read_bytes()

    def test_an_old_address_is_answered_but_asked_again_next_time(self) -> None:
        answer = self.fetch("/static/page.css?v=old", headers={"Accept-Encoding": "identity"})
        assert answer.code == 200
        assert answer.headers["Cache-Control"] == "no-cache"
        assert "Content-Encoding" not in answer.headers
        assert answer.body == (frontend.STATIC / "page.css").read_bytes()

    def test_nothing_else_is_served(self) -> None:
        assert self.fetch("/static/BUILT_FROM").code == 404
        assert self.fetch("/static/page.LICENSES.txt").code == 404


@pytest.mark.parametrize("name", ["page.js", "page.css"])
def test_no_address_outside_the_machine_in_the_front_end(name: str) -> None:
    text = (frontend.STATIC / name).read_text()
    for outside in ("https://cdn", "http://cdn", "fonts.googleapis", "unpkg.com", "jsdelivr"):
        assert outside not in text
