"""Who is signed in, as seen from inside a notebook's kernel.

Under ``mentorkit serve`` the browser's session cookie reaches the kernel (Voila passes the
Cookie header as ``HTTP_COOKIE``) and is checked against the store. In JupyterLab (a trainer
previewing) or under nbval there is no cookie: ``MENTORKIT_CODE`` may hold an access code,
or the page offers a sign-in box. Under Voila the environment code is never used.
"""

from __future__ import annotations

import os
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from mentorkit.core import access
from mentorkit.core.models import Person
from mentorkit.core.store import Store
from mentorkit.exceptions import MentorkitError


def under_voila() -> bool:
    """True when this kernel draws a page for Voila (started for it, or handed to it)."""
    return "VOILA_REQUEST_URL" in os.environ or "VOILA_SERVER_URL" in os.environ


def site_url() -> str:
    """This server's address as the browser sees it (for sign-in links on printed cards):
    from the page request under Voila, else ``MENTORKIT_SITE_URL``, else localhost."""
    request = os.environ.get("VOILA_REQUEST_URL", "")
    parts = urlsplit(request)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return os.environ.get("MENTORKIT_SITE_URL", "http://localhost:8866").rstrip("/")


def cookie_value(header: str, name: str) -> str | None:
    """One cookie's value from a ``Cookie`` header (None if absent or unreadable)."""
    cookie = SimpleCookie()
    try:
        cookie.load(header or "")
    except CookieError:
        return None
    morsel = cookie.get(name)
    return morsel.value if morsel else None


def sign_in_token() -> str | None:
    """The session token from the page request's cookie, if any."""
    return cookie_value(os.environ.get("HTTP_COOKIE", ""), access.SIGN_IN_COOKIE)


def signed_in_person(store: Store) -> Person | None:
    """The signed-in person, or None."""
    if under_voila():
        return access.signed_in_person_of(store, sign_in_token())
    code = os.environ.get("MENTORKIT_CODE")
    if code:
        try:
            return access.sign_in(store, code, client="notebook-environment")
        except MentorkitError:
            return None
    return None


def still_signed_in(store: Store, person: Person) -> bool:
    """True while ``person`` may still act: under Voila their session is live (a withdrawn
    or replaced code ends it); elsewhere their code has not been withdrawn."""
    if under_voila():
        current = access.signed_in_person_of(store, sign_in_token())
        return current is not None and current.id == person.id
    return store.person(person.id).code_active


def query() -> dict[str, str]:
    """The page's query-string parameters (first value of each)."""
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""))
    return {key: values[0] for key, values in parsed.items() if values}
