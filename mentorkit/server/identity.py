"""Sign-in inside jupyter_server's own mechanism, so that every handler obeys it.

jupyter_server asks its ``IdentityProvider`` who made each request, for every page, every
kernel request, every websocket and every shutdown, and refuses (403, or the sign-in page for
a page) when the answer is nobody. Ours answers from mentorkit's session cookie, checked
against the store on each request, so a session ended by "Sign out" or a withdrawn code stops
working at once. Its ``Authorizer`` then lets a person reach only the kernels that their own
pages started.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

from mentorkit.core import access
from mentorkit.core.hub_users import person_for_hub_user
from mentorkit.core.store import Store


class SignInIdentityProvider(IdentityProvider):
    """Who a request comes from: the person whose live mentorkit session its cookie holds."""

    store: Store | None = None
    """Set by the app before it serves (the provider is built by Voila's ``init_settings``)."""
    only_for: str = ""
    """Behind JupyterHub, on a person's own server: the hub user it belongs to. Anyone else's
    session (the sessions are shared by every server on the store) is not taken here: the
    browser is sent to the hub, which lets only the owner in."""
    _owner_id: int | None = None

    def get_user(self, handler: web.RequestHandler) -> User | None:
        if self.store is None:
            return None
        person = access.signed_in_person_of(self.store, handler.get_cookie(access.SIGN_IN_COOKIE))
        if person is None or (self.only_for and person.id != self._owner()):
            return None
        return User(username=str(person.id), name=person.name, display_name=person.name)

    def _owner(self) -> int | None:
        """The id of the person this server belongs to (looked up once found)."""
        if SignInIdentityProvider._owner_id is None and self.store is not None:
            owner = person_for_hub_user(self.store, self.only_for)
            SignInIdentityProvider._owner_id = owner.id if owner else None
        return SignInIdentityProvider._owner_id

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    @property
    def logout_available(self) -> bool:
        return True

    def get_handlers(self) -> list:
        """mentorkit's own ``/signin`` and ``/signout`` replace jupyter_server's login pages."""
        return []

    def should_check_origin(self, handler: web.RequestHandler) -> bool:
        return True

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        return False

    def validate_security(self, app: Any, ssl_options: dict | None = None) -> None:
        """Nothing to check: there is no token or password to warn about."""


class OwnKernelsAuthorizer(Authorizer):
    """A person may use only the kernels their own pages started; nothing else is served."""

    def is_authorized(
        self, handler: web.RequestHandler, user: User, action: str, resource: str
    ) -> bool:
        if resource != "kernels":
            return False
        kernel_id = handler.path_kwargs.get("kernel_id") or getattr(handler, "kernel_id", None)
        manager = handler.settings["kernel_manager"]
        return bool(kernel_id) and manager.owner_of(kernel_id) == int(user.username)
