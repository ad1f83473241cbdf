"""Workshop load: N people (N/2 one-to-one pairs) arrive at one ``mentorkit serve`` over a
spread of seconds, each in their own Chromium browser context (one browser process), and
fill in their pair's joint worksheet together. Issue 14, item 4.

Each person, in their own asyncio task: signs in with their card's link (the Sign in button
leads to home), waits for home to be interactive, clicks the link to their pair's
``getting-to-know-each-other`` worksheet, waits for it to be interactive, types into three
text fields (the mentor: ``mentor_background``, ``mentor_hopes``, ``meeting_times``; the
mentee: ``mentee_background``, ``mentee_hopes``, ``response_time``; different fields, so the
pair's saves merge without conflicts), waits for the status line to go from "Unsaved changes"
to "Saved hh:mm" with the typed values still in their boxes, then waits for the partner's
three values to appear on their own page. Pages stay open until everyone is done.

Time to interactive runs from the moment the person presses Sign in (for home) or the
worksheet's link (for the worksheet) to the moment ``time_to_interactive.py``'s in-page probe
sees the element visible, enabled and uncovered (polled every 50 ms here, not 4 ms, so that
40 waiting pages do not load the machine themselves), so any time spent on "Preparing your
page" is counted: home's first worksheet link ``a.mk-open`` (the sign-in POST and its
redirect included), the worksheet's first text box ``.mk-field-mentor_background textarea``.
A page not interactive within ``--page-timeout`` is not completed (a person whose home never
became interactive then opens the worksheet by its address; for a page that does not, the
report says whether its HTML was still arriving, i.e. the kernel still running the cells, and
what ``/api/kernels/<id>`` says of its kernel). The text boxes are found by
their ``.mk-field-<id>`` class: their labels are ``<label class="mk-label">`` elements not
tied to the box, so the boxes have no accessible name to find them by.

Before the crowd, in the same run: a bare notebook holding one ``ipywidgets.Text`` served by
Voila as installed (``voila bare.ipynb``: its own template and front-end), timed cold (each
visit starts its own kernel), one warm-up then the median of ``--bare-runs``: the baseline for
the ratios (requests that would leave the machine, its template's icon font, are refused at
once so that they cost nothing). Then the same notebook on ``mentorkit serve``, on the same
programme, opened by the demo's Amara Okafor: cold (``--expect 0``, no kernels prepared
ahead), and with its kernel started ahead (``--expect 8``): the second is what mentorkit's page
front-end costs alone, the floor no way of starting kernels can go below.
Then the crowd's server starts (with ``--serve-arg`` options), and the crowd arrives once the
kernels it prepares ahead have started, as they would have before a workshop begins.

Prints TTI p50/p95/max per page (not interactive counts as over the timeout), completion,
saves, partner values seen, the typed values found in the store afterwards, the peak RSS of
the server's process tree (sampled every second), CPU, load average and wall time, and
PASS/FAIL against the issue's targets. The data folder and its server log are kept.

    python benchmarks/workshop_load.py [--people 40] [--spread 60] [--arrivals even|random]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.sync_api import sync_playwright
from time_to_interactive import PROBE, Target, all_targets, make_notebooks, visit

from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    add_pairs,
    free_port,
    init_demo,
    sign_in_with_link,
)

ROOT = Path(__file__).resolve().parent.parent
WORKSHEET = "getting-to-know-each-other"
FIELDS = {
    "mentor": ("mentor_background", "mentor_hopes", "meeting_times"),
    "mentee": ("mentee_background", "mentee_hopes", "response_time"),
}
BARE_SIGNER = "Amara Okafor"
MEMORY_TARGET_GB = 6.0
P95_TARGET_MS = 5000.0
RATIO_TARGET = 0.5
SAVED = r"^Saved \d{1,2}:\d{2}$"
ROUTINE = re.compile(  # said by every page, loaded or not (a failed request is noted by its URL)
    r"(Unsatisfied|No satisfying) version .* shared|status of 404|Failed to load resource"
)
CLOCK = os.sysconf("SC_CLK_TCK")
# time_to_interactive's probe checks every 4 ms: for one page that costs nothing, but 20
# waiting pages polling at 4 ms take about a tenth of a 2-core machine. The crowd's pages
# check every 50 ms instead (figures up to 50 ms late; the bare baseline keeps 4 ms).
CROWD_PROBE = PROBE.replace("}, 4);", "}, 50);")
if CROWD_PROBE == PROBE:
    raise RuntimeError("time_to_interactive.PROBE changed: update CROWD_PROBE")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

WATCH_STATUS = """() => {
  clearInterval(window.__mkWatch);
  window.__mkUnsaved = false;
  window.__mkWatch = setInterval(() => {
    const s = document.querySelector('.mk-status');
    if (s && s.textContent.trim() === 'Unsaved changes') window.__mkUnsaved = true;
  }, 50);
}"""
SAVED_WITH = """([pattern, values]) => {
  const s = document.querySelector('.mk-status');
  return window.__mkUnsaved && s && new RegExp(pattern).test(s.textContent.trim())
    && Object.entries(values).every(([id, v]) => document.querySelector(
      `.mk-field-${id} textarea, .mk-field-${id} input[type=text]`)?.value === v);
}"""
READ_VALUES = """(ids) => ids.map((id) => document.querySelector(
  `.mk-field-${id} textarea, .mk-field-${id} input[type=text]`)?.value ?? null)"""
DESCRIBE = """() => {
  const s = document.querySelector('.mk-status');
  const text = (document.body?.innerText ?? '').replace(/\\s+/g, ' ').trim();
  const config = document.getElementById('jupyter-config-data');
  let kernel = null;
  try { kernel = JSON.parse(config?.textContent ?? '{}').kernelId ?? null; } catch (e) {}
  return {status: s ? s.textContent.trim() : null, ready: document.readyState, kernel,
          fields: document.querySelectorAll('.mk-field').length, end: text.slice(-100)};
}"""


@dataclass
class Person:
    """One participant: who they are, when they arrive, and what happened to them."""

    index: int
    name: str
    code: str
    role: str
    relationship: int
    arrival: float  # seconds after the crowd starts
    partner: Person | None = field(default=None, repr=False)
    home_ms: float | None = None
    worksheet_ms: float | None = None
    typed: dict[str, str] = field(default_factory=dict)
    saved: bool = False  # the page said "Saved hh:mm" after the typing, values in place
    seen: int = 0  # partner values shown on this person's page
    stored: int = 0  # this person's typed values found in the store afterwards
    failures: list[str] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)  # step -> seconds after arrival
    console: list[str] = field(default_factory=list)  # the pages' console warnings and errors
    phase: str = "sign-in"  # the page being opened, for the console messages
    pending: dict[object, tuple[str, float]] = field(default_factory=dict, repr=False)
    own_part_done: asyncio.Event | None = field(default=None, repr=False)
    own_part_at: float = 0.0
    arrived_at: float = 0.0  # time.monotonic() on arrival
    context: BrowserContext | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        return (
            self.home_ms is not None
            and self.worksheet_ms is not None
            and self.saved
            and self.seen == len(FIELDS[self.role])
        )


# --- the programme ----------------------------------------------------------------------


def arrivals(count: int, spread: float, how: str, seed: int) -> list[float]:
    """Arrival times in seconds: evenly over ``spread`` (first at 0, last at ``spread``) or
    uniformly at random with ``seed``."""
    if count == 1 or spread == 0:
        return [0.0] * count
    if how == "even":
        return [spread * i / (count - 1) for i in range(count)]
    rng = random.Random(seed)
    return [rng.uniform(0, spread) for _ in range(count)]


def stored_values(data: Path, people: list[Person]) -> None:
    """Count each person's typed values found in the store (read after the server stops)."""
    worksheet = load_folder(ROOT / "worksheets")[WORKSHEET]
    store = Store(data / DATABASE_NAME)
    try:
        for person in people:
            ids = {m.name: m.person_id for m in store.relationship(person.relationship).members}
            values = store.load(worksheet, person.relationship, ids[person.name]).values
            person.stored = sum(values.get(fid) == text for fid, text in person.typed.items())
    finally:
        store.close()


