"""Attacks that a participant with a valid code, or another website, could try, driven for
real against ``mentorkit serve``: plain HTTP, websockets, and Chromium. Each is refused.

The module has a server of its own (kernel limits and sign-in counts stay out of the shared
one). Where a test needs a page's kernel it loads the page over HTTP, as a browser would.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from mentorkit.core import access
from mentorkit.core.paths import DATABASE_NAME, worksheets_folder
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.server.kernels import MAX_KERNELS_PER_PERSON
from mentorkit.testing import Server, free_port, init_demo

from .conftest import (
    HOME_PATH,
    Demo,
    kernel_of,
    shut_down,
    sign_in,
    text_box,
    worksheet_for,
)

pytestmark = pytest.mark.e2e

LEAKS = ("Traceback", 'File "', "site-packages", "/root/", "/tmp/", "/work/", "Error:")
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
MODEL_ID = re.compile(r'"model_id": "([0-9a-f]{32})"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """These tests open pages over HTTP, as a script would: no browser ever connects to their
    kernels, so each person's page would count as loading for 45 s and hold back the next
    person's. Here every page may load at once (the queue has tests of its own)."""
    folder = tmp_path_factory.mktemp("security")
    codes = init_demo(folder)
    own = Demo(Server(folder, free_port(), extra_args=["--loads-at-once", "100"]).start(), codes)
    yield own
    own.server.stop()


