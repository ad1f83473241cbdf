"""Kernels started before people need them, handed to pages in the order people arrive.

A page's kernel costs about half a second of CPU to start and 75 MB to hold. Started only when
a person opens a page, forty people arriving on two cores queue forty starts at once, and each
move to another app starts one more. So the server keeps kernels ready ahead:

* ``WarmKernels`` keeps ``ready`` kernels started, with ipywidgets and mentorkit imported, in
  the notebooks' folder. Any app page can use any of them: when one is handed to a page, the
  request's details (cookie, address, query) are set in its environment, then Voila runs the
  page's notebook in it exactly as in a fresh kernel.
* Starting is limited to ``slots`` kernels at a time (one per core), so that starting kernels
  never takes the machine from pages being drawn, and the number of kernels is capped by the
  memory the machine has (``limit``).
* Once every person expected has had a page, only ``MIN_READY`` kernels stay ready (for a
  late arrival or a new tab) and the spare ones are shut down: a full room's memory is for
  the pages people have open.
* Pages are let in to load ``loads_at_once`` at a time (``LOADS_PER_CORE`` per core): a page
  is loading from the moment its kernel is handed over until its browser connects to it,
  having fetched and run the page's front-end (about 2 s of a core in Chromium). Forty pages
  loading at once on a crowded machine share the processors forty ways and all finish late
  (with the browsers on the same laptop, measured: the median person waited two minutes);
  a few at a time, each finishes in seconds and the queue moves.
* ``Admission`` serves people in the order they came. When no kernel is ready, the page says
  "Preparing your page — 3 people ahead of you" and asks again every two seconds, keeping its
  place. A place nobody asks after for ``PLACE_KEPT_SECONDS`` is given up (the tab was
  closed) and a kernel kept for it goes to the next person. When kernels cannot be started at
  all, the waiting page says so instead of waiting for ever.

Why not Voila's own pre-heated pools: they keep kernels per notebook, each run up to
``wait_for_request``, so seventeen notebooks need seventeen pools sized by guesswork, and
measured with 40 people they started 34 kernels at once and no page finished (README,
"Workshop load"). One pool serves every page, and refills at the pace the machine allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections import OrderedDict, deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("mentorkit.server")

PLACE_KEPT_SECONDS = 15.0
"""How long a waiting person's place is kept without their page asking again (it asks every
two seconds while open)."""
KERNEL_MEGABYTES = 100
"""What one page's kernel holds, measured: 75 MB started and warmed, 80-100 MB drawing a page."""
LOADS_PER_CORE = 2
"""Pages let in to load at once, per processor core."""
LOAD_HELD_SECONDS = 45.0
"""A page still loading after this long stops holding back the queue (its tab may have been
closed before its browser ever connected)."""
MIN_READY = 2
"""Kernels kept ready once everyone expected has a page: for a late arrival or a new tab."""
WARM_UP = "import ipywidgets, mentorkit.ui.apps"
"""Run in a kernel as soon as it starts, so that a page's own cells only draw."""


@dataclass
class Place:
    """A person waiting for a page, and the kernel kept for them once there is one."""

    seen: float
    kernel: str | None = None


