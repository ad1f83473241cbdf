"""Running a real ``mentorkit serve`` in a subprocess, for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_CODE_LINE = re.compile(
    r"^\s+(?P<name>.+?)\s{2,}(?P<role>\w+)\s+(?P<code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"
)


_unverified = ssl._create_unverified_context()  # the tests' self-signed certificates


def sign_in_with_link(page, url: str, code: str, wait_until: str = "load"):
    """In a Playwright ``page``: open a card's sign-in link for ``code`` on the server at
    ``url`` and press "Sign in", as a person does; returns the response it led to."""
    page.goto(f"{url}/signin?code={code}", wait_until=wait_until)
    with page.expect_navigation(wait_until=wait_until) as navigation:
        page.locator("#signin").click()
    return navigation.value


async def sign_in_with_link_async(page, url: str, code: str, wait_until: str = "load"):
    """``sign_in_with_link`` for a page of Playwright's async API (many people at once)."""
    await page.goto(f"{url}/signin?code={code}", wait_until=wait_until)
    async with page.expect_navigation(wait_until=wait_until) as navigation:
        await page.locator("#signin").click()
    return await navigation.value


def stop_process_group(process: subprocess.Popen | None, patience: float) -> None:
    """Stop a process started in a session of its own, and everything it started: politely,
    then, after ``patience`` seconds, not."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def init_demo(data: Path, kit: Path | None = None) -> dict[str, str]:
    """Create the demo programme in ``data`` (using ``kit``, if given); returns each person's
    name -> access code."""
    result = subprocess.run(
        [sys.executable, "-m", "mentorkit", "init", "--demo", "--data", str(data)]
        + (["--kit", str(kit)] if kit is not None else []),
        check=True,
        capture_output=True,
        text=True,
    )
    codes = {}
    for line in result.stdout.splitlines():
        match = _CODE_LINE.match(line)
        if match:
            codes[match["name"]] = match["code"]
    return codes


@dataclass
class Server:
    """A running ``mentorkit serve`` (or ``command``, e.g. ``preview``); ``stop()`` ends it,
    ``restart()`` starts it again."""

    data: Path
    port: int
    notebooks: Path | None = None
    log_path: Path | None = None
    extra_args: list[str] = field(default_factory=list)
    scheme: str = "http"
    command: str = "serve"
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        env = {**os.environ, "MENTORKIT_DATA": str(self.data)}
        for name in (
            "MENTORKIT_CODE",
            "MENTORKIT_STRICT",
            "MENTORKIT_NOTEBOOK_DATA",
            "MENTORKIT_KIT",  # the server uses the kit its programme was created with
            "MENTORKIT_WORKSHEETS",
            "MENTORKIT_STORE",  # a server on PostgreSQL says so with --store
        ):
            env.pop(name, None)
        if self.notebooks is not None:
            env["MENTORKIT_NOTEBOOKS"] = str(self.notebooks)
        self.log_path = self.log_path or self.data / "serve.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mentorkit",
                self.command,
                "--port",
                str(self.port),
                *self.extra_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mentorkit {self.command} exited early; see {self.log_path}")
            try:
                urllib.request.urlopen(f"{self.url}/signin", timeout=2, context=_unverified).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"mentorkit {self.command} did not answer within {timeout}s; see {self.log_path}"
        )

    def stop(self) -> None:
        stop_process_group(self.process, 15)
        self.process = None

    def restart(self) -> Server:
        self.stop()
        return self.start()

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace")
            if self.log_path and self.log_path.exists()
            else ""
        )


def add_pairs(data: Path, pairs: int) -> list[tuple[int, tuple[str, str], tuple[str, str]]]:
    """Add ``pairs`` one-to-one relationships of new people to the programme in ``data``;
    returns each relationship id with its (name, code) mentor and mentee."""
    from mentorkit.core import access
    from mentorkit.core.paths import DATABASE_NAME
    from mentorkit.core.store import Store

    store = Store(data / DATABASE_NAME)
    try:
        programme = store.programme().id
        people: list[tuple[str, str, dict]] = [
            (f"Person {i + 1:02d}", f"person{i + 1:02d}@example.org", {}) for i in range(2 * pairs)
        ]
        added = access.add_people(store, programme, people)
        made = []
        for mentor, mentee in zip(added[0::2], added[1::2], strict=True):
            rel = store.add_relationship(
                programme, "one-to-one", [(mentor[0].id, "mentor"), (mentee[0].id, "mentee")]
            )
            made.append((rel.id, (mentor[0].name, mentor[1]), (mentee[0].name, mentee[1])))
        return made
    finally:
        store.close()
