"""Kernels started before people arrive: a pool of pre-heated kernels per app page.

Voila can keep kernels ready for each notebook: started, with the notebook run up to the
point where it needs to know who is asking (``voila.utils.wait_for_request``), so mentorkit
and ipywidgets are already imported when a person opens the page. mentorkit adds what makes
that safe and fair:

* A pool kernel belongs to nobody until a page is handed to a person; the handing-out records
  the owner (the person whose request is being served), so the authorizer lets only them in.
* The request's details, cookie included, reach the waiting kernel through ``/voila/query``.
  Here that socket answers only connections from this machine that present the server's
  secret, which only the kernels it started know: no browser can listen in on it.
* Pool sizes come from the programme: how many people are expected (``serve --expect``), with
  the home page getting the most kernels, since everyone opens it first.
"""

from __future__ import annotations

import contextvars
import hmac
import os
import secrets
from typing import Any

from tornado.web import HTTPError
from voila.request_info_handler import RequestInfoSocketHandler

QUERY_SECRET = "MENTORKIT_QUERY_SECRET"
"""The environment variable through which kernels learn the ``/voila/query`` secret."""

handing_to: contextvars.ContextVar[tuple[int, str] | None] = contextvars.ContextVar(
    "handing_to", default=None
)
"""(person id, session token hash) of the person whose page request is being served."""


def new_query_secret() -> str:
    """A fresh secret for this server's ``/voila/query`` socket, shared with its kernels."""
    secret = secrets.token_hex(16)
    os.environ[QUERY_SECRET] = secret
    return secret


def query_url(port: int) -> str:
    """Where a waiting kernel asks for its request (the secret is part of the path)."""
    return f"ws://127.0.0.1:{port}/voila/query/{os.environ.get(QUERY_SECRET, '')}"


class QuerySocket(RequestInfoSocketHandler):
    """Voila's request-info socket, for this machine's kernels that know the secret only."""

    def open(self, secret: str, kernel_id: str) -> None:  # type: ignore[override]
        expected = os.environ.get(QUERY_SECRET, "")
        local = self.request.remote_ip in ("127.0.0.1", "::1")
        self.listening = local and expected and hmac.compare_digest(secret, expected)
        if not self.listening:
            self.close(code=1008)
            return
        super().open(kernel_id)

    def on_close(self) -> None:
        if getattr(self, "listening", False):
            super().on_close()

    def prepare(self) -> None:
        """Browsers always say where a websocket comes from; kernels never do."""
        headers = self.request.headers
        if "Origin" in headers or "Sec-Fetch-Site" in headers:
            raise HTTPError(403)


def with_owners(manager_class: type) -> type:
    """Voila's pooling kernel manager, recording who each handed-out kernel is for."""

    class PooledPeopleKernelManager(manager_class):
        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
            render_task, rendered, kernel_id = await super().get_rendered_notebook(
                notebook_name, *args, **kwargs
            )
            owner = handing_to.get()
            if owner is not None:
                self.own(kernel_id, *owner)
            return render_task, rendered, kernel_id

    return PooledPeopleKernelManager


def pool_sizes(expected: int, notebooks: list[str]) -> dict[str, dict]:
    """Kernels to keep ready per notebook for ``expected`` people arriving.

    Everyone opens home first, so home keeps a kernel for one in four (at least two); each
    pair's pages are opened next, so the worksheets everyone uses keep one per ten; pages few
    people open (the facilitator's, the application) keep none and start a kernel when asked.
    """
    home = max(2, expected // 4)
    common = max(1, expected // 10)
    sizes = {"default": {"pool_size": 0}}
    for name in notebooks:
        if name == "home.ipynb":
            sizes[name] = {"pool_size": home}
        elif name in COMMON_PAGES:
            sizes[name] = {"pool_size": common}
    return sizes


COMMON_PAGES = frozenset(
    {
        "getting-to-know-each-other.ipynb",
        "negotiating-expectations.ipynb",
        "mentoring-agreement.ipynb",
        "goals-and-actions.ipynb",
        "our-sessions.ipynb",
        "session-notes.ipynb",
    }
)
"""The pages a workshop sends every pair to."""
