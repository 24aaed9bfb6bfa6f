"""Row-level edits of the stored dataset, each naming the version of the row it started from.

An editor on screen holds a copy of some rows for minutes. Saving the whole table
would silently undo what a colleague saved in the meantime; saving only the rows
that changed, each against the version it was loaded at, refuses exactly the
conflicting rows and keeps everything else. `row_changes` turns an edited table
into those changes; `services.save_changes` applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

EDITABLE = (
    "operators",
    "requirements",
    "staff",
    "absences",
    "specialists",
    "specialist_absences",
    "requests",
    "calendar",
)
"""The tables the Data page edits; `calendar` (rows of no operator) for the vendor only."""
OPERATOR_EDITABLE = ("requirements", "staff", "absences", "requests")
"""The tables an operator user may change (its own rows only)."""


class StaleEdit(Exception):
    """A row was changed or deleted by someone else after the editor loaded it."""


@dataclass(frozen=True)
class RowChange:
    """One row to update (`row_id` and `cells`), insert (no `row_id`) or delete (no `cells`).

    `cells` are the contract's text cells; `line` is the line the user saw, for messages.
    """

    table: str
    row_id: int | None
    version: int | None
    cells: dict[str, str] | None
    line: int | None = None

    @property
    def kind(self) -> str:
        if self.row_id is None:
            return "add"
        return "delete" if self.cells is None else "edit"


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN, NaT, pandas.NA
            return ""
    except (TypeError, ValueError):
        return ""
    return str(value).strip()


def row_changes(
    table: str, original: Any, edited: Any, versions: Sequence[tuple[int, int]]
) -> list[RowChange]:
    """The changes that turn `original` into `edited` (DataFrames indexed by file line,
    original rows at lines 2, 3, ...; new rows after them). `versions` holds the
    (row id, version) of each original row, in order."""
    if len(versions) != len(original):
        raise ValueError("one (row id, version) per original row is needed")
    columns = list(original.columns)
    changes = []
    kept = set(edited.index)
    for position, line in enumerate(original.index):
        row_id, version = versions[position]
        if line not in kept:
            changes.append(RowChange(table, row_id, version, None, int(line)))
            continue
        before = [_text(v) for v in original.loc[line, columns]]
        after = [_text(v) for v in edited.loc[line, columns]]
        if before != after:
            changes.append(
                RowChange(table, row_id, version, dict(zip(columns, after, strict=True)), int(line))
            )
    for line in edited.index.difference(original.index):
        cells = {c: _text(edited.loc[line, c]) for c in columns}
        if any(cells.values()):
            changes.append(RowChange(table, None, None, cells, int(line)))
    return changes
