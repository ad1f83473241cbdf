"""Server settings that keep a workshop safe (the behaviour itself is in tests/e2e)."""

from pathlib import Path

from mentorkit.server import HOME, _safe_next, voila_arguments


def test_after_sign_in_only_local_pages_are_followed():
    assert (
        _safe_next("/voila/render/x.ipynb?relationship=1") == "/voila/render/x.ipynb?relationship=1"
    )
    for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", None):
        assert _safe_next(bad) == HOME


def test_workshop_settings_hide_code_and_tracebacks_and_cull_kernels():
    args = voila_arguments(Path("notebooks"), "127.0.0.1", 8866, 600)
    assert "--VoilaConfiguration.strip_sources=True" in args
    assert "--VoilaConfiguration.show_tracebacks=False" in args
    assert "--MappingKernelManager.cull_idle_timeout=600" in args
    assert "--Voila.ip=127.0.0.1" in args
