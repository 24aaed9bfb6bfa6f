"""Cells that are safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`
or `@` (and, in some versions, tab or carriage return) as a formula, so a name
like `=HYPERLINK("http://evil","click")` typed into an upload would run on the
computer of whoever opens the export. Every file a user downloads passes its
text cells through `safe_cell`, which prefixes such text with `'`: spreadsheets
then show it as text. Plain numbers (`-1.5`) and everything else are left as
they are, so the contract's files stay byte-identical for normal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

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
