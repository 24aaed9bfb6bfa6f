"""Benchmark: the greedy baseline, the planner and the bound side by side, per vendor size.

Run from the repository root (after `bash scripts/setup.sh`):

    .venv/bin/python -m bench.bench_plan                    # S, M, L, XL + weeks curve + quotes
    .venv/bin/python -m bench.bench_plan --sizes S,M --curve none --quotes 0

Each size is a seeded generated vendor (`planner.demo` presets: S 40 operators /
12 specialists / 26 weeks, M 100/30/52, L 300/60/52, XL 1000/200/52). Every
measurement runs in a fresh process, so "peak MB" is that case's own peak
resident memory (with its week workers', see `peak_mb`). Times are wall-clock
seconds, including building the instance.
Shared 2-core machines are noisy: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import resource
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from bench.greedy import greedy_assignment
from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.data.validate import load_dataset
from planner.demo.generator import PRESETS, generate, write_dataset
from planner.domain.records import PRIORITIES, Absence, Request
from planner.planning.validation import Booking, check_plan, plan_figures
from planner.solver.handover_bound import handover_bound, week_tier_cover
from planner.solver.instance import bookings_by_index, build_instance
from planner.solver.model import default_workers

START = date(2027, 1, 4)
SIZES = {"S": 26, "M": 52, "L": 52, "XL": 52}
TIME_LIMITS = {"S": 10.0, "M": 30.0, "L": 30.0, "XL": 120.0}  # the targets


@dataclass(frozen=True)
class Row:
    """One line of the table: a method's figures on one case."""

    size: str
    weeks: int
    method: str
    status: str
    covered: dict[str, int]
    demand: dict[str, int]
    handovers: int | None
    cost: float | None
    seconds: float
    peak_mb: float
    cover_seconds: float | None = None
    handover_bound: int | None = None  # proven fewest handovers for plans of this cover
    bound_seconds: float | None = None


