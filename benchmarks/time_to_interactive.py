"""Time to interactive in real Chromium: from navigation start to the first field accepting
input, for the home, worksheet, negotiation, agreement, rating, goals, sessions, session
notes, journal, portfolio and dashboard apps, against a bare notebook holding one
``ipywidgets.Text`` served by the same ``mentorkit serve``. Target: each app's median at most
1.3x bare's.

"Accepting input" is probed inside the page from navigation start (``performance.now()``,
which counts from ``performance.timeOrigin``): the element is rendered, visible, enabled,
not read-only and the topmost element at its centre (nothing covers it). Playwright then
confirms it really works, outside the timing, in one of four ways (a target's ``kind``):

* ``input``: it types a character into the input or textarea, reads it back and deletes it
  again. Bare; worksheet (``mentor_background``); agreement (``purpose``); goals (the open
  goal's title, ``.mk-goal-title input``); session notes (session 3's ``covered``,
  ``.mk-field-covered textarea``); dashboard (the search box, ``.mk-dash-search input``).
* ``date``: the element is an ``<input type="date">``, where typing a character means
  nothing. Playwright fills in another date (the day before the one shown, or today if it is
  empty), reads it back and puts the original back. Sessions (``our-sessions``): the first
  session row's date, ``.mk-session-date input``. The first change stores the schedule (until
  then the page shows the suggested one and stores nothing), so the warm-up stores it with
  the suggested dates and every timed run draws that stored schedule, with the same dates.
* ``button`` (a trial click: nothing is clicked): the button must be visible, enabled and
  clickable. Negotiation: its first field, ``expectations``, is a list with no text box until
  an item exists, so its "Add expectation" button (no item is added). Rating (Amara rating
  herself, baseline round): only buttons to rate with, so the first, "1" in
  ``.mk-field-comprehend__role`` (no rating is given). Journal (``reflection-journal``): the
  entries list's "Add entry" button in ``.mk-field-entries`` (no entry is added). Portfolio:
  the "Download PDF" button ``.mk-portfolio-pdf`` (no PDF is made).
* ``link`` (a trial click, without the enabled check): home has no input fields, so its
  first worksheet link ``a.mk-open``.

Every page is opened signed in as Amara Okafor (mentor of relationship 1, Amara and Ben),
except the dashboard, which is opened in a second browser context signed in as the
facilitator, Fran Fletcher. The wall-clock time from ``page.goto`` to that confirmation is
printed as well. All pages are visited in turn, after one warm-up each.

When ``goals``, ``sessions`` or ``notes`` is selected, relationship 1 gets, before the server
starts, a mentoring agreement (start 10 weeks ago, end in 20 weeks, monthly: six sessions,
three of them held), so that the schedule and the notes have dates. The goals page is timed
on a large plan: when it is selected, the relationship also gets a plan of 20 goals x 5
objectives x 5 actions (500 actions, every text written out, dates inside the programme,
statuses that follow the due dates) with a check-in at each of the three sessions held. The
page draws the first goal open and the summary of all 20. Typing in the title autosaves the
plan (with the character deleted again a moment later).

    python benchmarks/time_to_interactive.py [--runs 7] [--pages home agreement ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.programme import goal_plans
from mentorkit.programme.goal_plan_field import goal_plan_problem
from mentorkit.programme.schedule import session_dates
from mentorkit.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    free_port,
    init_demo,
    sign_in_with_link,
)

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
SIGNER = "Amara Okafor"
FACILITATOR = "Fran Fletcher"
TIMEOUT_MS = 120_000
REFUSED = re.compile(r"403 POST /voila/api/shutdown/\S+ \([^)]*\) [\d.]+ms")

# Runs in every document before its own scripts: polls until the selector is interactive
# and records performance.now() (milliseconds since navigation start) in window.__mkReady.
PROBE = """
(() => {
  const selector = %s, text = %s, needsInput = %s;
  const ready = () => {
    const el = text === null
      ? document.querySelector(selector)
      : [...document.querySelectorAll(selector)].find((e) => e.textContent.trim() === text);
    if (!el || !el.isConnected) return false;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    if (needsInput && (el.disabled || el.readOnly)) return false;
    const x = box.left + Math.min(box.width / 2, 10), y = box.top + Math.min(box.height / 2, 10);
    if (y >= 0 && y < innerHeight && x >= 0 && x < innerWidth) {
      const top = document.elementFromPoint(x, y);
      if (!top || !(top === el || el.contains(top))) return false;
    }
    return true;
  };
  const timer = setInterval(() => {
    if (window.__mkReady === undefined && ready()) {
      window.__mkReady = performance.now();
      clearInterval(timer);
    }
  }, 4);
})();
"""


@dataclass
class Target:
    """One page to time and how to tell it is interactive."""

    name: str
    path: str
    selector: str
    kind: str  # "input", "date": type or fill in, read back; "link", "button": trial click
    text: str | None = None  # the element is the first match whose text is exactly this
    signer: str = SIGNER  # whose browser context opens it
    probe_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)


def make_notebooks(folder: Path) -> Path:
    """A copy of the shipped notebooks plus ``bare.ipynb`` (one ``ipywidgets.Text``)."""
    notebooks = folder / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_*"))
    bare = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "bare-text",
                "metadata": {},
                "outputs": [],
                "source": ["import ipywidgets as w\n", "w.Text()"],
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (notebooks / "bare.ipynb").write_text(json.dumps(bare, indent=1), encoding="utf-8")
    return notebooks


# --- the goals page's plan ---------------------------------------------------------------

RELATIONSHIP = 1  # Amara (mentor) and Ben (mentee) in the demo programme
PLAN_SIZE = (20, 5, 5)  # goals, objectives per goal, actions per objective
START_DAYS, END_DAYS = -70, 140  # the agreement's start and end, from today

# (title, why, areas, stretch, topic, colleague, reading)
GOALS = [
    (
        "Chair our weekly team meeting with confidence",
        "I am often asked to step in when Priya is away and I find myself letting the loudest "
        "voice run the meeting. I want people to leave knowing what was decided and who does "
        "what next.",
        ["Leading meetings", "Communication"],
        False,
        "chairing meetings",
        "Priya",
        "the chairing checklist on the intranet",
    ),
    (
        "Give feedback that people can act on",
        "My feedback tends to be either too vague or saved up for the annual review. The team "
        "deserves to hear sooner, and more specifically, what is working and what is not.",
        ["Giving feedback"],
        False,
        "giving feedback",
        "Tom",
        "'Radical Candor', chapters 1 and 2",
    ),
    (
        "Present the quarterly results to the leadership team",
        "Presenting to directors is part of the senior analyst role I want next year, and at "
        "the moment I hand the slides to my manager to present.",
        ["Presenting", "Influencing"],
        True,
        "presenting to senior audiences",
        "Grace",
        "the last two quarterly board packs",
    ),
    (
        "Delegate work instead of doing it all myself",
        "I work late most weeks because it feels quicker to do things than to explain them. "
        "Two people in the team have said they would like more responsibility.",
        ["Delegation", "Developing others"],
        False,
        "delegation",
        "Sam",
        "the delegation chapter of 'The First-Time Manager'",
    ),
    (
        "Build a network beyond my own department",
        "Most of the problems I get stuck on are solved somewhere else in the organisation, "
        "but I do not know who to ask. I want a handful of people I can call.",
        ["Networking", "Collaboration"],
        False,
        "networking across departments",
        "Lena",
        "the organisation chart and the staff directory",
    ),
    (
        "Write clearer, shorter reports",
        "My reports run to fifteen pages and I am told people read only the summary. I want "
        "the first page to carry the message on its own.",
        ["Written communication"],
        False,
        "report writing",
        "Mark",
        "the house style guide and 'The Pyramid Principle' summary",
    ),
    (
        "Manage my time so that deep work fits into the week",
        "Meetings and messages fill my days and the analysis I am hired for gets done in the "
        "evenings. I want two protected mornings a week.",
        ["Time management", "Wellbeing"],
        False,
        "planning my week",
        "Aisha",
        "'Deep Work', part 2",
    ),
    (
        "Lead the renewal of the cleaning services contract",
        "The contract is up in the spring and my manager has offered me the lead. I have never "
        "negotiated with a supplier on my own.",
        ["Negotiation", "Commercial awareness"],
        True,
        "negotiating with suppliers",
        "Daniel",
        "the procurement team's negotiation guide",
    ),
    (
        "Understand our budget well enough to defend it",
        "When finance asks why a line went over I have to refer them to my manager. I want to "
        "be able to explain and defend our numbers myself.",
        ["Financial management"],
        False,
        "budgeting",
        "Olga",
        "last year's budget and the finance team's monthly reports",
    ),
    (
        "Coach our new starter through their first three months",
        "Jo joins in two weeks and I have been asked to be their buddy. I remember how lost I "
        "felt in my first month and want to do better for them.",
        ["Coaching", "Developing others"],
        False,
        "coaching a new starter",
        "Jo",
        "the onboarding checklist and the GROW model notes",
    ),
    (
        "Handle difficult conversations calmly",
        "I avoid conversations about missed deadlines until they become urgent, and then I "
        "come across as sharper than I mean to.",
        ["Difficult conversations", "Emotional intelligence"],
        True,
        "difficult conversations",
        "Ruth",
        "'Crucial Conversations', chapters 3 to 5",
    ),
    (
        "Get comfortable with the new data dashboards",
        "The team is moving its monthly reporting to dashboards and I still export everything "
        "to a spreadsheet. I want to build and explain a dashboard myself.",
        ["Data literacy", "Digital skills"],
        False,
        "working with dashboards",
        "Kwame",
        "the dashboard tool's getting-started course",
    ),
    (
        "Prepare a strong application for the team lead role",
        "The role is likely to be advertised in the summer. I want to go in with evidence of "
        "leading, not just of doing my own job well.",
        ["Career planning", "Self-awareness"],
        True,
        "preparing for the team lead application",
        "Helen",
        "the team lead job description and competency framework",
    ),
    (
        "Run a small improvement project from start to finish",
        "I often spot what could be better but leave it at a suggestion. Seeing one change "
        "through, with a before and after, would show me and others that I can deliver.",
        ["Project management", "Initiative"],
        False,
        "running an improvement project",
        "Yusuf",
        "the one-page project charter template",
    ),
    (
        "Speak up in cross-team planning meetings",
        "I usually have a view on priorities but keep it to myself when other teams are in the "
        "room, then regret it when the plan comes out.",
        ["Influencing", "Confidence"],
        False,
        "speaking up in planning meetings",
        "Chen",
        "the planning calendar and last quarter's minutes",
    ),
    (
        "Keep a sustainable workload and protect my evenings",
        "I have been working most evenings since the autumn and it is starting to affect my "
        "sleep. I want to stop by six on at least four days a week.",
        ["Wellbeing", "Boundaries"],
        False,
        "keeping a sustainable workload",
        "Aisha",
        "the employee assistance programme's resilience guide",
    ),
    (
        "Learn the new CRM well enough to support the rollout",
        "The CRM goes live in the summer and our team will be the first to use it. I would like "
        "to be the person colleagues can ask, rather than the one asking.",
        ["Digital skills", "Supporting change"],
        False,
        "using the new CRM",
        "Marta",
        "the vendor's training videos and the pilot team's notes",
    ),
    (
        "Facilitate a retrospective that people find useful",
        "Our retrospectives have become a list of complaints with no actions. I would like to "
        "run one that ends with two or three changes we actually make.",
        ["Facilitation", "Team working"],
        False,
        "facilitating retrospectives",
        "Ellie",
        "'Agile Retrospectives', the first three activities",
    ),
    (
        "Build a working relationship with our largest customer's team",
        "Most contact with them goes through my manager. If I knew their team better I could "
        "sort out the small issues before they become complaints.",
        ["Stakeholder management", "Customer focus"],
        True,
        "working with the customer's team",
        "Rashid",
        "the account plan and the last six months of service reports",
    ),
    (
        "Write and share a short guide to our onboarding process",
        "Every new starter asks the same twenty questions. A short guide would save everyone "
        "time and give me practice in writing for people outside my specialism.",
        ["Written communication", "Knowledge sharing"],
        False,
        "documenting our onboarding process",
        "Nadia",
        "the existing onboarding checklist and the style guide",
    ),
]

# (outcome, measure), then (what, owner, resources) for each of its five actions
OBJECTIVES = [
    (
        (
            "I know my strengths and gaps in {topic}",
            "A one-page self-assessment on {topic}, discussed at a session",
        ),
        [
            (
                "List three recent situations involving {topic} and how each went",
                "mentee",
                "Learning log",
            ),
            ("Share how I learnt {topic} early in my own career", "mentor", "Session time"),
            ("Read {reading} and mark the ideas that fit", "mentee", "{Reading}"),
            (
                "Write the self-assessment: strengths, gaps and one priority",
                "mentee",
                "Self-assessment template",
            ),
            ("Go through the self-assessment together and agree a focus", "both", "Session time"),
        ],
    ),
    (
        (
            "I have tried {topic} in a low-stakes setting",
            "Two practice runs logged, each with one lesson noted",
        ),
        [
            ("Choose a low-stakes situation to practise {topic}", "mentee", "Team calendar"),
            ("Role-play it in a session before trying it for real", "both", "Session time"),
            ("Do the first practice run and note what happened", "mentee", "Learning log"),
            ("Suggest one adjustment after hearing how it went", "mentor", "Email"),
            ("Do the second practice run with that adjustment", "mentee", "Learning log"),
        ],
    ),
    (
        (
            "I have honest feedback on my {topic}",
            "Written feedback from {colleague} and one other colleague",
        ),
        [
            (
                "Ask {colleague} to watch my {topic} over the next fortnight",
                "mentee",
                "Short brief for {colleague}",
            ),
            (
                "Draft three questions that make the feedback specific",
                "mentee",
                "Feedback question list",
            ),
            ("Suggest a second colleague who will be candid", "mentor", "Mentor's network"),
            ("Collect the written feedback and summarise the themes", "mentee", "Shared folder"),
            ("Talk the feedback through and agree what to change", "both", "Session time"),
        ],
    ),
    (
        (
            "{Topic} is part of my normal working week",
            "Done at least four times in a month without being prompted",
        ),
        [
            ("Block a regular slot in the calendar for {topic}", "mentee", "Calendar"),
            (
                "Agree with my line manager where {topic} fits in my role",
                "mentee",
                "1:1 with line manager",
            ),
            ("Keep a tally of each time, with a word on how it went", "mentee", "Learning log"),
            ("Check in by email halfway through the month", "mentor", "Email"),
            ("Review the month's tally and decide what to keep doing", "both", "Session time"),
        ],
    ),
    (
        (
            "I can show others how I approach {topic}",
            "A ten-minute talk given to the team, with questions answered",
        ),
        [
            (
                "Outline a ten-minute talk on what I learnt about {topic}",
                "mentee",
                "Slide template",
            ),
            ("Review the outline and suggest one story to add", "mentor", "Session time"),
            ("Book a slot at the monthly team meeting", "mentee", "Team meeting agenda"),
            (
                "Give the talk and note the questions people ask",
                "mentee",
                "Meeting room and screen",
            ),
            (
                "Reflect on the talk together and decide whether to close the goal",
                "both",
                "Session time",
            ),
        ],
    ),
]

CHECK_IN_NOTES = (
    (0, "Not started yet: planned for after the next session"),
    (40, "Under way, slower than hoped in a busy month"),
    (80, "Good progress; the last steps are booked"),
    (101, "Done, and the feedback was encouraging"),
)


def _fill(template: str, topic: str, colleague: str, reading: str) -> str:
    return template.format(
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        colleague=colleague,
        reading=reading,
        Reading=reading[0].upper() + reading[1:],
    )


def _status(due: dt.date, today: dt.date, number: int) -> str:
    """Past actions mostly done (a few still open: overdue), near ones under way."""
    if number % 41 == 17:
        return "dropped"
    if due < today - dt.timedelta(days=10):
        return "in_progress" if number % 9 == 4 else "done"
    if due <= today + dt.timedelta(days=14):
        return "in_progress"
    return "not_started"


def goal_plan(today: dt.date, mentee: str, sessions: tuple[dt.date, ...]) -> dict:
    """A plan of ``PLAN_SIZE`` with every text filled in and a check-in at each held session."""
    start = today + dt.timedelta(days=START_DAYS)
    n_goals, n_objectives, n_actions = PLAN_SIZE
    plan: dict = {"goals": [], "check_ins": []}
    for g, (title, why, areas, stretch, topic, colleague, reading) in enumerate(GOALS[:n_goals]):
        goal = goal_plans.new_goal(by=mentee)
        goal.update(title=title, why=why, areas=list(areas), stretch=stretch)
        for o, ((outcome, measure), steps) in enumerate(OBJECTIVES[:n_objectives]):
            target = start + dt.timedelta(days=30 + 35 * o + 2 * g)  # all before the end
            objective = goal_plans.new_objective()
            objective.update(
                outcome=_fill(outcome, topic, colleague, reading),
                measure=_fill(measure, topic, colleague, reading),
                target=target.isoformat(),
            )
            for a, (what, owner, resources) in enumerate(steps[:n_actions]):
                due = target - dt.timedelta(days=6 * (n_actions - 1 - a))
                action = goal_plans.new_action(owner)
                action.update(
                    what=_fill(what, topic, colleague, reading),
                    due=due.isoformat(),
                    status=_status(due, today, (g * n_objectives + o) * n_actions + a),
                    resources=_fill(resources, topic, colleague, reading),
                )
                objective["actions"].append(action)
            goal["objectives"].append(objective)
        plan["goals"].append(goal)
    for number, day in enumerate((d for d in sessions if d <= today), start=1):
        progress = {}
        for _goal, objective in goal_plans.objectives(plan):
            steps = objective["actions"]
            done = sum(1 for a in steps if a["status"] == "done" and a["due"] <= day.isoformat())
            percent = 5 * round(20 * done / len(steps))
            note = next(text for limit, text in CHECK_IN_NOTES if percent <= limit)
            progress[objective["_id"]] = {"percent": percent, "note": note}
        plan["check_ins"].append(
            {
                "_id": goal_plans.new_id(),
                "session": number,
                "date": day.isoformat(),
                "by": mentee,
                "progress": progress,
            }
        )
    return plan


def seed(data: Path, plan: bool) -> str:
    """Store an agreement for the signer's relationship and, if ``plan``, a large goal plan;
    describe them."""
    today = dt.date.today()
    start = today + dt.timedelta(days=START_DAYS)
    end = today + dt.timedelta(days=END_DAYS)
    worksheets = load_folder(ROOT / "worksheets")
    store = Store(data / DATABASE_NAME)
    try:
        pair = store.relationship(RELATIONSHIP)
        people = {m.person_id: store.person(m.person_id).name for m in pair.members}
        signer = next(pid for pid, name in people.items() if name == SIGNER)
        mentee = next(people[m.person_id] for m in pair.members if m.role == "mentee")
        agreement = {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "frequency": "monthly",
        }
        store.save(worksheets["mentoring-agreement"], RELATIONSHIP, signer, agreement, {})
        sessions = tuple(d for d in session_dates(start, "monthly") if d <= end)
        described = (
            f"agreement {start.isoformat()} to {end.isoformat()}, monthly: {len(sessions)} "
            f"sessions, {sum(d <= today for d in sessions)} held"
        )
        if not plan:
            return described
        goals = goal_plan(today, mentee, sessions)
        problem = goal_plan_problem(goals)
        if problem is not None:
            raise RuntimeError(f"the benchmark's goal plan is not valid: {problem}")
        store.save(worksheets[goal_plans.WORKSHEET], RELATIONSHIP, signer, {"plan": goals}, {})
    finally:
        store.close()
    actions = goal_plans.actions(goals)
    return (
        f"{described}; plan {len(goals['goals'])} goals x {PLAN_SIZE[1]} objectives x "
        f"{PLAN_SIZE[2]} actions ({len(actions)} actions, "
        f"{sum(a['status'] == 'done' for *_, a in actions)} done), "
        f"{len(goals['check_ins'])} check-ins, "
        f"{len(json.dumps(goals, ensure_ascii=False)) // 1024} KB as JSON"
    )


def server_kernels(server_pid: int) -> tuple[int, float]:
    """How many kernel processes the server has running, and their total RSS in MB."""
    count, rss_kb = 0, 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["PPid"]) == server_pid and b"ipykernel" in cmdline:
            count += 1
            rss_kb += int(fields.get("VmRSS", "0 kB").split()[0])
    return count, rss_kb / 1024


def visit(context: BrowserContext, base: str, target: Target, record: bool) -> None:
    """Open the target in a fresh page; time it; confirm it accepts input."""
    page = context.new_page()
    page.add_init_script(
        PROBE
        % (
            json.dumps(target.selector),
            json.dumps(target.text),
            "false" if target.kind == "link" else "true",  # links cannot be disabled
        )
    )
    try:
        start = time.perf_counter()
        page.goto(base + target.path, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function("window.__mkReady !== undefined", timeout=TIMEOUT_MS, polling="raf")
        probe = page.evaluate("window.__mkReady")
        element = page.locator(target.selector)
        if target.text is not None:
            element = element.filter(has_text=re.compile(rf"^\s*{re.escape(target.text)}\s*$"))
        element = element.first
        if target.kind == "input":
            # Playwright's focus puts the caret at the start of a filled box (the goal's
            # title): move it to the end, so that the "x" is appended and Backspace removes it
            element.focus(timeout=TIMEOUT_MS)
            element.evaluate("e => e.setSelectionRange(e.value.length, e.value.length)")
            element.press_sequentially("x", timeout=TIMEOUT_MS)
            typed = element.input_value()
            wall = time.perf_counter() - start
            if not typed.endswith("x"):
                raise RuntimeError(f"{target.name}: typed 'x' but read back {typed!r}")
            element.press("Backspace")  # leave the saved answer as it was
        elif target.kind == "date":
            element.click(trial=True, timeout=TIMEOUT_MS)  # visible, stable, enabled, uncovered
            before = element.input_value()
            shown = dt.date.fromisoformat(before) if before else dt.date.today()
            other = (shown - dt.timedelta(days=1) if before else shown).isoformat()
            element.fill(other, timeout=TIMEOUT_MS)
            filled = element.input_value()
            wall = time.perf_counter() - start
            if filled != other:
                raise RuntimeError(f"{target.name}: filled in {other} but read back {filled!r}")
            element.fill(before, timeout=TIMEOUT_MS)  # put the date back as it was
            if element.input_value() != before:
                raise RuntimeError(f"{target.name}: could not put the date back to {before!r}")
        else:  # waits until visible, stable, enabled and not covered; does not click
            element.click(trial=True, timeout=TIMEOUT_MS)
            wall = time.perf_counter() - start
            if target.kind == "button" and not element.is_enabled():
                raise RuntimeError(f"{target.name}: {target.text!r} is disabled")
        if not page.url.startswith(base + target.path.split("?")[0]):
            raise RuntimeError(f"{target.name}: ended up on {page.url} (not signed in?)")
        if record:
            target.probe_ms.append(probe)
            target.wall_ms.append(wall * 1000)
    finally:
        page.close(run_before_unload=True)


def all_targets() -> list[Target]:
    """Every page this can time, bare (the baseline) first."""
    return [
        Target("bare", "/voila/render/bare.ipynb", ".widget-text input", "input"),
        Target("home", "/voila/render/home.ipynb", "a.mk-open", "link"),
        Target(
            "worksheet",
            "/voila/render/getting-to-know-each-other.ipynb?relationship=1",
            ".mk-field-mentor_background textarea",
            "input",
        ),
        Target(
            "negotiation",
            "/voila/render/negotiating-expectations.ipynb?relationship=1",
            ".mk-field-expectations button",
            "button",
            text="Add expectation",
        ),
        Target(
            "agreement",
            "/voila/render/mentoring-agreement.ipynb?relationship=1",
            ".mk-field-purpose textarea",
            "input",
        ),
        Target(
            "rating",
            "/voila/render/ratings.ipynb?relationship=1"
            "&task=ratings--mentor-competencies--self--baseline",
            ".mk-field-comprehend__role button",
            "button",
            text="1",
        ),
        Target(
            "goals",
            f"/voila/render/goals-and-actions.ipynb?relationship={RELATIONSHIP}",
            ".mk-goal-title input",
            "input",
        ),
        Target(
            "sessions",
            f"/voila/render/our-sessions.ipynb?relationship={RELATIONSHIP}",
            ".mk-session-date input",
            "date",
        ),
        Target(
            "notes",
            f"/voila/render/session-notes.ipynb?relationship={RELATIONSHIP}&session=3",
            ".mk-field-covered textarea",
            "input",
        ),
        Target(
            "journal",
            f"/voila/render/reflection-journal.ipynb?relationship={RELATIONSHIP}",
            ".mk-field-entries button",
            "button",
            text="Add entry",
        ),
        Target(
            "portfolio",
            f"/voila/render/portfolio.ipynb?relationship={RELATIONSHIP}",
            ".mk-portfolio-pdf",
            "button",
        ),
        Target(
            "dashboard",
            "/voila/render/dashboard.ipynb",
            ".mk-dash-search input",
            "input",
            signer=FACILITATOR,
        ),
    ]


def main() -> None:
    names = [t.name for t in all_targets()]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each page")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=names,
        default=names,
        metavar="PAGE",
        help=f"pages to time (default: all of {', '.join(names)}); bare, the baseline, "
        "is always timed",
    )
    parser.add_argument(
        "--xsrf-cookie",
        action="store_true",
        help="give the browser an _xsrf cookie so that Voila's shutdown-on-unload request is "
        "accepted and closed pages free their kernels (not what users get today)",
    )
    args = parser.parse_args()

    if args.runs < 1:
        parser.error("--runs must be at least 1")
    targets = [t for t in all_targets() if t.name == "bare" or t.name in args.pages]
    shown = {t.name for t in targets}
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mk-tti-") as tmp:
        folder = Path(tmp)
        data = folder / "data"
        codes = init_demo(data)
        seeded = (
            seed(data, plan="goals" in shown) if shown & {"goals", "sessions", "notes"} else None
        )
        server = Server(data=data, port=free_port(), notebooks=make_notebooks(folder)).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                contexts = {}
                for signer in dict.fromkeys(t.signer for t in targets):
                    context = browser.new_context(viewport={"width": 1280, "height": 2000})
                    if args.xsrf_cookie:
                        token = "0123456789abcdef" * 2
                        context.add_cookies([{"name": "_xsrf", "value": token, "url": server.url}])
                    signin = context.new_page()
                    sign_in_with_link(signin, server.url, codes[signer], wait_until="commit")
                    signin.close()
                    if not any(c["name"] == "mentorkit_session" for c in context.cookies()):
                        raise RuntimeError(f"signing in as {signer} did not set the session cookie")
                    contexts[signer] = context
                for target in targets:  # warm-up: caches, first kernel, bytecode
                    visit(contexts[target.signer], server.url, target, record=False)
                for _ in range(args.runs):
                    for target in targets:
                        visit(contexts[target.signer], server.url, target, record=True)
                browser.close()
            time.sleep(2)  # let any shutdown requests land
            kernels, kernel_mb = server_kernels(server.process.pid)
            refused = len(REFUSED.findall(server.log()))
        except Exception:
            print(server.log()[-4000:])
            raise
        finally:
            server.stop()

    print(
        f"Time to interactive, Chromium ({CHROMIUM}), {args.runs} interleaved runs each "
        "after one warm-up; fresh page per run, one signed-in context per signer"
    )
    print("  probe = in-page, navigation start -> element visible, enabled, uncovered")
    print("  wall  = page.goto start -> Playwright has typed and read back (or trial-clicked)")
    if "home" in shown:
        print("  home has no input fields: its first worksheet link a.mk-open being visible and")
        print("  clickable stands in for 'accepting input'")
    if "negotiation" in shown:
        print("  negotiation's first field (expectations) has no text box until an item exists,")
        print("  so its 'Add expectation' button being visible, enabled and clickable stands in")
        print("  for 'accepting input' (trial click only: no item is added)")
    if "rating" in shown:
        print(f"  rating ({SIGNER} rating herself, baseline) has only rating buttons: the first,")
        print("  '1' in .mk-field-comprehend__role, being visible, enabled and clickable stands")
        print("  in for 'accepting input' (trial click only: no rating is given)")
    if "goals" in shown:
        print(f"  goals ({SIGNER}, relationship {RELATIONSHIP}): the open goal's title box")
        print("  .mk-goal-title input")
    if "sessions" in shown:
        print("  sessions: the first session row's date, .mk-session-date input (a date input:")
        print("  filled with the day before, read back and put back; the warm-up's change")
        print("  stores the suggested schedule, so timed runs draw it stored)")
    if "notes" in shown:
        print("  notes: session 3's notes, .mk-field-covered textarea")
    if "journal" in shown:
        print("  journal: its entries list's 'Add entry' button (trial click: no entry added)")
    if "portfolio" in shown:
        print("  portfolio: its 'Download PDF' button .mk-portfolio-pdf (trial click: no PDF)")
    if "dashboard" in shown:
        print(f"  dashboard: signed in as the facilitator {FACILITATOR} (a second browser")
        print("  context), its search box .mk-dash-search input")
    if seeded:
        print(f"  relationship {RELATIONSHIP} seeded with: {seeded}")
    print()
    print(
        f"  {'page':<12} {'probe median':>13} {'probe min':>10} {'wall median':>12} {'wall min':>9}"
    )
    medians = {}
    for target in targets:
        medians[target.name] = statistics.median(target.probe_ms)
        print(
            f"  {target.name:<12} {medians[target.name]:10.0f} ms {min(target.probe_ms):7.0f} ms"
            f" {statistics.median(target.wall_ms):9.0f} ms {min(target.wall_ms):6.0f} ms"
        )
    print()
    verdicts = []
    by_name = {t.name: t for t in targets}
    bare = by_name["bare"]
    for name in (t.name for t in targets if t.name != "bare"):
        page = by_name[name]
        ratio = medians[name] / medians["bare"]
        wall = statistics.median(page.wall_ms) / statistics.median(bare.wall_ms)
        fastest = min(page.probe_ms) / min(bare.probe_ms)
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        verdicts.append(verdict)
        print(
            f"  {name}/bare: median {ratio:.2f}x (wall {wall:.2f}x; min {fastest:.2f}x)  "
            f"target median <= {TARGET}x -> {verdict}"
        )
    pages = (args.runs + 1) * len(targets) + len({t.signer for t in targets})  # + sign-ins
    print(
        f"\n  load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}"
        f" ({os.cpu_count()} CPUs); whole run {time.monotonic() - began:.0f} s"
    )
    print(
        f"\n  after closing all {pages} pages the server still runs {kernels} kernels "
        f"({kernel_mb:.0f} MB RSS); {refused} shutdown-on-unload requests were refused (403)"
        + (" [--xsrf-cookie]" if args.xsrf_cookie else "")
    )
    print(f"\nResult: {'PASS' if all(v == 'PASS' for v in verdicts) else 'FAIL'}")


if __name__ == "__main__":
    main()
