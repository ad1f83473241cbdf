"""Kernel messages written to a page that has gone away leave no traceback in the log."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from tornado.websocket import WebSocketClosedError

from mentorkit.server.guards import QuietKernelWebsocket, _closed_on_the_way


def _run(main) -> None:
    """Run ``main()`` on a loop of its own, in a thread of its own (another test may have left
    this thread's loop running, as the browser tests' driver does)."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, main()).result()


def _unretrieved_after(note_write: bool) -> list[dict]:
    """The errors asyncio reports for one write that failed because the page closed."""
    reported: list[dict] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: reported.append(ctx))

        async def write() -> None:
            raise WebSocketClosedError()

        sent = asyncio.ensure_future(write())
        if note_write:
            sent.add_done_callback(_closed_on_the_way)
        await asyncio.sleep(0.01)
        del sent
        gc.collect()
        await asyncio.sleep(0)

    _run(main)
    return reported


def test_a_write_left_unawaited_is_reported_by_asyncio_as_an_error() -> None:
    assert any("never retrieved" in ctx["message"] for ctx in _unretrieved_after(False))


def test_a_write_to_a_closed_page_is_noted_quietly(caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="mentorkit.server"):
        assert _unretrieved_after(True) == []
    assert "went away while a kernel message was on its way" in caplog.text


def test_any_other_failed_write_is_logged_as_a_warning(caplog) -> None:
    async def main() -> None:
        async def write() -> None:
            raise OSError("disk full")

        sent = asyncio.ensure_future(write())
        sent.add_done_callback(_closed_on_the_way)
        await asyncio.sleep(0.01)

    with caplog.at_level(logging.WARNING, logger="mentorkit.server"):
        _run(main)
    assert "could not be sent to its page: OSError('disk full')" in caplog.text


def test_a_message_for_a_page_already_gone_raises_nothing(caplog) -> None:
    """jupyter_server writes a kernel's messages from a zmq callback; a socket already closed
    made tornado raise there, and zmq logged it as a traceback (seen in CI, with a page closed
    while its kernel was talking)."""
    page = object.__new__(QuietKernelWebsocket)  # a handler whose connection has closed
    page.ws_connection = None
    message = json.dumps({"header": {"msg_type": "status"}, "content": {"execution_state": "idle"}})
    with caplog.at_level(logging.DEBUG, logger="mentorkit.server"):
        assert page.write_message(message) is None
    assert "went away before a kernel message could be sent" in caplog.text
