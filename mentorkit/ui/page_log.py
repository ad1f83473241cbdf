"""The page kernel's log. It goes to the server's log (the kernel's own stderr, which the
server writes to its log file), never to the page: a page's ``sys.stderr`` is sent to the
browser."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("mentorkit.page")


def _to_server_log() -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("mentorkit page: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


_to_server_log()


def log_exception(context: str) -> None:
    """Write the error being handled, with its traceback, to the server's log."""
    log.error(context, exc_info=True)
