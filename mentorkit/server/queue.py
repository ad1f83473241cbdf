"""A waiting person's place in the queue for a page, asked by the "Preparing your page" page.

``GET /mentorkit/queue?page=/voila/render/home.ipynb`` keeps the signed-in person's place for
that page (the same place the page request itself took) and answers
``{"ready": true}`` once a kernel is kept for them and their turn to load has come (the page
then reloads and is served at once), else ``{"ready": false, "text": "Preparing your page —
3 people ahead of you."}``. 403 without a live session; 400 for anything but an app page.
"""

from __future__ import annotations

import tornado.web

from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.server.pages import APP_PAGE, base_of, queue_text, within_site


class QueueHandler(tornado.web.RequestHandler):
    """The place in the queue of the signed-in person's waiting page."""

    def initialize(self, store: Store) -> None:
        self.store = store

    async def get(self) -> None:
        token = self.get_cookie(access.SIGN_IN_COOKIE)
        if access.signed_in_person_of(self.store, token) is None:
            raise tornado.web.HTTPError(403)
        page = self.get_argument("page", "")
        inside = within_site(page, base_of(self))
        if len(page) > 2000 or inside is None or not APP_PAGE.fullmatch(inside):
            raise tornado.web.HTTPError(400)
        self.set_header("Cache-Control", "no-store")
        warm = self.settings["kernel_manager"].warm
        if warm is None:
            self.finish({"ready": True})
            return
        ahead = await warm.admit((access.hash_token(token or ""), page), patience=0)
        if ahead is None or warm.broken:  # broken: the page itself says pages cannot be made
            self.finish({"ready": True})
        else:
            self.finish({"ready": False, "text": queue_text(ahead)})

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.finish({"ready": False})
