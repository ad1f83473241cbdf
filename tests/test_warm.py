"""Kernels started ahead and the queue for them: the bookkeeping alone, then with real kernels."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import time

import pytest

from mentorkit.server.kernels import PeopleKernelManager
from mentorkit.server.warm import Admission, WarmKernels, ready_for


def test_people_are_served_in_the_order_they_came():
    queue = Admission()
    assert queue.arrive("amara", 0) == 0
    assert queue.arrive("ben", 0) == 1
    assert queue.arrive("chloe", 0) == 2
    queue.add("k1")
    assert queue.arrive("ben", 1) == 0  # amara got k1: ben is next
    assert queue.arrive("amara", 1) is None
    assert queue.claim("amara") == "k1"
    assert queue.claim("amara") is None  # a kernel is handed over once
    queue.add("k2")
    assert queue.arrive("chloe", 2) == 0
    assert queue.claim("ben") == "k2"


def test_a_kernel_ready_before_anyone_comes_goes_to_the_first_to_arrive():
    queue = Admission()
    queue.add("k1")
    assert queue.arrive("amara", 0) is None
    assert queue.arrive("ben", 0) == 0
    assert queue.waiting == 1


def test_a_place_nobody_asks_after_is_given_up_and_its_kernel_passed_on():
    queue = Admission(kept_for=15)
    queue.arrive("left", 0)
    queue.arrive("stays", 0)
    queue.add("k1")  # kept for "left", who closed the tab
    assert queue.arrive("stays", 10) == 0
    assert queue.arrive("stays", 16) is None  # "left" gone: k1 is passed on
    assert queue.claim("stays") == "k1"
    assert "left" not in queue.places


def test_a_kernel_that_went_away_is_no_longer_kept_for_anyone():
    queue = Admission()
    queue.arrive("amara", 0)
    queue.add("k1")
    queue.discard("k1")
    assert queue.arrive("amara", 1) == 0
    assert queue.ready == type(queue.ready)()


def test_only_so_many_pages_load_at_once_and_the_next_goes_in_when_one_has_loaded():
    queue = Admission(loads_at_once=2)
    for kernel in ("k1", "k2", "k3"):
        queue.add(kernel)
    assert queue.arrive("amara", 0) is None
    assert queue.arrive("ben", 0) is None
    assert queue.arrive("chloe", 0) == 0  # a kernel is ready, but two pages are loading
    assert queue.claim("amara") == "k1"
    assert queue.claim("ben") == "k2"
    queue.loading = 2  # both still loading in their browsers
    assert queue.arrive("chloe", 1) == 0
    assert queue.arrive("dev", 1) == 1
    queue.loading = 1  # amara's browser has connected: her page has loaded
    assert queue.arrive("dev", 2) == 0  # the freed place went to chloe, who came first
    assert queue.arrive("chloe", 2) is None
    assert queue.claim("chloe") == "k3"
    queue.loading = 2  # chloe's page is loading now too
    queue.add("k4")
    assert queue.arrive("dev", 3) == 0
    queue.loading = 0
    assert queue.arrive("dev", 4) is None


class TwoPagesLoading:
    """The kernel manager as the pool sees it: four kernels, and two pages still loading."""

    def __init__(self) -> None:
        self.shut: list[str] = []

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id not in self.shut

    def list_kernel_ids(self) -> list[str]:
        return [k for k in ("k1", "k2", "k3", "k4") if k not in self.shut]

    def loading(self, within: float) -> int:
        return 2

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        self.shut.append(kernel_id)


def test_kernels_kept_for_people_waiting_their_turn_to_load_are_not_given_back():
    async def scenario():
        manager = TwoPagesLoading()
        warm = WarmKernels(manager, "", 2, 1, 4, "python3", expected=2, loads_at_once=2)
        warm.arrived = {"amara", "ben"}  # everyone expected has had a page: 2 kept ready
        for kernel in manager.list_kernel_ids():
            warm.admission.add(kernel)
        assert await warm.admit("chloe", patience=0) == 0  # two pages are loading
        assert await warm.admit("dev", patience=0) == 1
        warm.fill()
        await asyncio.gather(*warm._tasks)
        assert manager.shut == []  # chloe's and dev's kernels are waiting for them
        assert len(warm.admission.ready) == 4

    run(scenario())


def test_ready_kernels_follow_the_people_expected_and_the_memory():
    assert ready_for(40, limit=200) == 20
    assert ready_for(2, limit=200) == 2  # a late arrival or a new tab finds one ready
    assert ready_for(1, limit=200) == 1  # a person's own server (behind JupyterHub)
    assert ready_for(40, limit=10) == 5


def run(coroutine):
    """Run in a thread of its own: the browser tests' Playwright keeps a loop running in this
    one when the whole suite runs together."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@pytest.fixture
