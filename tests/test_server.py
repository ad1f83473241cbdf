"""Server settings that keep a workshop safe (the behaviour itself is in tests/e2e)."""

from pathlib import Path

from mentorkit.server import HOME, safe_next, voila_arguments


def test_after_sign_in_only_pages_of_this_site_are_followed():
    for good in ("/voila/render/x.ipynb?relationship=1", "/voila/render/home.ipynb"):
        assert safe_next(good) == good
    for bad in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example/x",
        "/voila/render/\\evil.example",
        "/%2F%2Fevil.example",
        "/signout",
        "/voila/render/../../etc/passwd",
        "javascript:alert(1)",
        "/voila/render/x.ipynb?next=//evil.example",
        "/voila/render/x.ipynb\r\nSet-Cookie: a=b",
        "",
        None,
    ):
        assert safe_next(bad) == HOME, bad


def test_under_a_base_url_only_that_sites_pages_are_followed():
    base = "/user/amara/"
    home = "/user/amara/voila/render/home.ipynb"
    good = "/user/amara/voila/render/x.ipynb?relationship=1"
    assert safe_next(good, base) == good
    for bad in (
        "/voila/render/x.ipynb",  # the site's page without its base: not this site's address
        "/user/ben/voila/render/x.ipynb",  # another person's server
        "//voila/render/x.ipynb",  # a protocol-relative address: the host "voila"
        "/user/amara//evil.example/voila/render/x.ipynb",
        "/user/amara/../ben/voila/render/x.ipynb",
        "https://evil.example/user/amara/voila/render/x.ipynb",
        None,
    ):
        assert safe_next(bad, base) == home, bad
    assert safe_next("//voila/render/x.ipynb") == HOME  # and at the root


def test_workshop_settings_hide_code_and_tracebacks_and_cull_kernels():
    args = voila_arguments(Path("notebooks"), "127.0.0.1", 8866, 600)
    assert "--VoilaConfiguration.strip_sources=True" in args
    assert "--VoilaConfiguration.show_tracebacks=False" in args
    assert "--MappingKernelManager.cull_idle_timeout=600" in args
    assert "--Voila.ip=127.0.0.1" in args


def test_sign_in_is_jupyter_servers_own_identity_provider_and_authorizer():
    args = voila_arguments(Path("notebooks"), "127.0.0.1", 8866, 600)
    assert (
        "--Voila.identity_provider_class=mentorkit.server.identity.SignInIdentityProvider" in args
    )
    assert "--Voila.authorizer_class=mentorkit.server.identity.OwnKernelsAuthorizer" in args
