"""Scale past one laptop: mentorkit servers sharing one PostgreSQL store, against the single
SQLite server, in the same run. Issue 18, item 3.

Two parts:

1. **Saves at the store**, no browser: ``--writers`` processes (each one a page's kernel,
   with its own connection) save a pair's worksheet ``--saves`` times each as fast as they
   can, every save a real ``Store.save`` (the revision check, the row lock on PostgreSQL, the
   append): save latency p50/p95 and saves per second, on the SQLite file and on PostgreSQL.
2. **People in browsers**: a programme of ``--people`` (pairs) made once on PostgreSQL and
   copied to SQLite with ``mentorkit store copy`` (same people, same codes); then, for the
   single SQLite server and for ``--servers`` servers on PostgreSQL (people spread across
   them in turn), everyone signs in with their code in their own Chromium context, opens their
   pair's worksheet, types into their own field and presses Save. Reported per set-up: the
   worksheet's time to interactive (from asking for it to its text box usable, any waiting
   in the queue included) and the
   save latency (Save pressed to "Saved hh:mm" on the page), p50/p95, and every value found
   in the store afterwards.

    python benchmarks/hub_scale.py [--people 20] [--servers 2] [--writers 8] [--saves 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from mentorkit.core import access  # noqa: E402
from mentorkit.core.spec_loader import load_worksheet  # noqa: E402
from mentorkit.core.store import Store  # noqa: E402
from mentorkit.core.store.copy import copy_store  # noqa: E402
from mentorkit.postgres_server import PostgresServer  # noqa: E402
from mentorkit.testing import CHROMIUM, CHROMIUM_ARGS, Server, free_port  # noqa: E402

SHEET = ROOT / "worksheets" / "getting-to-know-each-other.yaml"
FIELD = {"mentor": "mentor_background", "mentee": "mentee_background"}


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def line(label: str, values: list[float], unit: str = "ms") -> str:
    if not values:
        return f"  {label:<44} none"
    return (
        f"  {label:<44} p50 {p(values, 0.5):7.1f} {unit}  p95 {p(values, 0.95):7.1f} {unit}"
        f"  ({len(values)})"
    )


# --- 1. saves at the store -------------------------------------------------------------------


def make_programme(location: str, pairs: int) -> list[tuple[int, tuple[str, str], tuple[str, str]]]:
    """``pairs`` one-to-one pairs; each as (relationship id, (mentor name, code), (mentee...))."""
    store = Store(location)
    programme = store.create_programme("Scale")
    made = []
    for i in range(pairs):
        mentor, mentor_code = access.add_person(store, programme.id, f"Mentor {i + 1}")
        mentee, mentee_code = access.add_person(store, programme.id, f"Mentee {i + 1}")
        pair = store.add_relationship(
            programme.id, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
        )
        made.append((pair.id, (mentor.name, mentor_code), (mentee.name, mentee_code)))
    store.close()
    return made


def writer(location: str, pair_id: int, saves: int) -> list[float]:
    """One kernel's worth of saves, each timed (ms)."""
    sheet = load_worksheet(SHEET)
    store = Store(location)
    mentor = store.relationship(pair_id).members[0].person_id
    timings = []
    for n in range(saves):
        start = time.perf_counter()
        bases = store.load(sheet, pair_id, mentor).revisions
        store.save(sheet, pair_id, mentor, {"mentor_background": f"draft {n}"}, bases)
        timings.append((time.perf_counter() - start) * 1000)
    store.close()
    return timings


def store_saves(label: str, location: str, writers: int, saves: int) -> tuple[float, float]:
    pairs = make_programme(location, writers)
    start = time.perf_counter()
    with ProcessPoolExecutor(writers) as pool:
        results = list(
            pool.map(writer, [location] * writers, [p[0] for p in pairs], [saves] * writers)
        )
    wall = time.perf_counter() - start
    timings = [t for r in results for t in r]
    rate = len(timings) / wall
    print(line(f"{label}: load + save, {writers} at once", timings) + f"  {rate:6.0f} saves/s")
    return p(timings, 0.5), rate


# --- 2. people in browsers ------------------------------------------------------------------


async def person(browser, url: str, code: str, pair_id: int, role: str, text: str) -> tuple:
    context = await browser.new_context()
    page = await context.new_page()
    try:
        await page.goto(f"{url}/signin?code={code}")
        async with page.expect_navigation():
            await page.locator("#signin").click()
        box = page.locator(f".mk-field-{FIELD[role]} textarea")
        start = time.perf_counter()  # the worksheet's time to interactive, waiting included
        await page.goto(
            f"{url}/voila/render/getting-to-know-each-other.ipynb?relationship={pair_id}",
            wait_until="commit",
        )
        await box.wait_for(state="visible", timeout=180_000)
        while not await box.is_enabled():
            await asyncio.sleep(0.02)
        tti = (time.perf_counter() - start) * 1000
        await box.fill(text)
        start = time.perf_counter()
        await page.locator(".mk-savebar").get_by_role("button", name="Save").click()
        await page.locator(".mk-status", has_text="Saved ").wait_for(timeout=60_000)
        return tti, (time.perf_counter() - start) * 1000
    finally:
        await context.close()


