"""Timers on the kernel's event loop: a debouncer for autosave and a repeater for syncing.

Inside a Jupyter kernel (and so in Voila) callbacks run on the kernel's asyncio loop, on the
same thread as widget events. Outside a loop (plain tests) nothing is scheduled and the
caller drives the callbacks itself (``Debouncer.fire``). No timer runs once the page's
session has ended (``guard.live``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .guard import live


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


class Repeater:
    """Call ``callback`` every ``interval`` seconds while the kernel's loop runs."""

    def __init__(self, interval: float, callback: Callable[[], None]):
        self.interval, self.callback = interval, callback
        self._handle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        loop = _loop()
        if loop is not None and self._handle is None:
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
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
