"""Pages made ready before people arrive (``serve --expect N``): served from the pool, still
private to their person, and the kernels' request socket closed to everyone else."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from mentorkit.testing import Server, free_port, init_demo

from .conftest import Demo, sign_in, status, text_box, wait_loaded

pytestmark = pytest.mark.e2e

POOLED = re.compile(r"Using pre-heated kernel: ([0-9a-f-]{36}) for (\S+)")


@pytest.fixture(scope="module")
def ready(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data = tmp_path_factory.mktemp("pools")
    codes = init_demo(data)
    server = Server(data=data, port=free_port(), extra_args=["--expect", "8"]).start()
    yield Demo(server, codes)
    server.stop()


def kernel_secret(server: Server) -> str:
    """The query secret, as a kernel of this server sees it (read from its environment)."""
    pids = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
    ).stdout.split()
    for pid in pids:
        for line in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if line.startswith(b"MENTORKIT_QUERY_SECRET="):
                return line.split(b"=", 1)[1].decode()
    raise AssertionError("no kernel knows the secret")


def query_socket(server: Server, path: str, headers: dict | None = None):
    """Connect to the request-info socket; returns what it sent, or None once it closed."""

    async def run():
        url = f"ws://127.0.0.1:{server.port}/voila/query/{path}"
        connection = await websocket_connect(HTTPRequest(url, headers=headers or {}))
        try:
            return await asyncio.wait_for(connection.read_message(), 3)
        except asyncio.TimeoutError:
            return "still open"

    with ThreadPoolExecutor(1) as thread:
        try:
            return thread.submit(asyncio.run, run()).result()
        except Exception as error:  # refused at the handshake
            return f"refused: {error.__class__.__name__}"


def test_pages_come_from_the_pool_and_stay_their_persons(ready, new_context):
    page = sign_in(new_context(), ready, "Amara Okafor")
    page.goto(f"{ready.url}/voila/render/getting-to-know-each-other.ipynb?relationship=1")
    wait_loaded(page)
    text_box(page, "mentee_hopes").fill("Ready before I was")
    expect(status(page)).to_have_text(re.compile(r"^Saved \d"))

    handed = dict((name, kernel) for kernel, name in POOLED.findall(ready.server.log()))
    assert {"home.ipynb", "getting-to-know-each-other.ipynb"} <= set(handed), handed
    kernel = handed["getting-to-know-each-other.ipynb"]
    assert requests.get(f"{ready.url}/api/kernels/{kernel}").status_code == 403
    ben = requests.Session()
    ben.get(f"{ready.url}/signin")
    ben.post(
        f"{ready.url}/signin",
        data={"code": ready.codes["Ben Hughes"], "_xsrf": ben.cookies["_xsrf"]},
    )
    assert ben.get(f"{ready.url}/api/kernels/{kernel}").status_code == 403

    # Ben's page from the pool is his, and shows what Amara saved.
    ben_page = sign_in(new_context(), ready, "Ben Hughes")
    ben_page.goto(f"{ready.url}/voila/render/getting-to-know-each-other.ipynb?relationship=1")
    wait_loaded(ben_page)
    expect(text_box(ben_page, "mentee_hopes")).to_have_value("Ready before I was")
    expect(ben_page.locator(".mk-header")).to_contain_text("Signed in as Ben Hughes")


def test_the_request_socket_answers_only_this_servers_kernels(ready):
    secret = kernel_secret(ready.server)
    kernel = "11111111-2222-3333-4444-555555555555"
    assert query_socket(ready.server, f"wrong{secret[5:]}/{kernel}") is None
    assert query_socket(ready.server, f"/{kernel}").startswith("refused")
    browser = {"Origin": ready.url}
    assert query_socket(ready.server, f"{secret}/{kernel}", browser).startswith("refused")
    assert query_socket(ready.server, f"{secret}/{kernel}") == "still open"  # a kernel waits
