"""The dataset as users work with it: check it, import and export it, read what an actor may
see of it, and save the rows they edited.

An import or an edit is all or nothing: the whole dataset is validated with the
change in place, nothing is stored while any problem remains, and the audit rows
are written in the same transaction as the change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from planner.accounts import audit
from planner.accounts.access import (
    MANAGER,
    AccessDenied,
    Actor,
    hidden_columns,
    operator_scope,
    require_known,
    require_operator,
    require_role,
    scope_dataset,
    sees_operator,
)
from planner.data import row_versions, storage
from planner.data.db import Engine, session_scope, snapshot_scope
from planner.data.edits import EDITABLE, OPERATOR_EDITABLE, RowChange, StaleEdit
from planner.data.models import DATASET_TABLES
from planner.data.problems import DatasetError, Problem
from planner.data.read import raw_from_frames, raw_from_uploads
from planner.data.schema import SPECS
from planner.data.validate import calendar_warnings, check_dataset, validate_raw
from planner.data.write import dataset_frames, write_dataset, write_workbook
from planner.domain.records import Dataset
from planner.services._common import engine_or_default

__all__ = [
    "calendar_warnings",
    "check_dataset",
    "check_frames",
    "check_uploads",
    "dataset_workbook",
    "export_dataset",
    "has_stored_dataset",
    "import_dataset",
    "load_dataset",
    "save_changes",
    "save_dataset",
    "stored_dataset",
    "stored_rows",
]

Origins = dict[str, list[int | None]]
"""Per edited table, the stored row id behind each row of the edited table (None: added)."""


def load_dataset(source: Path | str) -> Dataset:
    """Read and validate a dataset folder or workbook; `DatasetError` lists every problem."""
    dataset, problems = check_dataset(source)
    if dataset is None:
        raise DatasetError(problems)
    return dataset


def import_dataset(*, actor: Actor, source: Path | str, engine: Engine | None = None) -> Dataset:
    """Replace the stored dataset with `source`: all of it, or nothing when it has problems."""
    require_role(actor, MANAGER)
    dataset = load_dataset(source)
    _replace_dataset(actor, dataset, engine, action="import", note=Path(source).name)
    return dataset


def save_dataset(*, actor: Actor, dataset: Dataset, engine: Engine | None = None) -> None:
    """Store an already validated dataset as a whole (the app's upload builds one)."""
    require_role(actor, MANAGER)
    _replace_dataset(actor, dataset, engine, action="import", note="upload")


def _replace_dataset(
    actor: Actor, dataset: Dataset, engine: Engine | None, *, action: str, note: str
) -> None:
    with session_scope(engine_or_default(engine)) as session:
        before = storage.read_dataset(session=session)
        storage.replace_dataset(session=session, dataset=dataset)
        audit.record(
            session=session,
            actor=actor,
            action=action,
            entity="dataset",
            entity_id=note,
            before=_counts(before),
            after=_counts(dataset),
        )
        for name, removed, added in storage.dataset_changes(before, dataset):
            audit.record(
                session=session,
                actor=actor,
                action="edit",
                entity=name,
                operator_id=_single_operator(removed + added, before, dataset),
                before=removed,
                after=added,
            )


def _counts(dataset: Dataset) -> dict[str, int]:
    return {name: len(getattr(dataset, name)) for name in DATASET_TABLES}


def _single_operator(records, *datasets: Dataset) -> str | None:
    """The operator a set of changed rows belongs to, when it is just one."""
    operators = {storage.operator_of(record, *datasets) for record in records}
    return operators.pop() if len(operators) == 1 else None


def stored_dataset(*, actor: Actor, engine: Engine | None = None) -> Dataset:
    """The stored dataset as `actor` may see it, read from one consistent snapshot."""
    scope = operator_scope(actor)
    with snapshot_scope(engine_or_default(engine)) as session:
        dataset = storage.read_dataset(session=session)
        covering = storage.specialists_covering(session=session, operator_id=scope) if scope else ()
    return scope_dataset(dataset, actor, covering)


def stored_rows(
    *, actor: Actor, engine: Engine | None = None
) -> tuple[Dataset, dict[str, list[tuple[int, int]]]]:
    """What `stored_dataset` gives, plus each editable row's (id, version) in the same
    order: an editor keeps them, so that `save_changes` can refuse stale saves."""
    scope = operator_scope(actor)
    with snapshot_scope(engine_or_default(engine)) as session:
        full = storage.read_dataset(session=session)
        versions = {
            table: [
                (row.id, row.version)
                for row in storage.dataset_rows(session=session, table=table)
                if scope is None or storage.operator_of(row, full) == scope
            ]
            if scope is None or table in OPERATOR_EDITABLE
            else []
            for table in EDITABLE
        }
        covering = storage.specialists_covering(session=session, operator_id=scope) if scope else ()
    dataset = scope_dataset(full, actor, covering)
    return dataset, versions


def save_changes(
    *, actor: Actor, changes: Sequence[RowChange], engine: Engine | None = None
) -> list[Problem]:
    """Apply row-level edits, all or nothing, each against the version it was loaded at,
    and return the saved dataset's warnings (`calendar_warnings`).

    The whole dataset is validated with the changes in place (like an import), and
    nothing is saved while any problem remains (`DatasetError`). A row that somebody
    else changed or deleted since it was loaded is refused with `StaleEdit` naming
    it. Operator users may change only their own operator's requirements, staff,
    absences and requests, never the calendar (its rows belong to no operator), and
    get no warnings about rows they cannot see.
    """
    require_known(actor)
    if not changes:
        return []
    with session_scope(engine_or_default(engine)) as session:
        current = storage.read_dataset(session=session)
        rows = {
            table: storage.dataset_rows(session=session, table=table)
            for table in {c.table for c in changes}
        }
        for change in changes:
            _check_change(actor, change, rows, current)
        checked, origins = validated_with(actor, current, rows, changes)
        for table, ids in origins.items():
            before = {row.id: storage.row_record(table, row) for row in rows[table]}
            _write_added_and_edited(
                session, actor, table, ids, getattr(checked, table), before, changes, current
            )
            _write_deleted(session, actor, table, before, changes, current)
    return calendar_warnings(checked) if operator_scope(actor) is None else []


def validated_with(
    actor: Actor, current: Dataset, rows: dict[str, list], changes: Sequence[RowChange]
) -> tuple[Dataset, Origins]:
    """The dataset with `changes` in place, validated like an import: problems on the
    lines the user saw (`DatasetError`), worded for `actor`."""
    frames, origins = _edited_frames(current, rows, changes)
    checked, problems = validate_raw(raw_from_frames(frames))
    if checked is None:
        raise DatasetError(_on_edited_lines(problems, origins, changes, actor))
    return checked, origins


def _edited_frames(
    current: Dataset, rows: dict[str, list], changes: Sequence[RowChange]
) -> tuple[dict[str, pd.DataFrame], Origins]:
    """The dataset's tables as text with the changes in place (edited cells, dropped rows,
    added rows at the end), and where each edited table's rows came from."""
    frames = dataset_frames(current)
    origins: Origins = {}
    for table, table_rows in rows.items():
        by_id = {row.id: position for position, row in enumerate(table_rows)}
        frame = frames[table]
        ids: list[int | None] = [row.id for row in table_rows]
        dropped = set()
        added = []
        for change in (c for c in changes if c.table == table):
            if change.cells is None:
                dropped.add(by_id[change.row_id])
            elif change.row_id is None:
                added.append(change.cells)
            else:
                position = by_id[change.row_id]
                for column, text in change.cells.items():
                    frame.iloc[position, frame.columns.get_loc(column)] = text
        keep = [p for p in range(len(frame)) if p not in dropped]
        frame = frame.iloc[keep]
        if added:
            frame = pd.concat(
                [frame, pd.DataFrame(added, columns=frame.columns, dtype="string")],
                ignore_index=True,
            )
        frames[table] = frame.reset_index(drop=True)
        origins[table] = [ids[p] for p in keep] + [None] * len(added)
    return frames, origins


def _write_added_and_edited(
    session,
    actor: Actor,
    table: str,
    ids: list[int | None],
    records: Sequence[Any],
    before: dict[int, Any],
    changes: Sequence[RowChange],
    current: Dataset,
) -> None:
    """Store the table's new rows and the edited rows that really changed, each edit
    only against the version it was loaded at."""
    versions = {
        c.row_id: c.version for c in changes if c.row_id is not None and c.version is not None
    }
    for row_id, record in zip(ids, records, strict=True):
        if row_id is None:
            row_versions.add_row(session=session, table=table, record=record)
            _audit_change(session, actor, table, "add", None, record, current)
        elif row_id in versions and before[row_id] != record:
            if not row_versions.update_row(
                session=session, table=table, row_id=row_id, version=versions[row_id], record=record
            ):
                raise StaleEdit(_stale_message(table, record))
            _audit_change(session, actor, table, "edit", before[row_id], record, current)


def _write_deleted(
    session,
    actor: Actor,
    table: str,
    before: dict[int, Any],
    changes: Sequence[RowChange],
    current: Dataset,
) -> None:
    for change in (c for c in changes if c.table == table and c.cells is None):
        # a deletion always names a stored row and the version it was loaded at
        assert change.row_id is not None
        assert change.version is not None
        if not row_versions.delete_row(
            session=session, table=table, row_id=change.row_id, version=change.version
        ):
            raise StaleEdit(_stale_message(table, before[change.row_id]))
        _audit_change(session, actor, table, "delete", before[change.row_id], None, current)


def _on_edited_lines(
    problems: list[Problem], origins: Origins, changes: Sequence[RowChange], actor: Actor
) -> list[Problem]:
    """Problems located on the lines the user saw: a changed row by its editor line.

    Any other row keeps its line in the whole table for a manager; an operator user,
    who sees only part of the table, gets no line number that would tell it more.
    """
    lines: dict[tuple[str, int | None], int | None] = {}
    for change in changes:
        lines[(change.table, change.row_id)] = change.line
    added = {
        table: iter(c.line for c in changes if c.table == table and c.row_id is None)
        for table in origins
    }
    by_position = {
        table: [
            lines.get((table, row_id)) if row_id is not None else next(added[table], None)
            for row_id in ids
        ]
        for table, ids in origins.items()
    }
    located = []
    for problem in problems:
        table = problem.file.removesuffix(".csv")
        line = None
        if (
            problem.row is not None
            and table in by_position
            and 2 <= problem.row < len(by_position[table]) + 2
        ):
            line = by_position[table][problem.row - 2]
        if line is None and operator_scope(actor) is None:
            line = problem.row
        message = problem.message
        if operator_scope(actor) is not None:
            message = _DUPLICATE.sub(r"\1 cannot be used: choose another", message)
        located.append(Problem(problem.file, line, problem.column, message))
    return located


_DUPLICATE = re.compile(r"^duplicate: (.*) is already on line \d+$")
"""The import's duplicate-key message, which to an operator user would confirm that a
row it cannot see exists (another operator's id): it reads as an id to choose again."""


def _check_change(actor: Actor, change: RowChange, rows: dict[str, list], current: Dataset) -> None:
    """Refuse a change the actor may not make, or one made against an old version."""
    editable = OPERATOR_EDITABLE if operator_scope(actor) else EDITABLE
    if change.table not in editable:
        raise AccessDenied(f"{actor.username} may not change {change.table}")
    if change.cells is not None and operator_scope(actor) is not None:
        operator_id = change.cells.get("operator_id")
        if operator_id is None and "staff_id" in change.cells:
            staff_id = change.cells["staff_id"]
            operator_id = next(
                (m.operator_id for m in current.staff if m.staff_id == staff_id), None
            )
            if operator_id is None or not sees_operator(actor, operator_id):
                # the same words whether the id is another operator's or nobody's
                raise AccessDenied(f"no staff {staff_id!r} of yours")
        require_operator(actor, operator_id)
    where = f"{change.table}.csv line {change.line}" if change.line else change.table
    if change.row_id is not None:
        row = next((r for r in rows[change.table] if r.id == change.row_id), None)
        if row is not None and not sees_operator(actor, storage.operator_of(row, current)):
            row = None  # another operator's row is, to this user, a row that is not there:
            # the same words as for a row id that exists nowhere
        if row is None:
            raise StaleEdit(
                f"{where} was deleted by someone else after you opened it: "
                "reload the page; nothing was saved"
            )
        if row.version != change.version:
            raise StaleEdit(
                _stale_message(change.table, storage.row_record(change.table, row), where)
            )


def _stale_message(table: str, record: Any, where: str | None = None) -> str:
    key = SPECS[table].key or (SPECS[table].columns[0].name,)
    label = ", ".join(str(getattr(record, k)) for k in key)
    return (
        f"{where or table + '.csv'} ({label}) was changed by someone else after you "
        "opened it: reload the page to see their change, then redo yours; nothing was "
        "saved"
    )


def _audit_change(
    session, actor: Actor, table: str, kind: str, before: Any, after: Any, current: Dataset
) -> None:
    record = after if after is not None else before
    key = SPECS[table].key or (SPECS[table].columns[0].name,)
    audit.record(
        session=session,
        actor=actor,
        action=kind,
        entity=table,
        entity_id=":".join(str(getattr(record, k)) for k in key),
        operator_id=storage.operator_of(record, current),
        before=before,
        after=after,
    )


def has_stored_dataset(*, actor: Actor, engine: Engine | None = None) -> bool:
    require_known(actor)
    with session_scope(engine_or_default(engine)) as session:
        return storage.has_dataset(session=session)


def export_dataset(*, actor: Actor, folder: Path | str, engine: Engine | None = None) -> list[Path]:
    """Write what `actor` may see of the stored dataset as the contract's CSV files, in
    UTF-8 with a BOM for Excel; what it may not see is left blank."""
    dataset = stored_dataset(actor=actor, engine=engine)
    return write_dataset(dataset, folder, blank=hidden_columns(actor))


def check_frames(*, dataset: Dataset, edited: dict) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset with some tables replaced by edited DataFrames, like the CLI would."""
    frames = dataset_frames(dataset)
    frames.update(edited)
    return validate_raw(raw_from_frames(frames))


def check_uploads(*, files: dict[str, bytes]) -> tuple[Dataset | None, list[Problem]]:
    """Validate uploaded CSV files or a workbook as one dataset."""
    raw, problems = raw_from_uploads(files)
    if problems:
        return None, problems
    return validate_raw(raw)


def dataset_workbook(*, actor: Actor, dataset: Dataset, path: Path | str) -> Path:
    """`dataset` (what `actor` was shown of it) as one workbook, a sheet per file; what
    `actor` may not see is left blank."""
    require_known(actor)
    return write_workbook(dataset, path, blank=hidden_columns(actor))
