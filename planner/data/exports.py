"""Cells that are safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`
or `@` (and, in some versions, tab or carriage return) as a formula, so a name
like `=HYPERLINK("http://evil","click")` typed into an upload would run on the
computer of whoever opens the export. Every file a user downloads passes its
text cells through `safe_cell`, which prefixes such text with `'`: spreadsheets
then show it as text. Plain numbers (`-1.5`) and everything else are left as
they are, so the contract's files stay byte-identical for normal data.

A workbook cannot hold most control characters at all (openpyxl refuses them with
`IllegalCharacterError`), so `sheet_value` replaces each with U+FFFD: one stray `\x07`
in a name must not stop anybody's export.
"""

from __future__ import annotations

import csv
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """`value`, or `'value` when a spreadsheet would run it as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def safe_row(cells: Iterable[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in cells]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and header) are safe; numeric columns are untouched."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column].dtype):
            safe[column] = safe[column].map(safe_cell, na_action="ignore")
    safe.columns = [safe_cell(c) for c in safe.columns]
    return safe


# --------------------------------------------------------------------------- files for people

PEOPLE_CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte order mark: without it Excel on a Russian-locale PC reads a CSV as
Windows-1251 and shows Cyrillic as `РќР°С…РѕРґРєР°`. The contract's reader accepts the mark,
so a file people open can also be imported again. Plan files written for programs
(`planner plan --out`) keep plain UTF-8."""


def people_csv(frame: pd.DataFrame) -> bytes:
    """`frame` as a CSV file a person opens in a spreadsheet: guarded, with the BOM."""
    text = safe_frame(frame).to_csv(index=False, lineterminator="\n")
    return text.encode(PEOPLE_CSV_ENCODING)


def write_people_csv(path: Path, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> Path:
    """Rows of text cells as a CSV file a person opens in a spreadsheet (see `people_csv`)."""
    with Path(path).open("w", encoding=PEOPLE_CSV_ENCODING, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(cells) for cells in rows)
    return Path(path)


DATE_FORMAT = "DD.MM.YYYY"
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def sheet_value(value: Any) -> Any:
    """A value as a spreadsheet cell: numbers stay numbers, dates become dates, yes/no for
    flags, text through the formula guard; empty and NaN become an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime):
        return safe_cell(value.isoformat())
    if isinstance(value, date):
        return value
    return safe_cell(sheet_text(str(value)))


def sheet_text(text: str) -> str:
    """`text` with every character a workbook cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def fill_sheet(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a table into an empty sheet the way people read one: a bold header row that
    stays in view, typed cells (dates shown as DD.MM.YYYY) and columns as wide as their
    content, within reason."""
    from openpyxl.styles import Font

    sheet.append([safe_cell(sheet_text(str(name))) for name in header])
    widths = [len(str(name)) for name in header]
    for values in rows:
        cells = [sheet_value(v) for v in values]
        sheet.append(cells)
        for index, cell in enumerate(cells):
            if isinstance(cell, date):
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = DATE_FORMAT
                shown = len(DATE_FORMAT)
            else:
                shown = 0 if cell is None else len(str(cell))
            widths[index] = max(widths[index], shown)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
