"""Analysis of 1,000 people x 2 rounds x 40 items (self and partner ratings): target under 1 s.

Prints the time of each step (tidy, domain scores, gaps, change) and the total, median of
several runs, against the target; the baseline is a plain-Python mean per domain over the
same records, to show what pandas buys.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict

from mentorkit.programme import rating_analysis

DOMAINS = [f"Domain {n}" for n in range(8)]


def make_records(people: int, items: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for person in range(people):
        for round_id in ("baseline", "follow-up"):
            for relation in ("self", "partner"):
                for item in range(items):
                    domain = DOMAINS[item % len(DOMAINS)]
                    value = "n/a" if rng.random() < 0.05 else rng.randint(1, 5)
                    records.append(
                        {
                            "person_id": person,
                            "person": f"P{person}",
                            "rater_id": person,
                            "rater": "r",
                            "relation": relation,
                            "round": round_id,
                            "framework": "mentor",
                            "domain_id": domain,
                            "domain": domain,
                            "item": f"i{item}",
                            "value": value,
                            "rated_on": None,
                        }
                    )
    return records


def plain_means(records: list[dict]) -> dict:
    sums: dict = defaultdict(lambda: [0, 0])
    for r in records:
        if r["value"] != "n/a":
            key = (r["person_id"], r["relation"], r["round"], r["domain"])
            sums[key][0] += r["value"]
            sums[key][1] += 1
    return {k: s / n for k, (s, n) in sums.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    records = make_records(args.people, args.items)
    print(
        f"{len(records):,} rated items ({args.people} people x 2 rounds x self+partner x "
        f"{args.items} items)"
    )
    totals, steps = [], defaultdict(list)
    for _ in range(args.runs):
        start = time.perf_counter()
        tidy = rating_analysis.tidy(records)
        steps["tidy"].append(time.perf_counter() - start)
        mark = time.perf_counter()
        scores = rating_analysis.domain_scores(tidy)
        steps["domain scores"].append(time.perf_counter() - mark)
        mark = time.perf_counter()
        rating_analysis.gaps(scores)
        steps["gaps"].append(time.perf_counter() - mark)
        mark = time.perf_counter()
        rating_analysis.change(scores)
        steps["change"].append(time.perf_counter() - mark)
        totals.append(time.perf_counter() - start)
    baseline = []
    for _ in range(args.runs):
        start = time.perf_counter()
        plain_means(records)
        baseline.append(time.perf_counter() - start)
    for name, times in steps.items():
        print(f"  {name:<14} median {statistics.median(times) * 1000:8.1f} ms")
    total = statistics.median(totals)
    plain = statistics.median(baseline)
    print(f"  {'total':<14} median {total * 1000:8.1f} ms")
    print(
        f"  plain-Python domain means (baseline) {plain * 1000:.1f} ms; ratio {total / plain:.2f}x"
    )
    print(f"Result: {'PASS' if total < 1 else 'FAIL'} (target: under 1 s)")


if __name__ == "__main__":
    main()
