"""Matching speed: ``mentorkit.matching.match()`` against two baselines on the same score
matrix, for 100 x 100 to 2,000 x 2,000 mentors x mentees and a 10,000-applicant pool.

* the limit: bare :func:`scipy.optimize.linear_sum_assignment` on the cost matrix the
  matcher hands to it (same scores from the matcher's own builder, mentors repeated once per
  place as the matcher does, forbidden pairs at the matcher's large cost); only the solver
  call is timed;
* what a user might pick instead: the PyPI ``matching`` package's stable matching, with
  preferences ranked by the same scores and forbidden pairs left off both lists:
  HospitalResident (mentees propose; mentors take up to their capacity) on the pools with
  rules, StableMarriage on the rules-free capacity-1 check pool. It runs in a subprocess with
  a time limit (``--timeout``) and a memory limit; a run that is too slow or runs out of
  memory is recorded, and larger sizes are then not tried. Its runs come after all the
  timings of ``match()`` and the bare solver, so its minutes and memory do not disturb them.
  Out of the box the package's deepcopy of the players raises RecursionError even at
  100 x 100 (its issue #139); the run then retries with a higher recursion limit, the
  workaround its users are given, and says so.

Each square size also gets a rules-free check: the same people without not-to-pair lists or time
slots, capacity 1 and ``min_score`` 0, so no pair is forbidden; ``match()``'s total must then
equal bare ``linear_sum_assignment`` on the plain score matrix.

Each timed ``match()`` is a first run (the matcher's caches of parsed goals and time slots
emptied, as for new applicants on the command line); a re-run on the same applicants (caches
kept, as when a facilitator moves a slider) is timed too and shown beside it. Figures are
medians over ``--runs``.

Targets: total score equal to the optimum; 2,000 x 2,000 with rules and capacities within 3x
the bare solver's time (first runs); 10,000 applicants in under 60 s.

    python benchmarks/matching_speed.py [--sizes 100x100 500x500 1000x1000 2000x2000 3000x7000]
        [--skip-matching-package] [--timeout 120] [--memory-gb 6] [--runs 5] [--seed 1]
        [--peers 10000]

Sizes are MENTORSxMENTEES. Pools are synthetic and the same for the same seed. ``--peers N``
also times peer mode on N applicants (the same kind of people, all ``either``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from mentorkit import matching as mk
from mentorkit.matching import Applicant, Weights, match

DEFAULT_SIZES = ["100x100", "500x500", "1000x1000", "2000x2000", "3000x7000"]
RATIO_SIZE = (2000, 2000)
RATIO_TARGET = 3.0
BIG_POOL = 10_000
BIG_TARGET_S = 60.0
TOLERANCE = 1e-6  # relative, for "equal" totals

TAGS = [
    "leadership",
    "management",
    "public speaking",
    "writing",
    "grant writing",
    "research methods",
    "statistics",
    "data analysis",
    "python",
    "machine learning",
    "project management",
    "career change",
    "networking",
    "negotiation",
    "teaching",
    "clinical practice",
    "policy",
    "finance",
    "marketing",
    "product design",
    "user research",
    "entrepreneurship",
    "work-life balance",
    "returning to work",
    "promotion",
    "interviewing",
    "conflict resolution",
    "coaching",
    "diversity and inclusion",
    "international work",
]
TAG_WEIGHTS = np.array([1.0 / (k + 3) for k in range(len(TAGS))])
TAG_WEIGHTS /= TAG_WEIGHTS.sum()
VERBS = ["build", "grow", "gain", "find", "strengthen", "move into", "prepare for", "lead"]
AIMS = [
    "confidence presenting my work",
    "a network outside my team",
    "a first management role",
    "a research group of my own",
    "a clearer career plan",
    "skills for a senior role",
    "balance between work and family",
    "experience with funding applications",
    "a move into industry",
    "visibility in my field",
    "feedback on my writing",
    "an international collaboration",
]
DOMAINS = [
    "communication",
    "leadership",
    "research",
    "technical",
    "networking",
    "wellbeing",
    "strategy",
    "teaching",
]
DAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 0.9, 0.3, 0.2])
DAY_WEIGHTS /= DAY_WEIGHTS.sum()
ZONES = [-8, -5, -3, 0, 1, 2, 3, 5.5, 8, 10, 12]
ZONE_WEIGHTS = [0.08, 0.15, 0.05, 0.22, 0.20, 0.07, 0.03, 0.08, 0.05, 0.04, 0.03]
FREQUENCIES = ["weekly", "fortnightly", "monthly"]
AVOID_SHARE = 0.01  # of all mentor x mentee pairs, half from each side


# --------------------------------------------------------------------------------------------
# Synthetic pools


def _pick(rng: np.random.Generator, items, k: int, p=None) -> list:
    return [items[i] for i in rng.choice(len(items), size=k, replace=False, p=p)]


def _person(rng: np.random.Generator, pid: str, role: str, capacity: int) -> dict:
    mentor = role == "mentor"
    reverse = not mentor and rng.random() < 0.03
    if mentor:
        years = float(rng.integers(2, 31))
    elif reverse:
        years = float(rng.integers(10, 26))
    else:
        years = float(rng.integers(0, 13))
    n_slots = 0 if rng.random() < 0.1 else int(rng.integers(2, 7))
    slots = set()
    while len(slots) < n_slots:
        day = mk.DAYS[rng.choice(7, p=DAY_WEIGHTS)]
        slots.add(f"{day}-{('am', 'pm', 'eve')[rng.integers(3)]}")
    roll = rng.random()
    if roll < 0.7:
        rated = DOMAINS
    elif roll < 0.8:
        rated = _pick(rng, DOMAINS, int(rng.integers(2, 6)))
    else:
        rated = []
    goals = (
        f"I want to {VERBS[rng.integers(len(VERBS))]} {AIMS[rng.integers(len(AIMS))]} "
        f"and {AIMS[rng.integers(len(AIMS))]}, especially around "
        f"{TAGS[rng.choice(len(TAGS), p=TAG_WEIGHTS)]}."
    )
    return {
        "id": pid,
        "name": f"{role.title()} {pid[1:]}",
        "role": role,
        "years": years,
        "offers": _pick(rng, TAGS, int(rng.integers(3, 7) if mentor else rng.integers(0, 3))),
        "seeks": _pick(
            rng, TAGS, int(rng.integers(0, 2) if mentor else rng.integers(1, 4)), TAG_WEIGHTS
        ),
        "goals": goals,
        "model": "reverse" if reverse else "one-to-one",
        "frequency": FREQUENCIES[rng.choice(3, p=[0.2, 0.4, 0.4])],
        "slots": sorted(slots),
        "utc_offset": float(ZONES[rng.choice(len(ZONES), p=ZONE_WEIGHTS)]),
        "capacity": capacity,
        "ratings": {d: int(rng.integers(1, 6)) for d in rated},
        "email": f"{pid.lower()}@example.org",
        "avoid": [],
    }


def make_pool(n_mentors: int, n_mentees: int, seed: int) -> list[Applicant]:
    """Mentors M00000.. (2-30 years, capacity 1-3) and mentees E00000.. (3% asking for
    reverse mentoring); tags, goals, slots in 11 time zones (10% give none), ratings on up to
    8 domains, and about 1% of mentor x mentee pairs on someone's not-to-pair list (by id or,
    one time in three, by email)."""
    rng = np.random.default_rng([seed, n_mentors, n_mentees])
    mentors = [
        _person(rng, f"M{i:05d}", "mentor", int(rng.choice(3, p=[0.5, 0.3, 0.2]) + 1))
        for i in range(n_mentors)
    ]
    mentees = [_person(rng, f"E{i:05d}", "mentee", 1) for i in range(n_mentees)]
    for side, others in ((mentees, mentors), (mentors, mentees)):
        for person in side:
            k = int(rng.binomial(len(others), AVOID_SHARE / 2))
            for j in rng.choice(len(others), size=k, replace=False):
                other = others[j]
                person["avoid"].append(other["email"] if rng.random() < 1 / 3 else other["id"])
    return [Applicant(**p) for p in mentors + mentees]


def rules_free(apps: list[Applicant]) -> list[Applicant]:
    """The same people with no not-to-pair lists, no time slots and capacity 1."""
    return [dataclasses.replace(a, avoid=frozenset(), slots=frozenset(), capacity=1) for a in apps]


# --------------------------------------------------------------------------------------------
# The matcher's score matrix and the bare solver


@dataclasses.dataclass
class Problem:
    """The score matrix ``match()`` builds for its one round (mentees x mentors, both in id
    order) and the cost matrix it hands to ``linear_sum_assignment``."""

    mentee_ids: list[str]
    mentor_ids: list[str]
    scores: np.ndarray
    allowed: np.ndarray
    capacity: np.ndarray
    build_s: float
    cost: np.ndarray | None = None
    rows: np.ndarray | None = None
    cols: np.ndarray | None = None
    owner: np.ndarray | None = None


def build_problem(apps: list[Applicant], weights: Weights) -> Problem:
    """Built with the matcher's own code (``_Pool``, ``_matrix``), as ``match()`` does for a
    pool of mentors and mentees with no ``either``, locks or forbids (one round)."""
    start = time.perf_counter()
    pool = mk.pool._Pool(mk.pool._pool_list(apps))
    forbid = mk.pool._forbid_set((), pool)
    mentors = np.array(
        [
            k
            for k, a in enumerate(pool.apps)
            if a.role == "mentor" and a.years >= mk.MIN_MENTOR_YEARS
        ],
        np.intp,
    )
    mentees = np.array([k for k, a in enumerate(pool.apps) if a.role == "mentee"], np.intp)
    scores, codes, _ = mk.matrix._matrix(pool, mentees, mentors, weights, forbid)
    build_s = time.perf_counter() - start
    return Problem(
        [pool.apps[k].id for k in mentees],
        [pool.apps[k].id for k in mentors],
        scores,
        codes == mk.criteria._OK,
        np.array([pool.apps[k].capacity for k in mentors], np.int64),
        build_s,
    )


def expanded(problem: Problem, weights: Weights) -> Problem:
    """The cost matrix as ``mentorkit.matching.bipartite._assign`` hands it to the solver:
    rows and columns with no allowed pair dropped, each mentor repeated min(capacity, allowed
    mentees) times (the matcher repeats min(capacity, mentees): the same in these pools,
    where every mentor has at least as many allowed mentees as places), forbidden pairs at
    ``_forbidden_cost`` ((total weight + 1) x (rows + 1)), in C order so the solver copies
    nothing. The matcher also takes each row's least cost off the row (same choices, a
    quicker solve); the bare solver is given the plain costs."""
    allowed = problem.allowed
    rows = np.flatnonzero(allowed.any(1))
    cols = np.flatnonzero(allowed.any(0) & (problem.capacity > 0))
    ok = allowed[np.ix_(rows, cols)]
    copies = np.minimum(problem.capacity[cols], ok.sum(0))
    big = mk.matrix._forbidden_cost(weights, allowed.shape[0])
    cost = np.where(ok, -problem.scores[np.ix_(rows, cols)], big)
    owner = np.repeat(np.arange(len(cols)), copies)
    if len(owner) != len(cols):
        cost = np.take(cost, owner, axis=1)
    problem.cost, problem.rows, problem.cols, problem.owner = cost, rows, cols, owner
    return problem


def bare_solve(problem: Problem) -> tuple[float, set[tuple[int, int]]]:
    """Time ``linear_sum_assignment`` on the expanded cost matrix; (seconds, (row, col) pairs
    of the score matrix, forbidden pairs it was forced into left out)."""
    start = time.perf_counter()
    r, c = linear_sum_assignment(problem.cost)
    elapsed = time.perf_counter() - start
    rows, cols = problem.rows[r], problem.cols[problem.owner[c]]
    keep = problem.allowed[rows, cols]
    return elapsed, set(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True))


def total_of(scores: np.ndarray, pairs: set[tuple[int, int]]) -> float:
    if not pairs:
        return 0.0
    r, c = (np.array(x, np.intp) for x in zip(*sorted(pairs), strict=True))
    return float(scores[r, c].sum())


def forget_text_caches() -> None:
    """Empty the matcher's caches of parsed goals and time slots, as in a fresh process."""
    for module in (mk.features,):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def timed_match(
    apps, weights, problem: Problem, first_run: bool = True
) -> tuple[float, float, set[tuple[int, int]]]:
    """(seconds, proposal total, pairs as (row, col) of the problem's score matrix).

    ``first_run`` empties the matcher's caches first (new applicants, as on the command
    line); otherwise they are kept, as when a facilitator moves a slider and runs again."""
    if first_run:
        forget_text_caches()
    start = time.perf_counter()
    proposal = match(apps, weights)
    elapsed = time.perf_counter() - start
    row_of = {x: k for k, x in enumerate(problem.mentee_ids)}
    col_of = {x: k for k, x in enumerate(problem.mentor_ids)}
    pairs = {(row_of[p.mentee_id], col_of[p.mentor_id]) for p in proposal.pairs}
    return elapsed, proposal.total_score, pairs


