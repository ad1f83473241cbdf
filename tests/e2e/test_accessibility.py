"""Every page, for a pair member and for the facilitator, at a laptop's width and a phone's:
axe-core finds no serious or critical violation, nothing is cut off at 390 px, and a
screenshot of each is kept (test-results/screenshots/). Then one joint worksheet, signed in,
filled and saved with the keyboard alone, its fields found by their labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from .conftest import EVERY_PAGE, SAVED, reload, sign_in, status

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = {"laptop": 1280, "phone": 390}
SERIOUS = ("serious", "critical")

CUT_OFF_JS = """() => [...document.querySelectorAll('#rendered_cells *, .mk-site *')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""


def serious_violations(page: Page, axe: Axe) -> list[str]:
    """axe-core's serious and critical findings, each with up to three of its elements. The
    widgets keep drawing for a moment after the page shows: a finding must persist across
    three looks, a second apart."""
    found: list[str] = []
    for _ in range(3):
        violations = axe.run(page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes'][:3]]}"
            for v in violations
            if v["impact"] in SERIOUS
        ]
        if not found:
            return []
        page.wait_for_timeout(1000)
    return found


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.replace(".ipynb", "").lower()).strip("-")


@pytest.mark.parametrize("name", list(EVERY_PAGE))
def test_every_page_passes_axe_and_fits_a_phone(demo, browser, name):
    """Each page is loaded once at a laptop's width, then narrowed to a phone's."""
    context = browser.new_context(viewport={"width": WIDTHS["laptop"], "height": 900})
    try:
        page = sign_in(context, demo, name)
        axe = Axe()
        assert serious_violations(page, axe) == [], "sign-in, then home"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for path in EVERY_PAGE[name]:
            page.set_viewport_size({"width": WIDTHS["laptop"], "height": 900})
            page.goto(f"{demo.url}/voila/render/{path}")
            expect(page.locator("#loading"), path).to_be_hidden()
            expect(page.locator(".mk-page").first, path).to_be_visible()
            expect(page.get_by_text("Something went wrong"), path).to_have_count(0)
            for width in WIDTHS.values():
                page.set_viewport_size({"width": width, "height": 900})
                assert serious_violations(page, axe) == [], f"{path} at {width} px"
                if width < 600:
                    assert page.evaluate(CUT_OFF_JS) == [], f"{path}: cut off at {width} px"
                shot = SCREENSHOTS / f"{name.split()[0].lower()}-{slug(path)}-{width}.png"
                page.screenshot(path=shot, full_page=True)
    finally:
        context.close()


def test_the_sign_in_page_and_a_message_page_pass_axe(demo, new_context):
    page = new_context().new_page()
    axe = Axe()
    page.goto(f"{demo.url}/signin")
    assert serious_violations(page, axe) == []
    page.goto(f"{demo.url}/signin?code=NOPE-NOPE-NOPE")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").or_(page.locator(".error"))).to_be_visible()
    assert serious_violations(page, axe) == []


def tab_to(page: Page, target: Locator, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the keyboard's focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never took the focus after {limit} presses of {key}")


def test_a_joint_worksheet_signed_in_filled_and_saved_with_the_keyboard_alone(
    fresh_demo, new_context
):
    page = new_context().new_page()
    page.goto(f"{fresh_demo.url}/signin")
    code = page.get_by_label("Access code")
    expect(code).to_be_focused()  # the sign-in page starts in the box
    page.keyboard.type(fresh_demo.codes["Amara Okafor"])
    page.keyboard.press("Enter")
    expect(page.get_by_text("Hello, Amara Okafor")).to_be_visible()

    page.keyboard.press("Tab")  # the first stop skips the header
    expect(page.get_by_role("link", name="Skip to the page")).to_be_focused()
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Getting to know each other").first
    tab_to(page, link)
    page.keyboard.press("Enter")

    story = page.get_by_label("The mentor's background and career path so far")
    expect(story).to_be_visible()
    tab_to(page, story)
    page.keyboard.type("Twenty years in civil engineering, the last five leading teams.")
    often = page.get_by_role("radiogroup", name="How often would you like to meet?")
    monthly = often.get_by_role("radio", name="Once a month")
    tab_to(page, monthly)  # Tab reaches the group; the arrow keys move within it
    page.keyboard.press("Space")
    expect(monthly).to_be_checked()
    agreed = page.get_by_role("radiogroup", name="Have you agreed the date of your next session?")
    yes = agreed.get_by_role("radio", name="Yes")
    tab_to(page, yes)
    page.keyboard.press("Enter")
    expect(yes).to_have_attribute("aria-checked", "true")
    save = page.get_by_role("button", name="Save")
    tab_to(page, save, backwards=True, limit=200)
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text(SAVED)
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(1)  # announced

    reload(page)
    expect(page.get_by_label("The mentor's background and career path so far")).to_have_value(
        "Twenty years in civil engineering, the last five leading teams."
    )
    expect(often.get_by_role("radio", name="Once a month")).to_be_checked()
    expect(agreed.get_by_role("radio", name="Yes")).to_have_attribute("aria-checked", "true")


def test_a_wrong_answer_is_announced_and_tied_to_its_field(demo, new_context):
    page = sign_in(new_context(), demo, "Chloe Martin")
    page.goto(demo.worksheet_url(2, "getting-to-know-each-other.ipynb"))
    answer = page.get_by_label("Between meetings, how quickly can each of you usually reply?")
    expect(answer).to_be_visible()
    answer.fill("x" * 201)  # over the field's 200 characters
    expect(answer).to_have_accessible_description(re.compile("the limit is 200"))
    described = (answer.get_attribute("aria-describedby") or "").split()
    live = [page.locator(f"#{each}").get_attribute("aria-live") for each in described]
    assert "polite" in live, described  # the message is read out when it appears


def test_a_goal_plan_with_its_parts_passes_axe_and_names_every_box(fresh_demo, new_context):
    """The goal plan is made of many small boxes in rows: each is named for what it holds."""
    page = sign_in(new_context(), fresh_demo, "Amara Okafor")
    page.goto(fresh_demo.worksheet_url(1, "goals-and-actions.ipynb"))
    page.get_by_role("button", name="Add a goal").click()
    page.get_by_label("What is the goal?").fill("Lead the design review")
    page.get_by_role("button", name="Add an objective").click()
    page.get_by_label("What will be true").fill("Chair a review on my own")
    page.get_by_label("Target date").fill("2030-06-30")
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What will be done").fill("Shadow two reviews")
    page.get_by_label("Who does it").select_option(label="Mentee")
    page.get_by_label("Due by").fill("2030-05-01")
    page.get_by_label("Status").select_option(label="In progress")
    expect(status(page)).to_have_text(SAVED)
    assert serious_violations(page, Axe()) == []
    slider = page.get_by_role("slider", name="Progress on objective 1 (%)")
    expect(slider).to_be_visible()
