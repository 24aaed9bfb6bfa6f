"""The `planner` command: thin wrappers over `planner.services`.

Exit codes: 0 success, 2 bad input (every problem printed as
`FILE:ROW: column COL: message`), 1 anything unexpected.

The command line runs on the server next to the database, so it acts as a local
administrator (`access.LOCAL_ADMIN`, on the audit trail as `cli:<login>`).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from planner import services
from planner.accounts.access import ACCOUNT_ROLES, ADMIN, LOCAL_ADMIN
from planner.data.plan_files import write_plan
from planner.data.problems import DatasetError, Problem
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP
from planner.planning.plan import Plan
from planner.solver.model import Progress
from planner.whatif.advise import parse_target
from planner.whatif.simulate import parse_rates

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cover Planner: find staffing gaps at telecom operators and plan the vendor's cover.",
)

EXIT_BAD_INPUT = 2

DatasetArg = Annotated[Path, typer.Argument(help="A folder of CSV files or an .xlsx workbook.")]
StartOpt = Annotated[str, typer.Option("--start", help="First Monday of the plan, YYYY-MM-DD.")]
WeeksOpt = Annotated[int, typer.Option("--weeks", min=1, max=520, help="Number of weeks.")]
TzOpt = Annotated[
    float, typer.Option("--max-tz-gap", min=0, help="Most hours between specialist and operator.")
]
TimeOpt = Annotated[float, typer.Option("--time-limit", min=0.1, help="Seconds for the solver.")]


def _fail(problems: list[Problem] | list[str], *, stream=None) -> typer.Exit:
    for problem in problems:
        typer.echo(str(problem), file=stream or sys.stderr)
    return typer.Exit(EXIT_BAD_INPUT)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail([Problem(option, None, None, f"{text!r} is not a date YYYY-MM-DD")]) from None


def _load(dataset: Path):
    try:
        return services.load_dataset(dataset)
    except DatasetError as error:
        raise _fail(error.problems) from None


class _ProgressDisplay:
    """Stage, cover found against its bound, and time, on a terminal; silent otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._task = None

    def __enter__(self) -> _ProgressDisplay:
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[info]}"),
                TimeElapsedColumn(),
                transient=True,
                console=None,
            )
            self._progress.start()
            self._task = self._progress.add_task("cover", total=1, info="")
        return self

    def __call__(self, event: Progress) -> None:
        if self._progress is None:
            return
        info = {
            "cover": f"{event.done} of {event.total} weeks proven, cover {event.covered} of "
            f"bound {event.bound} units",
            "continuity": f"week {event.done + 1} of {event.total}, {event.bound} handovers",
            "handovers": f"{event.bound} handovers so far",
            "familiarity": f"{event.bound} familiar units so far",
            "cost": f"cost {event.bound} so far",
        }.get(event.stage, str(event.bound))
        self._progress.update(
            self._task,
            description=f"{event.stage:<11}",
            completed=event.done,
            total=event.total,
            info=info,
        )

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _headline(plan: Plan) -> str:
    s = plan.summary
    cover = ", ".join(
        f"{p} {s['covered_units'][p]}/{s['demand_units'][p]}"
        for p in ("critical", "high", "normal")
    )
    return (
        f"{s['status']}: covered units {cover}; {len(plan.uncovered)} uncovered rows; "
        f"{s['handovers']} handovers; cost {s['cost']:.2f}; {s['solve_seconds']:.1f} s"
    )


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log the solver's stages.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def validate(dataset: DatasetArg) -> None:
    """Check a dataset and report every problem, one per line."""
    data, problems = services.check_dataset(dataset)
    if data is None:
        raise _fail(problems, stream=sys.stdout)
    typer.echo(data.summary())