def signed_in(site: Demo, name: str) -> requests.Session:
    """A browser-like HTTP session signed in as ``name`` through the sign-in form."""
    session = requests.Session()
    session.get(f"{site.url}/signin").raise_for_status()
    answer = session.post(
        f"{site.url}/signin",
        data={"code": site.codes[name], "_xsrf": session.cookies["_xsrf"]},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    assert access.SIGN_IN_COOKIE in session.cookies
    return session


def open_page(session: requests.Session, site: Demo, path: str = HOME_PATH) -> tuple[str, str]:
    """Load an app page as a browser does (its kernel starts); returns its kernel id and HTML."""
    answer = session.get(site.url + path)
    assert answer.status_code == 200, answer.status_code
    return KERNEL_ID.search(answer.text)[1], answer.text


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def websocket(site: Demo, kernel_id: str, cookie: str | None, send: list[dict] = (), listen=3.0):
    """Connect to a kernel's channels; returns the refusal's status code, or every message
    received within ``listen`` seconds after sending ``send``."""

    async def run():
        url = site.url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        headers = {"Cookie": cookie} if cookie else {}
        try:
            connection = await websocket_connect(HTTPRequest(url, headers=headers))
        except HTTPClientError as error:
            return error.code
        for message in send:
            await connection.write_message(json.dumps(message))
        received = []
        deadline = time.monotonic() + listen
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(connection.read_message(), left)
            except asyncio.TimeoutError:
                break
            if message is None:
                break
            received.append(message)
        connection.close()
        return received

    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this thread
        return thread.submit(asyncio.run, run()).result()


def kernel_message(msg_type: str, content: dict, channel: str = "shell") -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "",
            "session": uuid.uuid4().hex,
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def person(store: Store, name: str):
    return next(p for p in store.people(store.programme().id) if p.name == name)


# --- 1. every endpoint behind the sign-in ----------------------------------------------------


def test_a_kernel_cannot_be_reached_without_a_session_or_by_someone_else(site):
    amara = signed_in(site, "Amara Okafor")
    kernel_id, _ = open_page(amara, site)
    ben = signed_in(site, "Ben Hughes")
    api = f"{site.url}/api/kernels/{kernel_id}"

    # The owner reaches it; that is what the refusals below are measured against.
    assert amara.get(api).status_code == 200
    received = websocket(
        site,
        kernel_id,
        cookie_header(amara),
        [kernel_message("kernel_info_request", {})],
        listen=5,
    )
    assert any('"kernel_info_reply"' in m for m in received), received

    assert requests.get(api).status_code == 403
    assert websocket(site, kernel_id, None) == 403
    assert websocket(site, kernel_id, "mentorkit_session=forged-token") == 403

    assert ben.get(api).status_code == 403
    assert websocket(site, kernel_id, cookie_header(ben)) == 403
    xsrf = {"X-XSRFToken": ben.cookies["_xsrf"]}
    assert ben.delete(api, headers=xsrf).status_code == 403
    shutdown = ben.post(f"{site.url}/voila/api/shutdown/{kernel_id}", headers=xsrf)
    assert shutdown.status_code == 403
    assert amara.get(api).status_code == 200, "someone else shut the kernel down"


def test_kernels_listen_on_private_unix_sockets_not_tcp_ports(site):
    """A loopback port is open to everyone on the machine, and one picked for a kernel can be
    taken by another connection before the kernel binds it (its heartbeat then fails)."""
    kernel_id, _ = open_page(signed_in(site, "Chloe Martin"), site)
    folder = Path(re.search(r"Storing connection files in (\S+)\.", site.server.log())[1])
    assert folder.stat().st_mode & 0o077 == 0, oct(folder.stat().st_mode)
    info = json.loads((folder / f"kernel-{kernel_id}.json").read_text())
    assert info["transport"] == "ipc", info
    sockets = [Path(f"{info['ip']}-{info[name]}") for name in info if name.endswith("_port")]
    assert len(sockets) == 5 and all(s.is_socket() and s.parent == folder for s in sockets)
    kernel_pid = subprocess.run(
        ["pgrep", "-f", f"kernel-{kernel_id}.json"], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    unix = subprocess.run(["ss", "-Hlxp"], capture_output=True, text=True, check=True).stdout
    held = {line.split()[4] for line in unix.splitlines() if f"pid={kernel_pid}," in line}
    assert {str(s) for s in sockets} <= held, (sockets, held)


def test_pages_need_a_session_and_nothing_else_is_served(site):
    stranger = requests.Session()
    page = stranger.get(site.url + HOME_PATH, allow_redirects=False)
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/signin?next=")
    for path in (
        "/api/kernels",
        "/api/sessions",
        "/api/contents",
        "/voila/tree",
        "/api/kernelspecs",
    ):
        assert stranger.get(site.url + path, allow_redirects=False).status_code in (403, 404)
    amara = signed_in(site, "Amara Okafor")
    for path in (
        "/voila/tree",
        "/voila/files/home.ipynb",
        "/voila/api/contents",
        "/voila/render/analysis/programme-data.ipynb",  # for JupyterLab, never served
    ):
        assert amara.get(site.url + path).status_code == 404, path

    # A waiting page's question about its place: only with a session, only about app pages.
    queue = "/mentorkit/queue?page=" + requests.utils.quote(HOME_PATH, safe="")
    assert stranger.get(site.url + queue).status_code == 403
    assert (
        stranger.get(site.url + queue, cookies={"mentorkit_session": "forged"}).status_code == 403
    )
    deadline = time.monotonic() + 60
    while (answer := amara.get(site.url + queue).json()) != {"ready": True}:
        assert answer["text"].startswith("Preparing your page — "), answer  # her place
        assert time.monotonic() < deadline, "her place never came up"
        time.sleep(1)
    for page in ("/api/kernels", "https://elsewhere.example/x.ipynb", "/voila/render/a/b.ipynb"):
        answer = amara.get(site.url + "/mentorkit/queue", params={"page": page})
        assert answer.status_code == 400 and "Traceback" not in answer.text, page


# --- 2. open pages obey sign-out and withdrawn codes -------------------------------------------


def test_an_open_page_stops_when_its_person_signs_out(site, new_context):
    amara_browser = new_context()
    amara = worksheet_for(amara_browser, site, "Amara Okafor", 1)
    ben = worksheet_for(new_context(), site, "Ben Hughes", 1)

    # Amara signs out in another tab; her worksheet tab is still open.
    other_tab = amara_browser.new_page()
    other_tab.goto(f"{site.url}/signout")
    other_tab.get_by_role("button", name="Sign out").click()
    expect(other_tab.get_by_role("alert")).to_have_text("You are signed out. See you next time.")

    # Ben goes on writing; Amara's open page must not receive it.
    secret = f"after sign-out {uuid.uuid4().hex[:8]}"
    text_box(ben, "mentee_hopes").fill(secret)
    ben.get_by_role("button", name="Save").click()
    expect(ben.locator(".mk-status")).to_have_text(re.compile(r"^Saved \d"))
    expect(amara.get_by_text("You have been signed out")).to_be_visible(timeout=10_000)
    time.sleep(3)  # two more sync intervals: nothing may arrive
    assert secret not in amara.content()
    values = amara.evaluate(
        "() => [...document.querySelectorAll('textarea, input')].map(e => e.value)"
    )
    assert secret not in values


def test_a_page_whose_kernel_cannot_answer_still_stops_at_sign_out(site, new_context):
    # The server gives back the kernels of ended sessions, so an open page may lose its
    # kernel before that kernel has said "signed out"; here it is frozen, to be sure of it.
    amara_browser = new_context()
    amara = worksheet_for(amara_browser, site, "Amara Okafor", 1)
    text_box(amara, "mentee_hopes").fill("typed before signing out")
    frozen = f"kernel-{kernel_of(amara)}"
    subprocess.run(["pkill", "-STOP", "-f", frozen], check=True)
    try:
        other_tab = amara_browser.new_page()
        other_tab.goto(f"{site.url}/signout")
        other_tab.get_by_role("button", name="Sign out").click()
        expect(other_tab.get_by_role("alert")).to_have_text(re.compile("You are signed out"))

        notice = amara.get_by_role("alert").filter(has_text="You have been signed out")
        expect(notice).to_be_visible(timeout=10_000)
        expect(notice.get_by_role("link", name="Sign in again")).to_have_attribute(
            "href", "/signin"
        )
        expect(amara.get_by_role("textbox")).to_have_count(0)
    finally:
        subprocess.run(["pkill", "-CONT", "-f", frozen], check=False)


def test_a_withdrawn_facilitator_cannot_make_codes_from_an_open_page(site, new_context):
    fran = sign_in(new_context(), site, "Fran Fletcher")
    fran.goto(f"{site.url}/voila/render/programme-setup.ipynb")
    expect(fran.locator(".mk-codes-people select")).to_be_visible()
    store = Store(site.server.data / DATABASE_NAME)
    fran_id = person(store, "Fran Fletcher").id
    ben = person(store, "Hana Sato")
    code_before = store._one("SELECT code_hash FROM people WHERE id = ?", ben.id)["code_hash"]

    fran.locator(".mk-codes-people select").select_option(label="Hana Sato")
    time.sleep(0.5)  # the choice reaches the page's kernel
    access.revoke_code(store, fran_id)  # another facilitator (or the command line) withdraws it
    fran.locator(".mk-codes-renew").click()
    expect(fran.get_by_text("You have been signed out")).to_be_visible(timeout=10_000)
    expect(fran.get_by_text("Made 1 new code")).to_have_count(0)
    code_after = store._one("SELECT code_hash FROM people WHERE id = ?", ben.id)["code_hash"]
    assert code_after == code_before
    assert not [e for e in store.audit_events() if e["action"] == "code-reset"]


def test_a_withdrawn_mentee_cannot_confirm_from_an_open_agreement_page(site, new_context):
    store = Store(site.server.data / DATABASE_NAME)
    agreement = load_folder(worksheets_folder())["mentoring-agreement"]
    amara, ben = (person(store, name) for name in ("Amara Okafor", "Ben Hughes"))
    complete = {
        "purpose": "Grow into leading a small team",
        "model": "one-to-one",
        "frequency": "monthly",
        "meeting_modes": ["video"],
        "confidentiality": "What we say stays between us",
        "issues": "We say so at the next meeting",
        "ending": "Either of us may end it, no fault",
        "start_date": "2027-01-15",
        "end_date": "2027-12-15",
    }
    bases = store.load(agreement, 1, amara.id).revisions
    store.save(agreement, 1, amara.id, complete, bases)
    page = sign_in(new_context(), site, "Ben Hughes")
    page.goto(f"{site.url}/voila/render/mentoring-agreement.ipynb?relationship=1")
    button = page.locator(".mk-agreement").get_by_role("button", name="I confirm this agreement")
    expect(button).to_be_enabled()

    access.revoke_code(store, ben.id)
    button.click()
    expect(page.get_by_text("You have been signed out")).to_be_visible(timeout=10_000)
    assert not store._all("SELECT * FROM confirmations WHERE person_id = ?", ben.id)


# --- 3. cross-site requests ------------------------------------------------------------------


def test_another_site_cannot_sign_someone_in_or_out(site):
    code = site.codes["Chloe Martin"]
    victim = requests.Session()

    # A link (or an image) with a code only fills the form in.
    page = victim.get(f"{site.url}/signin?code={code}", allow_redirects=False)
    assert page.status_code == 200
    assert access.SIGN_IN_COOKIE not in victim.cookies
    assert f'value="{code}"' in page.text

    # A form posted from another site carries no token of this site's.
    for token in (None, "2|deadbeef|0123456789abcdef0123456789abcdef|1700000000"):
        data = {"code": code, **({"_xsrf": token} if token else {})}
        forged = victim.post(f"{site.url}/signin", data=data, allow_redirects=False)
        assert forged.status_code == 403
        assert access.SIGN_IN_COOKIE not in victim.cookies
        assert "came from another website" in forged.text

    # Signing out needs this site's form too.
    chloe = signed_in(site, "Chloe Martin")
    chloe.get(f"{site.url}/signout")
    chloe.post(f"{site.url}/signout", allow_redirects=False)
    assert chloe.get(site.url + HOME_PATH, allow_redirects=False).status_code == 200
    out = chloe.post(
        f"{site.url}/signout", data={"_xsrf": chloe.cookies["_xsrf"]}, allow_redirects=False
    )
    assert out.headers["Location"] == "/signin?signed_out=1"
    assert chloe.get(site.url + HOME_PATH, allow_redirects=False).status_code == 302


@pytest.mark.parametrize(
    "target",
    ["/\\evil.example/x", "//evil.example/x", "https://evil.example/", "/%5Cevil.example"],
)
def test_after_sign_in_only_this_sites_pages_are_followed(site, target):
    session = requests.Session()
    session.get(f"{site.url}/signin")
    answer = session.post(
        f"{site.url}/signin",
        data={"code": site.codes["Dev Patel"], "_xsrf": session.cookies["_xsrf"], "next": target},
        allow_redirects=False,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == HOME_PATH


def test_no_page_can_be_framed_by_another_site(site):
    amara = signed_in(site, "Amara Okafor")
    kernel_id, html = open_page(amara, site)
    static = re.search(r'src="(/mentorkit/static/[^"]+)', html)[1]
    for path in ("/signin", "/signout", HOME_PATH, f"/api/kernels/{kernel_id}", static, "/nope"):
        headers = amara.get(site.url + path).headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path


# --- 5. limits -------------------------------------------------------------------------------


def test_one_person_cannot_hold_unlimited_kernels(site):
    elena = signed_in(site, "Elena Rossi")
    kernels = [open_page(elena, site)[0] for _ in range(MAX_KERNELS_PER_PERSON)]
    assert len(set(kernels)) == MAX_KERNELS_PER_PERSON
    assert all(elena.get(f"{site.url}/api/kernels/{k}").status_code == 200 for k in kernels)
    refused = elena.get(site.url + HOME_PATH)
    assert refused.status_code == 429
    assert "Too many pages open" in refused.text and "Close a tab" in refused.text

    # A tab that was open and is closed gives its place back at once.
    assert isinstance(websocket(site, kernels[0], cookie_header(elena), listen=0.5), list)
    open_page(elena, site)
    assert shut_down(site.server, kernels[:1])
    assert elena.get(site.url + HOME_PATH).status_code == 429

    # Signed out and in again, the pages of the ended session are given back.
    elena.post(f"{site.url}/signout", data={"_xsrf": elena.cookies["_xsrf"]})
    again = signed_in(site, "Elena Rossi")
    open_page(again, site)
    assert shut_down(site.server, kernels[1:])


# --- 6. no tracebacks ------------------------------------------------------------------------


def test_a_malformed_widget_message_sends_nothing_back_but_is_logged(site):
    farah = signed_in(site, "Farah Khan")
    kernel_id, html = open_page(farah, site)
    model_id = MODEL_ID.search(html)[1]
    bad = kernel_message(
        "comm_msg",
        {
            "comm_id": model_id,
            "data": {
                "method": "update",
                "state": {"layout": "IPY_MODEL_nothing"},
                "buffer_paths": [],
            },
        },
    )
    received = websocket(site, kernel_id, cookie_header(farah), [bad], listen=4)
    assert isinstance(received, list)
    for message in received:
        assert not any(leak in message for leak in LEAKS), message[:500]
        assert '"msg_type": "error"' not in message
        assert '"name": "stderr"' not in message
    log = site.server.log()
    assert "an error in the page's kernel" in log and "TraitError" in log  # kept for the operator
    assert "Kept from the browser" not in log  # stopped in the kernel, before the websocket


# --- 4. transport ----------------------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "room.crt", folder / "room.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_with_secure_cookies(tmp_path):
    cert, key = self_signed(tmp_path)
    data = tmp_path / "data"
    codes = init_demo(data)
    server = Server(
        data=data,
        port=free_port(),
        extra_args=["--certfile", str(cert), "--keyfile", str(key)],
        scheme="https",
    ).start()
    try:
        session = requests.Session()
        session.get(f"{server.url}/signin", verify=False).raise_for_status()
        answer = session.post(
            f"{server.url}/signin",
            data={"code": codes["George Li"], "_xsrf": session.cookies["_xsrf"]},
            allow_redirects=False,
            verify=False,
        )
        assert answer.status_code == 302
        set_cookie = answer.headers["Set-Cookie"]
        assert "mentorkit_session=" in set_cookie and "Secure" in set_cookie
        assert all(c.secure for c in session.cookies), [(c.name, c.secure) for c in session.cookies]
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{server.port}/signin", timeout=5)
    finally:
        server.stop()
