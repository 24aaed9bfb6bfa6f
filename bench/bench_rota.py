"""Benchmark of the on-call rota: a hand-made PagerDuty rotation, the planner and the bound.

Run from the repository root (after `bash scripts/setup.sh`):

    .venv/bin/python -m bench.bench_rota                          # S, M, L, 4 weeks, 60 s each
    .venv/bin/python -m bench.bench_rota --sizes S --weeks 1 --time-limit 10
    .venv/bin/python -m bench.bench_rota --write                  # also bench/results/rota.txt

Each size is a seeded generated vendor (`planner.demo` presets: S 40 operators /
12 specialists, M 100/30, L 300/60), its rota planned from Monday 2027-01-11 on the
demo's calendar (`ru`). The baseline (`bench/rotation.py`) is what a team sets up in
PagerDuty by hand: the on-call engineers in a fixed order taking 12-hour turns, the hours
that break a rule dropped. The planner is `make_rota` with the time limit. Both are scored by
the same solver-free validator (`check_rota`, which must find no problem) and the same
figures; "bound" is the planner's proven upper bound of the covered hours, the exact optimum
on OPTIMAL rows. Every case runs in a fresh process, so "peak MB" is its own peak resident
memory (CP-SAT's workers are threads of it). Times are wall-clock seconds, including
building the hour grid; "obj1 s" is when objective 1 was proven optimal (or gave up).
Shared 2-core machines are noisy: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bench.rotation import rotation_duty
from planner.data.validate import load_dataset
from planner.demo.generator import PRESETS, generate, write_dataset
from planner.domain.defaults import ROTA_TIME_LIMIT
from planner.domain.records import Dataset
from planner.rota.grid import RotaGrid
from planner.rota.pipeline import ROTA_WORKERS, make_rota, rota_from_duty
from planner.rota.records import Rota, RotaParams
from planner.rota.validation import check_rota
from planner.solver.model import Progress

START = date(2027, 1, 11)
WEEKS = 4
SIZES = ("S", "M", "L")
TARGETS = {"S": 10.0, "M": 10.0, "L": 60.0}
"""The issue's targets: objective 1 proven optimal within these seconds."""
RESULTS = Path(__file__).resolve().parent / "results" / "rota.txt"
SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class Row:
    """One line of the table: a method's figures on one case."""

    size: str
    weeks: int
    method: str
    status: str
    promised: int
    covered: int
    bound: int
    max_off_work: int
    reserved: int
    shifts: int
    seconds: float
    peak_mb: float
    problems: tuple[str, ...]
    proven_seconds: float | None = None
    """When the coverage stage ended, from the call (the planner only)."""


def peak_mb() -> float:
    """This process's peak resident memory: the case's own, as each runs in a fresh one."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dataset(size: str, folder: str) -> Dataset:
    return load_dataset(Path(folder) / size)


def _row(
    dataset: Dataset, size: str, method: str, status: str, rota: Rota, seconds: float, **extra
) -> Row:
    peak = peak_mb()  # the method's, before the validator builds its own grid
    s = rota.summary
    return Row(
        size=size,
        weeks=rota.params.weeks,
        method=method,
        status=status,
        promised=s["promised_hours"],
        covered=s["covered_hours"],
        bound=s["bound_hours"],
        max_off_work=s["max_off_work_hours"],
        reserved=s["reserved_units"],
        shifts=s["shifts"],
        seconds=seconds,
        peak_mb=peak,
        problems=tuple(check_rota(dataset, rota)),
        **extra,
    )


def run_rotation(size: str, weeks: int, folder: str) -> Row:
    dataset = _dataset(size, folder)
    started = time.perf_counter()
    grid = RotaGrid(dataset, RotaParams(START, weeks))
    rota = rota_from_duty(grid, rotation_duty(grid))
    seconds = time.perf_counter() - started
    row = _row(dataset, size, "rotation", "VALID", rota, seconds)
    return replace(row, status="INVALID") if row.problems else row


def run_planner(size: str, weeks: int, folder: str, time_limit: float, workers: int | None) -> Row:
    dataset = _dataset(size, folder)
    solve_began: list[float] = []

    def note(event: Progress) -> None:
        # `elapsed` counts from the solver's start: the first event dates it on our clock
        if not solve_began:
            solve_began.append(time.perf_counter() - event.elapsed)

    started = time.perf_counter()
    rota = make_rota(
        dataset, RotaParams(START, weeks), time_limit=time_limit, workers=workers, progress=note
    )
    seconds = time.perf_counter() - started
    coverage = next(st for st in rota.summary["stages"] if st["name"] == "coverage")
    prepared = (solve_began[0] if solve_began else started) - started
    return _row(
        dataset,
        size,
        "planner",
        rota.status,
        rota,
        seconds,
        proven_seconds=prepared + coverage["seconds"],
    )


def _in_fresh_process(function, *args):
    """Run one measurement alone in a new process: its own peak memory, no warm caches."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def weeks_text(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def verdict(row: Row) -> str:
    return "valid" if not row.problems else f"{len(row.problems)} problems"


