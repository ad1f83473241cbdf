"""Save latency: from a change on a worksheet form to its revision being committed, with a
store already holding 1,000 relationships x 10 worksheets x 5 revisions. Target: median at
most 50 ms.

The form is driven headless (ipywidgets without a kernel): the inner widget's value is set
so the field's observer fires, then ``form.flush()`` runs the pending autosave. The raw
``Store.save`` time is printed alongside for comparison.

    python benchmarks/save_latency.py [--relationships 1000] [--worksheets 10]
        [--revisions 5] [--saves 200]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from mentorkit.core import access
from mentorkit.core.models import Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.spec_loader import parse_worksheet
from mentorkit.core.store import Store
from mentorkit.ui.forms import WorksheetForm

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "worksheets" / "getting-to-know-each-other.yaml"
TARGET_MS = 50.0
FIELD = "mentor_background"
LOREM = (
    "I trained as a medical illustrator, spent six years in a hospital photography "
    "department, then moved into teaching and now lead a small team. "
)


def worksheet_variants(count: int) -> list[Worksheet]:
    """``count`` copies of the shipped worksheet, each parsed from YAML with its own id."""
    text = SPEC.read_text(encoding="utf-8")
    return [
        parse_worksheet(
            re.sub(r"^id: .*$", f"id: bench-worksheet-{i:02d}", text, count=1, flags=re.M),
            f"variant-{i}",
        )
        for i in range(count)
    ]


def answers(revision: int, relationship_id: int) -> dict[str, Any]:
    """A plausible, fairly full set of answers that differs from one revision to the next."""
    return {
        "mentor_background": f"{LOREM * 3}(rev {revision}, pair {relationship_id})",
        "mentee_background": LOREM * 2,
        "mentee_hopes": "More confidence presenting work, and a wider network." * 2,
        "mentor_hopes": "To keep in touch with how new people enter the field.",
        "expertise": ["management", "technical", "clinical photography"],
        "mentee_strengths": ["interpersonal"],
        "channels": ["video", "email"],
        "meeting_times": "Tuesday lunchtimes; never after 6pm.",
        "meeting_frequency": "monthly",
        "response_time": "within two working days",
        "shared_interests": [{"what": "Cycling", "note": "both commute by bike"}],
        "first_meeting_done": revision >= 2,
        "next_meeting": "2025-01-14" if revision >= 2 else None,
        "first_impressions": f"Easy to talk to. (note {revision})",
    }


def seed(
    store: Store, n_relationships: int, worksheets: list[Worksheet], revisions: int
) -> list[Relationship]:
    """A programme with 2 people per one-to-one relationship and ``revisions`` saves of every
    worksheet for every relationship, alternating between mentor and mentee."""
    programme = store.create_programme("Benchmark programme")
    people = [
        store.add_person(programme.id, f"Person {i}", access.hash_code(store, access.new_code()))
        for i in range(2 * n_relationships)
    ]
    relationships = [
        store.add_relationship(
            programme.id,
            "one-to-one",
            [(people[2 * i].id, "mentor"), (people[2 * i + 1].id, "mentee")],
        )
        for i in range(n_relationships)
    ]
    for ws in worksheets:
        for rel in relationships:
            for k in range(revisions):
                author = rel.members[k % 2].person_id
                bases = store.latest_revision_ids(ws, rel.id, author)
                store.save(ws, rel.id, author, answers(k, rel.id), bases)
    return relationships


def summary(label: str, times_ms: list[float]) -> float:
    """Print median, p95 and max; returns the median."""
    ordered = sorted(times_ms)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  {label:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relationships", type=int, default=1000)
    parser.add_argument("--worksheets", type=int, default=10)
    parser.add_argument("--revisions", type=int, default=5, help="per relationship and worksheet")
    parser.add_argument("--saves", type=int, default=200, help="timed saves through the form")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="mk-bench-") as tmp:
        path = Path(tmp) / "mentorkit.sqlite3"
        store = Store(path)
        worksheets = worksheet_variants(args.worksheets)
        start = time.perf_counter()
        relationships = seed(store, args.relationships, worksheets, args.revisions)
        seeded = time.perf_counter() - start
        saves = len(relationships) * len(worksheets) * args.revisions
        count = store._one("SELECT count(*) FROM revisions")[0]
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in Path(tmp).glob("mentorkit.sqlite3*"))
        print(
            f"Seeded {len(relationships)} relationships x {len(worksheets)} worksheets x "
            f"{args.revisions} = {saves} saves through Store.save in {seeded:.1f} s "
            f"({seeded / max(saves, 1) * 1e6:.0f} us/save); {count} revision rows "
            "(each save writes the shared layer and the author's private layer)"
        )
        print(f"Database size: {size / 1e6:.1f} MB\n")

        picks = rng.sample(relationships, min(args.saves, len(relationships)))
        form_ms, change_ms, flush_ms, build_ms = [], [], [], []
        for i, rel in enumerate(picks):
            ws = rng.choice(worksheets)
            mentor = store.person(rel.members[0].person_id)
            t0 = time.perf_counter()
            form = WorksheetForm(ws, store, mentor, rel)
            build_ms.append((time.perf_counter() - t0) * 1000)
            text = f"{LOREM}Edited in benchmark save {i}."
            box = form.fields[FIELD].input  # the Textarea; setting it fires the observer
            t0 = time.perf_counter()
            box.value = text
            t1 = time.perf_counter()
            assert form._autosave.pending, "the change did not schedule an autosave"
            form.flush()
            t2 = time.perf_counter()
            change_ms.append((t1 - t0) * 1000)
            flush_ms.append((t2 - t1) * 1000)
            form_ms.append((t2 - t0) * 1000)
            saved = store.load(ws, rel.id, mentor.id)
            assert saved.values.get(FIELD) == text, f"save {i} is not in the store"
            assert form.state == "saved", form.status_text
            form.close()

        raw_ms = []
        for i, rel in enumerate(rng.sample(relationships, min(args.saves, len(relationships)))):
            ws = rng.choice(worksheets)
            author = rel.members[0].person_id
            bases = store.latest_revision_ids(ws, rel.id, author)
            values = {**answers(9, rel.id), FIELD: f"Raw save {i}."}
            t0 = time.perf_counter()
            store.save(ws, rel.id, author, values, bases)
            raw_ms.append((time.perf_counter() - t0) * 1000)
        store.close()

    print(f"{len(form_ms)} saves through WorksheetForm, each on a different relationship:")
    median = summary("change -> committed revision (total)", form_ms)
    summary("  of which: change handling (observer)", change_ms)
    summary("  of which: flush (autosave -> Store.save)", flush_ms)
    raw = summary("raw Store.save alone (for comparison)", raw_ms)
    summary("building the form (not in the target)", build_ms)
    print(f"\nform save / raw Store.save (median): {median / raw:.1f}x")
    verdict = "PASS" if median <= TARGET_MS else "FAIL"
    print(f"Result: median {median:.2f} ms vs target <= {TARGET_MS:.0f} ms -> {verdict}")


if __name__ == "__main__":
    main()
