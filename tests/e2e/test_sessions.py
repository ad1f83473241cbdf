"""Sessions end to end: a session's notes kept together, an action added from them, the
private reflection journal (and what sharing or choosing one entry does), the CPD portfolio,
and the schedule with its calendar file."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import pytest
from icalendar import Calendar
from playwright.sync_api import BrowserContext, Locator, Page, WebSocket, expect
from pypdf import PdfReader

from mentorkit.core.dates import date_words
from mentorkit.core.paths import DATABASE_NAME, worksheets_folder
from mentorkit.core.spec import Worksheet
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.programme.plan import add_months, next_working_day
from mentorkit.testing import sign_in_with_link

from .conftest import (
    HOME_PATH,
    SAVED,
    Demo,
    date_box,
    expect_unsaved,
    field,
    group_items,
    number_box,
    press_save,
    reload,
    sign_in,
    status,
    text_box,
    wait_loaded,
    wait_saved,
)

pytestmark = pytest.mark.e2e

AMARA, BEN, FRAN = "Amara Okafor", "Ben Hughes", "Fran Fletcher"
NOTES, SCHEDULE, JOURNAL, GOALS, PORTFOLIO = (
    "session-notes.ipynb",
    "our-sessions.ipynb",
    "reflection-journal.ipynb",
    "goals-and-actions.ipynb",
    "portfolio.ipynb",
)
TODAY = dt.date.today()
START, END = TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=150)
SESSION_DAYS = {number: next_working_day(add_months(START, number - 1)) for number in range(1, 7)}
"""The suggested dates (monthly from the start, a weekend one moved to the Monday after):
session 2 has happened, session 3 is ahead."""
TITLES = {
    1: "Getting to know each other",
    2: "Setting objectives",
    3: "Two-way discussion",
    4: "Two-way discussion",
    5: "Two-way discussion",
    6: "Reflection and closure",
}
READ_ONLY = "Read only"
NOT_SAVED = re.compile(r"^Not saved: 1 answer needs fixing")


# --- the store, read directly ----------------------------------------------------------------


@cache
def worksheets() -> dict[str, Worksheet]:
    return load_folder(worksheets_folder())


def open_store(demo: Demo) -> Store:
    return Store(demo.server.data / DATABASE_NAME)


def people(demo: Demo) -> dict[str, int]:
    """Name -> person id, checked against relationship 1 (Amara mentors Ben)."""
    store = open_store(demo)
    try:
        ids = {p.name: p.id for p in store.people(store.programme().id)}
        pair = store.relationship(1)
        assert {(m.name, m.role) for m in pair.members} == {(AMARA, "mentor"), (BEN, "mentee")}
        assert store.person(ids[FRAN]).is_facilitator
    finally:
        store.close()
    return ids


def seed_agreement(demo: Demo, ben: int) -> None:
    """The agreement's dates, saved straight into the store as if the pair had filled it in."""
    store = open_store(demo)
    try:
        store.save(
            worksheets()["mentoring-agreement"],
            1,
            ben,
            {"start_date": START.isoformat(), "end_date": END.isoformat(), "frequency": "monthly"},
            {},
        )
    finally:
        store.close()


def journal_as(demo: Demo, viewer: int, subject: int) -> dict:
    """What ``viewer`` may read of ``subject``'s reflection journal, as the store answers."""
    store = open_store(demo)
    try:
        return store.load(worksheets()["reflection-journal"], 1, viewer, subject).values
    finally:
        store.close()


# --- pages --------------------------------------------------------------------------------------


def app_url(demo: Demo, notebook: str, **query: object) -> str:
    return f"{demo.url}/voila/render/{notebook}?{urlencode({'relationship': 1, **query})}"


def open_form(page: Page, url: str) -> Page:
    page.goto(url)
    wait_loaded(page)
    return page


def watch(page: Page, frames: list[str]) -> None:
    """Keep every websocket frame the page receives (the widgets' state and every update)."""

    def on_socket(socket: WebSocket) -> None:
        socket.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            ),
        )

    page.on("websocket", on_socket)


def watched_sign_in(context: BrowserContext, demo: Demo, name: str, frames: list[str]) -> Page:
    """Like ``sign_in``, recording into ``frames`` all that the page is ever sent."""
    page = context.new_page()
    watch(page, frames)
    sign_in_with_link(page, demo.url, demo.codes[name])
    expect(page.get_by_text(f"Hello, {name}")).to_be_visible()
    return page