async def crowd(urls: list[str], pairs: list, label: str) -> tuple[list[float], list[float]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        jobs = []
        for i, (pair_id, mentor, mentee) in enumerate(pairs):
            for j, (role, (name, code)) in enumerate((("mentor", mentor), ("mentee", mentee))):
                url = urls[(2 * i + j) % len(urls)]
                jobs.append(person(browser, url, code, pair_id, role, f"{label}: {name}"))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        await browser.close()
    done = [r for r in results if not isinstance(r, BaseException)]
    for r in results:
        if isinstance(r, BaseException):
            print(f"  {label}: a person did not finish: {type(r).__name__}: {str(r)[:200]}")
    return [r[0] for r in done], [r[1] for r in done]


def kept(location: str, pairs: list, label: str) -> int:
    sheet = load_worksheet(SHEET)
    store = Store(location)
    found = 0
    for pair_id, _mentor, _mentee in pairs:
        mentor = store.relationship(pair_id).members[0].person_id
        values = store.load(sheet, pair_id, mentor).values
        found += sum(1 for f in FIELD.values() if str(values.get(f, "")).startswith(label))
    store.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20, help="people in browsers (pairs)")
    parser.add_argument("--servers", type=int, default=2, help="mentorkit servers on PostgreSQL")
    parser.add_argument("--writers", type=int, default=8, help="processes saving at once")
    parser.add_argument("--saves", type=int, default=50, help="saves per writer")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mk-scale-"))
    postgres = PostgresServer().start()
    servers: list[Server] = []
    try:
        print(f"Scale: 2 cores; PostgreSQL {postgres.port} in {postgres.folder}; data in {folder}")
        print("\n1. Saves at the store (each writer a process with its own connection)")
        sqlite_p50, sqlite_rate = store_saves(
            "SQLite file", str(folder / "saves.sqlite3"), args.writers, args.saves
        )
        pg_p50, pg_rate = store_saves("PostgreSQL", postgres.url("saves"), args.writers, args.saves)
        print(
            f"  PostgreSQL/SQLite: latency {pg_p50 / sqlite_p50:.2f}x, rate {pg_rate / sqlite_rate:.2f}x"
        )

        print(f"\n2. {args.people} people in Chromium: sign in, worksheet, type, Save")
        url = postgres.url("programme")
        pairs = make_programme(url, args.people // 2)
        data = folder / "sqlite-data"
        data.mkdir()
        copy_store(url, str(data / "mentorkit.sqlite3"))
        figures = {}
        for label, count, store_args, location in (
            ("single SQLite server", 1, [], str(data / "mentorkit.sqlite3")),
            (f"{args.servers} servers on PostgreSQL", args.servers, ["--store", url], url),
        ):
            started = [
                Server(
                    data=folder / f"{label[:6]}-{n}" if store_args else data,
                    port=free_port(),
                    extra_args=[*store_args, "--expect", str(args.people // count + 2)],
                )
                for n in range(count)
            ]
            for server in started:
                server.data.mkdir(exist_ok=True)
                servers.append(server.start(timeout=120))
            time.sleep(5 + args.people // count)  # the kernels prepared ahead start
            start = time.perf_counter()
            ttis, saves = asyncio.run(crowd([s.url for s in started], pairs, label))
            wall = time.perf_counter() - start
            found = kept(location, pairs, label)
            print(line(f"{label}: worksheet TTI", ttis))
            print(line(f"{label}: Save -> Saved", saves))
            print(
                f"  {label}: {len(saves)}/{args.people} saved, {found}/{args.people} in the store, {wall:.0f} s"
            )
            figures[label] = (statistics.median(ttis) if ttis else float("nan"),
                              statistics.median(saves) if saves else float("nan"), found)  # fmt: skip
            for server in started:
                server.stop()
        (one_tti, one_save, one_found), (many_tti, many_save, many_found) = figures.values()
        print(
            f"  PostgreSQL servers / SQLite server: TTI {many_tti / one_tti:.2f}x, "
            f"save {many_save / one_save:.2f}x"
        )
        ok = one_found == args.people and many_found == args.people
        print(f"\nResult: {'PASS' if ok else 'FAIL'} (every typed value in the store)")
        return 0 if ok else 1
    finally:
        for server in servers:
            server.stop()
        postgres.stop()


if __name__ == "__main__":
    os.environ.pop("MENTORKIT_STORE", None)
    sys.exit(main())
