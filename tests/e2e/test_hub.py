"""mentorkit behind a real JupyterHub (with configurable-http-proxy), on a real PostgreSQL:
people sign in through the hub, each on their own mentorkit server started by the hub; a pair
fills its joint worksheet from two browsers on two servers and both edits are kept; the same
programme served as a hub service shows the same answers; a hub user who is not in the
programme gets a plain refusal; signing out signs out of the hub too."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from mentorkit.hub_server import HubServer

from .conftest import expect_texts, fill_texts, reload, wait_loaded, wait_saved

pytestmark = pytest.mark.e2e

PEOPLE = """name,email,role
Amara Okafor,amara@example.org,mentor
Ben Hughes,ben@example.org,mentee
"""
HOME = "voila/render/home.ipynb"
SLOW = 120_000  # the first page of a person's server waits for the hub to start it


def mentorkit(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mentorkit", *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def hub(postgres, tmp_path_factory) -> Iterator[HubServer]:
    """A programme kept in PostgreSQL (people imported with their email addresses, Amara and
    Ben paired), behind a running JupyterHub."""
    folder = tmp_path_factory.mktemp("hub")
    store = postgres.url("hub_programme")
    mentorkit("init", "--store", store, "--data", str(folder / "setup"), "--name", "Hub pilot",
              "--facilitator", "Fran Fletcher", "--facilitator-email", "fran@example.org")  # fmt: skip
    people = folder / "people.csv"
    people.write_text(PEOPLE)
    mentorkit("people", "import", str(people), "--yes", "--store", store, "--data", str(folder))
    mentorkit("pair", "--mentor", "amara@example.org", "ben@example.org", "--store", store,
              "--data", str(folder))  # fmt: skip
    printed = mentorkit("codes", "new", "ben@example.org", "--store", store, "--data", str(folder))
    codes = set(re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", printed))  # and in its link
    (code,) = codes
    server = HubServer(store, folder / "jupyterhub").start()
    server.ben_code = code  # a real access code, which behind the hub must not sign in
    yield server
    server.stop()


def hub_sign_in(context: BrowserContext, hub: HubServer, name: str, then: str) -> Page:
    """Sign ``name`` in at the hub's login page, which goes on to ``then`` (``/hub/spawn``:
    their own server, started for them; or the service)."""
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login?next={quote(then)}", wait_until="domcontentloaded")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill("anything")  # the test hub's authenticator takes any
    page.get_by_role("button", name="Sign in").click()
    return page


def own_server(context: BrowserContext, hub: HubServer, name: str) -> Page:
    page = hub_sign_in(context, hub, name, "/hub/spawn")
    page.wait_for_url(re.compile(rf"/user/{name}/{HOME}"), timeout=SLOW)
    return page


def worksheet(page: Page, base: str) -> Page:
    page.get_by_role("link", name="Getting to know each other").first.click()
    page.wait_for_url(re.compile(rf"{base}voila/render/getting-to-know-each-other\.ipynb"))
    wait_loaded(page)
    return page


def test_a_pair_fills_its_worksheet_from_two_servers_behind_the_hub(hub, new_context):
    amara = own_server(new_context(), hub, "amara")
    expect(amara.get_by_text("Hello, Amara Okafor")).to_be_visible(timeout=SLOW)
    ben = own_server(new_context(), hub, "ben")
    expect(ben.get_by_text("Hello, Ben Hughes")).to_be_visible(timeout=SLOW)
    worksheet(amara, "/user/amara/")
    worksheet(ben, "/user/ben/")
    both = {"mentor_background": "Amara: a ward manager.", "mentee_background": "Ben: new."}
    fill_texts(amara, {"mentor_background": both["mentor_background"]})
    fill_texts(ben, {"mentee_background": both["mentee_background"]})
    wait_saved(amara)
    wait_saved(ben)
    for page in (amara, ben):
        reload(page)
        expect_texts(page, both)

    # The same programme as the hub's shared service: Amara's answers are there too.
    page = amara.context.new_page()
    page.goto(f"{hub.url}/services/mentorkit/", wait_until="domcontentloaded")
    page.wait_for_url(re.compile(rf"/services/mentorkit/{HOME}"), timeout=SLOW)
    expect(page.get_by_text("Hello, Amara Okafor")).to_be_visible(timeout=SLOW)
    expect_texts(worksheet(page, "/services/mentorkit/"), both)

    # Ben's session (the store's sessions serve every server) carried to Amara's own server
    # does not open it: her server is hers, and the hub lets only her in.
    (token,) = [c for c in ben.context.cookies() if c["name"] == "mentorkit_session"]
    assert token["path"] == "/user/ben/"
    thief = new_context()
    thief.add_cookies([{**token, "path": "/user/amara/"}])
    stolen = thief.new_page()
    stolen.goto(f"{hub.url}/user/amara/{HOME}")
    stolen.wait_for_url(re.compile(r"/hub/login"), timeout=SLOW)
    assert "Ben Hughes" not in stolen.content()

    # Signing out ends mentorkit's session and the hub's: the page asks for the hub again.
    amara.get_by_role("button", name="Sign out").click()
    amara.wait_for_url(re.compile(r"/hub/(logout|login)"))
    amara.goto(f"{hub.url}/user/amara/{HOME}")
    amara.wait_for_url(re.compile(r"/hub/login"), timeout=SLOW)
    expect(amara.get_by_label("Username")).to_be_visible()


def test_the_facilitator_is_a_hub_user_named_in_the_programme(hub, new_context):
    page = hub_sign_in(new_context(), hub, "fran", "/services/mentorkit/")
    page.wait_for_url(re.compile(rf"/services/mentorkit/{HOME}"), timeout=SLOW)
    expect(page.get_by_text("Hello, Fran Fletcher")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()


def test_a_hub_user_who_is_not_in_the_programme_gets_a_plain_refusal(hub, new_context):
    for where, url in (("their own server", "/hub/spawn"), ("the service", "/services/mentorkit/")):
        page = hub_sign_in(new_context(), hub, "carol", url)
        heading = page.get_by_role("heading", name="You are not in this programme")
        expect(heading).to_be_visible(timeout=SLOW)
        text = page.locator("main").inner_text()
        assert "signed in to JupyterHub as “carol”" in text, where
        assert "ask the programme's facilitator to add you" in text
        assert "Traceback" not in page.content()
    assert "Traceback" not in Path(hub.log_path).read_text(errors="replace")


def test_a_forged_sign_in_answer_is_refused_and_signs_nobody_in(hub, new_context):
    """An OAuth answer that did not start in this browser (a forged or replayed link) gets a
    plain page and no session; the app pages still ask for the hub."""
    page = new_context().new_page()
    answer = page.goto(f"{hub.url}/services/mentorkit/oauth_callback?code=forged&state=forged")
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("heading", name="Please sign in again")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "mentorkit_session"]
    page.goto(f"{hub.url}/services/mentorkit/{HOME}")
    page.wait_for_url(re.compile(r"/hub/login"), timeout=SLOW)


def test_behind_the_hub_an_access_code_does_not_sign_in(hub, new_context):
    """The hub is the only way in (the organisation's own sign-in rules hold): the code form
    is not shown, and a right code posted with a matching form token is not taken."""
    context = new_context()
    page = context.new_page()
    page.goto(f"{hub.url}/services/mentorkit/signin?signed_out=1&code={hub.ben_code}")
    page.wait_for_url(re.compile(r"/hub/login"), timeout=SLOW)
    context.add_cookies([{"name": "_xsrf", "value": "forged", "url": f"{hub.url}/services/"}])
    answer = page.request.post(
        f"{hub.url}/services/mentorkit/signin",
        form={"_xsrf": "forged", "code": hub.ben_code, "next": f"/services/mentorkit/{HOME}"},
        max_redirects=0,
    )
    assert answer.status == 405  # no code sign-in here at all (tornado: method not allowed)
    assert not [c for c in context.cookies() if c["name"] == "mentorkit_session"]
