"""What stands around Voila's own handlers: headers on every answer, no tracebacks over the
websocket, shutdown only of one's own kernel, a limit on the kernels one person holds, and a
place in the queue for a ready kernel."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import tornado.web
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
from tornado.websocket import WebSocketClosedError
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from mentorkit.core import access
from mentorkit.server.kernels import MAX_KERNELS_PER_PERSON, Handing, handing_to
from mentorkit.server.pages import message_page, waiting_page

log = logging.getLogger("mentorkit.server")

FRAMING = "frame-ancestors 'none'"


class SecurityHeaders(tornado.web.OutputTransform):
    """Every answer, whichever handler wrote it, forbids framing and content sniffing."""

    def transform_first_chunk(
        self, status_code: int, headers: Any, chunk: bytes, finishing: bool
    ) -> tuple[int, Any, bytes]:
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        policy = [
            part.strip()
            for part in headers.get("Content-Security-Policy", "").split(";")
            if part.strip() and not part.strip().startswith(("frame-ancestors", "report-uri"))
        ]
        headers["Content-Security-Policy"] = "; ".join([FRAMING, *policy])
        return status_code, headers, chunk


def _kind(message: bytes | str | dict) -> tuple[str, dict]:
    """The message type of an outgoing kernel message, and its content."""
    try:
        if isinstance(message, bytes):
            _channel, parts = deserialize_msg_from_ws_v1(message)
            header, content = json.loads(parts[0]), json.loads(parts[3])
        else:
            msg = json.loads(message) if isinstance(message, str) else message
            header, content = msg.get("header", {}), msg.get("content", {})
        return header.get("msg_type", ""), content
    except (ValueError, IndexError, AttributeError, TypeError):
        return "", {}


class QuietKernelWebsocket(VoilaKernelWebsocketHandler):
    """The kernel's websocket, minus errors and anything written to stderr: those are for the
    server's log, never for the browser (they hold tracebacks and server paths)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refusal before the upgrade: the status alone (Jupyter's error page needs
        templates the websocket handler has not got)."""
        self.finish()

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        """The protocol, unless the browser went away while the handshake waited (seen with
        a crowd: jupyter_server then fails with a 500 and a traceback in the log)."""
        if getattr(self, "connection", None) is None:
            return None
        return super().select_subprotocol(subprotocols)

    async def open(self, kernel_id: str) -> None:
        if getattr(self, "connection", None) is None:
            self.close()
            return
        await super().open(kernel_id)

    def write_message(self, message: bytes | str | dict, binary: bool = False):
        msg_type, content = _kind(message)
        if msg_type == "error" or (msg_type == "stream" and content.get("name") == "stderr"):
            said = content.get("text") or f"{content.get('ename')}: {content.get('evalue')}"
            log.warning("Kept from the browser, a page kernel's %s: %.300s", msg_type, said)
            return None
        try:
            sent = super().write_message(message, binary)
        except WebSocketClosedError:  # the page went away before this message: nothing to say
            log.debug("A page went away before a kernel message could be sent")
            return None
        sent.add_done_callback(_closed_on_the_way)
        return sent


def _closed_on_the_way(sent: asyncio.Future) -> None:
    """Take note of a write that failed because the page went away mid-message: Jupyter never
    waits on its writes, so asyncio would otherwise log the closed socket as a traceback."""
    failed = None if sent.cancelled() else sent.exception()
    if isinstance(failed, WebSocketClosedError):
        log.debug("A page went away while a kernel message was on its way")
    elif failed is not None:
        log.warning("A kernel message could not be sent to its page: %r", failed)


class OwnKernelShutdown(VoilaShutdownKernelHandler):
    """Shutting down a kernel when its page closes: only the owner's own kernel."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if self.kernel_manager.owner_of(kernel_id) != int(self.current_user.username):
            raise tornado.web.HTTPError(403)
        await super().post(kernel_id)


ADMIT_PATIENCE = 3.0
"""Seconds a page request waits for a ready kernel before answering with its place in the
queue (most requests get one at once)."""


class AppPage(TornadoVoilaHandler):
    """An app page: refused with a plain message when its person already holds too many,
    and answered with their place in the queue while no kernel is ready for them."""

    def initialize(self, store: Any = None, **kwargs: Any) -> None:
        super().initialize(**kwargs)
        self.store = store

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path and "/" in path.strip("/"):  # notebooks in sub-folders (analysis/) are not apps
            message_page(
                self,
                self.store,
                "No such page",
                "There is no page at this address. Go to your home page to find your worksheets.",
                404,
            )
            return
        person_id = int(self.current_user.username)
        if not await self.kernel_manager.make_room(person_id):
            message_page(
                self,
                self.store,
                "Too many pages open",
                f"You have {MAX_KERNELS_PER_PERSON} mentorkit pages open already. Close a tab "
                "you no longer need, then reload this page. Nothing you saved is lost.",
                429,
            )
            return
        # The _xsrf cookie lets the page ask for its kernel to be shut down when the tab
        # closes, and lets the page's header sign out by POST.
        self.xsrf_token  # noqa: B018 - read for its side effect
        token_hash = access.hash_token(self.get_cookie(access.SIGN_IN_COOKIE) or "")
        warm = self.kernel_manager.warm
        if warm is not None:
            place = (token_hash, self.request.uri)
            ahead = await warm.admit(place, ADMIT_PATIENCE)
            if ahead is not None:
                waiting_page(self, self.store, ahead, stuck=warm.broken)
                return
            handing_to.set(Handing(person_id, token_hash, place))
        await super().get(path)
