"""Whether an open page still has its kernel: asked by the page itself every few seconds.

A page whose server went away (restarted, or the laptop's lid closed) or whose kernel died
cannot save any more. The script in mentorkit's Voila template asks here; when the answer is
not "alive" it keeps what the person typed in the tab, says "Connection lost — your text is
kept; reconnecting…", and once the server answers again it reloads the page and puts the
text back, where the page saves it. The answer carries a tag for the signed-in person, so
that text kept in a shared tab is only ever put back for the person who typed it.
"""

from __future__ import annotations

import hashlib
import hmac

import tornado.web

from mentorkit.core import access
from mentorkit.core.store import Store


def person_tag(store: Store, person_id: int) -> str:
    """A tag for a person, the same across server restarts, that reveals nothing about them."""
    key = store.code_pepper.encode()
    return hmac.new(key, f"page-owner:{person_id}".encode(), hashlib.sha256).hexdigest()[:16]


class PageStateHandler(tornado.web.RequestHandler):
    """``GET /mentorkit/page-state/<kernel id>``: ``{"state": "alive" | "gone", "who": tag}``
    for the signed-in person's own page; 403 without a live session."""

    def initialize(self, store: Store) -> None:
        self.store = store

    async def get(self, kernel_id: str) -> None:
        person = access.signed_in_person_of(self.store, self.get_cookie(access.SIGN_IN_COOKIE))
        if person is None:
            raise tornado.web.HTTPError(403)
        manager = self.settings["kernel_manager"]
        alive = False
        if manager.owner_of(kernel_id) == person.id:
            alive = await manager.get_kernel(kernel_id).is_alive()
        self.set_header("Cache-Control", "no-store")
        self.finish(
            {"state": "alive" if alive else "gone", "who": person_tag(self.store, person.id)}
        )

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.finish({"state": "refused"})
