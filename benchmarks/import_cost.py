"""Import cost: ``import mentorkit`` and ``import mentorkit.ui.apps`` must load none of pandas,
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
TARGETS = ("mentorkit", "mentorkit.ui.apps")
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


def import_times(code: str) -> list[tuple[float, str]]:
    """(cumulative ms, module) for every import ``-X importtime`` reports while running code."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[tuple[float, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative) / 1000, name.strip()))
    return rows


def top_imports(module: str, count: int = 5) -> list[tuple[float, str]]:
    """The ``count`` largest cumulative import times (ms, name) caused by ``import module``,
    leaving out what the interpreter imports at start-up anyway (site, encodings...)."""
    startup = {name for _, name in import_times("pass")}
    rows = [row for row in import_times(f"import {module}") if row[1] not in startup]
    return sorted(rows, reverse=True)[:count]


def top_level(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (as top-level packages) are among ``modules``."""
    roots = {m.split(".", 1)[0] for m in modules}
    return [n for n in names if n in roots]


def measure(modules: list[str], runs: int) -> dict[str, tuple[float, float, set[str]]]:
    """Per module: median and min import seconds over ``runs`` fresh interpreters (the modules
    interleaved, so that load on the machine hits them alike), and the modules it loaded."""
    for module in modules:
        probe(module)  # warm the file system cache
    times: dict[str, list[float]] = {m: [] for m in modules}
    loaded: dict[str, set[str]] = {}
    for _ in range(runs):
        for module in modules:
            seconds, loaded[module] = probe(module)
            times[module].append(seconds)
    return {m: (statistics.median(times[m]), min(times[m]), loaded[m]) for m in modules}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per import")
    args = parser.parse_args()

    print(
        f"Import cost, median of {args.runs} fresh interpreters each, interleaved ({sys.executable})\n"
    )
    results = measure([BASELINE, *TARGETS], args.runs)
    base_median, base_min, _ = results[BASELINE]
    print(
        f"baseline: import {BASELINE}: median {base_median * 1000:.0f} ms, min {base_min * 1000:.0f} ms\n"
    )

    ok = True
    for module in TARGETS:
        median, fastest, modules = results[module]
        heavy = top_level(modules, HEAVY)
        watched = top_level(modules, ALSO_WATCHED)
        ok &= not heavy
        print(f"import {module}")
        print(
            f"  time: median {median * 1000:.0f} ms, min {fastest * 1000:.0f} ms, "
            f"{median / base_median:.2f}x import {BASELINE}"
        )
        print(f"  modules loaded: {len(modules)}")
        print(
            f"  heavy ({', '.join(HEAVY)}) loaded: {', '.join(heavy) or 'none'}"
            f"  -> {'PASS' if not heavy else 'FAIL'}"
        )
        print(f"  also loaded (for information): {', '.join(watched) or 'none'}")
        print("  top 5 by cumulative time (-X importtime, start-up imports left out):")
        for ms, name in top_imports(module):
            print(f"    {ms:8.1f} ms  {name}")
        print()
    print(f"Result: {'PASS' if ok else 'FAIL'} (target: none of {', '.join(HEAVY)} is loaded)")


if __name__ == "__main__":
    main()