def table(rows: list[Row]) -> list[str]:
    """Both methods per case; the share of the planner's proven bound beside the covered."""
    header = (
        f"{'size':<4} {'weeks':>5} {'method':<8} {'status':<8} {'covered':>7} {'bound':>7} "
        f"{'of bound':>8} {'promised':>8} {'max off':>7} {'reserved':>8} {'shifts':>6} "
        f"{'obj1 s':>6} {'wall s':>6} {'peak MB':>7}  check"
    )
    lines = [header, "-" * len(header)]
    bounds = {(r.size, r.weeks): r.bound for r in rows if r.method == "planner"}
    for r in rows:
        bound = bounds.get((r.size, r.weeks), r.bound)
        share = f"{100 * r.covered / bound:7.1f}%" if bound else f"{'-':>8}"
        proven = f"{r.proven_seconds:>6.1f}" if r.proven_seconds is not None else f"{'':>6}"
        lines.append(
            f"{r.size:<4} {r.weeks:>5} {r.method:<8} {r.status:<8} {r.covered:>7} {bound:>7} "
            f"{share} {r.promised:>8} {r.max_off_work:>7} {r.reserved:>8} {r.shifts:>6} "
            f"{proven} {r.seconds:>6.1f} {r.peak_mb:>7.0f}  {verdict(r)}"
        )
    lines.append(
        "(covered/bound promised operator-hours; bound: the planner's proven upper bound, "
        "the optimum on OPTIMAL rows; max off: the most off-work duty hours of one "
        "specialist; reserved: cover units the duty takes; check: check_rota's verdict)"
    )
    return lines


def targets(rows: list[Row]) -> list[str]:
    """Whether objective 1 was proven optimal within the issue's time, per case."""
    within = ", ".join(f"{size} {seconds:g} s" for size, seconds in TARGETS.items())
    lines = [f"targets ({WEEKS} weeks): objective 1 proven optimal within {within}"]
    for r in rows:
        if r.method != "planner":
            continue
        target = TARGETS[r.size]
        proven = r.status == "OPTIMAL" and (r.proven_seconds or 0.0) <= target
        how = "proven" if r.status == "OPTIMAL" else "not proven, stopped"
        aside = "" if r.weeks == WEEKS else f", on {weeks_text(r.weeks)} instead of {WEEKS}"
        lines.append(
            f"{r.size:<4} {weeks_text(r.weeks)}: {r.status}, objective 1 {how} after "
            f"{r.proven_seconds:.1f} s (target {target:g} s{aside}): "
            f"{'met' if proven else 'not met'}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_rota", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, of S, M, L")
    parser.add_argument("--weeks", type=int, default=WEEKS, help="rota weeks per case")
    parser.add_argument(
        "--time-limit", type=float, default=ROTA_TIME_LIMIT, help="seconds per planner case"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help=f"CP-SAT workers (default {ROTA_WORKERS})"
    )
    parser.add_argument(
        "--write",
        type=Path,
        nargs="?",
        const=RESULTS,
        default=None,
        metavar="FILE",
        help="also write the output to FILE (default bench/results/rota.txt)",
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"--sizes: {', '.join(unknown)} not among {', '.join(SIZES)}")
    output: list[str] = []

    def say(*lines: str) -> None:
        for line in lines:
            print(line, flush=True)
            output.append(line)

    workers = args.workers or ROTA_WORKERS
    say(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        f"rota from {START}, {weeks_text(args.weeks)}, calendar ru; planner time limit "
        f"{args.time_limit:g} s, {workers} workers",
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-rota-") as folder:
        for size in sizes:
            say(f"... {size}: the rotation, then the planner")
            write_dataset(generate(PRESETS[size]), Path(folder) / size)
            rows.append(_in_fresh_process(run_rotation, size, args.weeks, folder))
            rows.append(
                _in_fresh_process(
                    run_planner, size, args.weeks, folder, args.time_limit, args.workers
                )
            )
    say("", *table(rows), "", *targets(rows))
    for r in rows:
        if r.problems:
            say("", f"{r.size} {r.method}: check_rota found {len(r.problems)} problems:")
            say(*(f"  {p}" for p in r.problems[:SHOWN_PROBLEMS]))
    if args.write is not None:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("\n".join(output) + "\n", encoding="utf-8")
        print(f"written to {args.write}")
    return 1 if any(r.problems for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
