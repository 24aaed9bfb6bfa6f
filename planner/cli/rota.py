"""`planner rota` and `oncall`: the incident on-call rota, and who answers for an operator."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner import services
from planner.cli.common import (
    CalendarOpt,
    DatasetArg,
    ProgressDisplay,
    StartOpt,
    WeeksOpt,
    fail,
    horizon,
    load,
    writable,
    written,
)
from planner.services import DEFAULT_CALENDAR, DatasetError, Problem

if TYPE_CHECKING:
    from planner.services import Progress

ROTA_TIME_LIMIT = 60.0


def headline(rota: services.Rota) -> str:
    """The rota in one line: status, promised hours covered against the bound, fairness."""
    s = rota.summary
    return (
        f"{s['status']}: covered {s['covered_hours']:,} of {s['promised_hours']:,} promised "
        f"hours (bound {s['bound_hours']:,}); {len(rota.gaps):,} gaps; "
        f"{s['shifts']:,} shifts; most off-work hours {s['max_off_work_hours']}; "
        f"{s['reserved_units']:,} cover units reserved; {s['solve_seconds']:.1f} s"
    ).replace(",", " ")


def _work_hours(text: str) -> tuple[int, int]:
    try:
        first, last = (int(x) for x in text.split("-"))
    except ValueError:
        raise fail([Problem("--work-hours", None, None, f"{text!r} is not like 9-17")]) from None
    return first, last


def rota(
    dataset: DatasetArg,
    start: StartOpt,
    weeks: WeeksOpt,
    out: Annotated[Path, typer.Option("--out", help="Folder for the rota's files.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds for the solver, all stages.")
    ] = ROTA_TIME_LIMIT,
    min_shift_hours: Annotated[
        int, typer.Option("--min-shift-hours", min=1, help="Shortest shift, hours.")
    ] = 4,
    max_shift_hours: Annotated[
        int, typer.Option("--max-shift-hours", min=1, help="Longest shift, hours.")
    ] = 12,
    min_rest_hours: Annotated[
        int, typer.Option("--min-rest-hours", min=0, help="Least rest between shifts, hours.")
    ] = 11,
    active_response_minutes: Annotated[
        int, typer.Option("--active-response-minutes", min=1, help="Answer time at work.")
    ] = 15,
    work_hours: Annotated[
        str, typer.Option("--work-hours", help="First and last hour a working hour starts at.")
    ] = "9-17",
    duty_load: Annotated[
        float, typer.Option("--duty-load", help="Share of an at-work duty hour lost to cover.")
    ] = 0.5,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="CP-SAT workers (default 8).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    calendar: CalendarOpt = DEFAULT_CALENDAR,
) -> None:
    """Plan the on-call rota; write rota.csv, sla_gaps.csv, reservations.csv,
    rota_summary.json and ics/ (all or nothing)."""
    writable(out)
    data = load(dataset)
    first = horizon(start, weeks, data, calendar)
    try:
        params = services.rota_params(
            start=first,
            weeks=weeks,
            min_shift_hours=min_shift_hours,
            max_shift_hours=max_shift_hours,
            min_rest_hours=min_rest_hours,
            active_response_minutes=active_response_minutes,
            work_hours=_work_hours(work_hours),
            duty_load=duty_load,
            calendar=calendar,
        )
    except DatasetError as error:
        raise fail(error.problems) from None
    with ProgressDisplay(sys.stderr.isatty() and not quiet, rota_info) as progress:
        result = services.plan_rota(
            actor=services.LOCAL_ADMIN,
            dataset=data,
            params=params,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
        )
    written(lambda: services.write_rota(result, out, data), out)
    typer.echo(headline(result))


def oncall(
    dataset: DatasetArg,
    rota_dir: Annotated[Path, typer.Option("--rota", help="A folder written by planner rota.")],
    operator: Annotated[str, typer.Option("--operator", help="The operator's operator_id.")],
    at: Annotated[
        str | None,
        typer.Option("--at", help="A moment, e.g. 2027-01-12T03:00Z (default: now)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Who answers for an operator at a moment, how fast, and the next handovers."""
    data = load(dataset)
    moment = datetime.now(UTC) if at is None else _moment(at)
    try:
        found = services.read_rota(rota_dir)
        answer = services.who_is_on_call(dataset=data, rota=found, operator_id=operator, at=moment)
    except DatasetError as error:
        raise fail(error.problems) from None
    if as_json:
        typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        return
    op = data.operator(operator)
    local = answer.at.astimezone(_zone(op.timezone))
    typer.echo(
        f"{op.name} ({op.operator_id}) at {answer.at:%Y-%m-%d %H:%M} UTC "
        f"({local:%H:%M} {op.timezone}): "
        + (
            f"promised, answer within {answer.response_minutes} min"
            if answer.promised
            else "not a promised hour"
        )
    )
    if not answer.responders:
        typer.echo("  nobody qualified on duty")
    for r in answer.responders:
        where = "at work" if r.at_work else "standby"
        late = "" if r.in_time else f" (too slow for {answer.response_minutes} min)"
        typer.echo(f"  {r.name} ({r.specialist_id}), {where}: answers in {r.minutes} min{late}")
    for h in answer.handovers:
        who = ", ".join(h.specialist_ids) if h.specialist_ids else "nobody"
        gap = "" if h.specialist_ids or not h.promised else "  <- gap"
        typer.echo(f"  from {h.at:%Y-%m-%d %H:%M} UTC: {who}{gap}")


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise fail(
            [Problem("--at", None, None, f"{text!r} is not like 2027-01-12T03:00Z")]
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def rota_info(event: Progress) -> str:
    """What a rota's progress event says: weeks solved, cover against the bound."""
    return {
        "coverage": f"week {event.done} of {event.total}: {event.covered:,} of bound "
        f"{event.bound:,} promised hours",
        "fairness": f"most off-work hours {event.bound}",
        "reservations": f"{event.bound} cover units reserved",
        "shifts": f"{event.bound} shifts",
    }.get(event.stage, str(event.bound)).replace(",", " ")