@app.command()
def plan(
    dataset: Annotated[
        Path | None,
        typer.Argument(help="A folder of CSV files or an .xlsx workbook (omit with --db)."),
    ] = None,
    start: StartOpt = ...,
    weeks: WeeksOpt = ...,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the plan's files.")] = None,
    time_limit: TimeOpt = 60.0,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Solver threads (default: cores).")
    ] = None,
    db: Annotated[
        bool, typer.Option("--db", help="Plan from the database and store the run.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Plan cover for every gap and request, and write plan.csv, uncovered.csv, summary.json."""
    if dataset is None and not db:
        raise _fail([Problem("DATASET", None, None, "give a dataset folder or workbook, or --db")])
    if out is None and not db:
        raise _fail([Problem("--out", None, None, "give a folder for the plan's files")])
    first = _day(start, "--start")
    data = services.stored_dataset(actor=LOCAL_ADMIN) if dataset is None else _load(dataset)
    try:
        services.make_horizon(first, weeks)
    except DatasetError as error:
        raise _fail(error.problems) from None
    with _ProgressDisplay(sys.stderr.isatty() and not quiet) as progress:
        result = services.plan_cover(
            actor=LOCAL_ADMIN,
            dataset=data,
            start=first,
            weeks=weeks,
            max_tz_gap=max_tz_gap,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
        )
    if out is not None:
        write_plan(result, out)
    if db:
        if dataset is not None:
            services.import_dataset(actor=LOCAL_ADMIN, source=dataset)
        run_id = services.record_plan(actor=LOCAL_ADMIN, plan=result, time_limit=time_limit)
        typer.echo(f"stored as plan run {run_id}")
    typer.echo(_headline(result))


@app.command("import")
def import_(dataset: DatasetArg) -> None:
    """Load a dataset into the database, replacing what is there (all or nothing)."""
    try:
        data = services.import_dataset(actor=LOCAL_ADMIN, source=dataset)
    except DatasetError as error:
        raise _fail(error.problems) from None
    typer.echo(f"imported: {data.summary().removeprefix('OK: ')}")


@app.command()
def export(folder: Annotated[Path, typer.Argument(help="Folder to write the dataset to.")]) -> None:
    """Write the database's dataset as CSV files."""
    written = services.export_dataset(actor=LOCAL_ADMIN, folder=folder)
    typer.echo(f"wrote {len(written)} files to {folder}")


@app.command()
def quote(
    dataset: DatasetArg,
    start: StartOpt,
    weeks: WeeksOpt,
    operator: Annotated[str, typer.Option("--operator", help="operator_id")],
    role: Annotated[str, typer.Option("--role", help="subscriber, finance or technical")],
    from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    fte: Annotated[float, typer.Option("--fte", help="FTE wanted, e.g. 0.5.")],
    skills: Annotated[str, typer.Option("--skills", help="Skills, separated by ;")] = "",
    min_level: Annotated[int, typer.Option("--min-level")] = 1,
    priority: Annotated[str, typer.Option("--priority")] = "normal",
    plan_dir: Annotated[
        Path | None,
        typer.Option("--plan", help="A plan folder to quote against (default: plan afresh)."),
    ] = None,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    time_limit: TimeOpt = 60.0,
    reshuffle: Annotated[
        bool,
        typer.Option(
            "--reshuffle",
            help="Where free time is short, also try handing existing bookings "
            "to other qualified specialists; the moves are listed.",
        ),
    ] = False,
) -> None:
    """Answer one new request against a plan, keeping every booking as it is (JSON)."""
    data = _load(dataset)
    first, begin, end = _day(start, "--start"), _day(from_, "--from"), _day(to, "--to")
    try:
        services.make_horizon(first, weeks)
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
        raise _fail(error.problems) from None
    started = datetime.now()
    answer = services.quote(
        actor=LOCAL_ADMIN,
        dataset=data,
        start=first,
        weeks=weeks,
        request=request,
        bookings=bookings,
        max_tz_gap=max_tz_gap,
        time_limit=time_limit,
        reshuffle=reshuffle,
    )
    logging.getLogger(__name__).debug("quote took %s", datetime.now() - started)
    typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- what-if


class _RunsDisplay:
    """A progress bar over runs (futures, or advice steps) on a terminal; silent otherwise."""

    def __init__(self, enabled: bool, label: str):
        self.enabled, self.label = enabled, label
        self._progress = None
        self._task = None

    def __enter__(self) -> _RunsDisplay:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=None)
        return self

    def runs(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)

    def step(self, message: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=message[:70], advance=1)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _option_value(parse, text: str, option: str):
    try:
        return parse(text)
    except ValueError as error:
        raise _fail([Problem(option, None, None, str(error))]) from None


def _horizon(start: str, weeks: int) -> date:
    first = _day(start, "--start")
    try:
        services.make_horizon(first, weeks)
    except DatasetError as error:
        raise _fail(error.problems) from None
    return first


@app.command()
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
    time_limit: TimeOpt = 60.0,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Solver threads (default: cores).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Plan the base data and a scenario over the same weeks, and say what changes."""
    data = _load(dataset)
    first = _horizon(start, weeks)
    try:
        story = services.read_scenario_file(path=scenario)
        with _ProgressDisplay(sys.stderr.isatty() and not quiet) as progress:
            base, changed, comparison = services.whatif(
                actor=LOCAL_ADMIN,
                dataset=data,
                scenario=story,
                start=first,
                weeks=weeks,
                max_tz_gap=max_tz_gap,
                time_limit=time_limit,
                workers=workers,
                source=scenario.name,
                progress=progress,
            )
    except DatasetError as error:
        raise _fail(error.problems) from None
    if out is not None:
        services.write_whatif(base=base, scenario_plan=changed, comparison=comparison, out=out)
    typer.echo(comparison.headline())
    if out is not None:
        typer.echo(f"written to {out} (scenario plan, base/, comparison.json and CSVs)")


@app.command()
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write runs.csv and simulation.json here.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Sample futures (resignations, refills, sickness, vendor attrition) and plan each."""
    data = _load(dataset)
    first = _horizon(start, weeks)
    rates = _option_value(parse_rates, attrition, "--attrition")
    refill_weeks = _option_value(_weeks_range, refill, "--refill-weeks") if refill else None
    with _RunsDisplay(sys.stderr.isatty() and not quiet, "futures") as display:
        result = services.simulate_turnover(
            actor=LOCAL_ADMIN,
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
            max_tz_gap=max_tz_gap,
            progress=display.runs,
        )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.runs.to_csv(out / "runs.csv", index=False, lineterminator="\n")
        (out / "simulation.json").write_text(
            json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    typer.echo(
        json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if as_json else result.headline()
    )


def _weeks_range(text: str) -> tuple[int, int]:
    low, sep, high = text.partition("-")
    try:
        pair = (int(low), int(high if sep else low))
    except ValueError:
        raise ValueError(f"{text!r}: write MIN-MAX weeks, e.g. 4-12") from None
    if not 0 <= pair[0] <= pair[1]:
        raise ValueError(f"{text!r}: MIN must be >= 0 and <= MAX")
    return pair


@app.command()
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
            help="Reach the target in this bad a future (90: only 10% of futures are worse).",
        ),
    ] = 90,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only hires and training for this role, judged on its demand."),
    ] = None,
    futures: Annotated[
        int, typer.Option("--futures", min=1, max=200, help="Sampled futures to judge on.")
    ] = 12,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 1,
    attrition: Annotated[str, typer.Option("--attrition", help="As for simulate.")] = "",
    max_hires: Annotated[int, typer.Option("--max-hires", min=0, max=30)] = 5,
    hire_from: Annotated[
        str | None,
        typer.Option("--hire-from", help="First day of the hires (default: the plan's start)."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1)] = 1,
    scheduler: Annotated[str | None, typer.Option("--scheduler")] = None,
    max_tz_gap: TzOpt = DEFAULT_MAX_TZ_GAP,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """The fewest hires that reach a cover target on sampled futures, and training moves."""
    data = _load(dataset)
    first = _horizon(start, weeks)
    goal = _option_value(parse_target, target, "--target")
    rates = _option_value(parse_rates, attrition, "--attrition")
    joining = _day(hire_from, "--hire-from") if hire_from else None
    try:
        with _RunsDisplay(sys.stderr.isatty() and not quiet, "advice") as display:
            answer = services.advise_staffing(
                actor=LOCAL_ADMIN,
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
            )
    except DatasetError as error:
        raise _fail(error.problems) from None
    typer.echo(
        json.dumps(answer.as_dict(), indent=2, ensure_ascii=False) if as_json else answer.headline()
    )


