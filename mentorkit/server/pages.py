"""mentorkit's own pages in front of the apps: sign in, sign out, and plain messages.

Both forms carry tornado's XSRF token (a cookie plus the same token in the form), so another
site cannot sign someone in as somebody else or sign them out. A sign-in link with ``?code=``
(the QR code on a printed card) fills the form in and waits for the person to press
"Sign in"; it never signs in by itself. After sign-in only a page of this site is followed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from string import Template
from typing import Any

import tornado.web
from jupyter_server.utils import url_path_join

from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError, StoreUnavailable, TooManyAttempts

log = logging.getLogger("mentorkit.server")

HOME = "/voila/render/home.ipynb"
"""Home, within the site (:func:`site` puts the site's base URL in front)."""
_PAGE = Template((Path(__file__).parent / "templates" / "page.html").read_text("utf-8"))
APP_PAGE = re.compile(r"/voila/render/[A-Za-z0-9_-]+\.ipynb(\?[A-Za-z0-9_.~%&=+-]*)?")
"""An app page's address within the site, with its query."""


def base_of(handler: tornado.web.RequestHandler) -> str:
    """The site's base URL: ``/``, or the prefix it is served under (behind JupyterHub,
    ``/services/mentorkit/`` or ``/user/NAME/``)."""
    return str(handler.settings.get("base_url") or "/")


def site(handler: tornado.web.RequestHandler, path: str) -> str:
    """``path`` (within the site, as ``/signin``) as the browser addresses it."""
    return url_path_join(base_of(handler), path)


def within_site(address: str, base: str) -> str | None:
    """``address`` without the site's base URL (``/voila/…``), or None if it is not on it."""
    base = base if base.endswith("/") else base + "/"
    if not address.startswith(base):
        return None
    return address[len(base) - 1 :]  # keeps its own leading slash: "//host" stays "//host"


def safe_next(target: str | None, base: str = "/") -> str:
    """The page to go to after sign-in: one of the apps on this site, else home."""
    inside = within_site(target, base) if target else None
    if target and inside and APP_PAGE.fullmatch(inside):
        return target
    return url_path_join(base, HOME)


def session_cookie_kwargs(handler: tornado.web.RequestHandler) -> dict:
    """How the session cookie is set: HttpOnly, SameSite=Lax, Secure on HTTPS, for this
    site's pages only (behind JupyterHub, others share the address)."""
    return {
        "httponly": True,
        "samesite": "Lax",
        "secure": handler.request.protocol == "https",
        "path": base_of(handler),
    }


def programme_name(store: Store) -> str:
    """The programme's name for page titles (``mentorkit`` if it cannot be read)."""
    try:
        return store.programme().name
    except MentorkitError:
        return "mentorkit"


def send_page(
    handler: tornado.web.RequestHandler, store: Store, title: str, content: str, status: int = 200
) -> None:
    """Answer with ``content`` (HTML, user text already escaped) inside the page shell."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(
        _PAGE.substitute(
            title=escape(title), programme=escape(programme_name(store)), content=content
        )
    )


def message_page(
    handler: tornado.web.RequestHandler, store: Store, title: str, message: str, status: int
) -> None:
    """Answer with a plain message and the way home (used by the app pages' guards)."""
    content = (
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f'<p><a href="{escape(site(handler, HOME))}">Go to your home page</a></p>'
    )
    send_page(handler, store, title, content, status)


def queue_text(ahead: int) -> str:
    """A waiting person's place, in words."""
    if ahead == 0:
        queue = "you are next"
    elif ahead == 1:
        queue = "1 person ahead of you"
    else:
        queue = f"{ahead} people ahead of you"
    return f"Preparing your page — {queue}."


_QUEUE_SCRIPT = (Path(__file__).parent / "templates" / "queue.js").read_text("utf-8")


def waiting_page(
    handler: tornado.web.RequestHandler, store: Store, ahead: int, stuck: bool = False
) -> None:
    """Answer a page request that waits for a kernel or for its turn to load: the person's
    place in the queue. The page's script asks ``/mentorkit/queue`` every two seconds
    (keeping the place) and reloads once the page is ready for them: a small question, not
    a whole new page each time, which on a machine holding the room's browsers cost eight
    times as much (benchmarks/README.md). Without scripts it reloads itself."""
    if stuck:
        handler.set_header("Refresh", "10")
        message_page(
            handler,
            store,
            "Pages cannot be prepared just now",
            "mentorkit cannot start pages at the moment. Please tell your facilitator (the "
            "details are in the server's log). This page tries again by itself every ten "
            "seconds. Nothing you saved is lost.",
            503,
        )
        return
    send_page(
        handler,
        store,
        "Preparing your page",
        "<h1>Preparing your page</h1>"
        f'<p role="status" id="queue" data-page="{escape(handler.request.uri or "")}" '
        f'data-queue="{escape(site(handler, "/mentorkit/queue"))}">'
        f"{queue_text(ahead)}</p>"
        "<p>It opens by itself in a moment: please keep this tab open. Nothing you saved is "
        'lost.</p><noscript><meta http-equiv="refresh" content="2"></noscript>'
        f"<script>{_QUEUE_SCRIPT}</script>",
    )


class PageHandler(tornado.web.RequestHandler):
    """A plain page in mentorkit's own look (never a traceback)."""

    def initialize(self, store: Store) -> None:
        self.store = store

    def show(self, title: str, content: str, status: int = 200) -> None:
        send_page(self, self.store, title, content, status)

    def keep_session(self, token: str, target: str) -> None:
        """Keep a new session's token in the browser, and go on to ``target``."""
        self.set_cookie(
            access.SIGN_IN_COOKIE,
            token,
            expires_days=access.SIGN_IN_IDLE_LIMIT.days,
            **session_cookie_kwargs(self),
        )
        self.redirect(target)

    def log_unwritable(self, error: StoreUnavailable) -> None:
        """Tell the server's log where and why (the page says it without the path)."""
        log.error("Could not write to the database %s: %s", self.store.location, error)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info") or (None, None, None)
        if status_code == 403 and "xsrf" in str(exc_info[1]).lower():
            self.show_form_expired()
            return
        self.show(
            "Something went wrong",
            "<h1>Something went wrong</h1><p>Please go back and try again. If it happens "
            f'again, tell your facilitator.</p><p><a href="{escape(base_of(self))}">Go to the '
            "start page</a></p>",
            status_code,
        )

    def show_form_expired(self) -> None:
        self.show(
            "Please try again",
            "<h1>Please try again</h1><p>This form was out of date or came from another "
            f'website, so nothing was done. <a href="{escape(site(self, "/signin"))}">Open the '
            "sign-in page</a> and try again from there.</p>",
            403,
        )


class SignInHandler(PageHandler):
    """The sign-in page; a ``?code=`` link fills the code in, the person presses Sign in."""

    def get(self) -> None:
        target = safe_next(self.get_argument("next", None), base_of(self))
        if self.get_argument("signed_out", None):
            self.sign_in_form(target, message="You are signed out. See you next time.", kind="ok")
            return
        self.sign_in_form(target, code=self.get_argument("code", ""))

    def post(self) -> None:
        self.check_xsrf_cookie()
        target = safe_next(self.get_body_argument("next", None), base_of(self))
        code = self.get_body_argument("code", "")
        try:
            person = access.sign_in(self.store, code, client=self.request.remote_ip or "unknown")
            token = access.start_session(self.store, person)
        except TooManyAttempts as error:
            self.set_header("Retry-After", str(error.wait_seconds))
            self.sign_in_form(target, message=str(error), status=429)
            return
        except StoreUnavailable as error:
            self.log_unwritable(error)
            self.sign_in_form(target, code=code, message=error.public, status=503)
            return
        except MentorkitError as error:
            self.sign_in_form(target, message=str(error), status=403)
            return
        self.keep_session(token, target)

    def sign_in_form(
        self,
        target: str,
        code: str = "",
        message: str = "",
        kind: str = "error",
        status: int = 200,
    ) -> None:
        programme = escape(programme_name(self.store))
        prompt = (
            "Check the code below is yours, then press <b>Sign in</b>."
            if code
            else "Sign in with the personal access code your facilitator gave you."
        )
        hidden = "" if message else " hidden"
        self.show(
            "Sign in",
            f"""<h1>Welcome to {programme}</h1>
  <p>{prompt} You only need to do this once on this browser.</p>
  <form method="post" action="{escape(site(self, "/signin"))}">
    {self.xsrf_form_html()}
    <label for="code">Access code</label>
    <input id="code" name="code" value="{escape(code)}" autocomplete="off"
           autocapitalize="characters" spellcheck="false" placeholder="e.g. K7QM-4XRT-9B2H"
           autofocus required>
    <input type="hidden" name="next" value="{escape(target)}">
    <button type="submit" id="signin">Sign in</button>
  </form>
  <div id="message" role="alert" class="message {kind}{hidden}">{escape(message)}</div>
  <p class="small">Lost your code? Ask your facilitator for a new one. Codes are personal:
  please do not share yours.</p>""",
            status,
        )


class SignOutHandler(PageHandler):
    """Sign out by POST (with the form's token); a GET shows the button to do it."""

    def get(self) -> None:
        self.show(
            "Sign out",
            f"""<h1>Sign out?</h1>
  <p>Your work is saved. Signing out ends your session on this browser; every open
  mentorkit page stops at once.</p>
  <form method="post" action="{escape(site(self, "/signout"))}">
    {self.xsrf_form_html()}
    <button type="submit" id="signout">Sign out</button>
  </form>
  <p><a href="{escape(site(self, HOME))}">Back to your home page</a></p>""",
        )

    def post(self) -> None:
        self.check_xsrf_cookie()
        token = self.get_cookie(access.SIGN_IN_COOKIE)
        if token:
            person = access.signed_in_person_of(self.store, token)
            try:
                access.end_sign_in(self.store, token)
                self.store.audit("sign-out", person.id if person else None)
            except StoreUnavailable as error:
                self.log_unwritable(error)
                message_page(self, self.store, "Not signed out yet", error.public, 503)
                return
        self.clear_cookie(access.SIGN_IN_COOKIE, path=base_of(self))
        hub = self.settings.get("mentorkit_hub_auth")
        if hub is not None:  # and out of the hub too: the next person at this browser starts afresh
            self.redirect(url_path_join(hub.hub_prefix, "logout"))
            return
        self.redirect(site(self, "/signin?signed_out=1"))


class HomeRedirect(tornado.web.RequestHandler):
    def get(self) -> None:
        self.redirect(site(self, HOME))
