"""Reading a dataset's files into raw text tables: CSV as Excel saves it, workbooks, uploads.

Cells stay text here, each row with the line number the user sees, so that the
validator can name the file, the row and the column of every problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from planner.data.problems import Problem
from planner.data.schema import SPECS, TABLE_NAMES, TABLES, UTC_TIME_COLUMNS, format_number
from planner.rota.records import utc_text

# --------------------------------------------------------------------------- raw tables


@dataclass
class RawTable:
    """A file's cells as text, each row with the line number a user sees in Excel."""

    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


# Bounds on what is read at all, so that a hostile file ends in a problem, not a hang.
MAX_FILE_BYTES = 50_000_000  # a file (CSV or workbook) on disk
MAX_UNPACKED_BYTES = 200_000_000  # a workbook's parts once unzipped
MAX_ROWS = 200_000
MAX_COLUMNS = 100

csv.field_size_limit(MAX_FILE_BYTES)  # a long cell becomes a "too long" problem, not a crash


def _too_big(label: str, size: int, limit: int, what: str = "the file") -> Problem:
    return Problem(label, None, None, f"{what} is {size:,} bytes: at most {limit:,} are read")


def _decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM) first; Windows-1251 is what Russian Excel saves.

    Windows-1251 only when no line is UTF-8 text: a UTF-8 file with one line saved in
    another encoding is a problem on that line, never a whole file of mojibake.
    """
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    first_bad = next(n for n, line in enumerate(lines, start=1) if not _is_utf8(line))
    if not any(_is_utf8(line) and not line.isascii() for line in lines):
        try:
            return data.decode("cp1251"), []
        except UnicodeDecodeError:
            pass
    return None, [
        Problem(
            label,
            first_bad,
            None,
            "this line is not UTF-8 text while the rest of the file is: save the file again "
            "as UTF-8 (CSV UTF-8 in Excel)",
        )
    ]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def read_csv_bytes(data: bytes, label: str) -> tuple[RawTable | None, list[Problem]]:
    """A CSV file's cells, or None and the problem that keeps it from being read."""
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_big(label, len(data), MAX_FILE_BYTES)]
    text, problems = _decode(data, label)
    if text is None:
        return None, problems
    try:
        table = read_csv_text(text, label)
    except csv.Error as error:
        return None, [Problem(label, None, None, f"not a CSV file: {error}")]
    if len(table.rows) > MAX_ROWS:
        line = table.rows[MAX_ROWS][0]
        return None, [Problem(label, line, None, f"more than {MAX_ROWS:,} rows")]
    return table, []


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


def _moment_cell_text(value: Any) -> str:
    """A cell of a UTC-time column: a real datetime (Excel keeps no zone, so a naive one
    is taken as UTC) as the contract's `2027-01-04T06:00Z`, seconds kept when it has any
    so that the parser refuses them; anything else as any cell."""
    if not isinstance(value, datetime):
        return _excel_cell_text(value)
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if moment.second or moment.microsecond:
        return moment.isoformat().replace("+00:00", "Z")
    return utc_text(moment)


def _cells_text(values: Sequence[Any], moments: set[int]) -> list[str]:
    """A row's cells as text; the positions in `moments` are UTC-time columns."""
    return [
        _moment_cell_text(v) if at in moments else _excel_cell_text(v)
        for at, v in enumerate(values)
    ]


def _moment_positions(table: str, header: Sequence[str]) -> set[int]:
    """Where the UTC-time columns of `table` stand in a header."""
    names = UTC_TIME_COLUMNS.get(table, ())
    return {at for at, name in enumerate(header) if name in names}