db_app = typer.Typer(no_args_is_help=True, help="The database's schema.")
app.add_typer(db_app, name="db")
user_app = typer.Typer(no_args_is_help=True, help="User accounts of the app.")
app.add_typer(user_app, name="user")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema, keeping its data (the app and every
    command also do this on first use)."""
    from planner.data.db import current_revision, database_url, get_engine

    engine = get_engine()
    typer.echo(
        f"{engine.url.render_as_string(hide_password=True) or database_url()} is at "
        f"revision {current_revision(engine)}"
    )


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Argument(help="What the migration does.")]) -> None:
    """For developers: write the next migration from the change to planner/models.py."""
    from planner.data.db import new_revision

    typer.echo(f"wrote {new_revision(message)}: review it, then run the tests")


def _password(from_stdin: bool) -> str:
    """From standard input (for scripts), else typed twice at a hidden prompt: never an
    option, which would land in the shell's history."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _add_user(username: str, role: str, operator: str | None, password_stdin: bool) -> None:
    password = _password(password_stdin)
    try:
        added = services.add_user(
            actor=LOCAL_ADMIN, username=username, password=password, role=role, operator_id=operator
        )
    except services.AccountError as error:
        raise _fail([str(error)]) from None
    where = f" of {added.operator_id}" if added.operator_id else ""
    typer.echo(f"added {added.role} {added.username}{where}")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option("--role", help=" | ".join(ACCOUNT_ROLES))],
    operator: Annotated[
        str | None, typer.Option("--operator", help="operator_id an operator user belongs to.")
    ] = None,
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Add a user; the password is asked for (or read with --password-stdin)."""
    _add_user(username, role, operator, password_stdin)


@user_app.command("create-admin")
def user_create_admin(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")] = "admin",
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Create the first administrator, who then manages the other users."""
    _add_user(username, ADMIN, None, password_stdin)


@user_app.command("list")
def user_list() -> None:
    """Every user: name, role, operator, whether disabled."""
    for user in services.list_users(actor=LOCAL_ADMIN):
        state = "disabled" if user["disabled"] else "active"
        typer.echo(f"{user['username']}\t{user['role']}\t{user['operator_id'] or '-'}\t{state}")


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a user: they cannot log in, and their open sessions end now."""
    try:
        services.disable_user(actor=LOCAL_ADMIN, username=username)
    except services.AccountError as error:
        raise _fail([str(error)]) from None
    typer.echo(f"disabled {username}")


if __name__ == "__main__":  # pragma: no cover
    app()
