"""`planner validate`, `import` and `export`: the dataset's files and the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from planner import services
from planner.cli.common import DatasetArg, fail, warn, writable, written
from planner.services import DatasetError


def validate(dataset: DatasetArg) -> None:
    """Check a dataset and report every problem, one per line; warnings go to standard
    error and leave the exit code 0."""
    data, problems = services.check_dataset(dataset)
    if data is None:
        raise fail(problems, stream=sys.stdout)
    warn(services.calendar_warnings(data))
    typer.echo(data.summary())


def import_(dataset: DatasetArg) -> None:
    """Load a dataset into the database, replacing what is there (all or nothing)."""
    try:
        data = services.import_dataset(actor=services.LOCAL_ADMIN, source=dataset)
    except DatasetError as error:
        raise fail(error.problems) from None
    warn(services.calendar_warnings(data))
    typer.echo(f"imported: {data.summary().removeprefix('OK: ')}")


def export(folder: Annotated[Path, typer.Argument(help="Folder to write the dataset to.")]) -> None:
    """Write the database's dataset as CSV files."""
    writable(folder, "FOLDER")
    files = written(
        lambda: services.export_dataset(actor=services.LOCAL_ADMIN, folder=folder), folder
    )
    typer.echo(f"wrote {len(files)} files to {folder}")