def peak_mb() -> float:
    """The case's own peak, plus each worker process's when the weeks ran on them.

    Forked workers share the parent's pages until they write to them, so adding
    their peaks over-counts: an upper bound of what the case held at once.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + (default_workers() * worker if worker else 0)) / 1024


def _dataset(size: str, folder: str):
    path = Path(folder) / size
    if not path.exists():
        write_dataset(generate(PRESETS[size]), path)
    return load_dataset(path)


def run_greedy(size: str, weeks: int, folder: str) -> Row:
    dataset = _dataset(size, folder)
    horizon = services.make_horizon(START, weeks, dataset)
    started = time.perf_counter()
    instance = build_instance(dataset, horizon)
    assignment = greedy_assignment(instance)
    seconds = time.perf_counter() - started
    mondays = horizon.mondays
    rows = [
        Booking(
            instance.demands[d].demand_id, mondays[w], instance.specialists[s].specialist_id, units
        )
        for (s, d, w), units in assignment.items()
    ]
    problems = check_plan(dataset, horizon, rows)
    if problems:
        raise AssertionError(f"the greedy baseline broke a rule: {problems[:3]}")
    figures = plan_figures(dataset, horizon, rows)
    return Row(
        size,
        weeks,
        "greedy",
        "VALID",
        figures.covered,
        figures.demand,
        figures.handovers,
        figures.cost,
        seconds,
        peak_mb(),
    )


def run_planner(size: str, weeks: int, folder: str, time_limit: float) -> tuple[Row, Row]:
    """The planner's row and the bound's row (the proven optimum when OPTIMAL)."""
    dataset = _dataset(size, folder)
    started = time.perf_counter()
    plan = services.plan_cover(
        actor=LOCAL_ADMIN, dataset=dataset, start=START, weeks=weeks, time_limit=time_limit
    )
    seconds = time.perf_counter() - started
    s = plan.summary
    cover = next((st["seconds"] for st in s["stages"] if st["name"] == "cover"), None)
    planner = Row(
        size,
        weeks,
        "planner",
        s["status"],
        s["covered_units"],
        s["demand_units"],
        s["handovers"],
        s["cost"],
        seconds,
        peak_mb(),
        cover,
    )
    started = time.perf_counter()
    instance = build_instance(dataset, services.make_horizon(START, weeks, dataset))
    booked, _ = bookings_by_index(instance, services.baseline_of(plan))
    least = handover_bound(instance, week_tier_cover(instance, booked))
    planner = replace(
        planner, handover_bound=least.bound, bound_seconds=time.perf_counter() - started
    )
    label = "optimum" if s["status"] == "OPTIMAL" else "bound"
    bound = Row(size, weeks, label, "", s["bound_units"], s["demand_units"], None, None, 0.0, 0.0)
    return planner, bound


@dataclass(frozen=True)
class Replan:
    """A re-plan after one new request and one new absence, against the first plan."""

    size: str
    baseline_units: int
    kept_units: int
    moved_units: int
    forced_units: int  # the least any plan of the new optimal cover must move
    forced_proven: bool
    status: str
    seconds: float
    change: str


def run_replan(size: str, weeks: int, folder: str, time_limit: float, seed: int = 11) -> Replan:
    """Plan, file one request and one new staff absence, re-plan against the first plan.

    The reference is the stability stage's proven bound: with the new cover fixed at
    its optimum, no plan keeps more, so `baseline - bound` units must move.
    """
    dataset = _dataset(size, folder)
    first = services.plan_cover(
        actor=LOCAL_ADMIN, dataset=dataset, start=START, weeks=weeks, time_limit=time_limit
    )
    rng = random.Random(seed)
    operator = rng.choice(dataset.operators).operator_id
    begins = START + timedelta(weeks=rng.randrange(1, weeks - 4))
    request = Request(
        "REQ-BENCH",
        operator,
        "technical",
        begins,
        begins + timedelta(days=25),
        1.0,
        priority="critical",
    )
    member = rng.choice(dataset.staff)
    away = START + timedelta(weeks=rng.randrange(1, weeks - 4))
    absence = Absence(member.staff_id, away, away + timedelta(days=13), "sick")
    changed = replace(
        dataset,
        requests=(*dataset.requests, request),
        absences=(*dataset.absences, absence),
    )
    started = time.perf_counter()
    second = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=changed,
        start=START,
        weeks=weeks,
        time_limit=time_limit,
        baseline=services.baseline_of(first),
    )
    seconds = time.perf_counter() - started
    s = second.summary
    stability = next((st for st in s["stages"] if st["name"] == "stability"), None)
    kept_bound = int(stability["bound"]) if stability else s["kept_units"]
    return Replan(
        size,
        s["baseline_units"],
        s["kept_units"],
        s["moved_units"],
        s["baseline_units"] - kept_bound,
        bool(stability and stability["status"] == "OPTIMAL"),
        s["status"],
        seconds,
        f"request at {operator} from {begins}, {member.staff_id} ({member.operator_id}) "
        f"sick from {away}",
    )


def print_replans(replans: list[Replan]) -> None:
    print("\nre-planning: one new request and one new absence, re-planned against the first plan")
    print(
        f"{'size':<4} {'baseline':>8} {'kept':>8} {'moved':>7} {'forced':>7} "
        f"{'status':<8} {'wall s':>7}  change"
    )
    for r in replans:
        forced = f"{r.forced_units:>6}{'' if r.forced_proven else '*'}"
        print(
            f"{r.size:<4} {r.baseline_units:>8,} {r.kept_units:>8,} {r.moved_units:>7,} "
            f"{forced:>7} {r.status:<8} {r.seconds:>7.1f}  {r.change}"
        )
    print(
        "(units of 4 hours; forced: the fewest any plan of the new optimal cover moves, "
        "from the stability stage's proven bound; * not proven optimal in time)"
    )


def run_quotes(
    size: str, weeks: int, folder: str, count: int, time_limit: float, seed: int = 7
) -> tuple[float, list[float]]:
    """Milliseconds to prepare a plan for quoting, and each of `count` random quotes."""
    dataset = _dataset(size, folder)
    plan = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=dataset,
        start=START,
        weeks=weeks,
        time_limit=time_limit,
        secondary=False,
    )
    started = time.perf_counter()
    basis = services.prepare_quotes(dataset=dataset, plan=plan)
    prepare_ms = 1000 * (time.perf_counter() - started)
    rng = random.Random(seed)
    times = []
    for _ in range(count):
        operator = rng.choice(dataset.operators).operator_id
        first = START + timedelta(days=rng.randrange(0, 7 * weeks - 7))
        request = services.new_request(
            dataset=dataset,
            operator_id=operator,
            role=rng.choice(["subscriber", "finance", "technical"]),
            start=first,
            end=first + timedelta(days=rng.randrange(4, 30)),
            fte=rng.choice([0.2, 0.5, 1.0]),
            min_level=rng.choice([1, 1, 2]),
        )
        started = time.perf_counter()
        services.quote_against(basis=basis, request=request)
        times.append(1000 * (time.perf_counter() - started))
    return prepare_ms, times


def _in_fresh_process(function, *args):
    """Run one measurement alone in a new process: its own peak memory, no warm caches."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'size':<4} {'weeks':>5} {'method':<8} {'status':<8} "
        + " ".join(f"{p:>17}" for p in PRIORITIES)
        + f" {'hand':>5} {'≥hand':>5} {'cost':>11} {'cover s':>7} {'wall s':>7} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    bounds = {(r.size, r.weeks): r.covered for r in rows if r.method in ("optimum", "bound")}
    for r in rows:
        bound = bounds.get((r.size, r.weeks), r.covered)
        tiers = " ".join(
            f"{r.covered[p]:>6}/{r.demand[p]:<6}{_pct(r.covered[p], bound[p])}"
            if r.method not in ("optimum", "bound")
            else f"{r.covered[p]:>6}/{r.demand[p]:<6}{'':>5}"
            for p in PRIORITIES
        )
        hand = f"{r.handovers:>5}" if r.handovers is not None else f"{'':>5}"
        least = f"{r.handover_bound:>5}" if r.handover_bound is not None else f"{'':>5}"
        cost = f"{r.cost:>11,.0f}" if r.cost is not None else f"{'':>11}"
        cover = f"{r.cover_seconds:>7.1f}" if r.cover_seconds is not None else f"{'':>7}"
        wall = f"{r.seconds:>7.1f}" if r.method not in ("optimum", "bound") else f"{'':>7}"
        peak = f"{r.peak_mb:>7.0f}" if r.peak_mb else f"{'':>7}"
        print(
            f"{r.size:<4} {r.weeks:>5} {r.method:<8} {r.status:<8} {tiers} "
            f"{hand} {least} {cost} {cover} {wall} {peak}"
        )
    print(
        "(covered/demand units per priority; % of the proven bound, which is the exact "
        "optimum on OPTIMAL rows; ≥hand: a proven lower bound on the handovers of any "
        "plan covering as much in every week and priority)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L,XL")
    parser.add_argument(
        "--curve",
        default="M,L",
        help="sizes whose solve time is measured at 13, 26 and 52 weeks ('none' to skip)",
    )
    parser.add_argument(
        "--quotes", type=int, default=100, help="random quotes against the L plan (0 to skip)"
    )
    parser.add_argument(
        "--replan",
        default="S,M,L,XL",
        help="sizes re-planned after a new request and absence ('none' to skip)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="one time limit for every size (default: the issue's targets)",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {default_workers()} cores, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        rows: list[Row] = []
        for size in args.sizes.split(","):
            weeks = SIZES[size]
            limit = args.time_limit or TIME_LIMITS[size]
            print(f"... {size}: greedy, then the planner (time limit {limit:g} s)", flush=True)
            rows.append(_in_fresh_process(run_greedy, size, weeks, folder))
            rows.extend(_in_fresh_process(run_planner, size, weeks, folder, limit))
        print()
        print_table(rows)

        if args.replan != "none":
            replans = []
            for size in args.replan.split(","):
                limit = args.time_limit or TIME_LIMITS[size]
                print(f"... {size}: plan, change, re-plan", flush=True)
                replans.append(_in_fresh_process(run_replan, size, SIZES[size], folder, limit))
            print_replans(replans)

        if args.curve != "none":
            print("\nsolve time against weeks (cover stage; wall includes handovers and cost)")
            print(
                f"{'size':<4} {'weeks':>5} {'status':<8} {'cover s':>7} {'cover s/wk':>10} "
                f"{'wall s':>7}"
            )
            for size in args.curve.split(","):
                limit = args.time_limit or TIME_LIMITS[size]
                for weeks in (13, 26, 52):
                    planner, _ = _in_fresh_process(run_planner, size, weeks, folder, limit)
                    print(
                        f"{size:<4} {weeks:>5} {planner.status:<8} "
                        f"{planner.cover_seconds:>7.2f} {planner.cover_seconds / weeks:>10.3f} "
                        f"{planner.seconds:>7.1f}",
                        flush=True,
                    )

        if args.quotes:
            prepare_ms, times = _in_fresh_process(
                run_quotes, "L", 52, folder, args.quotes, TIME_LIMITS["L"]
            )
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"\nquotes against the L plan (52 weeks): n={len(times)}, "
                f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
                f"max {times[-1]:.1f} ms (plan prepared once in {prepare_ms:.0f} ms)"
            )


if __name__ == "__main__":
    main()
