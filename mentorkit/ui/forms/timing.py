"""Timers on the kernel's event loop: a debouncer for autosave and a repeater for syncing.

Inside a Jupyter kernel (and so in Voila) callbacks run on the kernel's asyncio loop, on the
same thread as widget events. Outside a loop (plain tests) nothing is scheduled and the
caller drives the callbacks itself (``Debouncer.fire``). No timer runs once the page's
session has ended (``guard.live``).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable

from mentorkit.ui.forms.guard import live

_timers: weakref.WeakSet = weakref.WeakSet()
"""Every timer of the page being shown, so that leaving it can stop them."""


def leave_page() -> None:
    """The page is being replaced by another app: make the saves that were waiting for
    their moment, then stop every timer (the new page starts its own)."""
    for timer in list(_timers):
        if isinstance(timer, Debouncer):
            timer.fire()
    for timer in list(_timers):
        timer.stop()
    _timers.clear()


def _loop() -> asyncio.AbstractEventLoop | None:
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        return None
    return loop if loop.is_running() else None


class Debouncer:
    """Call ``callback`` once, ``delay`` seconds after the last ``poke``."""

    def __init__(self, delay: float, callback: Callable[[], None]):
        self.delay, self.callback = delay, callback
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False
        _timers.add(self)

    def poke(self) -> None:
        self.cancel()
        self.pending = True
        loop = _loop()
        if loop is not None:
            self._handle = loop.call_later(self.delay, self.fire)

    def fire(self) -> None:
        self.cancel()
        if self.pending and live():
            self.pending = False
            self.callback()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def stop(self) -> None:
        """Cancel, and forget any change still waiting."""
        self.cancel()
        self.pending = False


class Repeater:
    """Call ``callback`` every ``interval`` seconds while the kernel's loop runs."""

    def __init__(self, interval: float, callback: Callable[[], None]):
        self.interval, self.callback = interval, callback
        self._handle: asyncio.TimerHandle | None = None
        self.stopped = False
        _timers.add(self)

    def start(self) -> None:
        loop = _loop()
        if loop is not None and self._handle is None and not self.stopped:
            self._handle = loop.call_later(self.interval, self._tick)

    def _tick(self) -> None:
        self._handle = None
        if not live():
            return
        try:
            self.callback()
        finally:
            self.start()

    def stop(self) -> None:
        self.stopped = True
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
