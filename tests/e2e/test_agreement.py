"""Negotiating expectations together, and confirming the mentoring agreement built from them."""

from __future__ import annotations

import base64
import io
import re

import pypdf
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from .conftest import (
    TIMEOUT_MS,
    Demo,
    date_box,
    expect_unsaved,
    field,
    fill_texts,
    group_item,
    group_items,
    reload,
    sign_in,
    status,
    text_box,
    wait_for_group,
    wait_saved,
    worksheet_for,
)

pytestmark = pytest.mark.e2e
SESSION_3 = "Session 3: Two-way discussion"
"""How the shipped plan names its third session where a parked expectation comes back."""

NEGOTIATION = "negotiating-expectations.ipynb"
AGREEMENT = "mentoring-agreement.ipynb"
GROUP = "expectations"
LIVE_MS = 10_000  # "within a few seconds": two autosave delays and a sync interval, and slack
NOT_SAVED = re.compile(r"^Not saved: 1 answer needs fixing")
NEEDS_IT = "Please fill this in too: your choice under “Outcome” needs it."

GOALS = "Goals: what we want to achieve together"
DEADLINES = "Deadlines: when we hope to reach them"
MEETINGS = "Meetings: how often and when we meet"
BOUNDARIES = "Boundaries: times, topics or channels that are off limits"


def negotiation_for(context: BrowserContext, demo: Demo, name: str, relationship: int) -> Page:
    return worksheet_for(context, demo, name, relationship, NEGOTIATION)


def agreement_for(context: BrowserContext, demo: Demo, name: str, relationship: int) -> Page:
    return worksheet_for(context, demo, name, relationship, AGREEMENT)


def add_item(page: Page, button: Locator) -> Locator:
    """Press a button that adds an expectation; returns the new item once it is shown."""
    items = group_items(page, GROUP)
    count = items.count()
    button.click()
    expect(items).to_have_count(count + 1)
    return items.nth(count)


def add_from_starter(page: Page, starter: str) -> None:
    add_item(page, field(page, GROUP).locator(".mk-starter", has_text=starter))


def add_typed(page: Page, text: str) -> None:
    button = field(page, GROUP).get_by_role("button", name="Add expectation")
    text_box(add_item(page, button), "text").fill(text)


def expectation(text: str, by: str, label: str = "", wording: str = "", session: str = "") -> dict:
    """How an item looks when settled with ``label`` (blank: not yet), as ``read_group`` reads it."""
    shown = {"heading": f"raised by {by}", "text": text, "clarifications": "", "outcome": label}
    if wording:
        shown["shared_wording"] = wording
    if session:
        shown |= {"later_session": session, "later_date": ""}
    return shown


def by_text(items: list[dict[str, str]]) -> dict[str, dict[str, str]] | None:
    """The items keyed by their text, or None unless they are numbered 1, 2, 3 … in order."""
    found = {}
    for number, item in enumerate(items, start=1):
        prefix = f"Expectation {number} "
        if not item["heading"].startswith(prefix):
            return None
        found[item.get("text")] = {**item, "heading": item["heading"].removeprefix(prefix)}
    return found


