"""The page's watch on its session: once it ends, the page stops acting for the person.

Everything an open page does starts either with a message from the browser (a click, a
keystroke reaching a widget) or with a timer (autosave, the partner sync, the agreement's and
the dashboard's refresh). The guard stands in front of both: each browser message and each
timer tick first asks whether the session is still live (one indexed query), and the first
time it is not (signed out, code withdrawn or replaced) the page is replaced by "You have been
signed out" and nothing more runs: no save, confirmation, download, code change or partner's
answers. A kernel holds one page, so the guard is one per kernel.

A check that fails (the database busy or out of reach for a moment, as in a crowded workshop)
is not a sign-out: the page carries on (its partner sync with it) and the next message or tick
asks again. Only an answer that the session has ended ends the page.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from mentorkit.ui.page_log import log, log_exception

_check: Callable[[], bool] | None = None
_on_end: Callable[[], None] | None = None
_ended = False
_failing = False
"""True while checks fail: the failure is logged once per run of failures."""


def watch(check: Callable[[], bool], on_end: Callable[[], None], served: bool = True) -> None:
    """Guard this kernel's page: ``check`` says whether the session is live, ``on_end`` turns
    the page into the signed-out message (called once). A ``served`` page (under Voila) also
    keeps every error in the server's log; a trainer's preview in JupyterLab still shows them."""
    global _check, _on_end, _ended, _failing
    _check, _on_end, _ended, _failing = check, on_end, False, False
    if served:
        _keep_errors_in_log()
    _guard_browser_messages()


def release() -> None:
    """Stop guarding (the page is gone; tests draw many pages in one process)."""
    global _check, _on_end, _ended, _failing
    _check, _on_end, _ended, _failing = None, None, False, False


def live() -> bool:
    """True while the page may act for its person (always, when no page is being guarded).

    When the session cannot be checked just now, the page carries on (what it then does
    meets the same store, and says so if that fails) and the next call asks again."""
    global _ended, _failing
    if _ended:
        return False
    if _check is None:
        return True
    try:
        alive = _check()
    except Exception:
        if not _failing:
            _failing = True
            _log("while checking the session (the page carries on and asks again)")
        return True
    if _failing:
        _failing = False
        log.info("The session could be checked again; the page goes on as before")
    if not alive:
        _ended = True
        if _on_end is not None:
            try:
                _on_end()
            except Exception:
                _log("while showing the signed-out message")
    return alive


def _log(context: str) -> None:
    log_exception(context)


def _shell() -> Any:
    """The IPython shell this code runs in (None outside one)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    return get_ipython()


def _keep_errors_in_log() -> None:
    """Errors go to the server's log: by default a widget's error is shown as a traceback
    (sent to the browser) and logged errors are written to the kernel's stderr (sent too)."""
    to_log = logging.StreamHandler(sys.__stderr__)
    logging.lastResort = to_log
    comm_log = logging.getLogger("Comm")
    comm_log.handlers = [to_log]
    comm_log.propagate = False
    shell = _shell()
    if shell is not None:
        shell.showtraceback = lambda *args, **kwargs: _log("an error in the page's kernel")


def _guard_browser_messages() -> None:
    """Put ``live()`` in front of every widget message from the browser; errors raised while
    handling one go to the server's log, never back to the browser."""
    kernel = getattr(_shell(), "kernel", None)
    handlers = getattr(kernel, "shell_handlers", None)
    if not handlers or "comm_msg" not in handlers:
        return
    original = handlers["comm_msg"]
    if getattr(original, "_mentorkit_guarded", False):
        return

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not live():
            return None
        try:
            return original(*args, **kwargs)
        except Exception:
            _log("while handling a message from the page")
            return None

    guarded._mentorkit_guarded = True  # type: ignore[attr-defined]
    handlers["comm_msg"] = guarded
