"""Benchmark: plan the demo (and generated presets) and answer quotes; prints a table.

Run: `.venv/bin/python bench/bench_plan.py [--presets demo,S,M] [--weeks 26,52]
[--time-limit 60] [--quotes 100]`. Figures are wall-clock seconds on this machine
and peak RSS of the process so far; compare ratios within one run, since shared
2-core machines are noisy.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from planner import services
from planner.access import LOCAL_ADMIN
from planner.calendar import Horizon
from planner.dataset import load_dataset
from planner.demo_data import PRESETS, generate, write_dataset
from planner.plan import Plan
from planner.solver.model import default_workers

ROOT = Path(__file__).resolve().parents[1]
START = date(2027, 1, 4)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dataset_for(preset: str, folder: Path):
    if preset == "demo":
        return load_dataset(ROOT / "data" / "demo")
    write_dataset(generate(PRESETS[preset]), folder / preset)
    return load_dataset(folder / preset)


def stage_seconds(plan: Plan, name: str) -> float:
    return next((s["seconds"] for s in plan.summary["stages"] if s["name"] == name), 0.0)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def bench_quotes(dataset, plan: Plan, count: int, seed: int = 7) -> list[float]:
    """Latency of answering random one-off requests against `plan`, in milliseconds."""
    rng = random.Random(seed)
    bookings = services.bookings_of(plan)
    horizon = Horizon(plan.start, plan.weeks)
    times = []
    for _ in range(count):
        operator = rng.choice(dataset.operators).operator_id
        first = horizon.start + timedelta(days=rng.randrange(0, 7 * plan.weeks - 7))
        request = services.new_request(
            dataset=dataset, operator_id=operator, role=rng.choice(["subscriber", "finance",
                                                                    "technical"]),
            start=first, end=first + timedelta(days=rng.randrange(4, 30)),
            fte=rng.choice([0.2, 0.5, 1.0]), min_level=rng.choice([1, 1, 2]))
        started = time.perf_counter()
        services.quote(actor=LOCAL_ADMIN, dataset=dataset, start=plan.start, weeks=plan.weeks,
                       request=request,
                       bookings=bookings, max_tz_gap=plan.max_tz_gap)
        times.append(1000 * (time.perf_counter() - started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="demo")
    parser.add_argument("--weeks", default="13,26,52")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--quotes", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {default_workers()} cores, "
          f"Python {platform.python_version()}")
    header = (f"{'preset':<6} {'weeks':>5} {'status':<9} {'critical':>16} {'high':>16} "
              f"{'normal':>16} {'hand':>5} {'cover s':>8} {'total s':>8} {'peak MB':>8}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        last = None
        for preset in args.presets.split(","):
            dataset = dataset_for(preset, Path(folder))
            for weeks in (int(w) for w in args.weeks.split(",")):
                started = time.perf_counter()
                plan = services.plan_cover(actor=LOCAL_ADMIN, dataset=dataset, start=START,
                                           weeks=weeks,
                                           time_limit=args.time_limit)
                total = time.perf_counter() - started
                s = plan.summary
                tiers = [f"{s['covered_units'][p]}/{s['demand_units'][p]} "
                         f"({pct(s['covered_units'][p], s['bound_units'][p])})"
                         for p in ("critical", "high", "normal")]
                print(f"{preset:<6} {weeks:>5} {s['status']:<9} {tiers[0]:>16} {tiers[1]:>16} "
                      f"{tiers[2]:>16} {s['handovers']:>5} {stage_seconds(plan, 'cover'):>8.2f} "
                      f"{total:>8.2f} {peak_mb():>8.0f}")
                last = (dataset, plan)
        if last and args.quotes:
            times = sorted(bench_quotes(*last, count=args.quotes))
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"\nquotes against the last plan: n={len(times)} "
                  f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
                  f"max {times[-1]:.1f} ms")
    print("(covered/demand units and, in brackets, the share of the proven bound)")


if __name__ == "__main__":
    main()