class Admission:
    """Who is waiting for a page, in order, and which ready kernel is kept for whom.

    Pure bookkeeping (no kernels started here), so that its rules can be tested alone.
    """

    def __init__(
        self, kept_for: float = PLACE_KEPT_SECONDS, loads_at_once: int | None = None
    ) -> None:
        self.kept_for = kept_for
        self.loads_at_once = loads_at_once
        """Most pages loading at once (None: no limit)."""
        self.loading = 0
        """People whose page was handed a kernel its browser has not connected to yet (set
        by the pool)."""
        self.ready: deque[str] = deque()
        self.places: OrderedDict[Hashable, Place] = OrderedDict()

    @property
    def waiting(self) -> int:
        """People waiting with no kernel kept for them yet."""
        return sum(1 for place in self.places.values() if place.kernel is None)

    def arrive(self, key: Hashable, now: float) -> int | None:
        """Take or keep ``key``'s place. None when a kernel is kept for it (``claim`` it);
        otherwise how many people are ahead of it."""
        self.expire(now)
        place = self.places.get(key)
        if place is None:
            place = self.places[key] = Place(seen=now)
        place.seen = now
        self._assign()
        if place.kernel is not None:
            return None
        ahead = 0
        for other_key, other in self.places.items():
            if other_key == key:
                break
            ahead += other.kernel is None
        return ahead

    def claim(self, key: Hashable) -> str | None:
        """The kernel kept for ``key`` (its place is then given up), or None."""
        place = self.places.get(key)
        if place is None or place.kernel is None:
            return None
        del self.places[key]
        return place.kernel

    def add(self, kernel_id: str) -> None:
        """A kernel is ready: kept for the first person waiting, or for whoever comes next."""
        self.ready.append(kernel_id)
        self._assign()

    def discard(self, kernel_id: str) -> None:
        """Forget a kernel that has gone (stopped, or culled while waiting)."""
        if kernel_id in self.ready:
            self.ready.remove(kernel_id)
        for place in self.places.values():
            if place.kernel == kernel_id:
                place.kernel = None
        self._assign()

    def expire(self, now: float) -> None:
        """Give up the places nobody has asked after; their kernels go to the next people."""
        for key in [k for k, p in self.places.items() if now - p.seen > self.kept_for]:
            place = self.places.pop(key)
            if place.kernel is not None:
                self.ready.appendleft(place.kernel)
        self._assign()

    def _assign(self) -> None:
        """Keep ready kernels for the first people waiting, while fewer than
        ``loads_at_once`` pages are loading or about to (a kept kernel is about to load)."""
        kept = sum(1 for place in self.places.values() if place.kernel is not None)
        for place in self.places.values():
            if not self.ready:
                return
            if self.loads_at_once is not None and self.loading + kept >= self.loads_at_once:
                return
            if place.kernel is None:
                place.kernel = self.ready.popleft()
                kept += 1


@dataclass(frozen=True)
class Room:
    """What ``mentorkit serve`` keeps and allows: kernels ready ahead, starting at once and
    held in all, pages loading at once, and the people expected (None: not known)."""

    ready: int = 0
    slots: int = 1
    limit: int = 64
    loads_at_once: int = LOADS_PER_CORE
    expected: int | None = None


