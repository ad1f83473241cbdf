"""The goals and action plan: goals, objectives, actions, check-ins, charts and downloads."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from mentorkit.core.dates import date_words
from mentorkit.core.paths import DATABASE_NAME, worksheets_folder
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.programme.plan import add_months, next_working_day

from .conftest import HOME_PATH, SAVED, Demo, expect_unsaved, sign_in, status, wait_loaded

pytestmark = pytest.mark.e2e

GOALS = "goals-and-actions.ipynb"
TODAY = dt.date.today()
START, END = -45, 150
"""The seeded agreement's start and end, in days from today (monthly sessions)."""
OVERDUE = re.compile(r"\bmk-overdue\b")


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def iso(offset: int) -> str:
    return day(offset).isoformat()


def short(when: dt.date) -> str:
    """A date as the page writes it in lists and for the coming weeks: "Mon 9 November"."""
    return date_words(when, year=False)


def seed_agreement(demo: Demo, relationship: int = 1, name: str = "Ben Hughes") -> None:
    """Save the agreement's dates straight into the store, as if the pair had filled it in."""
    worksheets = load_folder(worksheets_folder())
    store = Store(demo.server.data / DATABASE_NAME)
    try:
        person = next(
            m.person_id for m in store.relationship(relationship).members if m.name == name
        )
        store.save(
            worksheets["mentoring-agreement"],
            relationship,
            person,
            {"start_date": iso(START), "end_date": iso(END), "frequency": "monthly"},
            {},
        )
    finally:
        store.close()


def goals_url(demo: Demo, relationship: int) -> str:
    return demo.worksheet_url(relationship, GOALS)


def open_goals(page: Page, demo: Demo, relationship: int = 1) -> Page:
    page.goto(goals_url(demo, relationship))
    wait_loaded(page)
    return page


def goals_for(context: BrowserContext, demo: Demo, name: str, relationship: int = 1) -> Page:
    return open_goals(sign_in(context, demo, name), demo, relationship)


def open_tab(page: Page, title: str) -> None:
    page.get_by_role("tab", name=title, exact=True).click()


# --- building a plan ----------------------------------------------------------------------


def add_goal(page: Page) -> None:
    goals = page.locator(".mk-goal-chooser select option")
    count = goals.count()
    page.locator(".mk-add-goal").click()
    expect(goals).to_have_count(count + 1)
    expect(page.locator(".mk-goal-title input")).to_be_visible()


def long_day(when: dt.date) -> str:
    """A date as the page writes it in tables and notes: "Mon 9 November 2026"."""
    return date_words(when)


def expect_open_objective(page: Page, number: int, of: int) -> Locator:
    """Objective ``number`` of the open goal's ``of`` is open: the only objective drawn, its
    button the one pressed (the chooser is hidden below two), every one in the summary."""
    objective = page.locator(".mk-objective")
    expect(objective).to_have_count(1)
    expect(objective.locator("h4")).to_have_text(f"Objective {number}")
    chooser = page.locator(".mk-objective-chooser")
    expect(chooser).to_have_count(1)
    if of < 2:
        expect(chooser).to_be_hidden()
    else:
        expect(chooser).to_be_visible()
        expect(chooser.get_by_role("button")).to_have_text(
            [f"Objective {n}" for n in range(1, of + 1)]
        )
        expect(chooser.locator("button.mod-active")).to_have_text([f"Objective {number}"])
    expect(page.locator(".mk-objective-summary tbody tr")).to_have_count(of)
    return objective


def open_objective(page: Page, number: int, of: int) -> Locator:
    """Press "Objective <number>" and return the objective drawn (then that one)."""
    button = page.locator(".mk-objective-chooser").get_by_role(
        "button", name=f"Objective {number}", exact=True
    )
    button.click()
    return expect_open_objective(page, number, of)


def add_objective(page: Page) -> Locator:
    """Add an objective to the open goal: it opens, blank."""
    count = page.locator(".mk-objective-summary tbody tr").count()
    page.locator(".mk-add-objective").click()
    objective = expect_open_objective(page, count + 1, count + 1)
    expect_objective(objective, "", "", "")
    return objective