VALUES_JS = "() => [...document.querySelectorAll('input, textarea, select')].map(e => e.value)"


def shown(page: Page) -> str:
    """The page's HTML and the values in its boxes (which page.content() leaves out)."""
    return page.content() + "\n".join(page.evaluate(VALUES_JS))


def squash(text: str) -> str:
    """Without any white space, so a line break in a PDF cannot hide or split a sentence."""
    return "".join(text.split())


def download(page: Page, button: Locator) -> bytes:
    """Press ``button`` and decode the data: link it offers."""
    links = page.locator("a.mk-download")
    before = links.get_attribute("href") if links.count() else ""
    button.click()
    expect(links).to_have_count(1)
    expect(links).not_to_have_attribute("href", before)
    href = links.get_attribute("href")
    assert href.startswith("data:") and ";base64," in href, href[:80]
    return base64.b64decode(href.split(",", 1)[1])


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:20]
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def open_portfolio(page: Page, demo: Demo, chosen: int) -> Page:
    """The portfolio page, which says how many reflections its person chose."""
    page.goto(app_url(demo, PORTFOLIO))
    expect(
        page.get_by_text(f"{chosen} reflection{'' if chosen == 1 else 's'} chosen.")
    ).to_be_visible()
    return page


def portfolio_pdf(page: Page) -> str:
    """The text of the PDF that "Download PDF" on the portfolio page gives."""
    return pdf_text(download(page, page.locator("button.mk-portfolio-pdf")))