def read_workbook(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """A workbook's sheets as raw tables, bounded in size, rows and columns.

    A stale `<dimension>` is ignored (openpyxl's read-only mode trusts it), a hidden sheet
    and two sheets for one file are problems, and nothing past the bounds is read.
    """
    import zipfile

    from openpyxl import load_workbook

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return {}, [_too_big(path.name, size, MAX_FILE_BYTES)]
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        return {}, [_too_big(path.name, unpacked, MAX_UNPACKED_BYTES, "the unzipped workbook")]
    workbook = load_workbook(path, read_only=True, data_only=True)
    tables: dict[str, RawTable] = {}
    sheets: dict[str, str] = {}
    problems: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            label = f"{path.name}[{sheet.title}]"
            name = sheet.title.strip().lower().removesuffix(".csv")
            if sheet.sheet_state != "visible":
                problems.append(
                    Problem(
                        label, None, None, f"sheet {sheet.title} is hidden: unhide it or delete it"
                    )
                )
                continue
            if name in sheets and name in SPECS:
                problems.append(
                    Problem(
                        label,
                        None,
                        None,
                        f"sheets {sheets[name]} and {sheet.title} are both {name}: keep one",
                    )
                )
                continue
            sheets[name] = sheet.title
            table, sheet_problems = _read_sheet(sheet, label, name)
            problems += sheet_problems
            if table is not None:
                tables[name] = table
    finally:
        workbook.close()
    return tables, problems


def _read_sheet(sheet: Any, label: str, name: str) -> tuple[RawTable | None, list[Problem]]:
    sheet.reset_dimensions()  # a stale <dimension> would cut the sheet short or pad it
    table = RawTable(label, [])
    moments: set[int] = set()
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line > MAX_ROWS:
            return None, [
                Problem(label, line, None, f"more than {MAX_ROWS:,} rows: delete what is below")
            ]
        if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
            return None, [
                Problem(label, line, None, f"a cell beyond column {MAX_COLUMNS}: delete it")
            ]
        cells = _cells_text(values[:MAX_COLUMNS], moments)
        if line == 1:
            while cells and not cells[-1]:
                cells.pop()
            table.header = cells
            moments = _moment_positions(name, cells)
        elif any(cells):
            table.rows.append((line, cells))
    return table, []


def read_raw(source: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """The dataset's files as text tables, from a folder of CSV files or a workbook."""
    source = Path(source)
    if source.is_dir():
        tables, problems = {}, []
        for spec in TABLES:
            path = source / spec.filename
            if path.is_file():
                table, file_problems = read_csv_file(path, spec.filename)
                problems += file_problems
                if table is not None:
                    tables[spec.name] = table
        return tables, problems
    if source.is_file() and source.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            return read_workbook(source)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            return {}, [Problem(source.name, None, None, f"cannot read the workbook: {error}")]
    if not source.exists():
        return {}, [Problem(str(source), None, None, "no such folder or workbook")]
    return {}, [
        Problem(str(source), None, None, "a dataset is a folder of CSV files or an .xlsx workbook")
    ]


def read_csv_file(path: Path, label: str) -> tuple[RawTable | None, list[Problem]]:
    """A CSV file on disk with every bound of `read_csv_bytes`, refused unread when too big."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # refused before a byte of it is read
        return None, [_too_big(label, size, MAX_FILE_BYTES)]
    return read_csv_bytes(path.read_bytes(), label)


def raw_from_frames(frames: dict[str, Any]) -> dict[str, RawTable]:
    """Tables edited on screen (pandas DataFrames) as raw tables; row 2 is the first data row."""
    tables = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        header = [str(c) for c in frame.columns]
        moments = _moment_positions(name, header)
        rows = []
        for offset, values in enumerate(frame.itertuples(index=False, name=None)):
            cells = _cells_text([None if _is_missing(v) else v for v in values], moments)
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
        csv_table, file_problems = read_csv_bytes(data, SPECS[stem].filename)
        problems += file_problems
        if csv_table is not None:
            tables[stem] = csv_table
    return tables, problems


def replace_label(problem: Problem, old: str, new: str) -> Problem:
    return Problem(problem.file.replace(old, new), problem.row, problem.column, problem.message)