# --- processes: memory and CPU ---------------------------------------------------------


def _processes() -> dict[int, tuple[int, int, int, int]]:
    """Every process: pid -> (parent pid, start tick, CPU ticks, RSS bytes)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                rest = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (
            int(rest[1]),
            int(rest[19]),
            int(rest[11]) + int(rest[12]),
            int(rest[21]) * PAGE_SIZE,
        )
    return found


def _tree(processes: dict[int, tuple[int, int, int, int]], root: int) -> set[int]:
    """``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_) in processes.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in processes and pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, ()))
    return tree


@dataclass
class Sample:
    """One second of the crowd, as the sampler saw it."""

    at: float  # seconds since the sampler started
    rss: int  # bytes, the server's process tree
    kernels: int  # the server's child processes
    started: int  # "Kernel started" lines in the server log so far
    busy: float  # the machine's CPU busy share since the last sample
    main: float  # the server's main process, share of one core since the last sample


class Sampler(threading.Thread):
    """Every second: RSS of the server's process tree, its kernels, kernels started (from
    the server log), CPU of the machine, of the server's main process, of the server tree and
    of the browser side (this script's other children)."""

    def __init__(self, server_pid: int, log_path: Path, interval: float = 1.0):
        super().__init__(daemon=True)
        self.server_pid, self.log_path, self.interval = server_pid, log_path, interval
        self.samples: list[Sample] = []
        self.peak_rss = self.peak_processes = 0
        self.ticks: dict[tuple[int, int], int] = {}  # (pid, start tick) -> CPU ticks
        self.kinds: dict[tuple[int, int], str] = {}
        self.before: dict[tuple[int, int], int] = {}  # CPU ticks already used at the start
        self.began = 0.0
        self.stopping = threading.Event()

    def run(self) -> None:
        self.began = time.monotonic()
        with open(self.log_path, "rb") as log:
            log.seek(0, os.SEEK_END)
            started = 0
            last_main, last_cpu = None, cpu_busy()
            while not self.stopping.is_set():
                processes = _processes()
                server = _tree(processes, self.server_pid)
                browser = _tree(processes, os.getpid()) - server - {os.getpid()}
                rss = sum(processes[p][3] for p in server)
                if rss > self.peak_rss:
                    self.peak_rss, self.peak_processes = rss, len(server)
                for pid in server | browser:
                    key = (pid, processes[pid][1])
                    if not self.samples:
                        self.before[key] = processes[pid][2]
                    if key not in self.kinds:
                        self.kinds[key] = self.kind(pid, pid in server)
                    self.ticks[key] = processes[pid][2]
                started += log.read().count(b"Kernel started:")
                main = processes.get(self.server_pid, (0, 0, 0, 0))[2]
                cpu = cpu_busy()
                self.samples.append(
                    Sample(
                        time.monotonic() - self.began,
                        rss,
                        len(server) - 1,
                        started,
                        (cpu[0] - last_cpu[0]) / max(1, cpu[1] - last_cpu[1]),
                        0.0 if last_main is None else (main - last_main) / CLOCK / self.interval,
                    )
                )
                last_main, last_cpu = main, cpu
                self.stopping.wait(self.interval)

    def kind(self, pid: int, on_server: bool) -> str:
        """What a process is: the server's main process, a kernel, or on the browser side
        a Chromium renderer, its GPU process, another Chromium process, or the driver."""
        if pid == self.server_pid:
            return "server main"
        if on_server:
            return "kernels"
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read()  # Chromium rewrites its own: spaces, not NULs
        except OSError:
            return "other"
        for flag, kind in ((b"--type=renderer", "renderers"), (b"--type=gpu", "gpu")):
            if flag in command:
                return kind
        return "chromium other" if b"chromium" in command.split(b" ")[0] else "driver"

    def cpu_seconds(self, *kinds: str) -> float:
        """CPU time used by processes of these kinds while sampled (a process that ended
        loses at most its last second)."""
        return (
            sum(
                t - self.before.get(key, 0)
                for key, t in self.ticks.items()
                if self.kinds[key] in kinds
            )
            / CLOCK
        )


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far."""
    with open("/proc/stat") as stat:
        numbers = [int(n) for n in stat.readline().split()[1:]]
    idle = numbers[3] + numbers[4]
    return sum(numbers) - idle, sum(numbers)


# --- the baseline -----------------------------------------------------------------------


def bare_baseline(base: str, code: str, runs: int) -> tuple[float, list[float]]:
    """The bare notebook's cold TTI with ``time_to_interactive.visit`` (own browser,
    closed before the crowd): the warm-up's figure and each timed run's, in ms."""
    target = next(t for t in all_targets() if t.name == "bare")

    def signed_in(context: BrowserContext) -> None:
        page = context.new_page()
        sign_in_with_link(page, base, code, wait_until="commit")
        page.close()

    return timed_visits(base, target, runs, signed_in)


def timed_visits(base: str, target: Target, runs: int, prepare) -> tuple[float, list[float]]:
    """One warm-up visit then ``runs`` timed ones, in one fresh browser context made ready by
    ``prepare(context)``: the warm-up's TTI and each timed run's, in ms."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 2000})
            prepare(context)
            visit(context, base, target, record=True)  # warm-up: reported, not counted
            for _ in range(runs):
                visit(context, base, target, record=True)
        finally:
            browser.close()
    return target.probe_ms[0], target.probe_ms[1:]


