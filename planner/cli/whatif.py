"""`planner whatif`, `simulate` and `advise`: a scenario against the base plan, sampled
turnover futures, and the hires and training that reach a cover target."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from planner import services
from planner.cli.common import (
    CalendarOpt,
    DatasetArg,
    ProgressDisplay,
    RunsDisplay,
    StartOpt,
    TimeOpt,
    TzOpt,
    WeeksOpt,
    day,
    fail,
    horizon,
    load,
    option_value,
    writable,
    written,
)
from planner.services import (
    DEFAULT_CALENDAR,
    DEFAULT_MAX_TZ_GAP,
    PLAN_TIME_LIMIT,
    DatasetError,
)


def whatif(
    dataset: DatasetArg,
    scenario: Annotated[
        Path, typer.Option("--scenario", help="Scenario file: .yaml, .toml or .json.")
    ],
    start: StartOpt,
    weeks: WeeksOpt,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the scenario's plan, base/ and the comparison."),
    ] = None,
    time_limit: TimeOpt = PLAN_TIME_LIMIT,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Solver threads (default: cores).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    rota_dir: Annotated[
        Path | None,
        typer.Option(
            "--rota",
            help="A rota folder (planner rota) to compare: the promised incident hours the "
            "scenario loses, as the rota stands and re-planned.",
        ),
    ] = None,
    baseline_dir: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A plan folder (e.g. the last plan) the base plan keeps where it can; "
            "the scenario is always re-planned against the base plan.",
        ),
    ] = None,
) -> None:
    """Plan the base data and a scenario over the same weeks, and say what changes."""
    writable(out)
    data = load(dataset)
    first = horizon(start, weeks, data, calendar)
    try:
        story = services.read_scenario_file(path=scenario)
        baseline = services.read_baseline(baseline_dir) if baseline_dir is not None else ()
        with ProgressDisplay(sys.stderr.isatty() and not quiet) as progress:
            base, changed, comparison = services.whatif(
                actor=services.LOCAL_ADMIN,
                dataset=data,
                scenario=story,
                start=first,
                weeks=weeks,
                max_tz_gap=max_tz_gap,
                time_limit=time_limit,
                workers=workers,
                source=scenario.name,
                progress=progress,
                calendar=calendar,
                baseline=baseline,
            )
        loss = None
        if rota_dir is not None:
            loss = services.whatif_rota_loss(
                actor=services.LOCAL_ADMIN,
                dataset=data,
                scenario=story,
                rota=services.read_rota(rota_dir),
                replan_time_limit=time_limit,
                workers=workers,
                source=scenario.name,
            )
    except DatasetError as error:
        raise fail(error.problems) from None
    if out is not None:
        written(
            lambda: services.write_whatif(
                base=base, scenario_plan=changed, comparison=comparison, out=out, rota_loss=loss
            ),
            out,
        )
    typer.echo(comparison.headline())
    if loss is not None:
        typer.echo(loss.headline())
    if out is not None:
        typer.echo(f"written to {out} (scenario plan, base/, comparison.json and CSVs)")


def simulate(
    dataset: DatasetArg,
    start: StartOpt,
    weeks: WeeksOpt,
    runs: Annotated[int, typer.Option("--runs", min=1, max=10000, help="Futures to sample.")] = 50,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Same seed, same answer.")] = 1,
    attrition: Annotated[
        str,
        typer.Option(
            "--attrition",
            help="Annual attrition of operators' staff by role, e.g. "
            "technical=0.18,finance=0.12 (default 0.15 each).",
        ),
    ] = "",
    vendor_attrition: Annotated[
        float | None,
        typer.Option(
            "--vendor-attrition",
            min=0,
            max=0.99,
            help="Annual attrition of the vendor's specialists (default 0.10).",
        ),
    ] = None,
    refill: Annotated[
        str,
        typer.Option(
            "--refill-weeks", help="Weeks until a leaver is replaced, MIN-MAX (default 4-12)."
        ),
    ] = "",
    sick: Annotated[
        float | None,
        typer.Option(
            "--sick-episodes", min=0, help="Extra sick spells per person-year (default 0.5)."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Local processes, one future each.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="A Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write runs.csv and simulation.json here.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Sample futures (resignations, refills, sickness, vendor attrition) and plan each."""
    writable(out)
    data = load(dataset)
    first = horizon(start, weeks, data, calendar)
    rates = option_value(services.parse_rates, attrition, "--attrition")
    refill_weeks = option_value(weeks_range, refill, "--refill-weeks") if refill else None
    with RunsDisplay(sys.stderr.isatty() and not quiet, "futures") as display:
        result = services.simulate_turnover(
            actor=services.LOCAL_ADMIN,
            dataset=data,
            start=first,
            weeks=weeks,
            runs=runs,
            seed=seed,
            attrition=rates,
            refill_weeks=refill_weeks,
            sick_episodes=sick,
            vendor_attrition=vendor_attrition,
            workers=workers,
            scheduler=scheduler,
            calendar=calendar,
            max_tz_gap=max_tz_gap,
            progress=display.runs,
        )
    if out is not None:
        written(lambda: services.write_simulation(result=result, out=out), out)
    typer.echo(
        json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if as_json else result.headline()
    )


