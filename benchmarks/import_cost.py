"""Import cost: ``import mentorkit`` and ``import mentorkit.apps`` must load none of pandas,
matplotlib and scipy. Prints the heavy modules each import loads, its median wall time over
fresh interpreters, the five slowest imports by cumulative time (``-X importtime``), and the
ratio to ``import ipywidgets`` as a baseline.

    python benchmarks/import_cost.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "scipy")
ALSO_WATCHED = ("numpy", "yaml", "mistune", "ipywidgets", "voila", "tornado")
TARGETS = ("mentorkit", "mentorkit.apps")
BASELINE = "ipywidgets"

_PROBE = """
import json, sys, time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "modules": sorted(sys.modules)}}))
"""


def probe(module: str) -> tuple[float, set[str]]:
    """Import ``module`` in a fresh interpreter; returns seconds and the loaded modules."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return found["seconds"], set(found["modules"])


def top_imports(module: str, count: int = 5) -> list[tuple[float, str]]:
    """The ``count`` largest cumulative times (ms, name) from ``-X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[tuple[float, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative) / 1000, name.rstrip()))
    rows.sort(reverse=True)
    return rows[:count]


def top_level(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (as top-level packages) are among ``modules``."""
    roots = {m.split(".", 1)[0] for m in modules}
    return [n for n in names if n in roots]


def measure(module: str, runs: int) -> tuple[float, float, set[str]]:
    """Median and min import seconds over ``runs`` fresh interpreters, and the modules loaded."""
    probe(module)  # warm the file system cache
    times, modules = [], set()
    for _ in range(runs):
        seconds, modules = probe(module)
        times.append(seconds)
    return statistics.median(times), min(times), modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per import")
    args = parser.parse_args()

    print(f"Import cost, median of {args.runs} fresh interpreters ({sys.executable})\n")
    base_median, base_min, _ = measure(BASELINE, args.runs)
    print(f"baseline: import {BASELINE}: median {base_median * 1000:.0f} ms, min {base_min * 1000:.0f} ms\n")

    ok = True
    for module in TARGETS:
        median, fastest, modules = measure(module, args.runs)
        heavy = top_level(modules, HEAVY)
        watched = top_level(modules, ALSO_WATCHED)
        ok &= not heavy
        print(f"import {module}")
        print(f"  time: median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms, "
              f"{median / base_median:.2f}x import {BASELINE}")
        print(f"  modules loaded: {len(modules)}")
        print(f"  heavy ({', '.join(HEAVY)}) loaded: {', '.join(heavy) or 'none'}"
              f"  -> {'PASS' if not heavy else 'FAIL'}")
        print(f"  also loaded (for information): {', '.join(watched) or 'none'}")
        print("  top 5 by cumulative time (-X importtime):")
        for ms, name in top_imports(module):
            print(f"    {ms:8.1f} ms  {name.strip()}")
        print()
    print(f"Result: {'PASS' if ok else 'FAIL'} (target: none of {', '.join(HEAVY)} is loaded)")


if __name__ == "__main__":
    main()
