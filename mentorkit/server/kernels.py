"""Kernels that know whose page started them, and a limit on how many one person holds.

Voila starts a kernel for every page view and passes the request's cookie to it. The manager
reads the session from that cookie, refuses a kernel to a request without a live session, and
remembers the owner, so that the authorizer can keep everyone else out of it. Before a
person's page starts another kernel, ``make_room`` gives back the kernels of pages they have
left (no browser connected for a while, or a session that has ended); if they still hold
``MAX_KERNELS_PER_PERSON``, the new page is refused with a plain message. Every few seconds
``give_back_left`` does the same for everyone, so that pages left before their scripts even
loaded (no browser ever connected, so none said goodbye) do not hold memory for an hour.

A page's kernel comes from the warm kernels (``warm.WarmKernels``) when one is kept for the
person (``handing_to``, set by the page handler after admission); otherwise it is started
here, as Voila would.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web

from mentorkit.core import access
from mentorkit.core.signin import cookie_value
from mentorkit.core.store import Store

MAX_KERNELS_PER_PERSON = 8
"""Open pages one person may hold at once (a facilitator with every app open uses six)."""
LEFT_AFTER_SECONDS = 120.0
"""A kernel that no browser has connected to this long after it started belongs to a page
that was never opened. Long enough for a page still loading on a crowded machine."""
GONE_AFTER_SECONDS = 60.0
"""A page whose browser went away this long ago, without coming back, was closed."""


@dataclass(frozen=True)
class Handing:
    """The person a page request is for, and their place in the queue for a ready kernel."""

    person_id: int
    token_hash: str
    place: Hashable


handing_to: contextvars.ContextVar[Handing | None] = contextvars.ContextVar(
    "handing_to", default=None
)
"""Set by the page handler for the request being served."""


@dataclass
class Owner:
    person_id: int
    token_hash: str
    started: float
    was_connected: bool = False
    left_at: float | None = None


class PeopleKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager, with an owner for every kernel and a limit per person."""

    store: Store | None = None
    """Set by the app before it serves."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owners: dict[str, Owner] = {}
        self.warm = None
        """The ``WarmKernels`` pages take their kernels from (None: each page starts one)."""

    def _store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the kernel manager was not given the programme's store")
        return self.store

    async def start_kernel(self, **kwargs):
        env = kwargs.get("env") or {}
        token = cookie_value(env.get("HTTP_COOKIE", ""), access.SIGN_IN_COOKIE)
        person = access.signed_in_person_of(self.store, token)
        if person is None:
            raise web.HTTPError(403)
        kernel_id = None
        handing = handing_to.get()
        if (
            self.warm is not None
            and handing is not None
            and handing.person_id == person.id
            and kwargs.get("path") == self.warm.path
        ):
            kernel_id = await self.warm.hand_over(handing.place, env)
        if kernel_id is None:
            kernel_id = await super().start_kernel(**kwargs)
        # A page's kernel that dies is not restarted: a restarted one would hold none of the
        # page's widgets. The page notices (presence.py), keeps the text and reloads.
        self.get_kernel(kernel_id).stop_restarter()
        self.own(kernel_id, person.id, access.hash_token(token))
        return kernel_id

    async def start_unowned(self, **kwargs) -> str:
        """A kernel for nobody yet (a ready one); only its hand-over gives it an owner."""
        return await super().start_kernel(**kwargs)

    def own(self, kernel_id: str, person_id: int, token_hash: str) -> None:
        """Record that this kernel draws a page for this person (and session)."""
        self.owners[kernel_id] = Owner(person_id, token_hash, time.monotonic())

    def owner_of(self, kernel_id: str) -> int | None:
        """The person whose page started this kernel (None if it is not one of ours)."""
        owner = self.owners.get(kernel_id)
        return owner.person_id if owner is not None and kernel_id in self else None

    def kernels_of(self, person_id: int) -> list[str]:
        """The running kernels that this person's pages started."""
        for kernel_id in [k for k in self.owners if k not in self]:
            del self.owners[kernel_id]
        return [k for k, o in self.owners.items() if o.person_id == person_id]

    def loading(self, within: float) -> int:
        """People with a page still loading: its kernel handed over less than ``within``
        seconds ago and no browser connected to it yet. A person counts once however many
        tabs they open, so that nobody (nor a script with one person's code) holds back the
        queue for more than one."""
        now = time.monotonic()
        return len(
            {
                owner.person_id
                for kernel_id, owner in self.owners.items()
                if not owner.was_connected and now - owner.started < within and kernel_id in self
            }
        )

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        if kernel_id in self.owners:
            self.owners[kernel_id].was_connected = True
            self.owners[kernel_id].left_at = None

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        owner = self.owners.get(kernel_id)
        if owner is not None and self._kernel_connections.get(kernel_id, 0) == 0:
            owner.left_at = time.monotonic()

    def _left(self, kernel_id: str, gone_after: float = 0.0) -> bool:
        """True for a page its person has left: its session ended, its browser went away
        (``gone_after`` seconds ago or more), or no browser ever came for it."""
        owner = self.owners[kernel_id]
        if self._store().signed_in_person_of(owner.token_hash, access.SIGN_IN_IDLE_LIMIT) is None:
            return True
        if self._kernel_connections.get(kernel_id, 0) > 0:
            return False
        now = time.monotonic()
        if owner.was_connected:
            if owner.left_at is None:  # its browser went away unannounced: count from now
                owner.left_at = now
            return now - owner.left_at >= gone_after
        return now - owner.started > LEFT_AFTER_SECONDS

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter's idle check, skipping a kernel still starting (its last activity is not
        set yet; seen with a crowd: the check then logged a traceback every round)."""
        kernel = self._kernels.get(kernel_id)
        if kernel is None or "last_activity" not in kernel._trait_values:
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def give_back_left(self) -> None:
        """Shut down the kernels of pages nobody has open any more (everyone's)."""
        for kernel_id in [k for k in self.owners if k in self]:
            if self._left(kernel_id, GONE_AFTER_SECONDS):
                self.log.info("Giving back kernel %s of a page its owner left", kernel_id)
                await self.shutdown_kernel(kernel_id)
        for kernel_id in [k for k in self.owners if k not in self]:
            del self.owners[kernel_id]

    async def make_room(self, person_id: int) -> bool:
        """True when this person may open one more page (after freeing pages they left)."""
        mine = self.kernels_of(person_id)
        if len(mine) < MAX_KERNELS_PER_PERSON:
            return True
        for kernel_id in mine:
            if self._left(kernel_id):
                self.log.info("Giving back kernel %s of a page its owner left", kernel_id)
                await self.shutdown_kernel(kernel_id)
        return len(self.kernels_of(person_id)) < MAX_KERNELS_PER_PERSON