def expect_objective_summary(page: Page, rows: list[list[str]]) -> None:
    """The open goal's objectives table shows these cells, row by row."""
    table = page.locator(".mk-objective-summary")
    expect(table.locator("thead th")).to_have_text(
        ["Objective", "Target", "Actions", "Progress", ""]
    )
    shown = table.locator("tbody tr")
    expect(shown).to_have_count(len(rows))
    for number, cells in enumerate(rows):
        expect(shown.nth(number).locator("td")).to_have_text(cells)
        overdue = [c.split(" · ")[1] for c in cells[2:3] if " · " in c]
        expect(shown.nth(number).locator(".mk-error")).to_have_text(overdue)


def add_action(objective: Locator) -> Locator:
    actions = objective.locator(".mk-action")
    count = actions.count()
    objective.locator(".mk-add-action").click()
    expect(actions).to_have_count(count + 1)
    return actions.nth(count)


def fill_objective(objective: Locator, outcome: str, measure: str, target: str) -> None:
    objective.locator(".mk-objective-outcome input").fill(outcome)
    objective.locator(".mk-objective-measure input").fill(measure)
    objective.locator(".mk-objective-target input[type=date]").fill(target)


def fill_action(action: Locator, what: str, owner: str, due: str, state: str = "") -> None:
    """Fill an action in, its due date last (an overdue mark shows the page has it all)."""
    action.locator(".mk-action-what input").fill(what)
    action.locator(".mk-action-owner select").select_option(label=owner)
    if state:
        action.locator(".mk-action-status select").select_option(label=state)
    action.locator(".mk-action-due input[type=date]").fill(due)


def expect_objective(objective: Locator, outcome: str, measure: str, target: str) -> None:
    expect(objective.locator(".mk-objective-outcome input")).to_have_value(outcome)
    expect(objective.locator(".mk-objective-measure input")).to_have_value(measure)
    expect(objective.locator(".mk-objective-target input[type=date]")).to_have_value(target)


def expect_action(action: Locator, what: str, owner: str, due: str, state: str) -> None:
    """The action shows these values (the dropdowns' option values are their labels)."""
    expect(action.locator(".mk-action-what input")).to_have_value(what)
    expect(action.locator(".mk-action-owner select")).to_have_value(owner)
    expect(action.locator(".mk-action-due input[type=date]")).to_have_value(due)
    expect(action.locator(".mk-action-status select")).to_have_value(state)


def set_percent(slider: Locator, percent: int) -> None:
    """Type into the slider's editable readout (ipywidgets 8) and press Enter."""
    readout = slider.locator(".widget-readout")
    readout.click()
    readout.press("Control+A")
    readout.press_sequentially(str(percent))
    readout.press("Enter")
    expect(readout).to_have_text(str(percent))


def wait_saved_after_change(page: Page) -> None:
    """The page has taken in the last change (call once its effect shows) and saved it."""
    expect_unsaved(page)
    expect(status(page)).to_have_text(SAVED)


def download(page: Page, label: str) -> bytes:
    """Press "Download <label>" and decode the data: link it offers."""
    links = page.locator("a.mk-download")
    before = links.get_attribute("href") if links.count() else ""
    page.get_by_role("button", name=f"Download {label}").click()  # its name starts with an icon
    expect(links).to_have_count(1)
    expect(links).not_to_have_attribute("href", before)
    href = links.get_attribute("href")
    assert href.startswith("data:") and ";base64," in href, href[:80]
    return base64.b64decode(href.split(",", 1)[1])


# --- the tests ------------------------------------------------------------------------------

TITLE = "Chair the team's monthly review with confidence"
WHY = "I will lead a team of my own next year"
AREA = "Running meetings"
OUTCOMES = (
    ("I have chaired two team meetings", "Feedback from two colleagues", iso(90)),
    ("The team asks me to chair again", "Asked by my manager", iso(120)),
)
# (objective number, what, owner, due, status)
ACTIONS = (
    (1, "Draft the agenda for the next team meeting", "Mentee", iso(-3), "In progress"),
    (1, "Share a chairing checklist", "Mentor", iso(10), "Not started"),
    (2, "Chair the quarterly planning meeting together", "Both", iso(60), "Not started"),
)


