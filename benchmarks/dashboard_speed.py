"""Dashboard speed: the facilitator's dashboard for 50, 500 and 5,000 one-to-one
relationships (2 people each), every relationship with the 10 shipped worksheets answered
x 5 saves. Target: the page for 500 relationships (1,000 people) drawn within 2 s.

For each size, in one run: ``dashboard_rows`` (the programme-wide read turned into counts,
dates and flags; ``Store.latest_answers`` alone is shown beside it), the full server-side
page draw (``dashboard_rows`` + ``select`` + ``apps.dashboard._table``, what
``Dashboard.refresh`` does before handing the HTML to the widget), the HTML's size and the
Python memory the draw needs at its peak (tracemalloc, one extra untimed draw). Medians of
``--runs`` after one warm-up; growth ratios between the sizes are printed. As a diagnostic
the draw is also timed with the garbage collector off (its share grows with the heap). At
each of ``--browser-sizes`` (500) it also serves the store with ``mentorkit serve`` and times
the real page in Chromium, signed in as the facilitator: navigation start to the dashboard's
table (``.mk-dash-table table``) being drawn and visible, interleaved with a bare notebook
holding one ``ipywidgets.Text`` (what starting a kernel costs on its own).

The store is filled with bulk SQL through the store's own connection, one transaction, with
exactly the rows ``Store.save`` writes (a ``responses`` row per layer and a ``revisions`` row
per changed layer, ``json.dumps(..., ensure_ascii=False, sort_keys=True)``, layers split as
``Store.save`` splits them, unchanged layers skipped); every value passes ``check_answer``
and the script checks that ``Store.load`` reads back the last answers of a sample.

    python benchmarks/dashboard_speed.py [--sizes 50 500 5000] [--runs 5]
        [--browser-sizes 500] [--browser-runs 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mentorkit.core import access
from mentorkit.core.fieldtypes import check_answer
from mentorkit.core.models import Relationship
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.spec import Worksheet
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.facilitator import dashboard
from mentorkit.programme import goal_plans
from mentorkit.programme.demo import Invitation, create_programme
from mentorkit.programme.plan import ProgrammePlan, plan_beside, session_dates
from mentorkit.ui.apps.dashboard import REFRESH_SECONDS, _table

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 2.0
TARGET_SIZE = 500
REVISIONS = 5
TIMEOUT_MS = 180_000
TABLE = ".mk-dash-table table"

NAMES = (  # first names, then surnames
    "Amara Ben Chloe Dev Elena Farah George Hana Isaac Jade Kwame Lena Mark Nadia Olga Priya "
    "Quentin Ruth Sam Tom Uma Victor Wendy Xavier Yusuf Zara Aisha Daniel Grace Helen Jo Kemi "
    "Liam Maya Noah Omar Pia Rosa Sofia Theo "
    "Okafor Hughes Martin Patel Rossi Khan Li Sato Brown Walker Mensah Novak Evans Shah Ivanova "
    "Kumar Dubois Clarke Reid Wright Nair Costa Lee Garcia Yilmaz Haddad Begum Murphy Adams "
    "Fischer Kelly Ahmed Silva Moore Green Lewis Ward Young Scott Hall"
)
TEXT = (
    "I trained as a medical illustrator, spent six years in a hospital photography "
    "department, then moved into teaching and now lead a small team. "
)
SHORT = "We talked it through and agreed to try it for a month before deciding. "
ACTIONS = (
    ("Ask {colleague} for feedback after the team meeting", "mentee"),
    ("Read the chapter on {topic} and bring two questions", "mentee"),
    ("Introduce {name} to someone who runs {topic} well", "mentor"),
    ("Draft a one-page plan for {topic}", "mentee"),
    ("Share an example of {topic} from my own work", "mentor"),
    ("Try it once and note what happened", "both"),
)
TOPICS = ("chairing meetings", "giving feedback", "presenting", "delegation", "budgeting")


def person_name(i: int) -> str:
    """A readable name, different for every index up to 40 x 40 x 26."""
    words = NAMES.split()
    middle = f" {chr(65 + i // 1600 % 26)}." if i >= 1600 else ""
    return f"{words[i % 40]}{middle} {words[40 + i // 40 % 40]}"


def stamp(moment: dt.datetime) -> str:
    """``moment`` as ``store.now()`` writes it (UTC ISO 8601 with microseconds)."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


