"""``mentorkit serve``: Voila on the notebooks folder, set up for a workshop room.

What it adds to plain Voila:

* ``/signin`` and ``/signout`` pages. Signing in sets an HttpOnly session cookie, so a person
  signs in once per browser and moves between the apps freely. Wrong codes are slowed down.
* A pre-launch hook that sends anyone without a live session to ``/signin`` before a kernel
  is started, and passes the cookie to the kernel (``HTTP_COOKIE``) so the page knows who it
  is drawing for.
* No sources and no tracebacks on the page (a friendly message; details in this log), idle
  kernels culled, no directory listing.

Pre-heated kernels are not used: Voila cannot combine them with a pre-launch hook, and the
hook is what keeps pages private.
"""

from __future__ import annotations

import os
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote, urlparse

import tornado.web
from voila.app import Voila

from . import access
from .exceptions import MentorkitError, TooManyAttempts
from .store import Store
from .text import escape

HOME = "/voila/render/home.ipynb"
FRIENDLY_ERROR = (
    "Something went wrong while preparing this page. Your saved work is safe. "
    "Please reload; if it happens again, tell your facilitator (the details are "
    "in the server's log)."
)
_TEMPLATE = Template((Path(__file__).parent / "templates" / "signin.html").read_text("utf-8"))


def _safe_next(target: str | None) -> str:
    """Only follow local paths after sign-in (never another site)."""
    if not target:
        return HOME
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return HOME
    return target


class _StoreHandler(tornado.web.RequestHandler):
    def initialize(self, store: Store) -> None:
        self.store = store

    def render_page(
        self, message: str = "", kind: str = "error", status: int = 200, target: str = HOME
    ) -> None:
        try:
            programme = self.store.programme().name
        except MentorkitError:
            programme = "mentorkit"
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            _TEMPLATE.substitute(
                programme=escape(programme),
                message=escape(message),
                kind=kind,
                hidden="" if message else "hidden",
                next=escape(target),
            )
        )


class SignInHandler(_StoreHandler):
    """The sign-in page: a form for the access code; ``?code=`` signs in straight away."""

    def get(self) -> None:
        target = _safe_next(self.get_argument("next", None))
        if self.get_argument("code", None):
            self._attempt(self.get_argument("code"), target)
            return
        if self.get_argument("signed_out", None):
            self.render_page("You are signed out. See you next time.", "ok", target=target)
            return
        self.render_page(target=target)

    def post(self) -> None:
        self._attempt(
            self.get_body_argument("code", ""), _safe_next(self.get_body_argument("next", None))
        )

    def _attempt(self, code: str, target: str) -> None:
        try:
            person = access.sign_in(self.store, code, client=self.request.remote_ip or "unknown")
        except TooManyAttempts as error:
            self.set_header("Retry-After", str(error.wait_seconds))
            self.render_page(str(error), status=429, target=target)
            return
        except MentorkitError as error:
            self.render_page(str(error), status=403, target=target)
            return
        token = access.start_session(self.store, person)
        self.set_cookie(
            access.SESSION_COOKIE,
            token,
            httponly=True,
            samesite="Lax",
            expires_days=access.SESSION_IDLE_LIMIT.days,
            path="/",
        )
        self.redirect(target)


class SignOutHandler(_StoreHandler):
    """End the session and forget the cookie."""

    def get(self) -> None:
        token = self.get_cookie(access.SESSION_COOKIE)
        if token:
            person = access.session_person(self.store, token)
            access.end_session(self.store, token)
            self.store.audit("sign-out", person.id if person else None)
        self.clear_cookie(access.SESSION_COOKIE, path="/")
        self.redirect("/signin?signed_out=1")


class HomeRedirect(tornado.web.RequestHandler):
    def get(self) -> None:
        self.redirect(HOME)


def make_prelaunch_hook(store: Store):
    """The hook Voila calls before starting a page's kernel: no session, no kernel."""

    def hook(handler: tornado.web.RequestHandler, notebook: Any, cwd: str) -> None:
        person = access.session_person(store, handler.get_cookie(access.SESSION_COOKIE))
        if person is None:
            handler.redirect("/signin?next=" + quote(handler.request.uri or HOME, safe=""))
            raise tornado.web.Finish()
        # Setting the _xsrf cookie lets the page ask for its kernel to be shut down when the
        # tab closes (Voila's shutdown request is refused without it; voila#1458).
        handler.xsrf_token  # noqa: B018 - read for its side effect

    return hook


class MentorkitVoila(Voila):
    """Voila with mentorkit's sign-in pages in front and the directory listing removed."""

    store: Store

    def init_handlers(self) -> list:
        ours = [
            (r"/", HomeRedirect),
            (r"/signin", SignInHandler, {"store": self.store}),
            (r"/signout", SignOutHandler, {"store": self.store}),
        ]
        hidden = ("/voila/tree", "/voila/api/contents")
        kept = [
            h
            for h in super().init_handlers()
            if h[0] != self.server_url and not any(part in h[0] for part in hidden)
        ]
        return ours + kept


def voila_arguments(notebooks: Path, ip: str, port: int, cull_after: int) -> list[str]:
    """The Voila settings for a workshop."""
    return [
        str(notebooks),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.http_header_envs=Cookie",
        f"--VoilaExecutor.cell_error_instruction={FRIENDLY_ERROR}",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]


def serve(
    store: Store, notebooks: Path, ip: str = "127.0.0.1", port: int = 8866, cull_after: int = 3600
) -> None:
    """Run the apps until interrupted."""
    os.environ.pop("MENTORKIT_CODE", None)  # pages only ever sign in through the cookie
    app = MentorkitVoila()
    app.store = store
    app.initialize(voila_arguments(notebooks, ip, port, cull_after))
    app.voila_configuration.prelaunch_hook = make_prelaunch_hook(store)
    app.start()
