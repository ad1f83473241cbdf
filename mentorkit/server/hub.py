"""Signing in through JupyterHub, when ``mentorkit serve`` runs as a hub service or as a
person's server started by the hub (the hub sets ``JUPYTERHUB_*`` in its environment).

The hub says who someone is; mentorkit then works exactly as after an access code: a page
that needs a sign-in sends the browser to ``hub-signin``, which asks the hub (OAuth, with
``jupyterhub.services.auth.HubOAuth``); the hub sends it back to ``oauth_callback`` with a
code, exchanged for the hub user; their person in the programme (by email,
:mod:`mentorkit.core.hub_users`) gets a mentorkit session, as the sign-in form gives one, and
goes on to the page asked for. So pages, kernels, sign-out and its reach into open pages are
the same in both modes. Someone the hub knows but the programme does not gets a plain page
saying so. Sign-out ends the mentorkit session, then the hub's.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jupyter_server.utils import url_path_join
from tornado.httputil import url_concat

from mentorkit.core import access
from mentorkit.core.hub_users import person_for_hub_user
from mentorkit.core.text import escape
from mentorkit.exceptions import ConfigError, StoreUnavailable
from mentorkit.server.pages import (
    PageHandler,
    base_of,
    safe_next,
    site,
)

log = logging.getLogger("mentorkit.server")

SIGN_IN = "/hub-signin"
CALLBACK = "/oauth_callback"


@dataclass(frozen=True)
class HubSetting:
    """Where the hub expects this server: its address, and the prefix its pages are under."""

    ip: str
    port: int
    prefix: str
    user: str
    """The hub user whose own server this is ("" for a service shared by everyone)."""


def hub_setting(environ: dict[str, str] | None = None) -> HubSetting | None:
    """The hub's settings from the environment (None: not started by a hub)."""
    env = os.environ if environ is None else environ
    if not (env.get("JUPYTERHUB_API_TOKEN") and env.get("JUPYTERHUB_SERVICE_PREFIX")):
        return None
    address = urlsplit(env.get("JUPYTERHUB_SERVICE_URL") or "http://127.0.0.1:8866")
    prefix = "/" + env["JUPYTERHUB_SERVICE_PREFIX"].strip("/") + "/"
    host = address.hostname or "127.0.0.1"
    # the hub's proxy reaches this server at that address; a name (``hub`` in Kubernetes) is
    # another machine's view of this one, so listen on every interface for it
    ip = host if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0") else "0.0.0.0"
    return HubSetting(ip, address.port or 8866, prefix, env.get("JUPYTERHUB_USER", ""))


def hub_auth() -> Any:
    """The hub's OAuth client for this server, from the hub's environment."""
    try:
        from jupyterhub.services.auth import HubOAuth
    except ImportError:
        raise ConfigError(
            "mentorkit was started by JupyterHub, and JupyterHub's Python package is not "
            "installed beside it. Install it with: pip install 'mentorkit[hub]'"
        ) from None
    return HubOAuth(cache_max_age=60)


class HubSignInHandler(PageHandler):
    """Send the browser to the hub to say who they are (and on to ``next`` after)."""

    def get(self) -> None:
        auth = self.settings["mentorkit_hub_auth"]
        target = safe_next(self.get_argument("next", None), base_of(self))
        if hasattr(auth, "generate_pkce_code_challenge"):  # JupyterHub 6: with PKCE
            verifier, challenge, method = auth.generate_pkce_code_challenge()
            state = auth.set_state_cookie(self, next_url=target, code_verifier=verifier)
            asked = {"code_challenge": challenge, "code_challenge_method": method}
        else:  # JupyterHub 5 (The Littlest JupyterHub and Zero to JupyterHub ship it)
            state, asked = auth.set_state_cookie(self, next_url=target), {}
        self.redirect(url_concat(auth.login_url, {"state": state, **asked}))


class HubOnlySignIn(PageHandler):
    """``/signin`` behind the hub: the hub is the only way in (the organisation's own sign-in
    rules hold), so the page sends the browser to it and no access code is taken here."""

    def get(self) -> None:
        target = safe_next(self.get_argument("next", None), base_of(self))
        self.redirect(url_concat(site(self, SIGN_IN), {"next": target}))


class HubCallbackHandler(PageHandler):
    """The hub's answer: a code for the hub user, who gets a mentorkit session as their
    person in the programme, or a plain page saying why not."""

    async def get(self) -> None:
        auth = self.settings["mentorkit_hub_auth"]
        again = f'<a href="{escape(site(self, SIGN_IN))}">sign in again</a>'
        state = self.get_argument("state", "")
        kept = self.get_secure_cookie(auth.get_state_cookie_name(state)) if state else None
        code = self.get_argument("code", "")
        if not code or kept is None or kept.decode("ascii", "replace") != state:
            self.refuse(
                "Please sign in again",
                f"This sign-in did not finish (it was out of date, or came from another "
                f"website), so nothing was done. Please {again}.",
                400,
            )
            return
        target = safe_next(auth.get_next_url(state), base_of(self))
        verifier = auth.get_code_verifier(state) if hasattr(auth, "get_code_verifier") else None
        auth.clear_oauth_state(state)
        auth.clear_oauth_state_cookies(self)
        try:
            extra = {"code_verifier": verifier} if verifier else {}
            token = await auth.token_for_code(code, sync=False, **extra)
            user = await auth.user_for_token(token, sync=False)
        except Exception:
            log.exception("The hub did not confirm a sign-in")
            self.refuse(
                "JupyterHub did not answer",
                f"The sign-in could not be confirmed with JupyterHub just now. Please {again} "
                "in a moment; if it happens again, tell your facilitator.",
                502,
            )
            return
        if not user or not auth.check_scopes(auth.access_scopes, user):
            self.refuse(
                "Not your mentorkit",
                "JupyterHub has not given you access to this mentorkit server. Open yours "
                "from the hub's home page.",
                403,
            )
            return
        self.start(user["name"], target)

    def start(self, hub_name: str, target: str) -> None:
        try:
            person = person_for_hub_user(self.store, hub_name)
            if person is None or not person.code_active:
                self.store.audit("hub-sign-in-refused", None, hub_name[:200])
                self.refuse(
                    "You are not in this programme",
                    f"You are signed in to JupyterHub as “{escape(hub_name)}”, and nobody "
                    "with that name or email address is taking part in this mentoring "
                    "programme, so there is nothing here for you. If you should be, ask the "
                    "programme's facilitator to add you with the email address you use here.",
                    403,
                )
                return
            token = access.start_session(self.store, person)
            self.store.audit("sign-in", person.id, f"hub:{hub_name[:200]}")
        except StoreUnavailable as error:
            self.log_unwritable(error)
            self.refuse("Please try again soon", escape(error.public), 503)
            return
        self.keep_session(token, target)

    def refuse(self, title: str, html: str, status: int) -> None:
        self.show(title, f"<h1>{escape(title)}</h1><p>{html}</p>", status)


def hub_handlers(base_url: str, store: Any) -> list[tuple[Any, ...]]:
    """The sign-in handlers for hub mode, under ``base_url``."""
    return [
        (url_path_join(base_url, "/signin"), HubOnlySignIn, {"store": store}),
        (url_path_join(base_url, SIGN_IN), HubSignInHandler, {"store": store}),
        (url_path_join(base_url, CALLBACK), HubCallbackHandler, {"store": store}),
    ]