def expect_objectives_and_actions(page: Page) -> None:
    """A freshly opened goals page shows the plan's objectives and actions, objective 1 open
    first; pressing "Objective 2" shows the second (and leaves it open)."""
    late = day(-3)
    objective = expect_open_objective(page, 1, len(OUTCOMES))
    for number, values in enumerate(OUTCOMES, start=1):
        if number > 1:
            objective = open_objective(page, number, len(OUTCOMES))
        expect_objective(objective, *values)
        planned = [action for action in ACTIONS if action[0] == number]
        actions = objective.locator(".mk-action")
        expect(actions).to_have_count(len(planned))
        for row, (_number, *values) in enumerate(planned):
            expect_action(actions.nth(row), *values)
        if number == 1:
            expect(actions.first).to_have_class(OVERDUE)
            expect(actions.first.locator(".mk-overdue-note")).to_have_text(
                f"Overdue: it was due {long_day(late)}. Mark it done, move the date, or drop it."
            )
            expect(objective).to_contain_text(f"Latest check-in: 40% on {long_day(TODAY)}")
        else:
            expect(objective).not_to_contain_text("Latest check-in")
        for row in range(1 if number == 1 else 0, len(planned)):
            expect(actions.nth(row)).not_to_have_class(OVERDUE)
            expect(actions.nth(row).locator(".mk-overdue-note")).to_have_count(0)