def wait_for_expectations(page: Page, *want: dict, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the page shows exactly the expectations ``want``, in any order."""
    wanted = {item["text"]: item for item in want}
    wait_for_group(page, GROUP, lambda items: by_text(items) == wanted, timeout_ms)


def outcome(item: Locator, label: str) -> Locator:
    return field(item, "outcome").get_by_label(label, exact=True)


def settle(page: Page, text: str, label: str, wording: str = "", session: str = "") -> None:
    """Settle the expectation ``text``: pick the outcome, then the wording or the session."""
    item = group_item(page, GROUP, text)
    outcome(item, label).check()
    if wording:
        text_box(item, "shared_wording").fill(wording)
    if session:
        field(item, "later_session").get_by_label(session, exact=True).check()
    expect_unsaved(page)
    wait_saved(page)


def test_partners_add_expectations_at_once_and_settle_each(fresh_demo, new_context):
    amara = negotiation_for(new_context(), fresh_demo, "Amara Okafor", 1)
    ben = negotiation_for(new_context(), fresh_demo, "Ben Hughes", 1)
    amaras = "We meet every other Tuesday, in person when we can"
    bens = "Ben replies to messages within two working days"
    state = {
        GOALS: expectation(GOALS, "Amara Okafor"),
        amaras: expectation(amaras, "Amara Okafor"),
        BOUNDARIES: expectation(BOUNDARIES, "Ben Hughes"),
        bens: expectation(bens, "Ben Hughes"),
    }

    # Both add two at the same moment: nothing is saved until 1.5 s after the last change.
    add_typed(amara, amaras)
    add_typed(ben, bens)
    add_from_starter(amara, GOALS)
    add_from_starter(ben, BOUNDARIES)
    expect_unsaved(amara)
    expect_unsaved(ben)
    for page in (amara, ben):  # each sees the other's appear, without reloading
        wait_for_expectations(page, *state.values(), timeout_ms=LIVE_MS)
    for page in (amara, ben):
        wait_saved(page)
        reload(page)
        wait_for_expectations(page, *state.values())

    # Agreed in new wording, but no wording yet: the outcome waits and nothing is lost.
    reworded = group_item(amara, GROUP, amaras)
    outcome(reworded, "Agreed in new wording").check()
    message = field(amara, GROUP).locator(".mk-message")
    expect(message).to_have_text([NEEDS_IT])
    expect(text_box(reworded, "shared_wording")).to_have_accessible_description(NEEDS_IT)
    expect(status(amara)).to_have_text(NOT_SAVED)
    expect(text_box(reworded, "text")).to_have_value(amaras)
    expect(outcome(reworded, "Agreed in new wording")).to_be_checked()
    wording = "We meet every other Tuesday; by video when either of us is travelling"
    text_box(reworded, "shared_wording").fill(wording)
    expect_unsaved(amara)
    wait_saved(amara)
    expect(message).to_have_count(0)
    state[amaras] = expectation(amaras, "Amara Okafor", "Agreed in new wording", wording)

    # The rest from both browsers, each after their page has taken in the other's last save
    # (taking it in redraws every item, and a click during that redraw is lost).
    wait_for_expectations(ben, *state.values())
    settle(ben, BOUNDARIES, "Not applicable")
    settle(ben, bens, "Discuss later", session=SESSION_3)
    state[BOUNDARIES] = expectation(BOUNDARIES, "Ben Hughes", "Not applicable")
    state[bens] = expectation(bens, "Ben Hughes", "Discuss later", session=SESSION_3)
    wait_for_expectations(amara, *state.values())
    settle(amara, GOALS, "Agreed as stated")
    state[GOALS] = expectation(GOALS, "Amara Okafor", "Agreed as stated")
    wait_for_expectations(ben, *state.values())
    for page in (amara, ben):
        reload(page)
        wait_for_expectations(page, *state.values())


def test_home_and_agreement_show_what_was_negotiated(fresh_demo, new_context):
    ben = negotiation_for(new_context(), fresh_demo, "Ben Hughes", 1)
    wording = "We meet once a month, for an hour"
    not_applicable = "Ben shadows Amara at a conference"
    for starter in (GOALS, MEETINGS, DEADLINES):
        add_from_starter(ben, starter)
    add_typed(ben, not_applicable)
    expect_unsaved(ben)
    wait_saved(ben)
    settle(ben, GOALS, "Agreed as stated")
    settle(ben, MEETINGS, "Agreed in new wording", wording=wording)
    settle(ben, DEADLINES, "Discuss later", session=SESSION_3)
    settle(ben, not_applicable, "Not applicable")

    home = sign_in(new_context(), fresh_demo, "Amara Okafor")
    parked = home.locator("div.mk-open-points")
    expect(parked.locator("h3")).to_have_text("To come back to")
    expect(parked.locator("h4")).to_have_text(["Session 3"])
    expect(parked.locator("h4 + ul > li")).to_have_text([f"{DEADLINES} raised by Ben Hughes"])

    agreement = agreement_for(home.context, fresh_demo, "Amara Okafor", 1)
    expect(agreement.locator("ol.mk-agreed > li")).to_have_text(
        [
            f"{GOALS} raised by Ben Hughes",
            f"{wording} (originally: {MEETINGS}) raised by Ben Hughes",
        ]
    )
    expect(agreement.locator("ul.mk-open-points > li")).to_have_text([f"{DEADLINES} — Session 3"])


CONFIRM_BUTTON = re.compile(
    "(I confirm this agreement|Fix the answers marked above first|You have confirmed this version)$"
)


def confirmation(page: Page) -> Locator:
    return page.locator(".mk-confirmation")


def confirm_button(page: Page) -> Locator:
    return page.locator(".mk-agreement").get_by_role("button", name=CONFIRM_BUTTON)


def confirmed(name: str) -> re.Pattern[str]:
    return re.compile(rf"{name}: confirmed \d{{1,2}} \w{{3}} \d{{4}}, \d{{2}}:\d{{2}}")


def test_review_date_before_start_is_refused_but_the_rest_saves(fresh_demo, new_context):
    elena = agreement_for(new_context(), fresh_demo, "Elena Rossi", 3)
    farah = agreement_for(new_context(), fresh_demo, "Farah Khan", 3)
    purpose = "Grow four new team leads in the studio"

    text_box(elena, "purpose").fill(purpose)
    date_box(elena, "start_date").fill("2027-01-15")
    date_box(elena, "review_date").fill("2027-01-10")
    expect(date_box(elena, "review_date")).to_have_accessible_description(
        "This date is before “Start date” (Fri 15 January 2027); please choose Fri 15 January "
        "2027 or later."
    )
    expect(date_box(elena, "start_date")).to_have_accessible_description("")
    expect(status(elena)).to_have_text(NOT_SAVED)
    expect(confirm_button(elena)).to_have_text("Fix the answers marked above first")
    expect(confirm_button(elena)).to_be_disabled()

    # Farah's open page takes in the rest of Elena's answers, but not the review date.
    expect(text_box(farah, "purpose")).to_have_value(purpose)
    expect(date_box(farah, "start_date")).to_have_value("2027-01-15")
    expect(date_box(farah, "review_date")).to_have_value("")
    expect(date_box(elena, "review_date")).to_have_value("2027-01-10")  # kept on screen
    reload(elena)
    expect(text_box(elena, "purpose")).to_have_value(purpose)
    expect(date_box(elena, "start_date")).to_have_value("2027-01-15")
    expect(date_box(elena, "review_date")).to_have_value("")

    date_box(elena, "review_date").fill("2027-07-15")
    expect_unsaved(elena)
    wait_saved(elena)
    expect(date_box(farah, "review_date")).to_have_value("2027-07-15")
    expect(date_box(elena, "review_date")).to_have_accessible_description("")
    expect(confirm_button(elena)).to_have_text("I confirm this agreement")
    expect(confirm_button(elena)).to_be_enabled()


def test_both_confirm_and_a_later_edit_makes_version_two(fresh_demo, new_context):
    chloe = agreement_for(new_context(), fresh_demo, "Chloe Martin", 2)
    dev = agreement_for(new_context(), fresh_demo, "Dev Patel", 2)
    first_purpose = "Both of us move from freelance work into producing"

    fill_texts(chloe, {"purpose": first_purpose})
    field(chloe, "mentoring-agreement:frequency").get_by_label("Once a month").check()
    date_box(chloe, "start_date").fill("2027-01-15")
    date_box(chloe, "end_date").fill("2027-12-15")
    wait_saved(chloe)
    expect(text_box(dev, "purpose")).to_have_value(first_purpose)
    field(dev, "meeting_modes").get_by_label("Video call").check()
    fill_texts(dev, {"issues": "We say so at the next meeting, or sooner by message"})
    wait_saved(dev)
    expect(field(chloe, "meeting_modes").get_by_label("Video call")).to_be_checked()
    expect(field(dev, "mentoring-agreement:frequency").get_by_label("Once a month")).to_be_checked()
    expect(date_box(dev, "end_date")).to_have_value("2027-12-15")
    expect(
        field(chloe, "mentoring-agreement:model").get_by_label(re.compile("^Peer"))
    ).to_be_checked()

    for page in (chloe, dev):
        expect(confirmation(page)).to_contain_text("Version 1 — waiting for confirmation.")
        expect(confirm_button(page)).to_have_text("I confirm this agreement")
    confirm_button(chloe).click()
    expect(confirm_button(chloe)).to_have_text("You have confirmed this version")
    expect(confirm_button(chloe)).to_be_disabled()
    expect(confirmation(dev)).to_contain_text(confirmed("Chloe Martin"))
    expect(confirmation(dev)).to_contain_text("Dev Patel: not yet confirmed")
    confirm_button(dev).click()
    expect(confirm_button(dev)).to_have_text("You have confirmed this version")
    for page in (chloe, dev):
        reload(page)
        expect(confirmation(page)).to_contain_text("Version 1 — confirmed by everyone.")
        expect(confirmation(page)).to_contain_text(confirmed("Chloe Martin"))
        expect(confirmation(page)).to_contain_text(confirmed("Dev Patel"))
        expect(confirm_button(page)).to_have_text("You have confirmed this version")
        expect(page.get_by_role("button", name=re.compile("^Show version"))).to_have_count(0)

    # Once the change is saved it is a new, unconfirmed version, on both open pages.
    fill_texts(dev, {"purpose": "Both of us move into producing, and Dev into directing"})
    wait_saved(dev)
    for page in (chloe, dev):
        box = confirmation(page)
        expect(box).to_contain_text("Version 2 — waiting for confirmation.")
        expect(box).to_contain_text(
            "Something changed after version 1 was confirmed, so this is now version 2"
        )
        expect(box).to_contain_text("Chloe Martin: not yet confirmed")
        expect(box).to_contain_text("Dev Patel: not yet confirmed")
        expect(confirm_button(page)).to_have_text("I confirm this agreement")
        expect(confirm_button(page)).to_be_enabled()

    chloe.get_by_role("button", name="Show version 1").click()
    earlier = chloe.locator(".mk-earlier")
    expect(earlier).to_contain_text(first_purpose)
    expect(earlier).not_to_contain_text("directing")


def download(page: Page, label: str) -> bytes:
    """Press "Download <label>" and decode the data: link it offers."""
    links = page.locator("a.mk-download")
    before = links.get_attribute("href") if links.count() else None
    page.get_by_role("button", name=f"Download {label}").click()
    expect(links).to_have_count(1)
    expect(links).not_to_have_attribute("href", before or "")
    href = links.get_attribute("href")
    assert href.startswith("data:") and ";base64," in href
    return base64.b64decode(href.split(",", 1)[1])


def test_downloads_keep_typed_markup_as_text(fresh_demo, new_context):
    amara = agreement_for(new_context(), fresh_demo, "Amara Okafor", 1)
    purpose = "Lead my first exhibition <script>alert(1)</script> with confidence"
    fill_texts(amara, {"purpose": purpose})
    wait_saved(amara)

    page_html = download(amara, "HTML").decode()
    assert "Lead my first exhibition &lt;script&gt;alert(1)&lt;/script&gt; with" in page_html
    assert "<script" not in page_html.lower()
    assert "Amara Okafor" in page_html and "Ben Hughes" in page_html

    pdf = download(amara, "PDF")
    assert pdf.startswith(b"%PDF")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert purpose in text


def sub_box(item: Locator, sub: str) -> Locator:
    """The text box of one sub-field of an expectation."""
    return text_box(item, sub)


def test_each_outcome_keeps_what_was_typed_and_says_what_it_needs_beside_it(demo, new_context):
    chloe = negotiation_for(new_context(), demo, "Chloe Martin", 2)
    dev = negotiation_for(new_context(), demo, "Dev Patel", 2)
    for starter in (GOALS, DEADLINES, MEETINGS, BOUNDARIES):
        add_from_starter(chloe, starter)
    expect_unsaved(chloe)
    wait_saved(chloe)
    wait_for_group(dev, GROUP, lambda items: len(items) == 4)
    asked = {
        GOALS: "Asked: which goals? Answered: the two for the spring.",
        DEADLINES: "Asked: is June realistic? Answered: for the first one.",
        MEETINGS: "Asked: in person? Answered: mostly.",
        BOUNDARIES: "Asked: evenings? Answered: never after seven.",
    }
    waiting = {  # what each of these outcomes waits for: its message describes it
        "Agreed in new wording": lambda item: text_box(item, "shared_wording"),
        "Discuss later": lambda item: field(item, "later_session"),
    }

    # Each outcome, then the clarifications typed: the two that need one more answer say so
    # beside that answer, and nothing typed anywhere is dropped.
    for text, label in (
        (GOALS, "Agreed as stated"),
        (DEADLINES, "Discuss later"),
        (MEETINGS, "Agreed in new wording"),
        (BOUNDARIES, "Not applicable"),
    ):
        item = group_item(chloe, GROUP, text)
        outcome(item, label).check()
        sub_box(item, "clarifications").fill(asked[text])
        if label in waiting:
            beside = waiting[label](item)
            expect(beside).to_have_accessible_description(NEEDS_IT)
    expect(field(chloe, GROUP).locator(".mk-message")).to_have_text([NEEDS_IT, NEEDS_IT])
    expect(status(chloe)).to_have_text(NOT_SAVED)

    # The rest saved all the same: Dev's page shows every clarification, and the outcomes
    # that need nothing more; the two that wait are not settled for him yet.
    for text, typed in asked.items():
        expect(sub_box(group_item(dev, GROUP, text), "clarifications")).to_have_value(
            typed, timeout=LIVE_MS
        )
    expect(outcome(group_item(dev, GROUP, GOALS), "Agreed as stated")).to_be_checked()
    expect(outcome(group_item(dev, GROUP, MEETINGS), "Agreed in new wording")).not_to_be_checked()

    # Dev adds one meanwhile: Chloe's page takes it in and keeps all she typed and chose.
    dev_adds = "Dev sends the agenda a day ahead"
    add_typed(dev, dev_adds)
    expect_unsaved(dev)
    wait_saved(dev)
    wait_for_group(chloe, GROUP, lambda items: len(items) == 5, timeout_ms=LIVE_MS)
    for text, typed in asked.items():
        expect(sub_box(group_item(chloe, GROUP, text), "clarifications")).to_have_value(typed)
    meetings, deadlines = group_item(chloe, GROUP, MEETINGS), group_item(chloe, GROUP, DEADLINES)
    expect(outcome(meetings, "Agreed in new wording")).to_be_checked()
    expect(outcome(deadlines, "Discuss later")).to_be_checked()
    expect(text_box(meetings, "shared_wording")).to_have_accessible_description(NEEDS_IT)

    # The answers they wait for, and everything is saved; both pages agree after a reload.
    wording = "We meet once a month, in person when we can"
    sub_box(meetings, "shared_wording").fill(wording)
    field(deadlines, "later_session").get_by_label(SESSION_3, exact=True).check()
    expect_unsaved(chloe)
    wait_saved(chloe)
    expect(field(chloe, GROUP).locator(".mk-message")).to_have_count(0)
    settled = {
        GOALS: ("Agreed as stated", {}),
        DEADLINES: ("Discuss later", {"later_session": SESSION_3, "later_date": ""}),
        MEETINGS: ("Agreed in new wording", {"shared_wording": wording}),
        BOUNDARIES: ("Not applicable", {}),
    }
    want = {
        text: {
            "heading": "raised by Chloe Martin",
            "text": text,
            "clarifications": asked[text],
            "outcome": label,
            **more,
        }
        for text, (label, more) in settled.items()
    } | {dev_adds: expectation(dev_adds, "Dev Patel")}
    for page in (dev, chloe):
        reload(page)
        wait_for_group(page, GROUP, lambda items: by_text(items) == want)
