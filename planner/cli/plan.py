"""`planner plan` and `quote`: cover for the dataset, and an answer to one new request."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from planner import services
from planner.cli.common import (
    CalendarOpt,
    DatasetArg,
    ProgressDisplay,
    StartOpt,
    TimeOpt,
    TzOpt,
    WeeksOpt,
    day,
    fail,
    horizon,
    load,
    writable,
    written,
)
from planner.services import (
    DATE_FORMS,
    DEFAULT_CALENDAR,
    DEFAULT_MAX_TZ_GAP,
    PLAN_TIME_LIMIT,
    PRIORITIES,
    DatasetError,
    Problem,
)


def headline(plan: services.Plan) -> str:
    """The plan in one line: status, cover by priority, gaps, handovers, cost, time."""
    s = plan.summary
    cover = ", ".join(
        f"{p} {s['covered_units'][p]}/{s['demand_units'][p]}"
        for p in ("critical", "high", "normal")
    )
    kept = (
        f"; kept {s['kept_units']} of {s['baseline_units']} baseline units"
        if s.get("baseline_units")
        else ""
    )
    return (
        f"{s['status']}: covered units {cover}; {len(plan.uncovered)} uncovered rows; "
        f"{s['handovers']} handovers; cost {s['cost']:.2f}{kept}; {s['solve_seconds']:.1f} s"
    )


def plan(
    start: StartOpt,
    weeks: WeeksOpt,
    dataset: Annotated[
        Path | None,
        typer.Argument(help="A folder of CSV files or an .xlsx workbook (omit with --db)."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the plan's files.")] = None,
    time_limit: TimeOpt = PLAN_TIME_LIMIT,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Solver threads (default: cores).")
    ] = None,
    db: Annotated[
        bool, typer.Option("--db", help="Plan from the database and store the run.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
    rota_dir: Annotated[
        Path | None,
        typer.Option(
            "--rota",
            help="A rota folder (planner rota): its reservations come off the specialists' "
            "capacity. With --db and no --rota, the confirmed rota's.",
        ),
    ] = None,
    baseline_dir: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A plan folder (e.g. the last plan): its bookings are kept wherever cover "
            "does not gain by moving them; summary.json says how many units were kept and moved.",
        ),
    ] = None,
) -> None:
    """Plan cover for every gap and request, and write plan.csv, uncovered.csv, summary.json."""
    if dataset is None and not db:
        raise fail([Problem("DATASET", None, None, "give a dataset folder or workbook, or --db")])
    if out is None and not db:
        raise fail([Problem("--out", None, None, "give a folder for the plan's files")])
    writable(out)
    data = services.stored_dataset(actor=services.LOCAL_ADMIN) if dataset is None else load(dataset)
    first = horizon(start, weeks, data, calendar)
    try:
        if rota_dir is not None:
            reservations = services.read_rota_reservations(rota_dir, data)
        elif db:
            reservations = services.confirmed_rota_reservations(actor=services.LOCAL_ADMIN)
        else:
            reservations = ()
        baseline = services.read_baseline(baseline_dir) if baseline_dir is not None else ()
    except DatasetError as error:
        raise fail(error.problems) from None
    with ProgressDisplay(sys.stderr.isatty() and not quiet) as progress:
        result = services.plan_cover(
            actor=services.LOCAL_ADMIN,
            dataset=data,
            start=first,
            weeks=weeks,
            max_tz_gap=max_tz_gap,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
            calendar=calendar,
            reservations=reservations,
            baseline=baseline,
        )
    if out is not None:
        written(lambda: services.write_plan(result, out), out)
    if db:
        if dataset is not None:
            services.import_dataset(actor=services.LOCAL_ADMIN, source=dataset)
        run_id = services.record_plan(
            actor=services.LOCAL_ADMIN, plan=result, time_limit=time_limit
        )
        typer.echo(f"stored as plan run {run_id}")
    typer.echo(headline(result))


def quote(
    dataset: DatasetArg,
    start: StartOpt,
    weeks: WeeksOpt,
    operator: Annotated[str, typer.Option("--operator", help="The operator's operator_id.")],
    role: Annotated[str, typer.Option("--role", help="subscriber, finance or technical")],
    from_: Annotated[str, typer.Option("--from", help=f"First day, {DATE_FORMS}.")],
    to: Annotated[str, typer.Option("--to", help=f"Last day, {DATE_FORMS}.")],
    fte: Annotated[float, typer.Option("--fte", help="FTE wanted, e.g. 0.5.")],
    skills: Annotated[str, typer.Option("--skills", help="Skills, separated by ;")] = "",
    min_level: Annotated[
        int,
        typer.Option("--min-level", help="Lowest level: 1 junior, 2 middle, 3 senior."),
    ] = 1,
    priority: Annotated[str, typer.Option("--priority", help=", ".join(PRIORITIES))] = "normal",
    plan_dir: Annotated[
        Path | None,
        typer.Option("--plan", help="A plan folder to quote against (default: plan afresh)."),
    ] = None,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    time_limit: TimeOpt = PLAN_TIME_LIMIT,
    reshuffle: Annotated[
        bool,
        typer.Option(
            "--reshuffle",
            help="Where free time is short, also try handing existing bookings "
            "to other qualified specialists; the moves are listed.",
        ),
    ] = False,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
) -> None:
    """Answer one new request against a plan, keeping every booking as it is (JSON)."""
    data = load(dataset)
    first = horizon(start, weeks, data, calendar)
    begin, end = day(from_, "--from"), day(to, "--to")
    try:
        request = services.new_request(
            dataset=data,
            operator_id=operator,
            role=role,
            start=begin,
            end=end,
            fte=fte,
            skills=skills,
            min_level=min_level,
            priority=priority,
        )
        bookings = services.bookings_from_folder(plan_dir, data) if plan_dir is not None else None
    except DatasetError as error:
        raise fail(error.problems) from None
    started = datetime.now()
    answer = services.quote(
        actor=services.LOCAL_ADMIN,
        dataset=data,
        start=first,
        weeks=weeks,
        request=request,
        bookings=bookings,
        max_tz_gap=max_tz_gap,
        time_limit=time_limit,
        reshuffle=reshuffle,
        calendar=calendar,
    )
    logging.getLogger(__name__).debug("quote took %s", datetime.now() - started)
    typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