# --- what each relationship writes ---------------------------------------------------------


class Pair:
    """One relationship's timeline and the answers it saves, revision by revision."""

    def __init__(
        self, index: int, rel: Relationship, plan: ProgrammePlan | None, today: dt.date
    ) -> None:
        rng = random.Random(index)
        self.index, self.rel, self.today = index, rel, today
        self.mentor, self.mentee = (m.name for m in rel.members)
        self.frequency = ("monthly", "fortnightly", "six_weekly", "monthly")[index % 4]
        self.start = today - dt.timedelta(days=rng.randint(60, 150))
        self.end = self.start + dt.timedelta(days=182)
        self.dates = (
            session_dates(plan, self.start, self.frequency)
            if plan
            else tuple(self.start + dt.timedelta(days=30 * n) for n in range(6))
        )
        # most pairs were active recently, about a quarter have gone quiet
        quiet = rng.randint(15, 45) if rng.random() < 0.25 else rng.randint(0, 10)
        self.first_save = dt.datetime.combine(self.start, dt.time(9), dt.timezone.utc)
        self.last_save = dt.datetime.combine(
            today - dt.timedelta(days=quiet), dt.time(17, 30), dt.timezone.utc
        ) - dt.timedelta(minutes=rng.randint(0, 400))
        self.overdue_every = (0, 2, 3, 4)[index % 4]  # 0: nothing overdue
        self.topic = TOPICS[index % len(TOPICS)]
        self.ids = [f"{rng.getrandbits(40):010x}" for _ in range(40)]

    def saved_at(self, number: int, total: int) -> str:
        """When save ``number`` (0-based) of ``total`` happened, evenly through the timeline."""
        span = self.last_save - self.first_save
        return stamp(self.first_save + span * (number + 1) / total)

    # one function per worksheet: answers after revision k (0-based) --------------------

    def getting_to_know(self, k: int) -> dict[str, Any]:
        return {
            "mentor_background": f"{TEXT * 3}(rev {k}, pair {self.index})",
            "mentee_background": TEXT * 2,
            "mentee_hopes": "More confidence presenting work, and a wider network. " * 2,
            "mentor_hopes": "To keep in touch with how new people enter the field.",
            "expertise": ["management", "technical"],
            "mentee_strengths": ["interpersonal"],
            "channels": ["video", "email"],
            "meeting_times": "Tuesday lunchtimes; never after 6pm.",
            "meeting_frequency": self.frequency,
            "response_time": "within two working days",
            "shared_interests": [{"what": "Cycling", "note": "both commute by bike"}],
            "first_meeting_done": k >= 2,
            "next_meeting": self.dates[1].isoformat() if k >= 2 else None,
            "first_impressions": f"Easy to talk to. (note {k})",
        }

    def expectations(self, k: int) -> dict[str, Any]:
        items = [
            {
                "_id": self.ids[n],
                "text": f"Expectation {n + 1}: we meet {self.frequency} and reply within "
                "two working days.",
                "clarifications": SHORT if k > n else "",
                "outcome": ("agreed", "reworded", "later", "not_applicable")[n % 4]
                if k > n
                else None,
                "shared_wording": "We meet when we both can, at least monthly."
                if k > n and n % 4 == 1
                else None,
                "later_session": "3" if k > n and n % 4 == 2 else None,
            }
            for n in range(min(k + 2, 5))
        ]
        return {"expectations": items}

    def agreement(self, k: int) -> dict[str, Any]:
        return {
            "purpose": f"Help {self.mentee} build confidence in {self.topic}. "
            + SHORT * (1 + k % 2),
            "model": "one-to-one",
            "frequency": self.frequency,
            "duration": "an hour",
            "when_where": "Tuesday lunchtime, the small meeting room or video.",
            "meeting_modes": ["in_person", "video"],
            "channels": ["email", "messaging"],
            "reply_time": "two working days",
            "confidentiality": "What we discuss stays between us unless we agree otherwise.",
            "issues": "We say so early, and talk to the facilitator if we cannot resolve it.",
            "ending": "We close with a review session and thank each other." if k >= 1 else "",
            "start_date": self.start.isoformat(),
            "review_date": (self.start + dt.timedelta(days=91)).isoformat() if k >= 2 else None,
            "end_date": self.end.isoformat(),
        }

    def schedule(self, k: int) -> dict[str, Any]:
        rows = [
            {
                "number": n,
                "date": day.isoformat(),
                "time": "12:30" if k >= 1 else "",
                "place": ("", "Library", "Room 2.14", "Room 2.14, level 2", "Room 3.01")[k],
                "lead": ("mentor", "mentee", "both")[n % 3] if k >= 3 else None,
            }
            for n, day in enumerate(self.dates, start=1)
        ]
        return {"schedule": rows}

    def goals(self, k: int) -> dict[str, Any]:
        """Two goals x 2 objectives x 3 actions (the second goal from revision 1); past-due
        actions get done from revision 2, except every ``overdue_every``-th one."""
        fill = {"colleague": "Priya", "topic": self.topic, "name": self.mentee}
        plan: dict[str, Any] = {"goals": [], "check_ins": []}
        n_action = 0
        for g in range(1 if k == 0 else 2):
            goal = {
                **goal_plans.new_goal(by=self.mentee),
                "_id": self.ids[10 + g],
                "title": f"Get better at {TOPICS[(self.index + g) % len(TOPICS)]}",
                "why": "It is part of the role I want next year. " + SHORT * (1 + k % 2),
                "areas": ["Communication"],
            }
            for o in range(2):
                target = self.start + dt.timedelta(days=60 + 50 * o + 10 * g)
                objective = {
                    **goal_plans.new_objective(),
                    "_id": self.ids[12 + 2 * g + o],
                    "outcome": f"I can handle {self.topic} without preparing for days",
                    "measure": "My manager and one colleague say so",
                    "target": target.isoformat(),
                }
                for a in range(3):
                    what, owner = ACTIONS[(g * 6 + o * 3 + a) % len(ACTIONS)]
                    due = target - dt.timedelta(days=14 * (2 - a))
                    status = "not_started"
                    if k >= 2 and due < self.today:
                        late = self.overdue_every and n_action % self.overdue_every == 0
                        status = "in_progress" if late else "done"
                    elif k >= 1 and due <= self.today + dt.timedelta(days=14):
                        status = "in_progress"
                    objective["actions"].append(
                        {
                            **goal_plans.new_action(owner),
                            "_id": self.ids[16 + n_action],
                            "what": what.format(**fill),
                            "due": due.isoformat(),
                            "status": status,
                            "resources": "The team's shared drive" if a == 1 else "",
                        }
                    )
                    n_action += 1
                goal["objectives"].append(objective)
            plan["goals"].append(goal)
        if k >= 3:
            plan["check_ins"].append(
                {
                    "_id": "session-2",
                    "session": 2,
                    "date": self.dates[1].isoformat(),
                    "by": self.mentee,
                    "progress": {
                        o["_id"]: {"percent": 25 * (1 + n % 3), "note": "Going well."}
                        for n, (_, o) in enumerate(goal_plans.objectives(plan))
                    },
                }
            )
        return {"plan": plan}

    def session_notes(self, k: int) -> dict[str, Any]:
        session = 1 if k < 3 else 2
        return {
            "held_on": self.dates[session - 1].isoformat(),
            "minutes": (60, 75, 45)[(self.index + k) % 3],
            "covered": f"Session {session}: backgrounds, hopes and {self.topic}. " + SHORT * 2,
            "notes": SHORT * (1 + k % 3),
            "decisions": [{"decision": "Meet again as planned"}] if k % 3 else [],
            "feedback_from_mentor": "Good preparation." if k % 3 == 2 else "",
            "feedback_from_mentee": "",
        }

    def journal(self, k: int) -> dict[str, Any]:
        entries = [
            {
                "_id": self.ids[30 + n],
                "session": n + 1,
                "written_on": self.dates[min(n, 5)].isoformat(),
                "happened": "We talked about " + self.topic + ". " + SHORT,
                "learned": TEXT,
                "differently": "Prepare one concrete example beforehand.",
                "share": n % 2 == 0,
                "portfolio": True,
            }
            for n in range(k // 2 + 1)
        ]
        return {"entries": entries}

    def cpd(self, k: int) -> dict[str, Any]:
        evidence = [
            {
                "_id": self.ids[35 + n],
                "kind": ("course", "achievement", "responsibility")[n % 3],
                "title": f"Workshop on {self.topic}" if n == 0 else "Led the team meeting",
                "date": (self.start + dt.timedelta(days=20 * (n + 1))).isoformat(),
                "hours": 3,
                "details": SHORT,
            }
            for n in range(k // 2 + 1)
        ]
        return {"evidence": evidence}

    def closure(self, k: int) -> dict[str, Any]:
        return {
            "achieved": f"{self.mentee} chairs the weekly meeting now. " + SHORT * (1 + k % 2),
            "worked": "Regular dates in the diary." if k >= 2 else "",
            "did_not_work": "Video calls from a noisy office." if k >= 3 else "",
            "next": ("", "", "", "Keep in touch.", "Keep in touch every few months.")[k],
        }

    def closing_reflection(self, k: int) -> dict[str, Any]:
        return {
            "thanks": "Thank you for your patience and your questions. " + SHORT * (1 + k // 2),
            "take_away": TEXT if k >= 1 else "",
            "mentor_next": "maybe" if k >= 2 else None,
            "mentor_how": "Perhaps as a peer mentor next year." if k >= 2 else "",
        }


FILLERS: dict[str, Callable[[Pair, int], dict[str, Any]]] = {
    "getting-to-know-each-other": Pair.getting_to_know,
    "negotiating-expectations": Pair.expectations,
    "mentoring-agreement": Pair.agreement,
    "our-sessions": Pair.schedule,
    "goals-and-actions": Pair.goals,
    "session-notes": Pair.session_notes,
    "reflection-journal": Pair.journal,
    "cpd-evidence": Pair.cpd,
    "closure": Pair.closure,
    "closing-reflection": Pair.closing_reflection,
}


def worksheet_for(base: Worksheet, k: int) -> Worksheet:
    """The worksheet a save goes to: session notes for session 1 (saves 0-2), then 2 (3-4)."""
    return base.for_session(1 if k < 3 else 2) if base.per_session else base


def layer_parts(ws: Worksheet, author_id: int, values: dict[str, Any]) -> Iterator[tuple]:
    """(owner, part) per layer, split exactly as ``Store.save`` splits them."""
    private = {f.id for f in ws.fields if f.visibility == "private"}
    for owner, fields in Store.layers(ws, author_id).items():
        if fields is None:
            part = {k: v for k, v in values.items() if ws.mode == "individual" or k not in private}
        else:
            part = {k: v for k, v in values.items() if k in fields}
        yield owner, part


# --- seeding -----------------------------------------------------------------------------


def seed(
    store: Store,
    size: int,
    worksheets: dict[str, Worksheet],
    plan: ProgrammePlan | None,
    today: dt.date,
) -> tuple[int, Invitation, dict[tuple, dict], dict[str, int]]:
    """A programme with its facilitator, ``size`` one-to-one pairs and their answers.

    Returns the programme id, the facilitator's invitation, the last answers of each
    (worksheet id, relationship id, owner) and counts of what was written."""
    programme, facilitator = create_programme(store, f"Benchmark, {size} relationships")
    people = access.add_people(
        store,
        programme.id,
        [
            (person_name(i), f"person{i}@example.org", {"role": ("mentor", "mentee")[i % 2]})
            for i in range(2 * size)
        ],
    )
    created = stamp(dt.datetime.combine(today - dt.timedelta(days=160), dt.time(10)))
    with store._transaction() as db:
        for i in range(size):
            cursor = db.execute(
                "INSERT INTO relationships (programme_id, kind, name, created_at) "
                "VALUES (?, 'one-to-one', '', ?)",
                (programme.id, created),
            )
            db.executemany(
                "INSERT INTO members (relationship_id, person_id, role) VALUES (?, ?, ?)",
                [
                    (cursor.lastrowid, people[2 * i][0].id, "mentor"),
                    (cursor.lastrowid, people[2 * i + 1][0].id, "mentee"),
                ],
            )
    pairs = [Pair(i, rel, plan, today) for i, rel in enumerate(store.relationships(programme.id))]
    order = [worksheets[w] for w in FILLERS]
    total = REVISIONS * len(order)
    responses: dict[tuple, int] = {}
    last: dict[tuple, dict] = {}
    counts = {"saves": 0, "revisions": 0, "unchanged": 0}
    checks: dict[str, list] = {ws.id: list(ws.answer_fields) for ws in order}
    with store._transaction() as db:
        # round by round, as pairs work side by side: a response's revisions are spread out
        for k in range(REVISIONS):
            for w, base in enumerate(order):
                fill = FILLERS[base.id]
                for pair in pairs:
                    ws = worksheet_for(base, k)
                    author = pair.rel.members[k % 2].person_id
                    values = fill(pair, k)
                    for field in checks[base.id]:
                        problem = check_answer(field, values.get(field.id))
                        if problem:
                            raise RuntimeError(f"{ws.id}/{field.id}: {problem}")
                    counts["saves"] += 1
                    when = pair.saved_at(k * len(order) + w, total)
                    for owner, part in layer_parts(ws, author, values):
                        key = (ws.id, pair.rel.id, owner)
                        previous = last.get(key)
                        if previous == part:
                            counts["unchanged"] += 1
                            continue  # Store.save skips an unchanged layer
                        if previous is None and not any(
                            v not in (None, "", [], {}) for v in part.values()
                        ):
                            continue  # ... and an empty first one
                        if key not in responses:
                            responses[key] = db.execute(
                                "INSERT INTO responses (worksheet_id, relationship_id, owner_id) "
                                "VALUES (?, ?, ?)",
                                key,
                            ).lastrowid
                        db.execute(
                            "INSERT INTO revisions (response_id, author_id, saved_at, "
                            "spec_version, data) VALUES (?, ?, ?, ?, ?)",
                            (
                                responses[key],
                                author,
                                when,
                                ws.version,
                                json.dumps(part, ensure_ascii=False, sort_keys=True),
                            ),
                        )
                        last[key] = part
                        counts["revisions"] += 1
        # both members confirm the agreement as it stands for 3 pairs in 5; 1 in 5 confirmed
        # an earlier version (changed since); 1 in 5 never confirmed
        confirmed_at = stamp(dt.datetime.combine(today, dt.time(8), dt.timezone.utc))
        for pair in pairs:
            kind = pair.index % 5
            if kind == 4:
                continue
            newest = [  # the shared layer's latest revision (the one before, for kind 3)
                db.execute(
                    "SELECT r.id FROM revisions r JOIN responses s ON s.id = r.response_id "
                    "WHERE s.worksheet_id = ? AND s.relationship_id = ? AND s.owner_id = 0 "
                    "ORDER BY r.id DESC LIMIT 1 OFFSET ?",
                    (worksheet_id, pair.rel.id, int(kind == 3 and n == 0)),
                ).fetchone()[0]
                for n, worksheet_id in enumerate((dashboard.AGREEMENT, dashboard.EXPECTATIONS))
            ]
            db.executemany(
                "INSERT INTO confirmations (worksheet_id, relationship_id, version, fingerprint, "
                "person_id, confirmed_at) VALUES (?, ?, 1, ?, ?, ?)",
                [
                    (dashboard.AGREEMENT, pair.rel.id, f"{newest[0]}:{newest[1]}", m.person_id)
                    + (confirmed_at,)
                    for m in pair.rel.members
                ],
            )
    counts["responses"] = len(responses)
    return programme.id, facilitator, last, counts


def check_sample(store: Store, worksheets: dict[str, Worksheet], last: dict[tuple, dict]) -> int:
    """``Store.load`` reads back the last answers of a sample of responses; returns how many."""
    by_id = {ws.id: ws for base in worksheets.values() for ws in (base, *sessions_of(base))}
    keys = sorted(last)
    sample = keys[:: max(1, len(keys) // 200)]
    for worksheet_id, relationship_id, owner in sample:
        ws = by_id[worksheet_id]
        rel = store.relationship(relationship_id)
        viewer = owner or rel.members[0].person_id
        snapshot = store.load(ws, relationship_id, viewer)
        expected = {
            **last.get((worksheet_id, relationship_id, 0), {}),
            **last.get((worksheet_id, relationship_id, viewer), {}),
        }
        if snapshot.values != expected:
            raise RuntimeError(f"{worksheet_id}/{relationship_id}/{owner}: read back differs")
    return len(sample)


def sessions_of(ws: Worksheet) -> tuple[Worksheet, ...]:
    return tuple(ws.for_session(n) for n in (1, 2)) if ws.per_session else ()


# --- measuring ---------------------------------------------------------------------------


def timed(call: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Seconds of ``runs`` calls after one warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return times, result


def peak_memory(call: Callable[[], Any]) -> float:
    """MB of Python memory ``call`` needs at its peak above what was allocated before."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 1e6


PROBE = """
(() => {
  const ready = () => {
    const table = document.querySelector(%s);
    if (!table || !table.isConnected) return false;
    const box = table.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const style = getComputedStyle(table);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const timer = setInterval(() => {
    if (window.__mkReady === undefined && ready()) {
      window.__mkReady = performance.now();
      clearInterval(timer);
    }
  }, 4);
})();
"""


PAGES = {  # name: (path, what must be visible)
    "bare": ("/voila/render/bare.ipynb", ".widget-text input"),
    "dashboard": ("/voila/render/dashboard.ipynb", TABLE),
}


def browser_loads(data: Path, code: str, runs: int, expected_rows: int) -> dict[str, list]:
    """(in-page ms, wall ms) of ``runs`` loads of the dashboard and, interleaved, of a bare
    notebook holding one ``ipywidgets.Text`` (the kernel's and Voila's own cost), each after
    one warm-up."""
    from playwright.sync_api import sync_playwright
    from time_to_interactive import make_notebooks  # this folder; the same bare notebook

    from mentorkit.testing import CHROMIUM, CHROMIUM_ARGS, Server, free_port, sign_in_with_link

    notebooks = make_notebooks(data)
    server = Server(data=data, port=free_port(), notebooks=notebooks).start()
    results: dict[str, list] = {name: [] for name in PAGES}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            signin = context.new_page()
            sign_in_with_link(signin, server.url, code, wait_until="commit")
            signin.close()
            if not any(c["name"] == access.SIGN_IN_COOKIE for c in context.cookies()):
                raise RuntimeError("signing in did not set the session cookie")
            for run in range(runs + 1):
                for name, (path, selector) in PAGES.items():
                    page = context.new_page()
                    page.add_init_script(PROBE % json.dumps(selector))
                    try:
                        start = time.perf_counter()
                        page.goto(server.url + path, wait_until="commit", timeout=TIMEOUT_MS)
                        page.wait_for_function(
                            "window.__mkReady !== undefined", timeout=TIMEOUT_MS, polling="raf"
                        )
                        wall = (time.perf_counter() - start) * 1000
                        probe = page.evaluate("window.__mkReady")
                        if name == "dashboard":
                            shown = page.locator(f"{TABLE} tbody tr").count()
                            if shown != expected_rows:
                                raise RuntimeError(
                                    f"the table shows {shown} rows, not {expected_rows}"
                                )
                        if run:  # the first round is the warm-up
                            results[name].append((probe, wall))
                    finally:
                        page.close(run_before_unload=True)
            browser.close()
    except Exception:
        print(server.log()[-4000:])
        raise
    finally:
        server.stop()
    return results


def measure_size(
    size: int, args: argparse.Namespace, worksheets: dict[str, Worksheet], plan, today: dt.date
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mk-dash-") as tmp:
        data = Path(tmp)
        store = Store(data / DATABASE_NAME)
        began = time.perf_counter()
        programme_id, facilitator, last, counts = seed(store, size, worksheets, plan, today)
        seeded = time.perf_counter() - began
        sampled = check_sample(store, worksheets, last)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mb = sum(p.stat().st_size for p in data.glob(f"{DATABASE_NAME}*")) / 1e6
        print(
            f"{size:>5} relationships: {2 * size} people, {counts['saves']} saves "
            f"({counts['responses']} responses, {counts['revisions']} revision rows, "
            f"{counts['unchanged']} unchanged layers skipped), "
            f"seeded in {seeded:.1f} s, {mb:.0f} MB; Store.load read back {sampled} as written",
            flush=True,
        )

        def rows() -> list[dashboard.RelationshipRow]:
            return dashboard.dashboard_rows(store, programme_id, worksheets, plan, today)

        def page() -> str:  # what Dashboard.refresh + draw compute (default filter and sort)
            return _table(dashboard.select(rows(), "all", "", "name"))

        latest_s, _ = timed(lambda: store.latest_answers(programme_id), args.runs)
        rows_s, found = timed(rows, args.runs)
        page_s, html = timed(page, args.runs)
        gc.disable()
        try:
            quiet_s, _ = timed(page, args.runs)
        finally:
            gc.enable()
        if len(found) != size or html.count('<tr class="mk-dash-row') != size:
            raise RuntimeError(f"the dashboard does not show all {size} relationships")
        result = {
            "size": size,
            "latest": statistics.median(latest_s),
            "rows": statistics.median(rows_s),
            "page": statistics.median(page_s),
            "page_max": max(page_s),
            "gc_off": statistics.median(quiet_s),
            "kb": len(html.encode()) / 1024,
            "memory": peak_memory(page),
            "flagged": sum(1 for r in found if r.flags),
            "overdue": sum(1 for r in found if r.overdue_actions),
            "unconfirmed": sum(1 for r in found if not r.agreement_confirmed),
            "browser": None,
        }
        store.close()
        if args.browser and size in args.browser_sizes:
            before = os.getloadavg()[0]
            result["browser"] = browser_loads(data, facilitator.code, args.browser_runs, size)
            result["load"] = (before, os.getloadavg()[0])
    return result


def ratio(results: list[dict], key: str, small: int, large: int) -> str:
    by_size = {r["size"]: r for r in results}
    if small not in by_size or large not in by_size:
        return "    -"
    return f"{by_size[large][key] / by_size[small][key]:5.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument(
        "--browser-sizes", type=int, nargs="*", default=[TARGET_SIZE], help="of --sizes"
    )
    parser.add_argument("--browser-runs", type=int, default=3, help="after one warm-up")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    args = parser.parse_args()
    if args.runs < 1 or args.browser_runs < 1:
        parser.error("--runs and --browser-runs must be at least 1")

    worksheets = load_folder(ROOT / "worksheets")
    missing = set(FILLERS) - set(worksheets)
    if missing:
        raise SystemExit(f"the worksheets folder lacks {', '.join(sorted(missing))}")
    plan = plan_beside(ROOT / "worksheets", set(worksheets))
    today = dt.date.today()
    shown = len(dashboard.tracked_worksheets(worksheets))
    print(
        f"Each relationship: {len(FILLERS)} worksheets x {REVISIONS} saves, alternating mentor"
        " and mentee (session notes: 3 saves for session 1, 2 for session 2); the dashboard "
        f"shows {shown} worksheet columns\n"
    )
    results = [measure_size(n, args, worksheets, plan, today) for n in sorted(args.sizes)]

    print(f"\nMedians of {args.runs} runs after one warm-up (server side, one process):")
    print(
        f"  {'relationships':>13} {'latest_answers':>15} {'dashboard_rows':>15} "
        f"{'page draw':>10} {'(max)':>7} {'gc off':>8} {'per rel.':>9} {'HTML':>8} "
        f"{'peak mem':>9}"
    )
    for r in results:
        print(
            f"  {r['size']:>13} {r['latest'] * 1000:12.0f} ms {r['rows'] * 1000:12.0f} ms "
            f"{r['page'] * 1000:7.0f} ms {r['page_max'] * 1000:4.0f} ms "
            f"{r['gc_off'] * 1000:5.0f} ms "
            f"{r['page'] / r['size'] * 1e6:6.0f} us {r['kb']:5.0f} KB {r['memory']:6.1f} MB"
        )
    print(
        "  (page draw = dashboard_rows + select + _table; gc off = the same with the garbage "
        "collector disabled; per rel. = page draw / relationships; peak mem = tracemalloc, "
        "one draw)"
    )
    for r in results:
        print(
            f"  {r['size']:>13}: {r['flagged']} flagged, {r['overdue']} with overdue actions, "
            f"{r['unconfirmed']} agreements not confirmed as they stand"
        )
    sizes = [r["size"] for r in results]
    for small, large in zip(sizes, sizes[1:], strict=False):
        print(
            f"  growth {large}/{small} ({large / small:.0f}x the relationships): "
            f"latest_answers {ratio(results, 'latest', small, large)}, "
            f"dashboard_rows {ratio(results, 'rows', small, large)}, "
            f"page draw {ratio(results, 'page', small, large)} "
            f"(gc off {ratio(results, 'gc_off', small, large).strip()}), "
            f"HTML {ratio(results, 'kb', small, large)}, "
            f"memory {ratio(results, 'memory', small, large)}"
        )
    for r in results:
        share = r["page"] / (REFRESH_SECONDS + r["page"]) * 100
        print(
            f"  auto-refresh ({REFRESH_SECONDS:.0f} s after the last one ends) at {r['size']}: "
            f"~{share:.0f}% of one core per open dashboard, its kernel busy "
            f"{r['page']:.1f} s at a time"
        )

    for measured in (r for r in results if r["browser"]):
        loads = measured["browser"]
        medians = {name: statistics.median(p for p, _ in loads[name]) for name in loads}
        measured["in_page"] = medians["dashboard"] / 1000
        print(
            f"\nIn Chromium ({measured['size']} relationships, signed in as the facilitator): "
            f"{len(loads['dashboard'])} loads of each page after one warm-up, interleaved, "
            "each starting its own kernel"
        )
        for name, (_, selector) in PAGES.items():
            probes = [p for p, _ in loads[name]]
            print(
                f"  {name:<9} navigation start -> {selector} visible: median {medians[name]:6.0f}"
                f" ms (runs {', '.join(f'{p:.0f}' for p in probes)}; wall from page.goto "
                f"{statistics.median(w for _, w in loads[name]):.0f} ms)"
            )
        print(
            f"  dashboard - bare: {medians['dashboard'] - medians['bare']:.0f} ms (what the "
            f"dashboard adds to a kernel showing one text box); load average before / after: "
            f"{measured['load'][0]:.1f} / {measured['load'][1]:.1f} ({os.cpu_count()} CPUs)"
        )

    target = next((r for r in results if r["size"] == TARGET_SIZE), None)
    if target is None:
        print(f"\nResult: {TARGET_SIZE} relationships not measured (--sizes)")
        return
    drawn = target["page"]
    print(
        f"\nResult: {TARGET_SIZE} relationships: server-side page draw {drawn * 1000:.0f} ms vs "
        f"target < {TARGET_S:.0f} s -> {'PASS' if drawn < TARGET_S else 'FAIL'}"
    )
    if "in_page" in target:
        in_page = target["in_page"]
        print(
            f"        in Chromium, navigation to table {in_page:.2f} s vs < {TARGET_S:.0f} s -> "
            f"{'PASS' if in_page < TARGET_S else 'FAIL'} (includes starting the kernel; see bare)"
        )


if __name__ == "__main__":
    main()