def machine_room(kernel_megabytes: int = KERNEL_MEGABYTES) -> tuple[int, int, int]:
    """(cores, free megabytes, kernels that fit in the free memory, keeping 1 GB spare)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    free = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    free = int(line.split()[1]) // 1024
    except OSError:
        free = 4096
    return cores or 1, free, max(4, (free - 1024) // kernel_megabytes)


def ready_for(expected: int, limit: int) -> int:
    """Kernels to keep ready for ``expected`` people: one for every two people (each opens
    a page, then moves to another while kernels are being refilled), at least two (one for
    a person's own server, started for them by JupyterHub), and no more than half of what
    the memory holds."""
    return max(min(2, expected), min((expected + 1) // 2, limit // 2))


class WarmKernels:
    """Keeps kernels ready for the pages of ``manager`` and hands them out in turn."""

    def __init__(
        self,
        manager: Any,
        path: str,
        ready: int,
        slots: int,
        limit: int,
        kernel_name: str,
        retry_after: float = 2.0,
        expected: int | None = None,
        loads_at_once: int | None = None,
    ) -> None:
        self.manager = manager
        self.expected = expected
        self.arrived: set[Hashable] = set()
        """The people (sign-ins) a kernel has been handed to."""
        self.path = path
        self.target = ready
        self.slots = max(1, slots)
        self.limit = limit
        self.kernel_name = kernel_name
        self.retry_after = retry_after
        self.admission = Admission(
            loads_at_once=LOADS_PER_CORE * self.slots if loads_at_once is None else loads_at_once
        )
        self.starting = 0
        self.failures = 0
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()

    @property
    def wanted(self) -> int:
        """Kernels to keep ready now: ``target`` while the people expected are arriving,
        fewer as they do, and ``MIN_READY`` once all have a page (ready kernels nobody is
        coming for only hold memory)."""
        if self.expected is None:
            return self.target
        return min(self.target, max(MIN_READY, self.expected - len(self.arrived)))

    @property
    def broken(self) -> bool:
        """True when the last three kernel starts failed: waiting would be for nothing."""
        return self.failures >= 3

    async def run(self, reap: Any = None, reap_every: float = 15.0) -> None:
        """Keep the pool filled until the server stops; ``reap`` (a coroutine function) gives
        back the kernels of pages people have left, every ``reap_every`` seconds."""
        reaped = time.monotonic()
        reaping: asyncio.Task | None = None
        while True:
            try:
                self.fill()
            except Exception:  # the pool must go on filling whatever one round met
                log.exception("Starting kernels ahead failed this round")
            due = time.monotonic() - reaped > reap_every
            if reap is not None and due and (reaping is None or reaping.done()):
                reaped = time.monotonic()  # in a task of its own: filling never waits for it
                reaping = asyncio.ensure_future(self._reap(reap, timeout=reap_every * 4))
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    @staticmethod
    async def _reap(reap: Any, timeout: float) -> None:
        try:
            await asyncio.wait_for(reap(), timeout)
        except Exception:
            log.exception("Giving back the kernels of left pages failed")

    def count_loading(self) -> None:
        """Tell the admission how many pages are loading now (from the kernel manager)."""
        loading = getattr(self.manager, "loading", None)
        self.admission.loading = loading(LOAD_HELD_SECONDS) if loading is not None else 0

    def fill(self) -> None:
        """Start kernels while fewer are ready (or on their way) than wanted, at most
        ``slots`` at a time and ``limit`` in all."""
        self.count_loading()
        self.admission.expire(time.monotonic())
        for kernel_id in [k for k in self.admission.ready if k not in self.manager]:
            self.admission.discard(kernel_id)
        # people waiting for their turn to load have kernels coming: not spare
        spare = len(self.admission.ready) - self.wanted - self.admission.waiting
        for _ in range(max(0, spare)):
            self._spawn(self._give_back(self.admission.ready.pop()))
        wanted = self.wanted + self.admission.waiting - len(self.admission.ready) - self.starting
        room = self.limit - len(self.manager.list_kernel_ids()) - self.starting
        for _ in range(max(0, min(wanted, self.slots - self.starting, room))):
            self.starting += 1
            self._spawn(self._start_one())

    async def _give_back(self, kernel_id: str) -> None:
        """Shut down a ready kernel nobody is coming for."""
        try:
            await self.manager.shutdown_kernel(kernel_id, now=True)
        except Exception:
            log.exception("A spare ready kernel could not be shut down")

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start_one(self) -> None:
        try:
            kernel_id = await self.manager.start_unowned(
                kernel_name=self.kernel_name, path=self.path, env=dict(os.environ)
            )
            try:
                await self._run(kernel_id, WARM_UP)
            except Exception:
                await self.manager.shutdown_kernel(kernel_id, now=True)
                raise
        except Exception:
            self.failures += 1
            log.exception("A kernel could not be started ahead (%d in a row)", self.failures)
            await asyncio.sleep(min(30.0, self.retry_after * 2 ** (self.failures - 1)))
        else:
            self.failures = 0
            self.admission.add(kernel_id)
        finally:
            self.starting -= 1
            self._wake.set()

    async def admit(self, key: Hashable, patience: float) -> int | None:
        """Wait up to ``patience`` seconds for a kernel to be kept for ``key``: None when one
        is (``hand_over`` it), else how many people are still ahead."""
        deadline = time.monotonic() + patience
        while True:
            self.count_loading()
            ahead = self.admission.arrive(key, time.monotonic())
            self._wake.set()
            if ahead is None or self.broken or time.monotonic() >= deadline:
                return ahead
            await asyncio.sleep(0.1)

    async def hand_over(self, key: Hashable, env: dict[str, str]) -> str | None:
        """The kernel kept for ``key``, its environment now the request's (what Voila would
        have started a kernel with); None when there is none or it could not be set."""
        kernel_id = self.admission.claim(key)
        self._wake.set()
        if kernel_id is None or kernel_id not in self.manager:
            return None
        changed = {k: v for k, v in env.items() if os.environ.get(k) != v}
        code = f"import os, json; os.environ.update(json.loads({json.dumps(changed)!r}))"
        try:
            await self._run(kernel_id, code)
        except Exception:
            log.exception("A ready kernel could not take its page; starting a fresh one")
            await self.manager.shutdown_kernel(kernel_id, now=True)
            return None
        self.arrived.add(key[0] if isinstance(key, tuple) else key)
        return kernel_id

    async def _run(self, kernel_id: str, code: str, timeout: float = 60.0) -> None:
        """Run ``code`` in the kernel and wait for it to finish (RuntimeError if it fails)."""
        client = self.manager.get_kernel(kernel_id).client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError("the kernel did not answer in time")
                reply = await client.get_shell_msg(timeout=left)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                content = reply["content"]
                raise RuntimeError(
                    f"the kernel refused: {content.get('ename')}: {content.get('evalue')}"
                )
        finally:
            client.stop_channels()
