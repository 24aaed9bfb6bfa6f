"""What every command shares: the argument and option types, reading the dataset, problems
printed the contract's way with exit code 2, and the progress displays on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from planner import services
from planner.services import DATE_FORMS, DatasetError, Problem

if TYPE_CHECKING:
    from planner.services import Progress

Parsed = TypeVar("Parsed")

EXIT_BAD_INPUT = 2

DatasetArg = Annotated[Path, typer.Argument(help="A folder of CSV files or an .xlsx workbook.")]
StartOpt = Annotated[str, typer.Option("--start", help=f"First Monday of the plan, {DATE_FORMS}.")]
WeeksOpt = Annotated[int, typer.Option("--weeks", min=1, max=520, help="Number of weeks.")]
TzOpt = Annotated[
    float, typer.Option("--max-tz-gap", min=0, help="Most hours between specialist and operator.")
]
TimeOpt = Annotated[float, typer.Option("--time-limit", min=0.1, help="Seconds for the solver.")]
CalendarOpt = Annotated[
    str,
    typer.Option(
        "--calendar",
        help="Working days: ru (the Russian production calendar with calendar.csv) "
        "or none (every Monday to Friday, calendar.csv ignored).",
    ),
]


def fail(problems: list[Problem] | list[str], *, stream=None) -> typer.Exit:
    """Print every problem, one per line, and the exit that says the input was bad."""
    for problem in problems:
        typer.echo(str(problem), file=stream or sys.stderr)
    return typer.Exit(EXIT_BAD_INPUT)


def writable(out: Path | None, option: str = "--out") -> None:
    """Refuse an output folder that cannot be written before the work that fills it."""
    if out is not None:
        problems = services.check_output_folder(out, option)
        if problems:
            raise fail(problems)


def written(write: Callable[[], Parsed], out: Path) -> Parsed:
    """Run a folder write; a full disk or a folder gone read-only since the check is
    one sentence and exit 1, and the folder is as it was (every write is all or nothing)."""
    try:
        return write()
    except OSError as error:
        reason = error.strerror or str(error)
        typer.echo(
            f"{out}: could not write the files ({reason}); the folder is as it was", err=True
        )
        raise typer.Exit(1) from None


def day(text: str, option: str) -> date:
    try:
        return services.parse_day(text)
    except ValueError as error:
        raise fail([Problem(option, None, None, str(error))]) from None


def load(dataset: Path) -> services.Dataset:
    try:
        return services.load_dataset(dataset)
    except DatasetError as error:
        raise fail(error.problems) from None


def horizon(
    start: str,
    weeks: int,
    dataset: services.Dataset | None = None,
    calendar: str = services.DEFAULT_CALENDAR,
) -> date:
    """The plan's first Monday, checked with its number of weeks and calendar; what the
    user must know about the calendar of those weeks goes to standard error."""
    first = day(start, "--start")
    try:
        grid = services.make_horizon(first, weeks, dataset, calendar)
    except DatasetError as error:
        raise fail(error.problems) from None
    warn(grid.calendar.warnings(grid.start, grid.end))
    return first


def warn(messages: list[str] | list[Problem]) -> None:
    """Warnings go to standard error, one per line, and never change the exit code."""
    for message in messages:
        typer.echo(f"warning: {message}", file=sys.stderr)


def option_value(parse: Callable[[str], Parsed], text: str, option: str) -> Parsed:
    try:
        return parse(text)
    except ValueError as error:
        raise fail([Problem(option, None, None, str(error))]) from None


def _cover_info(event: Progress) -> str:
    """What a cover plan's progress event says."""
    return {
        "cover": f"{event.done} of {event.total} weeks proven, cover {event.covered} of "
        f"bound {event.bound} units",
        "continuity": f"week {event.done + 1} of {event.total}, {event.bound} handovers",
        "handovers": f"{event.bound} handovers so far",
        "familiarity": f"{event.bound} familiar units so far",
        "cost": f"cost {event.bound} so far",
    }.get(event.stage, str(event.bound))


class ProgressDisplay:
    """Stage, cover found against its bound, and time, on a terminal; silent otherwise.
    `describe` words an event (default: a cover plan's stages)."""

    def __init__(self, enabled: bool, describe: Callable[[Progress], str] | None = None):
        self.enabled = enabled
        self.describe = describe or _cover_info
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressDisplay:
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
        self._progress.update(
            self._task,
            description=f"{event.stage:<12}",
            completed=event.done,
            total=event.total,
            info=self.describe(event),
        )

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


class RunsDisplay:
    """A progress bar over runs (futures, or advice steps) on a terminal; silent otherwise."""

    def __init__(self, enabled: bool, label: str):
        self.enabled, self.label = enabled, label
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> RunsDisplay:
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
