"""Voila's front-end pieces served in one file (``server.frontend.ChunkBundle``)."""

from __future__ import annotations

import gzip

from mentorkit.server.frontend import ChunkBundle


def _static(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "12.voila.js").write_text("push([[12],{a}]);")
    (static / "34.voila.js").write_text("push([[34],{b}]);")
    (static / "voila.js").write_text("the entry")
    return static


def test_only_voilas_own_pieces_are_learned(tmp_path):
    bundle = ChunkBundle([str(_static(tmp_path))])
    assert bundle.version == "" and bundle.build()[1] == b""
    for path in (
        "/voila/static/voila.js",
        "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/84.09c61a35.js",
        "/voila/static/../secret.voila.js",
        "/voila/render/home.ipynb",
        "/voila/static/12.voila.js",
        "/voila/static/34.voila.js",
        "/voila/static/12.voila.js",
    ):
        bundle.note(path)
    assert bundle.learned == ["/voila/static/12.voila.js", "/voila/static/34.voila.js"]
    version, script, gzipped = bundle.build()
    assert version == bundle.version
    assert script == b"push([[12],{a}]);\n;push([[34],{b}]);"
    assert gzip.decompress(gzipped) == script


def test_the_version_changes_when_a_piece_is_learned(tmp_path):
    bundle = ChunkBundle([str(_static(tmp_path))])
    bundle.note("/voila/static/12.voila.js")
    before = bundle.version
    bundle.note("/voila/static/34.voila.js")
    assert bundle.version not in ("", before)


def test_a_piece_gone_from_disk_is_left_out_not_an_error(tmp_path):
    bundle = ChunkBundle([str(_static(tmp_path))])
    bundle.note("/voila/static/12.voila.js")
    bundle.note("/voila/static/99.voila.js")  # served once, then Voila was upgraded
    assert bundle.build()[1] == b"push([[12],{a}]);"