def bare_on_stock_voila(notebooks: Path, log_path: Path, runs: int) -> tuple[float, list[float]]:
    """The bare notebook served by Voila as installed (``voila bare.ipynb``, no mentorkit):
    its cold TTI, the warm-up's and each timed run's, in ms."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "voila", str(notebooks / "bare.ipynb"), f"--port={port}"]
            + ["--no-browser", "--Voila.ip=127.0.0.1"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/voila/static/voila.js", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"voila did not start; see {log_path}") from None
                time.sleep(0.2)
        target = Target("bare", "/", ".widget-text input", "input")

        def offline(context: BrowserContext) -> None:
            context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())

        return timed_visits(base, target, runs, offline)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def bare_on_server(
    data: Path, notebooks: Path, log_path: Path, expect: int, code: str, runs: int
) -> tuple[float, list[float]]:
    """``bare_baseline`` on a server of its own started with ``--expect expect``: 0 for the
    cold baseline, more for the floor (the page's kernel started ahead)."""
    server = Server(
        data=data,
        port=free_port(),
        notebooks=notebooks,
        extra_args=["--expect", str(expect)],
        log_path=log_path,
    ).start()
    try:
        if expect:
            wait_for_ready_pages(server)
        return bare_baseline(server.url, code, runs)
    finally:
        server.stop()


# --- one person -------------------------------------------------------------------------


def probe_script() -> str:
    """The probe (``CROWD_PROBE``) for home and the worksheet, chosen by the address."""
    targets = {t.name: t for t in all_targets()}
    scripts = []
    for name in ("home", "worksheet"):
        target = targets[name]
        path = target.path.split("?")[0]
        needs_input = "false" if target.kind == "link" else "true"
        probe = CROWD_PROBE % (json.dumps(target.selector), json.dumps(target.text), needs_input)
        scripts.append(f"if (location.pathname.endsWith({json.dumps(path)})) {{{probe}}}")
    return "\n".join(scripts)


def text_box(page: Page, field_id: str):
    """A text or paragraph field's box (by class: the boxes have no accessible name)."""
    return page.locator(f".mk-field-{field_id}").locator("textarea, input[type=text]").first


async def interactive(page: Page, timeout_ms: float, since: float) -> float | None:
    """Time to interactive in ms from ``since`` (the wall clock, in ms, when the person
    pressed the button or link), or None if not within ``timeout_ms``. The probe marks the
    moment in the page that finally loads, so a wait on "Preparing your page" (which asks
    again every two seconds, each time a new document) is counted in full."""
    try:
        await page.wait_for_function(
            "window.__mkReady !== undefined", timeout=timeout_ms, polling=100
        )
        return await page.evaluate("performance.timeOrigin + window.__mkReady") - since
    except Exception:
        return None


def now_ms() -> float:
    return time.time() * 1000


async def describe(page: Page, base: str) -> str:
    """Why a page is not interactive: its status line, whether the HTML is still arriving
    (Voila streams it while the kernel runs the cells), how many fields it draws, the
    state of its kernel (from ``/api/kernels/<id>``) and the end of its text."""
    try:
        seen = await asyncio.wait_for(page.evaluate(DESCRIBE), 10)
    except Exception as error:
        return f"(could not read the page: {type(error).__name__})"
    kernel = "no kernel id"
    if seen["kernel"]:
        try:
            answer = await page.context.request.get(
                f"{base}/api/kernels/{seen['kernel']}", timeout=10_000
            )
            model = await answer.json() if answer.ok else {}
            kernel = (
                f"kernel {model.get('execution_state')}, {model.get('connections')} connections"
                if model
                else f"kernel: HTTP {answer.status}"
            )
        except Exception as error:
            kernel = f"kernel: {type(error).__name__}"
    return (
        f"status {seen['status']!r}, document {seen['ready']}, {seen['fields']} fields, "
        f"{kernel}; page ends {seen['end']!r}"
    )


async def own_part(person: Person, page: Page, base: str, args: argparse.Namespace) -> None:
    """Sign in, home, worksheet, type, saved."""
    timeout_ms = args.page_timeout * 1000

    def mark(step: str) -> None:
        person.times[step] = time.monotonic() - person.arrived_at

    try:
        await page.goto(f"{base}/signin?code={person.code}", wait_until="commit")
        pressed = now_ms()
        async with page.expect_navigation(wait_until="commit"):
            await page.locator("#signin").click()
    except Exception as error:
        person.failures.append(f"sign-in: {type(error).__name__}: {str(error)[:120]}")
        return
    mark("signed in")
    person.phase = "home"
    worksheet = f"{WORKSHEET}.ipynb?relationship={person.relationship}"
    person.home_ms = await interactive(page, timeout_ms, pressed)
    if person.home_ms is not None:
        mark("home")
        opened = "link"
    else:
        person.failures.append(
            f"home not interactive in {args.page_timeout:.0f} s: {waiting_for(person)}; "
            f"{await describe(page, base)}"
        )
        opened = "address"
    person.phase = "worksheet"
    try:
        await page.evaluate("delete window.__mkReady")
        pressed = now_ms()
        if opened == "link":
            await page.locator(f'a.mk-open[href="{worksheet}"]').click(timeout=timeout_ms)
            await page.wait_for_url(f"**/{worksheet}", wait_until="commit", timeout=timeout_ms)
            await page.evaluate(probe_script())  # the same probe, for a page drawn in place
        else:
            await page.goto(f"{base}/voila/render/{worksheet}", wait_until="commit")
    except Exception as error:
        person.failures.append(f"opening the worksheet by {opened}: {type(error).__name__}")
        return
    person.worksheet_ms = await interactive(page, timeout_ms, pressed)
    if person.worksheet_ms is not None:
        mark("worksheet")
    else:
        said = [c for c in dict.fromkeys(person.console) if c.startswith("worksheet")]
        person.failures.append(
            f"worksheet not interactive in {args.page_timeout:.0f} s: {waiting_for(person)}; "
            f"{await describe(page, base)}"
            + (f"; console ({len(said)}): {' | '.join(said[:2])}" if said else "")
        )
        return
    try:
        await page.evaluate(WATCH_STATUS)
        for field_id in FIELDS[person.role]:
            text = f"{field_id} by person {person.index + 1:02d}"
            box = text_box(page, field_id)
            await box.click(timeout=timeout_ms)
            await box.press_sequentially(text, delay=args.type_delay, timeout=timeout_ms)
            person.typed[field_id] = text
        mark("typed")
        await page.evaluate(WATCH_STATUS)  # from here: "Unsaved changes", then "Saved"
        await page.wait_for_function(
            SAVED_WITH, arg=[SAVED, person.typed], timeout=timeout_ms, polling=200
        )
        person.saved = True
        mark("saved")
    except Exception as error:
        person.failures.append(
            f"typing/saving ({len(person.typed)} typed): {type(error).__name__}; "
            f"{await describe(page, base)}"
        )


async def partner_values(person: Person, page: Page, base: str, args: argparse.Namespace) -> None:
    """Wait until the partner's typed values show on this page (or it is no use waiting:
    the partner's part ended without a confirmed save, or ``--page-timeout`` after it)."""
    partner = person.partner
    shown: list[str | None] = []
    while True:
        want = dict(partner.typed)
        try:
            shown = await asyncio.wait_for(page.evaluate(READ_VALUES, list(want)), 30)
            person.seen = sum(s == v for s, v in zip(shown, want.values(), strict=True))
        except Exception:
            shown = []
        if person.seen == len(FIELDS[partner.role]):
            person.times["partner seen"] = time.monotonic() - person.arrived_at
            return
        if partner.own_part_done.is_set() and (
            not partner.saved or time.monotonic() - partner.own_part_at > args.page_timeout
        ):
            if partner.saved:
                missing = [
                    f"{fid} shows {shown[i]!r}" if i < len(shown) else fid
                    for i, (fid, text) in enumerate(want.items())
                    if i >= len(shown) or shown[i] != text
                ]
                person.failures.append(
                    f"saw {person.seen}/3 of the partner's values {args.page_timeout:.0f} s "
                    f"after the partner's save ({'; '.join(missing)}); "
                    f"{await describe(page, base)}"
                )
            return
        await asyncio.sleep(0.5)


def failed_request(person: Person, url: str, failure: str | None) -> None:
    """Note a request that failed (and no longer wait for it)."""
    person.pending = {r: v for r, v in person.pending.items() if v[0] != url}
    heard(person, "request failed", f"{url[:80]} {failure or ''}")


def waiting_for(person: Person) -> str:
    """The page's requests still unanswered after 5 s, for a failure message."""
    now = time.monotonic()
    old = [(url, now - t) for url, t in person.pending.values() if now - t > 5]
    if not old:
        return "no request pending"
    shown = ", ".join(f"{url.split('?')[0][-60:]} ({age:.0f} s)" for url, age in old[:3])
    return f"{len(old)} requests pending: {shown}"


def heard(person: Person, kind: str, text: str) -> None:
    """Keep a page's console warnings and errors (the first 40, not the ones every page
    shows), with the page's name."""
    if kind in ("warning", "error", "uncaught", "request failed") and len(person.console) < 40:
        if ROUTINE.search(text):
            return
        person.console.append(f"{person.phase} {kind}: {' '.join(text.split())[:200]}")


async def run_person(
    person: Person, browser: Browser, base: str, start: float, args: argparse.Namespace
) -> None:
    """One person's visit, from arrival to seeing the partner's values."""
    await asyncio.sleep(max(0.0, start + person.arrival - time.monotonic()))
    person.arrived_at = time.monotonic()
    try:
        context = await browser.new_context(viewport={"width": 1280, "height": 2000})
        person.context = context
        context.set_default_timeout(args.page_timeout * 1000)
        context.set_default_navigation_timeout(args.page_timeout * 1000)
        page = await context.new_page()
        page.on("console", lambda message: heard(person, message.type, message.text))
        page.on("pageerror", lambda error: heard(person, "uncaught", str(error)))
        page.on("request", lambda r: person.pending.update({r: (r.url, time.monotonic())}))
        page.on("requestfinished", lambda r: person.pending.pop(r, None))
        page.on("requestfailed", lambda r: failed_request(person, r.url, r.failure))
        await page.add_init_script(probe_script())
        try:
            await own_part(person, page, base, args)
        finally:
            person.own_part_at = time.monotonic()
            person.own_part_done.set()
        if person.worksheet_ms is not None:  # on the worksheet, saved or not
            await partner_values(person, page, base, args)
    except Exception as error:
        person.failures.append(f"{type(error).__name__}: {str(error)[:120]}")
    finally:
        person.own_part_done.set()


async def crowd(people: list[Person], base: str, args: argparse.Namespace) -> tuple[float, float]:
    """Everyone's visits in one browser; returns when the crowd started and when the last
    person was done (``time.monotonic()``), before the pages are closed."""
    for person in people:
        person.own_part_done = asyncio.Event()
    limit = args.spread + 4 * args.page_timeout + 60  # nothing may keep the run from ending
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = time.monotonic()
        tasks = [asyncio.create_task(run_person(p, browser, base, start, args)) for p in people]
        _, pending = await asyncio.wait(tasks, timeout=limit)
        for person, task in zip(people, tasks, strict=True):
            if task in pending:
                task.cancel()
                person.failures.append(f"still going after the run's limit of {limit:.0f} s")
        if pending:
            await asyncio.wait(pending, timeout=30)
        end = time.monotonic()
        closing = [asyncio.wait_for(p.context.close(), 30) for p in people if p.context is not None]
        await asyncio.gather(*closing, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(browser.close(), 60)
    return start, end


# --- the report -------------------------------------------------------------------------


@dataclass
class Run:
    """What one run measured, for the report."""

    args: argparse.Namespace
    people: list[Person]
    log_path: Path
    bare_warm: float | None
    bare_runs: list[float]
    """The bare notebook on Voila as installed, cold: the baseline."""
    bare_error: str
    own_runs: list[float]
    """The bare notebook on mentorkit serve, cold."""
    ready_runs: list[float]
    """The same with its kernel started ahead: mentorkit's page front-end alone."""
    sampler: Sampler
    crowd_start: float  # time.monotonic()
    crowd_end: float
    loads: tuple[float, float, float]  # 1-minute load average: start, before crowd, after
    began: float

    @property
    def bare(self) -> float | None:
        return statistics.median(self.bare_runs) if self.bare_runs else None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``inf`` for pages that never became interactive)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(value: float | None, timeout: float) -> str:
    """A time in ms, or "over the timeout" for a page that never became interactive."""
    if value is None or math.isinf(value):
        return f">{timeout:.0f} s"
    return f"{value:.0f} ms"


def print_pages(run: Run) -> dict[str, tuple[float, float]]:
    """The TTI table; returns each page's (p50, p95) in ms, inf when not interactive."""
    n, timeout, bare = len(run.people), run.args.page_timeout, run.bare
    print(
        f"  {'page':<10} {'interactive':>11} {'p50':>9} {'p95':>9} {'max':>9} "
        f"{'p50/bare':>9}  (probe: navigation start -> link/first field usable)"
    )
    figures = {}
    for page, attr in (("home", "home_ms"), ("worksheet", "worksheet_ms")):
        values = [getattr(p, attr) for p in run.people]
        ready = [v for v in values if v is not None]
        every = [math.inf if v is None else v for v in values]
        p50, p95, top = statistics.median(every), percentile(every, 0.95), max(every)
        figures[page] = (p50, p95)
        ratio = f"{p50 / bare:.2f}x" if bare and not math.isinf(p50) else "-"
        print(
            f"  {page:<10} {len(ready):>5}/{n:<5} {ms(p50, timeout):>9} {ms(p95, timeout):>9} "
            f"{ms(top, timeout):>9} {ratio:>9}"
        )
        if ready and len(ready) < n:
            print(
                f"  {'':<10} of those interactive: p50 {statistics.median(ready):.0f} ms, "
                f"p95 {percentile(ready, 0.95):.0f} ms, max {max(ready):.0f} ms"
            )
    return figures


def print_timeline(run: Run) -> None:
    """Arrivals, kernels, pages and saves over the crowd, in about a dozen rows."""
    samples, offset = run.sampler.samples, run.sampler.began - run.crowd_start
    if not samples:
        return
    wall = run.crowd_end - run.crowd_start
    step = max(5, math.ceil(wall / 12 / 5) * 5)

    def events(step_name: str, until: float) -> int:
        return sum(
            p.arrived_at + p.times[step_name] - run.crowd_start <= until
            for p in run.people
            if step_name in p.times and p.arrived_at
        )

    print(
        f"  {'t (s)':>6} {'arrived':>7} {'kernels started/alive':>21} {'home':>5} "
        f"{'sheet':>5} {'saved':>5} {'RSS GB':>6} {'CPU busy':>8} {'server main':>11}"
    )
    edges = [*range(step, math.ceil(wall) + step, step)]
    for until in edges:
        window = [s for s in samples if until - step < s.at + offset <= until] or [
            min(samples, key=lambda s: abs(s.at + offset - until))
        ]
        last = window[-1]
        print(
            f"  {until:>6} {sum(p.arrival <= until for p in run.people):>7} "
            f"{last.started:>12}/{last.kernels:<8} {events('home', until):>5} "
            f"{events('worksheet', until):>5} {events('saved', until):>5} "
            f"{max(s.rss for s in window) / 1e9:>6.2f} "
            f"{statistics.mean(s.busy for s in window):>8.0%} "
            f"{statistics.mean(s.main for s in window):>11.0%}"
        )


def server_log_summary(log: str) -> list[str]:
    """Counts of what the server log says about kernels, timeouts and errors, and its most
    frequent warnings (the usual start-up ones left out)."""
    patterns = {
        "kernels started": r"Kernel started:",
        "shut down": r"Kernel shutdown:",
        "timeouts": r"^(?!.*websocket_ping_timeout).*([Tt]imeout|timed out)",
        "kernel died/restarted": r"KernelRestarter|[Kk]ernel died|[Rr]estarting kernel",
        "403": r" 403 ",
        "5xx": r"\b5\d\d (GET|POST)",
        "tracebacks": r"Traceback",
        "no such comm": r"^No such comm",
    }
    counts = ", ".join(f"{k} {len(re.findall(p, log, re.M))}" for k, p in patterns.items())
    lines = [f"  server log: {counts}"]
    usual = re.compile(r"not trusted|running over TCP without encryption|websocket_ping_timeout")
    noted = Counter(
        re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+(\.\d+)?", "#", line.strip())[:140]
        for line in log.splitlines()
        if re.search(r"WARNING|ERROR|CRITICAL|Traceback|[Tt]imeout|Error\b", line)
        and not usual.search(line)
    )
    for line, count in noted.most_common(6):
        lines.append(f"    {count:4d} x {line}")
    return lines


def print_report(run: Run) -> None:
    """Everything the run measured, then the targets and the verdict."""
    args, people, sampler, bare = run.args, run.people, run.sampler, run.bare
    n, timeout = len(people), args.page_timeout
    print(
        f"Workshop load: {n} people ({n // 2} one-to-one pairs), arrivals {args.arrivals} "
        f"over {args.spread:g} s"
        + (f" (seed {args.seed})" if args.arrivals == "random" and args.spread else "")
        + f"; one Chromium ({CHROMIUM}), a context per person; page timeout {timeout:g} s"
    )
    if args.serve_arg:
        print(f"  mentorkit serve {' '.join(args.serve_arg)}")
    print(f"  server log (kept, in the run's data folder): {run.log_path}")
    print()
    if bare is None:
        print(f"  bare baseline FAILED: {run.bare_error}")
    else:
        print(
            f"  bare notebook (one ipywidgets.Text) on Voila as installed, cold, before the "
            f"crowd (the baseline): warm-up {run.bare_warm:.0f} ms; runs "
            f"{' / '.join(f'{r:.0f}' for r in run.bare_runs)} ms -> median {bare:.0f} ms"
        )
    for runs, what in (
        (run.own_runs, "on mentorkit serve, cold"),
        (run.ready_runs, "on mentorkit serve, its kernel started ahead (the front-end alone)"),
    ):
        if runs and bare:
            median = statistics.median(runs)
            print(
                f"  the same notebook {what}: runs {' / '.join(f'{r:.0f}' for r in runs)} ms"
                f" -> median {median:.0f} ms = {median / bare:.2f}x bare cold"
            )
    print()
    figures = print_pages(run)
    complete = sum(p.complete for p in people)
    stored = sum(p.stored for p in people)
    seen = sum(p.seen for p in people)
    values = 3 * n
    busy = statistics.mean(s.busy for s in sampler.samples) if sampler.samples else 0.0
    print()
    print(f"  people complete (both pages, 3 saved, partner's 3 seen): {complete}/{n}")
    print(
        f"  saves confirmed on the page (Saved hh:mm after typing): {sum(p.saved for p in people)}/{n}"
    )
    print(
        f"  values typed {sum(len(p.typed) for p in people)}/{values}; in the store "
        f"afterwards {stored}/{values}; partner values seen on the page {seen}/{values}"
    )
    print(
        f"  server + kernels RSS: peak {sampler.peak_rss / 1e9:.2f} GB ({sampler.peak_processes}"
        f" processes), sampled every second"
    )
    browser = ("renderers", "gpu", "chromium other", "driver")
    print(
        f"  CPU during the crowd: machine {busy:.0%} busy ({os.cpu_count()} CPUs); server "
        f"main process {sampler.cpu_seconds('server main'):.0f} s, kernels "
        f"{sampler.cpu_seconds('kernels'):.0f} s; browser side "
        f"{sampler.cpu_seconds(*browser):.0f} s ("
        + ", ".join(f"{k} {sampler.cpu_seconds(k):.0f}" for k in browser)
        + ")"
    )
    spans = []
    for step in ("signed in", "home", "worksheet", "typed", "saved", "partner seen"):
        at = [p.times[step] for p in people if step in p.times]
        if at:
            spans.append(f"{step} {statistics.median(at):.0f}/{max(at):.0f}")
    print(f"  s after arrival, median/max: {', '.join(spans)}")
    print(
        "  load average (1 min) at start / before the crowd / after: "
        + " / ".join(f"{x:.1f}" for x in run.loads)
    )
    print(
        f"  wall time: crowd {run.crowd_end - run.crowd_start:.0f} s, whole run "
        f"{time.monotonic() - run.began:.0f} s"
    )
    print()
    print_timeline(run)
    print()
    for line in server_log_summary(run.log_path.read_text(errors="replace")):
        print(line)
    said = Counter(
        line
        for p in people
        for line in {
            re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+", "#", c)[:150]
            for c in p.console
        }
    )
    if said:
        print("  browser console (people whose pages said it):")
        for line, count in said.most_common(8):
            print(f"    {count:4d} x {line}")
    failed = [p for p in people if p.failures]
    if failed:
        print(f"\n  what went wrong ({len(failed)} people):")
        kinds = Counter(
            re.sub(r"\d+", "#", re.sub(r"; page ends .*", "", f))[:220]
            for p in failed
            for f in p.failures
        )
        for kind, count in kinds.most_common(6):
            print(f"    {count:3d} x {kind}")
        for p in failed[:4]:
            line = f"{p.name} ({p.role}, arrived {p.arrival:.0f} s): {'; '.join(p.failures)}"
            print(f"    {line[:400]}")
    print_targets(run, figures, complete, stored, seen)


def print_targets(
    run: Run, figures: dict[str, tuple[float, float]], complete: int, stored: int, seen: int
) -> None:
    """PASS/FAIL against issue 14's targets; at spread 0 only completion and nothing lost
    count (the TTI and memory targets are set for the spread-out crowd)."""
    n, bare = len(run.people), run.bare
    checks = [
        (f"{n}/{n} complete", complete == n, True),
        ("every typed value saved and seen by the partner", stored == seen == 3 * n, True),
    ]
    for page, label in (("home", "home"), ("worksheet", "home -> worksheet")):
        p50, p95 = figures[page]
        checks.append(
            (f"{label} TTI p95 <= {P95_TARGET_MS / 1000:g} s", p95 <= P95_TARGET_MS, False)
        )
        checks.append(
            (
                f"{label} TTI median <= {RATIO_TARGET}x bare cold",
                bare is not None and p50 <= RATIO_TARGET * bare,
                False,
            )
        )
    checks.append(
        (
            f"server + kernels memory <= {MEMORY_TARGET_GB:g} GB",
            run.sampler.peak_rss <= MEMORY_TARGET_GB * 1e9,
            False,
        )
    )
    print("\n  targets (issue 14):")
    counted = []
    for label, ok, always in checks:
        counts = always or run.args.spread > 0
        note = "" if counts else "  (set for the spread-out crowd; not counted)"
        print(f"    {'PASS' if ok else 'FAIL'}  {label}{note}")
        if counts:
            counted.append(ok)
    print(f"\nResult: {'PASS' if all(counted) else 'FAIL'}")


def make_people(data: Path, args: argparse.Namespace) -> list[Person]:
    """The programme's new pairs as ``Person`` records, partners linked, arrivals set."""
    times = arrivals(args.people, args.spread, args.arrivals, args.seed)
    people: list[Person] = []
    for rel, mentor, mentee in add_pairs(data, args.people // 2):
        for role, (name, code) in (("mentor", mentor), ("mentee", mentee)):
            people.append(Person(len(people), name, code, role, rel, times[len(people)]))
    for a, b in zip(people[0::2], people[1::2], strict=True):
        a.partner, b.partner = b, a
    return people


def wait_for_ready_pages(server: Server, within: float = 300) -> str:
    """Wait until the kernels the server prepares ahead (its start-up line says how many)
    have started, as they would have before a workshop begins; says how long it took."""
    started = time.monotonic()
    wanted = None
    while time.monotonic() - started < within:
        log = server.log()
        if wanted is None:
            said = re.search(r"(\d+) pages are prepared ahead", log)
            wanted = int(said[1]) if said else (0 if "No pages are prepared" in log else None)
        if wanted is not None and log.count("Kernel started:") >= wanted:
            return f"{wanted} pages prepared ahead in {time.monotonic() - started:.1f} s"
        time.sleep(0.5)
    return f"pages prepared ahead: not all within {within:.0f} s"


def main() -> None:
    """Parse the options, run the baseline and the crowd, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40, help="participants (even: pairs)")
    parser.add_argument("--spread", type=float, default=60, help="arrivals over this many s")
    parser.add_argument("--arrivals", choices=("even", "random"), default="even")
    parser.add_argument("--seed", type=int, default=14, help="for --arrivals random")
    parser.add_argument("--page-timeout", type=float, default=120, help="s per page and wait")
    parser.add_argument("--bare-runs", type=int, default=3, help="timed bare visits (median)")
    parser.add_argument("--type-delay", type=float, default=40, help="ms between keystrokes")
    parser.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for mentorkit serve (repeat; e.g. --serve-arg=--expect=40)",
    )
    args = parser.parse_args()
    if args.people < 2 or args.people % 2:
        parser.error("--people must be even and at least 2 (one-to-one pairs)")
    if args.spread < 0 or args.page_timeout <= 0 or args.bare_runs < 1:
        parser.error("--spread >= 0, --page-timeout > 0 and --bare-runs >= 1 please")

    load_start = os.getloadavg()[0]
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="mk-workshop-"))  # kept: the server log is in it
    data = folder / "data"
    codes = init_demo(data)
    people = make_people(data, args)
    notebooks = make_notebooks(folder)
    bare_warm, bare_runs, bare_error, own_runs, ready_runs = None, [], "", [], []
    try:  # the baseline, then mentorkit's cold and with its kernel ready ahead (the floor)
        code, runs = codes[BARE_SIGNER], args.bare_runs
        bare_warm, bare_runs = bare_on_stock_voila(notebooks, folder / "baseline.log", runs)
        _, own_runs = bare_on_server(data, notebooks, folder / "cold.log", 0, code, runs)
        _, ready_runs = bare_on_server(data, notebooks, folder / "floor.log", 8, code, runs)
    except Exception as error:
        bare_error = f"{type(error).__name__}: {str(error)[:200]}"
    server = Server(
        data=data, port=free_port(), notebooks=notebooks, extra_args=args.serve_arg
    ).start()
    sampler = Sampler(server.process.pid, server.log_path)
    try:
        print(f"Server ready; {wait_for_ready_pages(server)}", flush=True)
        load_crowd = os.getloadavg()[0]
        sampler.start()
        crowd_start, crowd_end = asyncio.run(crowd(people, server.url, args))
        sampler.stopping.set()
        sampler.join(5)
    finally:
        server.stop()
    stored_values(data, people)
    loads = (load_start, load_crowd, os.getloadavg()[0])
    print_report(
        Run(
            args,
            people,
            server.log_path,
            bare_warm,
            bare_runs,
            bare_error,
            own_runs,
            ready_runs,
            sampler,
            crowd_start,
            crowd_end,
            loads,
            began,
        )
    )


if __name__ == "__main__":
    main()
