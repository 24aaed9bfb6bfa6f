"""Writing a dataset back as CSV files or a workbook, in the contract's own format."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.data.exports import fill_sheet, write_people_csv
from planner.data.folders import write_folder
from planner.data.schema import SPECS, TABLES, format_number
from planner.domain.records import Dataset
from planner.rota.records import utc_text

# --------------------------------------------------------------------------- writing


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(f"{v[0]}:{v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    return str(value)


Blanked = Mapping[str, Collection[str]]
"""Columns to leave empty, by table: what the reader may not see (an operator user is
not shown the specialists' rates). An empty optional cell reads as its default, so the
files stay a valid dataset."""


def table_values(dataset: Dataset, name: str, blank: Blanked | None = None) -> Iterator[list[Any]]:
    """The table's rows as values (numbers, dates, flags), in the contract's column order;
    a list cell and a UTC time (`2027-01-04T06:00Z`, which no spreadsheet date type holds
    with its zone) as their text, a blanked column as None."""
    spec = SPECS[name]
    hidden = set((blank or {}).get(name, ()))
    for record in getattr(dataset, name):
        row = []
        for column in spec.columns:
            value = None if column.name in hidden else getattr(record, column.name)
            row.append(format_cell(value) if isinstance(value, tuple | datetime) else value)
        yield row


def table_rows(dataset: Dataset, name: str, blank: Blanked | None = None) -> Iterator[list[str]]:
    for values in table_values(dataset, name, blank):
        yield [format_cell(value) for value in values]


def write_dataset(
    dataset: Dataset,
    folder: Path | str,
    *,
    include_empty_optional: bool = False,
    blank: Blanked | None = None,
) -> list[Path]:
    """Write every file of the dataset as CSV for people (UTF-8 with a BOM, so Excel reads
    Cyrillic right), all or nothing (`write_folder`); optional empty files are skipped,
    and an earlier export's copy of one is removed, so the folder reads as this dataset."""
    folder = Path(folder)
    names: list[str] = []

    def fill(staging: Path) -> None:
        for spec in TABLES:
            records = getattr(dataset, spec.name)
            if spec.optional and not records and not include_empty_optional:
                continue
            header = [c.name for c in spec.columns]
            rows = table_rows(dataset, spec.name, blank)
            names.append(write_people_csv(staging / spec.filename, header, rows).name)

    write_folder(folder, fill, owns=[spec.filename for spec in TABLES])
    return [folder / name for name in names]


def write_workbook(dataset: Dataset, path: Path | str, *, blank: Blanked | None = None) -> Path:
    """One sheet per file, as the contract allows for Excel users: numbers and dates typed,
    so they can be summed and filtered; the sheets keep the contract's columns only, so
    the workbook imports again."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for spec in TABLES:
        sheet = workbook.create_sheet(spec.name)
        header = [c.name for c in spec.columns]
        fill_sheet(sheet, header, table_values(dataset, spec.name, blank))
    workbook.save(path)
    return Path(path)


def dataset_frames(dataset: Dataset) -> dict[str, Any]:
    """Every table as a DataFrame of text cells, in the contract's column order."""
    import pandas as pd

    return {
        spec.name: pd.DataFrame(
            list(table_rows(dataset, spec.name)),
            columns=[c.name for c in spec.columns],
            dtype="string",
        )
        for spec in TABLES
    }