def test_goal_objectives_actions_check_in_and_reload(fresh_demo, new_context):
    seed_agreement(fresh_demo)
    ben = goals_for(new_context(), fresh_demo, "Ben Hughes")
    expect(ben.locator(".mk-next-session")).to_contain_text("Next session: session 3,")

    add_goal(ben)
    ben.locator(".mk-goal-title input").fill(TITLE)
    ben.locator(".mk-goal-why textarea").fill(WHY)
    areas = ben.locator(".mk-goal-areas")
    areas.locator("input").click()
    areas.locator("input").press_sequentially(AREA)
    areas.locator("input").press("Enter")
    expect(areas.locator(".jupyter-widget-tag:not(input)")).to_have_text([AREA])
    ben.locator(".mk-goal-stretch input[type=checkbox]").check()
    for values in OUTCOMES:
        fill_objective(add_objective(ben), *values)
    # Objective 2 (open, as just added) gets its action; then objective 1 its two, filled
    # last to first so that the first action's overdue mark shows the page has it all.
    for number in range(len(OUTCOMES), 0, -1):
        objective = open_objective(ben, number, len(OUTCOMES))
        planned = [action for action in ACTIONS if action[0] == number]
        rows = [add_action(objective) for _ in planned]
        for row, (_number, *values) in reversed(list(zip(rows, planned, strict=True))):
            fill_action(row, *values)
    expect(ben.locator(".mk-action").first).to_have_class(OVERDUE)
    wait_saved_after_change(ben)
    expect_objective_summary(
        ben,
        [
            [f"1. {OUTCOMES[0][0]}", long_day(day(90)), "0 of 2 done · 1 overdue", "—", ""],
            [f"2. {OUTCOMES[1][0]}", long_day(day(120)), "0 of 1 done", "—", ""],
        ],
    )

    # The check-in for the session just held: 40% and a word on objective 1.
    check_in = ben.locator(".mk-check-in")
    expect(check_in.locator(".mk-check-in-session select")).to_have_value(
        re.compile(r"^Session 2 ")
    )
    expect(check_in.locator(".mk-check-in-date input[type=date]")).to_have_value(TODAY.isoformat())
    expect(check_in.locator(".mk-check-in-percent")).to_have_count(2)
    set_percent(check_in.locator(".mk-check-in-percent").first, 40)
    check_in.locator(".mk-check-in-note input").first.fill("Chaired half a meeting")
    history = ben.locator(".mk-progress-history")
    expect(history).to_contain_text(f"Objective 1: {short(TODAY)}: 40% (Chaired half a meeting)")
    wait_saved_after_change(ben)
    # Catching up on session 1 afterwards: its check-in is dated the day it was held.
    session_1 = next_working_day(day(START))
    check_in.get_by_label("Session", exact=True).select_option(
        label=f"Session 1 ({short(session_1)})"
    )
    expect(check_in.get_by_label("Date", exact=True)).to_have_value(session_1.isoformat())

    ben.reload()
    wait_loaded(ben)
    expect(ben.locator(".mk-goal-chooser select")).to_have_value(f"1. {TITLE}")
    expect(ben.locator(".mk-goal-title input")).to_have_value(TITLE)
    expect(ben.locator(".mk-goal-why textarea")).to_have_value(WHY)
    expect(areas.locator(".jupyter-widget-tag:not(input)")).to_have_text([AREA])
    expect(ben.locator(".mk-goal-stretch input[type=checkbox]")).to_be_checked()
    expect_objectives_and_actions(ben)
    expect_objective_summary(
        ben,
        [
            [f"1. {OUTCOMES[0][0]}", long_day(day(90)), "0 of 2 done · 1 overdue", "40%", ""],
            [f"2. {OUTCOMES[1][0]}", long_day(day(120)), "0 of 1 done", "—", ""],
        ],
    )
    summary = ben.locator(".mk-goal-summary tbody tr")
    expect(summary).to_have_count(1)
    # Only objective 1 was checked in (an untouched slider is not recorded as 0%).
    expect(summary.locator("td")).to_have_text(
        [f"1. {TITLE} stretch", "2", "0 of 3 done · 1 overdue", "40%"]
    )
    expect(check_in.locator(".mk-check-in-session select")).to_have_value(
        re.compile(r"^Session 2 ")
    )
    expect(check_in.locator(".mk-check-in-percent")).to_have_count(2)
    expect(check_in.locator(".mk-check-in-percent .widget-readout").first).to_have_text("40")
    expect(check_in.locator(".mk-check-in-note input").first).to_have_value(
        "Chaired half a meeting"
    )
    expect(history).to_contain_text(f"Objective 1: {short(TODAY)}: 40% (Chaired half a meeting)")

    open_tab(ben, "Timeline and progress")
    charts = ben.locator("img.mk-chart")
    expect(charts).to_have_count(2)
    # each chart's text alternative says what it shows, with its values
    expect(charts.nth(0)).to_have_attribute("alt", re.compile(r"^Timeline chart “.*objective"))
    expect(charts.nth(1)).to_have_attribute("alt", re.compile(r"^Line chart “.*40%"))
    ben.wait_for_function(
        "() => [...document.querySelectorAll('img.mk-chart')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )

    # Amara sees the same plan, and her home lists her action due before session 3.
    amara = goals_for(new_context(), fresh_demo, "Amara Okafor")
    expect(amara.locator(".mk-goal-title input")).to_have_value(TITLE)
    expect_objectives_and_actions(amara)
    expect(amara.locator(".mk-progress-history")).to_contain_text(
        f"Objective 1: {short(TODAY)}: 40% (Chaired half a meeting)"
    )

    late = day(-3)
    session_3 = next_working_day(add_months(day(START), 2))
    heading = f"Your actions before session 3 ({short(session_3)})"
    amara.goto(f"{fresh_demo.url}{HOME_PATH}")
    due = amara.locator(".mk-due-actions")
    expect(due.locator("h3")).to_have_text(heading)
    expect(due.locator("li")).to_have_text([f"{ACTIONS[1][1]} due {short(day(10))} · Mentor"])

    ben.goto(f"{fresh_demo.url}{HOME_PATH}")
    due = ben.locator(".mk-due-actions")
    expect(due.locator("h3")).to_have_text(heading)
    expect(due.locator("li")).to_have_text([f"{ACTIONS[0][1]} due {short(late)} · Mentee overdue"])
    expect(due.locator("li .mk-error")).to_have_text(["overdue"])


def test_gentle_notes_and_nothing_lost(fresh_demo, new_context):
    seed_agreement(fresh_demo)
    ben = goals_for(new_context(), fresh_demo, "Ben Hughes")
    start = day(START)

    add_goal(ben)
    expect(ben.locator(".mk-goal .mk-note").first).to_have_text(
        "Say what this goal is, or remove it."
    )
    objective = add_objective(ben)
    objective.locator(".mk-objective-outcome input").fill("I give feedback every week")
    objective.locator(".mk-objective-target input[type=date]").fill(iso(START - 15))
    objective_notes = objective.locator(".mk-note")
    expect(objective_notes).to_have_text(
        [
            "How will you know this is done?",
            f"The target date is before the programme starts ({long_day(start)}). "
            "Please choose a later date.",
        ]
    )
    action = add_action(objective)
    expect(action.locator(".mk-note")).to_have_count(0)  # nothing written yet: no nagging
    action.locator(".mk-action-what input").fill("Ask the team how feedback lands")
    expect(action.locator(".mk-note")).to_have_text(
        ["Who will do this: the mentor, the mentee or both?"]
    )
    wait_saved_after_change(ben)  # notes never stop the save
    target = long_day(day(START - 15))
    expect_objective_summary(
        ben, [["1. I give feedback every week", target, "0 of 1 done", "—", "3 notes"]]
    )

    ben.reload()
    wait_loaded(ben)
    expect(status(ben)).to_have_text(SAVED)
    expect(ben.locator(".mk-goal-chooser select")).to_have_value("1. (untitled goal)")
    expect(ben.locator(".mk-goal-title input")).to_have_value("")
    expect(ben.locator(".mk-goal .mk-note").first).to_have_text(
        "Say what this goal is, or remove it."
    )
    objective = expect_open_objective(ben, 1, 1)
    expect_objective(objective, "I give feedback every week", "", iso(START - 15))
    expect(objective.locator(".mk-note").nth(1)).to_contain_text("before the programme starts")
    action = objective.locator(".mk-action")
    expect(action).to_have_count(1)
    expect_action(action, "Ask the team how feedback lands", "Who?", "", "Not started")
    expect(action.locator(".mk-note")).to_have_text(
        ["Who will do this: the mentor, the mentee or both?"]
    )
    expect_objective_summary(
        ben, [["1. I give feedback every week", target, "0 of 1 done", "—", "3 notes"]]
    )


MARKUP = "<img src=x onerror=window.__pwned=1>"


def test_goal_text_is_shown_as_text(demo, new_context):
    chloe = goals_for(new_context(), demo, "Chloe Martin", 2)
    add_goal(chloe)
    chloe.locator(".mk-goal-title input").fill(MARKUP)
    objective = add_objective(chloe)
    objective.locator(".mk-objective-outcome input").fill(MARKUP)
    fill_action(add_action(objective), MARKUP, "Both", iso(7))

    def expect_literal(page: Page) -> None:
        expect(page.locator(".mk-goal-summary tbody td").first).to_have_text(f"1. {MARKUP}")
        expect(page.locator(".mk-goal-chooser select option")).to_have_text([f"1. {MARKUP}"])
        expect(page.locator(".mk-objective-summary tbody td").first).to_have_text(f"1. {MARKUP}")
        expect(page.locator(".mk-check-in")).to_contain_text(f"1. {MARKUP} %")

    expect_literal(chloe)
    wait_saved_after_change(chloe)
    chloe.reload()
    wait_loaded(chloe)
    expect_literal(chloe)
    objective = expect_open_objective(chloe, 1, 1)
    expect(objective.locator(".mk-objective-outcome input")).to_have_value(MARKUP)
    expect(objective.locator(".mk-action-what input")).to_have_value(MARKUP)

    chloe.goto(f"{demo.url}{HOME_PATH}")
    due = chloe.locator(".mk-due-actions")
    expect(due.locator("h3")).to_have_text("Your actions due in the next four weeks")
    expect(due.locator("li")).to_have_text([f"{MARKUP} due {short(day(7))} · Both"])
    assert chloe.evaluate("() => typeof window.__pwned") == "undefined"


def test_downloads(demo, new_context):
    elena = goals_for(new_context(), demo, "Elena Rossi", 3)
    add_goal(elena)
    elena.locator(".mk-goal-title input").fill("Run the studio offsite")
    objective = add_objective(elena)
    fill_objective(objective, "The offsite has taken place", "Everyone came", iso(60))
    fill_action(add_action(objective), "Book the venue", "Mentee", iso(14))
    fill_action(add_action(objective), "=1+1", "Mentor", iso(20), "In progress")
    expect(elena.locator(".mk-goal-summary tbody td").nth(2)).to_have_text("0 of 2 done")
    wait_saved_after_change(elena)
    expect_objective_summary(
        elena,
        [["1. The offsite has taken place", long_day(day(60)), "0 of 2 done", "—", ""]],
    )

    open_tab(elena, "Download")
    table = download(elena, "Actions (CSV)").decode("utf-8-sig")
    assert table.startswith("goal,objective,action,owner,due,status,overdue,resources,"), table
    goal, outcome = "Run the studio offsite", "The offsite has taken place"
    assert list(csv.reader(io.StringIO(table))) == [
        [
            "goal",
            "objective",
            "action",
            "owner",
            "due",
            "status",
            "overdue",
            "resources",
            "objective_target",
        ],
        [goal, outcome, "Book the venue", "Mentee", iso(14), "Not started", "no", "", iso(60)],
        [goal, outcome, "'=1+1", "Mentor", iso(20), "In progress", "no", "", iso(60)],
    ]

    markdown = download(elena, "Markdown").decode()
    assert markdown.startswith("# Goals and action plan"), markdown[:200]
    for text in ("Goal 1: Run the studio offsite", "Book the venue", "Everyone came"):
        assert text in markdown, text

    pdf = download(elena, "PDF")
    assert pdf.startswith(b"%PDF"), pdf[:20]
