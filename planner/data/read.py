"""Reading a dataset's files into raw text tables: CSV as Excel saves it, workbooks, uploads.

Cells stay text here, each row with the line number the user sees, so that the
validator can name the file, the row and the column of every problem.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.data.problems import Problem
from planner.data.schema import SPECS, TABLE_NAMES, TABLES, format_number

# --------------------------------------------------------------------------- raw tables


@dataclass
class RawTable:
    """A file's cells as text, each row with the line number a user sees in Excel."""

    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Windows-1251 is what Russian Excel saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv_text(text: str, label: str) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    header: list[str] | None = None
    table = RawTable(label, [])
    for cells in reader:
        line = reader.line_num
        if header is None:
            header = [cell.strip() for cell in cells]
            table.header = header
            continue
        if not any(cell.strip() for cell in cells):
            continue
        table.rows.append((line, [cell.strip() for cell in cells]))
    return table


def _excel_cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    return str(value).strip()


def read_workbook(path: Path) -> dict[str, RawTable]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    tables: dict[str, RawTable] = {}
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower().removesuffix(".csv")
            table = RawTable(f"{path.name}[{sheet.title}]", [])
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_excel_cell_text(v) for v in values]
                if line == 1:
                    while cells and not cells[-1]:
                        cells.pop()
                    table.header = cells
                elif any(cells):
                    table.rows.append((line, cells))
            tables[name] = table
    finally:
        workbook.close()
    return tables


def read_raw(source: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """The dataset's files as text tables, from a folder of CSV files or a workbook."""
    source = Path(source)
    if source.is_dir():
        tables = {}
        for spec in TABLES:
            path = source / spec.filename
            if path.is_file():
                tables[spec.name] = read_csv_text(_decode(path.read_bytes()), spec.filename)
        return tables, []
    if source.is_file() and source.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            return read_workbook(source), []
        except Exception as error:  # openpyxl raises many kinds for a broken file
            return {}, [Problem(source.name, None, None, f"cannot read the workbook: {error}")]
    if not source.exists():
        return {}, [Problem(str(source), None, None, "no such folder or workbook")]
    return {}, [
        Problem(str(source), None, None, "a dataset is a folder of CSV files or an .xlsx workbook")
    ]


def raw_from_frames(frames: dict[str, Any]) -> dict[str, RawTable]:
    """Tables edited on screen (pandas DataFrames) as raw tables; row 2 is the first data row."""
    tables = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        header = [str(c) for c in frame.columns]
        rows = []
        for offset, values in enumerate(frame.itertuples(index=False, name=None)):
            cells = [_excel_cell_text(None if _is_missing(v) else v) for v in values]
            if any(cells):
                rows.append((offset + 2, cells))
        tables[name] = RawTable(SPECS[name].filename if name in SPECS else name, header, rows)
    return tables


def _is_missing(value: Any) -> bool:
    try:
        return value is None or bool(value != value)  # NaN, NaT and pandas.NA
    except (TypeError, ValueError):
        return False


def raw_from_uploads(files: dict[str, bytes]) -> tuple[dict[str, RawTable], list[Problem]]:
    """Uploaded files by name: CSV files named after the contract's files, or one workbook."""
    workbooks = [n for n in files if n.lower().endswith((".xlsx", ".xlsm"))]
    if workbooks:
        import tempfile

        name = workbooks[0]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.xlsx"
            path.write_bytes(files[name])
            tables, problems = read_raw(path)
        for table in tables.values():
            table.label = table.label.replace("upload.xlsx", Path(name).name)
        return tables, [replace_label(p, "upload.xlsx", Path(name).name) for p in problems]
    tables, problems = {}, []
    for name, data in files.items():
        stem = Path(name).name.lower().removesuffix(".csv")
        if stem not in SPECS:
            problems.append(
                Problem(
                    Path(name).name,
                    None,
                    None,
                    f"not a dataset file (expected: {', '.join(TABLE_NAMES)})",
                )
            )
            continue
        tables[stem] = read_csv_text(_decode(data), SPECS[stem].filename)
    return tables, problems


def replace_label(problem: Problem, old: str, new: str) -> Problem:
    return Problem(problem.file.replace(old, new), problem.row, problem.column, problem.message)