def manager(tmp_path):
    # Connection files go in the test's folder, not the working directory.
    return PeopleKernelManager(root_dir=str(tmp_path), connection_dir=str(tmp_path))


async def stop(warm: WarmKernels, filling: asyncio.Future) -> None:
    """Stop filling, let starts under way finish, and shut every kernel down."""
    filling.cancel()
    await asyncio.gather(*warm._tasks, return_exceptions=True)
    for kernel_id in warm.manager.list_kernel_ids():
        with contextlib.suppress(Exception):  # a start that failed left only its id
            await warm.manager.shutdown_kernel(kernel_id, now=True)


async def wait_until(check, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "waited too long"
        await asyncio.sleep(0.1)


async def environ_of(warm: WarmKernels, kernel_id: str) -> dict:
    """The kernel's own os.environ, for a few names (written to a file the test reads)."""
    out = os.path.join(warm.manager.root_dir, f"{kernel_id}.txt")
    await warm._run(
        kernel_id,
        "import os, json, sys\n"
        f"open({out!r}, 'w').write(json.dumps({{k: os.environ.get(k) for k in "
        "('QUERY_STRING', 'HTTP_COOKIE', 'VOILA_REQUEST_URL')} | "
        "{'imported': 'mentorkit.ui.apps' in sys.modules}))",
    )
    with open(out) as answer:
        return json.load(answer)


def test_a_ready_kernel_is_handed_to_a_page_with_the_requests_environment(manager):
    async def scenario():
        warm = WarmKernels(manager, "", ready=1, slots=1, limit=8, kernel_name="python3")
        filling = asyncio.ensure_future(warm.run())
        await wait_until(lambda: len(warm.admission.ready) == 1)
        assert await warm.admit("amara", patience=0) is None
        request = {
            "QUERY_STRING": "relationship=1&x='\"\\",
            "HTTP_COOKIE": "mentorkit_session=abc",
            "VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/home.ipynb",
        }
        kernel_id = await warm.hand_over("amara", {**os.environ, **request})
        assert kernel_id is not None
        seen = await environ_of(warm, kernel_id)
        assert seen == {**request, "imported": True}
        # the pool refills by itself, and a second person gets a different kernel
        await wait_until(lambda: len(warm.admission.ready) == 1)
        assert await warm.admit("ben", patience=0) is None
        assert await warm.hand_over("ben", dict(os.environ)) not in (None, kernel_id)
        await stop(warm, filling)

    run(scenario())


def test_people_beyond_what_is_ready_wait_in_turn_and_each_gets_a_kernel(manager):
    async def scenario():
        warm = WarmKernels(manager, "", ready=1, slots=1, limit=8, kernel_name="python3")
        filling = asyncio.ensure_future(warm.run())
        people = ["p1", "p2", "p3"]
        first = [await warm.admit(p, patience=0) for p in people]
        assert first == [0, 1, 2]  # nothing ready yet: everyone has a place
        given = {}
        while len(given) < len(people):
            for person in people:
                if person not in given and await warm.admit(person, patience=0.2) is None:
                    given[person] = await warm.hand_over(person, dict(os.environ))
        assert len(set(given.values())) == 3 and None not in given.values()
        assert manager.list_kernel_ids()  # started one at a time, never more than the limit
        assert len(manager.list_kernel_ids()) <= 8
        await stop(warm, filling)

    run(scenario())


def test_the_next_page_goes_in_once_the_loading_one_has_connected(manager):
    async def scenario():
        warm = WarmKernels(
            manager, "", ready=2, slots=1, limit=8, kernel_name="python3", loads_at_once=1
        )
        filling = asyncio.ensure_future(warm.run())
        await wait_until(lambda: len(warm.admission.ready) == 2)
        assert await warm.admit("amara", patience=0) is None
        kernel_id = await warm.hand_over("amara", dict(os.environ))
        manager.own(kernel_id, 1, "amara's sign-in")  # as start_kernel does for her page
        assert manager.loading(within=45) == 1
        assert manager.loading(within=0) == 0  # a page loading too long holds nobody back
        spare = warm.admission.ready[0]
        manager.own(spare, 1, "amara's sign-in")  # a second tab of hers loading
        assert manager.loading(within=45) == 1  # she holds back the queue once, not twice
        del manager.owners[spare]
        # a kernel is ready for ben, but amara's page is still loading
        assert await warm.admit("ben", patience=0.5) == 0
        manager.notify_connect(kernel_id)  # her browser has fetched the page and connected
        assert manager.loading(within=45) == 0
        assert await warm.admit("ben", patience=5) is None
        assert await warm.hand_over("ben", dict(os.environ)) is not None
        await stop(warm, filling)

    run(scenario())


def test_when_kernels_cannot_start_nobody_waits_for_ever(manager):
    async def scenario():
        warm = WarmKernels(
            manager, "", ready=1, slots=1, limit=8, kernel_name="no-such-kernel", retry_after=0.1
        )
        filling = asyncio.ensure_future(warm.run())
        started = time.monotonic()
        ahead = 0
        while not warm.broken:
            ahead = await warm.admit("amara", patience=0.5)
            assert time.monotonic() - started < 30, "the queue waited for ever"
        assert ahead == 0
        await stop(warm, filling)

    run(scenario())


def test_once_everyone_expected_has_a_page_the_spare_ready_kernels_are_given_back(manager):
    async def scenario():
        warm = WarmKernels(
            manager, "", ready=3, slots=2, limit=8, kernel_name="python3", expected=3
        )
        filling = asyncio.ensure_future(warm.run())
        await wait_until(lambda: len(warm.admission.ready) == 3)
        for person in ("amara", "ben"):
            assert await warm.admit((person, "/voila/render/home.ipynb"), patience=30) is None
            given = await warm.hand_over((person, "/voila/render/home.ipynb"), dict(os.environ))
            assert given is not None
        # two of three have arrived: one more is coming, but a late arrival or a new tab
        # still finds MIN_READY (2) ready
        assert warm.wanted == 2
        await wait_until(lambda: len(warm.admission.ready) == 2)
        assert await warm.admit(("chloe", "/voila/render/home.ipynb"), patience=30) is None
        assert await warm.hand_over(("chloe", "/voila/render/home.ipynb"), dict(os.environ))
        # the same person opening a second page does not count twice
        assert await warm.admit(("amara", "/voila/render/goals.ipynb"), patience=30) is None
        assert await warm.hand_over(("amara", "/voila/render/goals.ipynb"), dict(os.environ))
        assert warm.arrived == {"amara", "ben", "chloe"}
        await wait_until(lambda: len(warm.admission.ready) == 2)
        await asyncio.sleep(1.5)  # a few rounds of filling: it stays at two, no more starts
        assert len(warm.admission.ready) == 2
        assert len(manager.list_kernel_ids()) == 4 + 2  # four pages and two ready
        await stop(warm, filling)

    run(scenario())


def test_ready_kernels_beyond_what_is_wanted_are_shut_down(manager):
    async def scenario():
        warm = WarmKernels(manager, "", ready=3, slots=3, limit=8, kernel_name="python3")
        filling = asyncio.ensure_future(warm.run())
        await wait_until(lambda: len(warm.admission.ready) == 3)
        warm.target = 1  # as when the people expected have arrived
        await wait_until(lambda: len(manager.list_kernel_ids()) == 1)
        assert len(warm.admission.ready) == 1
        await stop(warm, filling)

    run(scenario())


def test_the_idle_check_passes_over_a_kernel_still_starting(manager, caplog):
    async def scenario():
        kernel_id = await manager.start_unowned(kernel_name="python3")
        try:
            kernel = manager.get_kernel(kernel_id)
            del kernel._trait_values["last_activity"]  # as while its start is under way
            manager.cull_idle_timeout = 1
            await manager.cull_kernel_if_idle(kernel_id)  # Jupyter's check would raise here
            assert kernel_id in manager
        finally:
            await manager.shutdown_kernel(kernel_id, now=True)

    with caplog.at_level("ERROR"):
        run(scenario())
    assert not [r for r in caplog.records if "idle duration" in r.getMessage()]