def same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


# --------------------------------------------------------------------------------------------
# The PyPI ``matching`` package, in a subprocess


def run_package(game: str, problem: Problem, timeout: float, memory_gb: float, tmp: Path) -> dict:
    """Run the package's ``game`` ("hr" or "sm") on the problem's scores in a fresh
    interpreter with a time and memory limit. Returns the worker's figures, or an ``error``."""
    data = tmp / f"{game}.npz"
    np.savez(data, scores=problem.scores, allowed=problem.allowed, capacity=problem.capacity)
    command = [
        sys.executable,
        __file__,
        "--worker",
        game,
        str(data),
        "--memory-gb",
        str(memory_gb),
    ]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        stages = [line.split()[1] for line in out.splitlines() if line.startswith("stage ")]
        return {
            "error": f"timed out after {timeout:.0f} s" + (f" (in {stages[-1]})" if stages else "")
        }
    finally:
        data.unlink(missing_ok=True)
    wall = time.perf_counter() - start
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("result "):
            result = json.loads(line[len("result ") :])
            result["wall"] = wall
            return result
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit code {done.returncode}: {tail[:120]}"}


def own_peak_mb() -> float:
    """This process's peak resident memory. ``ru_maxrss`` survives ``exec`` on Linux, so a
    worker started from a large parent would report the parent's size; the kernel's VmHWM
    starts afresh with the new program."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(game: str, path: str, memory_gb: float) -> None:
    """Build both sides' preference lists from the scores (forbidden pairs on neither list;
    people with an empty list left out, as the package cannot take them), then create and
    solve the game, printing each stage as it starts."""
    import resource

    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()

    def stage(name: str) -> None:
        print(f"stage {name} {time.perf_counter() - t0:.2f}", flush=True)

    try:
        from matching.games import HospitalResident, StableMarriage

        stage("preferences")
        loaded = np.load(path)
        scores, allowed, capacity = loaded["scores"], loaded["allowed"], loaded["capacity"]
        start = time.perf_counter()
        mentee_prefs, mentor_prefs = {}, {}
        for r in range(scores.shape[0]):
            ok = np.flatnonzero(allowed[r])
            if len(ok):
                mentee_prefs[r] = ok[np.argsort(-scores[r, ok], kind="stable")].tolist()
        for c in range(scores.shape[1]):
            ok = np.flatnonzero(allowed[:, c])
            if len(ok):
                mentor_prefs[c] = ok[np.argsort(-scores[ok, c], kind="stable")].tolist()
        prefs_s = time.perf_counter() - start
        if game == "sm":

            def create():
                return StableMarriage.create_from_dictionaries(mentee_prefs, mentor_prefs)
        else:
            places = {c: int(capacity[c]) for c in mentor_prefs}

            def create():
                return HospitalResident.create_from_dictionaries(mentee_prefs, mentor_prefs, places)

        stage("create")
        raised = False
        start = time.perf_counter()
        try:
            solver = create()
        except RecursionError:
            # Out of the box the game's deepcopy of the players overflows Python's recursion
            # limit (matching issue #139); retry with the workaround users are given: a higher
            # limit, here in a thread with a large stack so the C stack does not overflow.
            raised = True
            stage("create-with-higher-recursion-limit")
            sys.setrecursionlimit(1_000_000)
            threading.stack_size(1024 * 2**20)
            box: dict = {}

            def run() -> None:
                try:
                    box["solver"] = create()
                except BaseException as error:  # re-raised in the main thread
                    box["error"] = error

            thread = threading.Thread(target=run)
            start = time.perf_counter()
            thread.start()
            thread.join()
            if "error" in box:
                raise box["error"] from None
            solver = box["solver"]
        create_s = time.perf_counter() - start
        stage("solve")
        start = time.perf_counter()
        result = solver.solve()
        solve_s = time.perf_counter() - start
        if game == "sm":
            pairs = [(s.name, r.name) for s, r in result.items() if r is not None]
        else:
            pairs = [(r.name, h.name) for h, rs in result.items() for r in rs]
        total = float(sum(scores[r, c] for r, c in pairs))
        peak_mb = own_peak_mb()
        out = {
            "prefs": prefs_s,
            "create": create_s,
            "solve": solve_s,
            "pairs": len(pairs),
            "total": total,
            "peak_mb": peak_mb,
            "raised_limit": raised,
        }
    except MemoryError:
        out = {"error": f"out of memory (limit {memory_gb:g} GB)"}
    except RecursionError:
        out = {"error": "RecursionError even with a higher recursion limit"}
    print("result " + json.dumps(out), flush=True)


# --------------------------------------------------------------------------------------------
# Report


def fmt_s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f}"


def package_cell(result: dict | None, optimum: float) -> tuple[str, str, str]:
    """(time, total, % of optimum) for the table."""
    if result is None:
        return "-", "-", "-"
    if "error" in result:
        error = result["error"]
        if error.startswith("not run"):
            return "not run", "-", "-"
        if error.startswith("timed out"):
            return "> " + error.split()[3] + " s", "-", "-"
        return error.split(" (")[0], "-", "-"
    seconds = result["create"] + result["solve"]
    share = 100 * result["total"] / optimum if optimum else float("nan")
    return f"{seconds:.2f}", f"{result['total']:.1f} ({result['pairs']})", f"{share:.2f}%"


def parse_size(text: str) -> tuple[int, int]:
    try:
        mentors, mentees = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not MENTORSxMENTEES") from None
    return mentors, mentees


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="+", type=parse_size, default=[parse_size(s) for s in DEFAULT_SIZES]
    )
    parser.add_argument("--skip-matching-package", action="store_true")
    parser.add_argument("--timeout", type=float, default=120.0, help="per package run, s")
    parser.add_argument("--memory-gb", type=float, default=6.0, help="per package run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of match() and bare")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--peers",
        type=int,
        default=0,
        metavar="N",
        help="also time peer mode on N applicants (the same people, all 'either'); 0 skips",
    )
    parser.add_argument("--worker", nargs=2, metavar=("GAME", "NPZ"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.memory_gb)
        return

    weights = Weights()
    free_weights = dataclasses.replace(weights, min_score=0.0)
    package = not args.skip_matching_package
    if package:
        try:
            import matching

            print(f"matching package {matching.__version__}")
        except ImportError:
            print("matching package not installed (pip install matching): skipped")
            package = False
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"weights {weights}"
    )
    # Warm-up: imports (scipy.sparse, the solver) and caches, outside every timing.
    warm = make_pool(5, 5, args.seed)
    match(warm, weights)
    bare_solve(expanded(build_problem(warm, weights), weights))
    gave_up: dict[str, str] = {}
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mk-match-") as tmp_name:
        tmp = Path(tmp_name)
        for n_mentors, n_mentees in args.sizes:
            label = f"{n_mentors}x{n_mentees}"
            apps = make_pool(n_mentors, n_mentees, args.seed)
            places = sum(a.capacity for a in apps if a.role == "mentor")
            avoids = sum(len(a.avoid) for a in apps)
            print(
                f"\n{label}: {len(apps):,} applicants, {places:,} mentor places, "
                f"{avoids:,} not-to-pair entries"
            )
            problem = expanded(build_problem(apps, weights), weights)
            forbidden_share = 1 - problem.allowed.mean()
            print(
                f"  score matrix {problem.scores.shape[0]} x {problem.scores.shape[1]} built in "
                f"{problem.build_s:.2f} s; {forbidden_share:.1%} of pairs forbidden; "
                f"solver's cost matrix {problem.cost.shape[0]} x {problem.cost.shape[1]}"
            )
            match_s, rerun_s, bare_s = [], [], []
            for _ in range(args.runs):
                seconds, match_total, match_pairs = timed_match(apps, weights, problem)
                match_s.append(seconds)
                seconds, bare_pairs = bare_solve(problem)
                bare_s.append(seconds)
                rerun_s.append(timed_match(apps, weights, problem, first_run=False)[0])
            t_match, t_bare = statistics.median(match_s), statistics.median(bare_s)
            t_rerun = statistics.median(rerun_s)
            print(
                "  runs (s): match() first run "
                + ", ".join(f"{x:.3f}" for x in match_s)
                + "; re-run "
                + ", ".join(f"{x:.3f}" for x in rerun_s)
                + "; bare "
                + ", ".join(f"{x:.3f}" for x in bare_s)
            )
            optimum = total_of(problem.scores, bare_pairs)
            on_matrix = total_of(problem.scores, match_pairs)
            row = {
                "label": label,
                "people": len(apps),
                "size": (n_mentors, n_mentees),
                "match_s": t_match,
                "rerun_s": t_rerun,
                "bare_s": t_bare,
                "match_total": match_total,
                "optimum": optimum,
                "pairs": len(match_pairs),
                "bare_pairs": len(bare_pairs),
                "equal": same(match_total, optimum) and same(on_matrix, optimum),
                "same_pairs": match_pairs == bare_pairs,
            }
            print(
                f"  match() {t_match:.2f} s (re-run {t_rerun:.2f} s), bare "
                f"linear_sum_assignment {t_bare:.2f} s ({t_match / t_bare:.2f}x, re-run "
                f"{t_rerun / t_bare:.2f}x); totals {match_total:.3f} vs optimum "
                f"{optimum:.3f} ({len(match_pairs)} vs {len(bare_pairs)} pairs, "
                f"same pairs: {'yes' if row['same_pairs'] else 'no'})"
            )
            del problem

            if n_mentors == n_mentees:
                free = rules_free(apps)
                check = build_problem(free, free_weights)
                blocked = int((~check.allowed).sum())
                cost = -check.scores
                seconds, free_total, free_pairs = timed_match(free, free_weights, check)
                start = time.perf_counter()
                r, c = linear_sum_assignment(cost)
                free_bare_s = time.perf_counter() - start
                free_optimum = float(check.scores[r, c].sum())
                row["free"] = {
                    "match_s": seconds,
                    "bare_s": free_bare_s,
                    "total": free_total,
                    "optimum": free_optimum,
                    "blocked": blocked,
                    "equal": blocked == 0 and same(free_total, free_optimum),
                    "pairs": len(free_pairs),
                }
                print(
                    f"  rules-free check (capacity 1, no avoid lists or slots, min_score 0; "
                    f"{blocked} forbidden pairs): match() {seconds:.2f} s total {free_total:.3f}, "
                    f"bare linear_sum_assignment on -scores {free_bare_s:.2f} s total "
                    f"{free_optimum:.3f}"
                )
                del check, cost
            rows.append(row)

        # The package's runs come after every timing above: they take minutes and hundreds
        # of megabytes in a subprocess, which would otherwise disturb the timings that follow.
        for row in rows if package else ():
            n_mentors, n_mentees = row["size"]
            apps = make_pool(n_mentors, n_mentees, args.seed)
            print(f"\n{row['label']}: the matching package")
            if "hr" in gave_up:
                row["hr"] = {"error": f"not run ({gave_up['hr']})"}
            else:
                problem = build_problem(apps, weights)
                row["hr"] = run_package("hr", problem, args.timeout, args.memory_gb, tmp)
                if "error" in row["hr"]:
                    gave_up["hr"] = f"{row['hr']['error']} at {row['label']}"
                del problem
            print(f"  HospitalResident: {describe(row['hr'], row['optimum'])}")
            if "free" in row:
                if "sm" in gave_up:
                    row["sm"] = {"error": f"not run ({gave_up['sm']})"}
                else:
                    check = build_problem(rules_free(apps), free_weights)
                    row["sm"] = run_package("sm", check, args.timeout, args.memory_gb, tmp)
                    if "error" in row["sm"]:
                        gave_up["sm"] = f"{row['sm']['error']} at {row['label']}"
                    del check
                print(
                    "  StableMarriage (rules-free): " + describe(row["sm"], row["free"]["optimum"])
                )

    elapsed = time.perf_counter() - started
    load = os.getloadavg()
    print(f"\nDone in {elapsed:.0f} s; load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print_table(rows, package)
    print_targets(rows)
    if args.peers:
        time_peers(args.peers, weights, args.seed)


def time_peers(size: int, weights: Weights, seed: int) -> None:
    """Peer mode on ``size`` applicants: time, pairs, the bound the proposal reports, and
    peak memory (peers are matched on a dense size x size relaxation)."""
    mentors = size * 3 // 10
    apps = [dataclasses.replace(a, role="either") for a in make_pool(mentors, size - mentors, seed)]
    forget_text_caches()
    start = time.perf_counter()
    proposal = match(apps, weights, mode="peer")
    elapsed = time.perf_counter() - start
    print(
        f"\nPeer mode, {size:,} applicants: {elapsed:.1f} s, {len(proposal.peers):,} pairs, "
        f"peak memory {own_peak_mb():,.0f} MB (whole run). {proposal.notes[-1]}"
    )
    verdict = "PASS" if elapsed < BIG_TARGET_S else "FAIL"
    print(f"  peer mode under {BIG_TARGET_S:g} s: {verdict}")


def describe(result: dict, optimum: float) -> str:
    if "error" in result:
        return result["error"]
    share = 100 * result["total"] / optimum if optimum else float("nan")
    limit = (
        "RecursionError out of the box, so run with a higher recursion limit; "
        if result["raised_limit"]
        else ""
    )
    return (
        f"create {result['create']:.2f} s + solve {result['solve']:.2f} s "
        f"(preference lists {result['prefs']:.2f} s, wall {result['wall']:.1f} s, {limit}"
        f"peak {result['peak_mb']:.0f} MB); total {result['total']:.3f} = {share:.2f}% of "
        f"the optimum, {result['pairs']} pairs"
    )


def print_table(rows: list[dict], package: bool) -> None:
    head = [
        "Mentors x mentees",
        "match() s",
        "re-run s",
        "bare s",
        "ratio",
        "re-run ratio",
        "match() total",
        "optimum",
        "pairs",
    ]
    if package:
        head += ["HR s", "HR total (pairs)", "HR % opt", "SM s (rules-free)", "SM % opt"]
    lines = [head]
    for row in rows:
        cells = [
            row["label"],
            fmt_s(row["match_s"]),
            fmt_s(row["rerun_s"]),
            fmt_s(row["bare_s"]),
            f"{row['match_s'] / row['bare_s']:.2f}x",
            f"{row['rerun_s'] / row['bare_s']:.2f}x",
            f"{row['match_total']:.1f}",
            f"{row['optimum']:.1f}",
            f"{row['pairs']}",
        ]
        if package:
            hr_s, hr_total, hr_share = package_cell(row.get("hr"), row["optimum"])
            free = row.get("free")
            sm_s, _, sm_share = package_cell(row.get("sm"), free["optimum"] if free else 0)
            cells += [hr_s, hr_total, hr_share, sm_s, sm_share]
        lines.append(cells)
    widths = [max(len(line[k]) for line in lines) for k in range(len(head))]
    print()
    for n, line in enumerate(lines):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |")
        if n == 0:
            print("| " + " | ".join("-" * w for w in widths) + " |")


def print_targets(rows: list[dict]) -> None:
    print("\nTargets:")
    checks = [(row["label"], row["equal"], row["match_total"], row["optimum"]) for row in rows]
    checks += [
        (
            f"{row['label']} rules-free",
            row["free"]["equal"],
            row["free"]["total"],
            row["free"]["optimum"],
        )
        for row in rows
        if "free" in row
    ]
    worst = max(abs(t - o) for _, _, t, o in checks)
    ok = all(c[1] for c in checks)
    print(
        f"  total equal to the optimum: {'PASS' if ok else 'FAIL'} ({len(checks)} checks, "
        f"largest difference {worst:.2e}"
        + ("" if ok else "; not equal: " + ", ".join(c[0] for c in checks if not c[1]))
        + ")"
    )
    at = [row for row in rows if row["size"] == RATIO_SIZE]
    if at:
        row = at[0]
        ratio = row["match_s"] / row["bare_s"]
        verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
        print(
            f"  2,000 x 2,000 within {RATIO_TARGET:g}x the bare solver: {verdict} "
            f"({row['match_s']:.2f} s vs {row['bare_s']:.2f} s = {ratio:.2f}x on a first run; "
            f"re-run {row['rerun_s']:.2f} s = {row['rerun_s'] / row['bare_s']:.2f}x)"
        )
    else:
        print("  2,000 x 2,000 within 3x the bare solver: not run (add --sizes 2000x2000)")
    big = [row for row in rows if row["people"] >= BIG_POOL]
    if big:
        row = big[0]
        verdict = "PASS" if row["match_s"] < BIG_TARGET_S else "FAIL"
        print(
            f"  {row['people']:,} applicants ({row['label']}) under {BIG_TARGET_S:g} s: "
            f"{verdict} ({row['match_s']:.2f} s)"
        )
    else:
        print("  10,000 applicants under 60 s: not run (add --sizes 3000x7000)")


if __name__ == "__main__":
    main()