def weeks_range(text: str) -> tuple[int, int]:
    """`--refill-weeks`: MIN-MAX (or one number for both)."""
    low, sep, high = text.partition("-")
    try:
        pair = (int(low), int(high if sep else low))
    except ValueError:
        raise ValueError(f"{text!r}: write MIN-MAX weeks, e.g. 4-12") from None
    if not 0 <= pair[0] <= pair[1]:
        raise ValueError(f"{text!r}: MIN must be >= 0 and <= MAX")
    return pair


def advise(
    dataset: DatasetArg,
    start: StartOpt,
    weeks: WeeksOpt,
    target: Annotated[
        str,
        typer.Option("--target", help="Cover to reach by priority, e.g. critical=1.0,high=0.95."),
    ] = "critical=1.0,high=0.95",
    percentile: Annotated[
        int,
        typer.Option(
            "--percentile",
            min=50,
            max=100,
            help="Reach the target in the cover reached in this share of futures: 90 means "
            "the bad future of simulate, P10 of cover (only 10% of futures do worse).",
        ),
    ] = 90,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only hires and training for this role, judged on its demand."),
    ] = None,
    futures: Annotated[
        int, typer.Option("--futures", min=1, max=200, help="Sampled futures to judge on.")
    ] = 12,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Same seed, same advice.")] = 1,
    attrition: Annotated[str, typer.Option("--attrition", help="As for simulate.")] = "",
    max_hires: Annotated[
        int, typer.Option("--max-hires", min=0, max=30, help="Most hires to consider.")
    ] = 5,
    hire_from: Annotated[
        str | None,
        typer.Option("--hire-from", help="First day of the hires (default: the plan's start)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Local processes, one future each.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="A Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """The fewest hires that reach a cover target on sampled futures, and training moves."""
    data = load(dataset)
    first = horizon(start, weeks, data, calendar)
    goal = option_value(services.parse_target, target, "--target")
    rates = option_value(services.parse_rates, attrition, "--attrition")
    joining = day(hire_from, "--hire-from") if hire_from else None
    try:
        with RunsDisplay(sys.stderr.isatty() and not quiet, "advice") as display:
            answer = services.advise_staffing(
                actor=services.LOCAL_ADMIN,
                dataset=data,
                start=first,
                weeks=weeks,
                futures=futures,
                seed=seed,
                target=goal,
                percentile=percentile,
                role=role,
                max_hires=max_hires,
                hire_from=joining,
                attrition=rates,
                workers=workers,
                scheduler=scheduler,
                max_tz_gap=max_tz_gap,
                progress=display.step,
                calendar=calendar,
            )
    except DatasetError as error:
        raise fail(error.problems) from None
    typer.echo(
        json.dumps(answer.as_dict(), indent=2, ensure_ascii=False) if as_json else answer.headline()
    )
