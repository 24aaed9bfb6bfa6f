"""Writing a dataset back as CSV files or a workbook, in the contract's own format."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from planner.data.exports import safe_row
from planner.data.schema import SPECS, TABLES, format_number
from planner.domain.records import Dataset

# --------------------------------------------------------------------------- writing


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(f"{v[0]}:{v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    return str(value)


def table_rows(dataset: Dataset, name: str) -> Iterator[list[str]]:
    spec = SPECS[name]
    for record in getattr(dataset, name):
        yield [format_cell(getattr(record, column.name)) for column in spec.columns]


def write_dataset(
    dataset: Dataset, folder: Path | str, *, include_empty_optional: bool = False
) -> list[Path]:
    """Write every file of the dataset as UTF-8 CSV; optional empty files are skipped."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TABLES:
        records = getattr(dataset, spec.name)
        if spec.optional and not records and not include_empty_optional:
            continue
        path = folder / spec.filename
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in spec.columns])
            writer.writerows(safe_row(cells) for cells in table_rows(dataset, spec.name))
        written.append(path)
    return written


def write_workbook(dataset: Dataset, path: Path | str) -> Path:
    """One sheet per file, as the contract allows for Excel users."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for spec in TABLES:
        sheet = workbook.create_sheet(spec.name)
        sheet.append([c.name for c in spec.columns])
        for cells in table_rows(dataset, spec.name):
            sheet.append(safe_row(cells))
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