def export_portfolio(demo: Demo, code: str, folder: Path) -> str:
    """``mentorkit export portfolio`` as ``code``'s owner, in every format: all it printed
    and wrote (the PDF as its text)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORKIT_")}
    seen = []
    for fmt in ("md", "html", "pdf"):
        out = folder / f"portfolio.{fmt}"
        result = subprocess.run(
            [sys.executable, "-m", "mentorkit", "export", "portfolio", "--relationship", "1"]
            + ["--code", code, "--format", fmt, "--out", str(out)]
            + ["--data", str(demo.server.data)],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        data = out.read_bytes()
        seen += [result.stdout, result.stderr]
        seen.append(pdf_text(data) if fmt == "pdf" else data.decode())
    return "\n".join(seen)


def sub_box(item: Locator, sub: str) -> Locator:
    """The text, paragraph, number or date box of one sub-field of a group item."""
    return text_box(item, sub).or_(number_box(item, sub))


def yes_no(item: Locator, sub: str, label: str) -> Locator:
    return field(item, sub).get_by_role("radio", name=label, exact=True)


ACTIVE = re.compile(r"\bmod-active\b")


# --- the tests ---------------------------------------------------------------------------------

AGENDA_2 = [
    "Work through “Our mentoring agreement”.",
    "Work through “Goals, objectives and actions”.",
    "Work through “My reflection journal”.",
    "Work through “My CPD evidence”.",
    "Agree what happens before the next session, and write it down.",
]
COVERED = "Two goals for the spring, and how to chair the team review"
NOTE = "Amara shared the checklist she used when she first chaired a review."
ACTION = "Draft the team agenda"
DUE = TODAY + dt.timedelta(days=12)
SECRET = "SECRET-heron-4471 I felt lost"
NEEDLE = "heron-4471"  # in any line wrapping of the secret


def test_a_session_notes_an_action_and_private_reflection(fresh_demo, new_context, tmp_path):
    demo = fresh_demo
    ids = people(demo)
    seed_agreement(demo, ids[BEN])
    amara_saw: list[str] = []  # every websocket frame Amara's page receives
    amara = watched_sign_in(new_context(), demo, AMARA, amara_saw)
    ben = sign_in(new_context(), demo, BEN)

    # Both open session 2's notes: its agenda, and the date and length filled in from the plan.
    for page in (amara, ben):
        open_form(page, app_url(demo, NOTES, session=2))
        head = page.locator(".mk-session-head")
        expect(head.locator("h2")).to_have_text("Session 2: Setting objectives")
        expect(head.locator(".mk-help")).to_have_text(
            f"{date_words(SESSION_DAYS[2])} · led by {AMARA}"
        )
        expect(page.locator(".mk-agenda li")).to_have_text(AGENDA_2)
        expect(page.locator(".mk-agenda")).to_be_visible()
        expect(date_box(page, "held_on")).to_have_value(SESSION_DAYS[2].isoformat())
        expect(text_box(page, "minutes")).to_have_value("60")
        expect(status(page)).to_have_text("Nothing saved yet")

    # Amara writes; Ben's open page takes it in without being reloaded.
    ben.evaluate("() => { window.__same_page = true; }")
    text_box(amara, "covered").fill(COVERED)
    text_box(amara, "notes").fill(NOTE)
    expect_unsaved(amara)
    wait_saved(amara)
    expect(text_box(ben, "covered")).to_have_value(COVERED)
    expect(text_box(ben, "notes")).to_have_value(NOTE)
    expect(text_box(ben, "minutes")).to_have_value("60")
    expect(status(ben)).to_have_text(SAVED)
    assert ben.evaluate("() => window.__same_page === true"), "Ben's page was reloaded"

    # Ben adds an action agreed in the session; it goes into the action plan.
    adder = ben.locator(".mk-new-actions")
    expect(adder.locator(".mk-new-action-objective select")).to_have_value(
        "Actions agreed in our sessions (a goal of its own)"
    )
    adder.locator(".mk-new-action-what input").fill(ACTION)
    adder.locator(".mk-new-action-owner select").select_option(label="Mentee")
    adder.locator(".mk-new-action-due input[type=date]").fill(DUE.isoformat())
    adder.locator(".mk-new-action-add").click()
    expect(adder.locator(".mk-message")).to_have_text(f"Added “{ACTION}” to your action plan.")
    expect(adder.locator("li")).to_have_text([f"{ACTION} Mentee, due {date_words(DUE)}"])
    expect(adder.locator(".mk-new-action-what input")).to_have_value("")
    expect(adder.locator(".mk-new-action-owner select")).to_have_value("Who?")

    open_form(amara, app_url(demo, GOALS))
    expect(amara.locator(".mk-goal-title input")).to_have_value("Actions agreed in our sessions")
    action = amara.locator(".mk-action")
    expect(action).to_have_count(1)
    expect(action.locator(".mk-action-what input")).to_have_value(ACTION)
    expect(action.locator(".mk-action-owner select")).to_have_value("Mentee")
    expect(action.locator(".mk-action-due input[type=date]")).to_have_value(DUE.isoformat())

    # Ben writes a private reflection, leaving "Show this entry to my partner" unanswered.
    open_form(ben, app_url(demo, JOURNAL))
    expect(status(ben)).to_have_text("Nothing saved yet")
    field(ben, "entries").get_by_role("button", name="Add entry").click()
    entries = group_items(ben, "entries")
    expect(entries).to_have_count(1)
    entry = entries.first
    sub_box(entry, "learned").fill(SECRET)
    sub_box(entry, "session").fill("2")
    expect_unsaved(ben)
    wait_saved(ben)
    reload(ben)
    expect(status(ben)).to_have_text(SAVED)
    expect(entries).to_have_count(1)
    expect(sub_box(entry, "learned")).to_have_value(SECRET)
    expect(sub_box(entry, "session")).to_have_value("2")
    for switch in ("share", "portfolio"):
        expect(field(entry, switch).get_by_role("radio")).to_have_text(["Yes", "No"])
        expect(field(entry, switch).get_by_role("radio", checked=True)).to_have_count(0)
    (kept,) = journal_as(demo, ids[BEN], ids[BEN])["entries"]
    assert kept["learned"] == SECRET and kept["session"] == 2 and kept.get("share") is None

    # Amara cannot see it anywhere: Ben's copy of the journal, her home, her portfolio (page,
    # download and command line), or the store itself.
    open_form(amara, app_url(demo, JOURNAL, person=ids[BEN]))
    expect(status(amara)).to_have_text(READ_ONLY)
    expect(amara.get_by_text(f"This is {BEN}'s copy, read only")).to_be_visible()
    expect(group_items(amara, "entries")).to_have_count(0)
    assert NEEDLE not in shown(amara)

    amara.goto(f"{demo.url}{HOME_PATH}")
    expect(amara.locator(".mk-home-sessions")).to_be_visible()
    assert NEEDLE not in shown(amara)

    open_portfolio(amara, demo, 0)
    report = download(amara, amara.locator("button.mk-portfolio-html")).decode()
    assert f"CPD portfolio: {AMARA}" in report and COVERED in report
    assert NEEDLE not in report
    assert NEEDLE not in shown(amara)

    assert journal_as(demo, ids[AMARA], ids[BEN]) == {}
    exported = export_portfolio(demo, demo.codes[AMARA], tmp_path)
    assert f"CPD portfolio: {AMARA}" in exported
    assert NEEDLE not in exported
    assert amara_saw and all(NEEDLE not in frame for frame in amara_saw)

    # Not chosen for the portfolio yet, so not even in Ben's own.
    text = portfolio_pdf(open_portfolio(ben, demo, 0))
    assert squash(f"CPD portfolio: {BEN}") in text
    assert NEEDLE not in text

    # Ben shares that one entry: now Amara reads it, and still nobody else does.
    open_form(ben, app_url(demo, JOURNAL))
    yes_no(entry, "share", "Yes").click()
    expect(yes_no(entry, "share", "Yes")).to_have_class(ACTIVE)
    expect_unsaved(ben)
    wait_saved(ben)

    open_form(amara, app_url(demo, JOURNAL, person=ids[BEN]))
    expect(status(amara)).to_have_text(READ_ONLY)
    theirs = group_items(amara, "entries")
    expect(theirs).to_have_count(1)
    expect(sub_box(theirs.first, "learned")).to_have_value(SECRET)
    expect(sub_box(theirs.first, "learned")).to_be_disabled()
    expect(yes_no(theirs.first, "share", "Yes")).to_have_class(ACTIVE)
    (seen,) = journal_as(demo, ids[AMARA], ids[BEN])["entries"]
    assert seen["learned"] == SECRET
    assert NEEDLE in shown(amara)  # the checks above would have seen it
    assert any(NEEDLE in frame for frame in amara_saw)

    fran_saw: list[str] = []
    fran = watched_sign_in(new_context(), demo, FRAN, fran_saw)
    assert NEEDLE not in shown(fran)
    open_form(fran, app_url(demo, JOURNAL, person=ids[BEN]))
    expect(status(fran)).to_have_text(READ_ONLY)
    expect(group_items(fran, "entries")).to_have_count(0)
    assert NEEDLE not in shown(fran)
    open_form(fran, app_url(demo, NOTES, session=2))
    expect(status(fran)).to_have_text(READ_ONLY)
    assert NEEDLE not in shown(fran)
    fran.goto(f"{demo.url}/voila/render/dashboard.ipynb")
    expect(fran.locator(".mk-dash-table")).to_contain_text(BEN)
    assert NEEDLE not in shown(fran)
    assert fran_saw and all(NEEDLE not in frame for frame in fran_saw)
    assert journal_as(demo, ids[FRAN], ids[BEN]) == {}

    # Ben chooses the entry for his portfolio: it is in his PDF, never in Amara's.
    yes_no(entry, "portfolio", "Yes").click()
    expect(yes_no(entry, "portfolio", "Yes")).to_have_class(ACTIVE)
    expect_unsaved(ben)
    wait_saved(ben)
    text = portfolio_pdf(open_portfolio(ben, demo, 1))
    for wanted in (f"CPD portfolio: {BEN}", "Session log", "2. Setting objectives", COVERED):
        assert squash(wanted) in text, wanted
    assert squash(f"Reflection after session 2 What I learned: {SECRET}") in text

    text = portfolio_pdf(open_portfolio(amara, demo, 0))
    for wanted in (f"CPD portfolio: {AMARA}", "Session log", COVERED):
        assert squash(wanted) in text, wanted
    assert NEEDLE not in text
    assert squash("No reflections chosen for the portfolio.") in text


PLACE = "Room 2.14, Bramley House"


def test_schedule_dates_calendar_and_order_message(fresh_demo, new_context):
    demo = fresh_demo
    seed_agreement(demo, people(demo)[BEN])
    amara = open_form(sign_in(new_context(), demo, AMARA), app_url(demo, SCHEDULE))
    rows = amara.locator(".mk-session-row")
    expect(rows).to_have_count(6)
    expect(rows.locator(".widget-html-content b")).to_have_text([f"Session {n}" for n in TITLES])
    for number, title in TITLES.items():
        row = rows.nth(number - 1)
        expect(row).to_contain_text(f"Session {number}: {title}")
        expect(row.locator(".mk-session-date input[type=date]")).to_have_value(
            SESSION_DAYS[number].isoformat()
        )
    table = amara.locator(".mk-sessions tbody tr")
    expect(table).to_have_count(6)

    # Session 4 moved before session 3: a message beside it, and the page does not save it.
    fourth = rows.nth(3)
    date = fourth.locator(".mk-session-date input[type=date]")
    date.fill((SESSION_DAYS[3] - dt.timedelta(days=2)).isoformat())
    expect(fourth.locator(".mk-message")).to_have_text(
        f"This is before session 3 ({date_words(SESSION_DAYS[3])}). Please choose a later date."
    )
    expect(status(amara)).to_have_text(NOT_SAVED)

    # Put right, with a time and a place: saved, and kept.
    moved = SESSION_DAYS[4] + dt.timedelta(days=3)
    date.fill(moved.isoformat())
    fourth.locator(".mk-session-time input").fill("14:30")
    fourth.locator(".mk-session-place input").fill(PLACE)
    expect(fourth.locator(".mk-message")).to_have_count(0)
    wait_saved(amara)
    expect(table.nth(3).locator("td").nth(1)).to_have_text(f"{date_words(moved)}, 14:30")
    reload(amara)
    expect(status(amara)).to_have_text(SAVED)
    expect(date).to_have_value(moved.isoformat())
    expect(fourth.locator(".mk-session-time input")).to_have_value("14:30")
    expect(fourth.locator(".mk-session-place input")).to_have_value(PLACE)
    expect(rows.nth(2).locator(".mk-session-date input[type=date]")).to_have_value(
        SESSION_DAYS[3].isoformat()
    )
    expect(table.nth(3).locator("td").nth(1)).to_have_text(f"{date_words(moved)}, 14:30")

    # The calendar file: six events, session 4 at its new date, time and place.
    calendar = Calendar.from_ical(download(amara, amara.locator("button.mk-calendar")))
    events = {
        int(re.match(r"Session (\d+)", str(e["SUMMARY"]))[1]): e for e in calendar.walk("VEVENT")
    }
    assert sorted(events) == [1, 2, 3, 4, 5, 6], list(events)
    assert len(calendar.walk("VEVENT")) == 6
    event = events[4]
    assert str(event["SUMMARY"]).startswith("Session 4: Two-way discussion"), event["SUMMARY"]
    assert event["DTSTART"].dt == dt.datetime.combine(moved, dt.time(14, 30))
    assert event["DTEND"].dt == dt.datetime.combine(moved, dt.time(15, 30))
    assert str(event["LOCATION"]) == PLACE
    for number in (1, 2, 3, 5, 6):  # untouched: all-day, on the suggested date
        assert events[number]["DTSTART"].dt == SESSION_DAYS[number], number
        assert "LOCATION" not in events[number], number

    # Ben's home lists the sessions with the new date.
    ben = sign_in(new_context(), demo, BEN)
    listed = ben.locator(".mk-home-sessions tbody tr")
    expect(listed).to_have_count(6)
    for number, title in TITLES.items():
        when = f"{date_words(moved)}, 14:30" if number == 4 else date_words(SESSION_DAYS[number])
        expect(listed.nth(number - 1).locator("td").nth(0)).to_have_text(
            f"Session {number}: {title}"
        )
        expect(listed.nth(number - 1).locator("td").nth(1)).to_have_text(when)


EMPTY = (
    "Entry 1 is empty: please write what happened, what I learned or what I will do "
    "differently (or remove it)."
)
HAPPENED = "We looked at the chairing checklist together."


def test_empty_reflection_gets_a_message_and_nothing_is_lost(demo, new_context):
    ben_id = people(demo)[BEN]
    ben = open_form(sign_in(new_context(), demo, BEN), app_url(demo, JOURNAL))
    journal = field(ben, "entries")
    entries = group_items(ben, "entries")
    expect(entries).to_have_count(0)
    journal.get_by_role("button", name="Add entry").click()
    expect(entries).to_have_count(1)
    entry = entries.first
    expect(journal.locator(".mk-message")).to_have_count(0)  # nothing written yet: no nagging

    sub_box(entry, "session").fill("3")
    expect(journal.locator(".mk-message")).to_have_text([EMPTY])
    expect(status(ben)).to_have_text(NOT_SAVED)
    press_save(ben)  # saving by hand is refused the same way, and loses nothing
    expect(status(ben)).to_have_text(NOT_SAVED)
    expect(sub_box(entry, "session")).to_have_value("3")

    sub_box(entry, "happened").fill(HAPPENED)
    expect(journal.locator(".mk-message")).to_have_count(0)
    wait_saved(ben)
    reload(ben)
    expect(status(ben)).to_have_text(SAVED)
    expect(entries).to_have_count(1)
    expect(sub_box(entry, "session")).to_have_value("3")
    expect(sub_box(entry, "happened")).to_have_value(HAPPENED)
    (kept,) = journal_as(demo, ben_id, ben_id)["entries"]
    assert kept["session"] == 3 and kept["happened"] == HAPPENED
