"""Validating raw tables into a `Dataset`: all problems, then nothing or everything.

Every row of every file is checked and every problem collected, so the user
fixes a file once instead of once per error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.data.problems import DatasetError, Problem
from planner.data.read import RawTable, read_raw
from planner.data.schema import (
    DATE_ORDER,
    REFERENCES,
    TABLES,
    TIME_ORDER,
    CellError,
    TableSpec,
)
from planner.domain.records import Dataset
from planner.rota.records import utc_text

# --------------------------------------------------------------------------- validation


@dataclass
class _Parsed:
    spec: TableSpec
    label: str
    records: list[Any]
    lines: list[int]


def _column_positions(
    spec: TableSpec, raw: RawTable, problems: list[Problem]
) -> dict[str, int] | None:
    """Where each known column stands in the header, or None when the header is unusable.

    A header problem makes every row's cells ambiguous, so its rows are not read at all.
    """
    known = {c.name for c in spec.columns}
    positions: dict[str, int] = {}
    header_ok = True
    for position, name in enumerate(raw.header):
        if not name:
            if any(position < len(cells) and cells[position] for _, cells in raw.rows):
                problems.append(
                    Problem(
                        raw.label,
                        1,
                        f"#{position + 1}",
                        "column has values but no name in the header",
                    )
                )
                header_ok = False
            continue
        if name not in known:
            shown_name = name if len(name) <= 40 else name[:40] + "..."
            problems.append(
                Problem(
                    raw.label,
                    1,
                    shown_name,
                    f"unknown column (expected: {', '.join(sorted(known))})",
                )
            )
            header_ok = False
        elif name in positions:
            problems.append(Problem(raw.label, 1, name, "column appears twice in the header"))
            header_ok = False
        else:
            positions[name] = position
    for column in spec.columns:
        if column.required and column.name not in positions:
            problems.append(Problem(raw.label, 1, column.name, "required column is missing"))
            header_ok = False
    return positions if header_ok else None


def _parse_row(
    spec: TableSpec,
    raw: RawTable,
    positions: dict[str, int],
    line: int,
    cells: list[str],
    problems: list[Problem],
) -> Any | None:
    """One row as its record, or None after noting every problem in its cells."""
    if len(cells) > len(raw.header) and any(cells[len(raw.header) :]):
        problems.append(
            Problem(
                raw.label, line, None, f"{len(cells)} cells but the header has {len(raw.header)}"
            )
        )
        return None
    values: dict[str, Any] = {}
    row_ok = True
    for column in spec.columns:
        at = positions.get(column.name)
        text = cells[at] if at is not None and at < len(cells) else ""
        if not text:
            if column.required:
                problems.append(Problem(raw.label, line, column.name, "a value is required"))
                row_ok = False
            values[column.name] = column.default
            continue
        try:
            values[column.name] = column.read(text)
        except CellError as error:
            problems.append(Problem(raw.label, line, column.name, str(error)))
            row_ok = False
    return spec.record(**values) if row_ok else None


def _parse_table(spec: TableSpec, raw: RawTable, problems: list[Problem]) -> _Parsed:
    parsed = _Parsed(spec, raw.label, [], [])
    positions = _column_positions(spec, raw, problems)
    if positions is None:
        return parsed
    for line, cells in raw.rows:
        record = _parse_row(spec, raw, positions, line, cells, problems)
        if record is not None:
            parsed.records.append(record)
            parsed.lines.append(line)
    return parsed


def _check_keys(parsed: _Parsed, problems: list[Problem]) -> None:
    key = parsed.spec.key
    if not key:
        return
    seen: dict[tuple, int] = {}
    for record, line in zip(parsed.records, parsed.lines, strict=True):
        value = tuple(getattr(record, k) for k in key)
        if value in seen:
            what = " and ".join(
                f"{k} {'(empty)' if v is None else v}" for k, v in zip(key, value, strict=True)
            )
            problems.append(
                Problem(
                    parsed.label,
                    line,
                    key[-1],
                    f"duplicate: {what} is already on line {seen[value]}",
                )
            )
        else:
            seen[value] = line


def _check_dates(parsed: dict[str, _Parsed], problems: list[Problem]) -> None:
    for table, first, last in DATE_ORDER:
        if table not in parsed:
            continue
        for record, line in zip(parsed[table].records, parsed[table].lines, strict=True):
            begin, finish = getattr(record, first), getattr(record, last)
            if begin is not None and finish is not None and finish < begin:
                problems.append(
                    Problem(parsed[table].label, line, last, f"{finish} is before {first} {begin}")
                )
    for table, first, last in TIME_ORDER:
        if table not in parsed:
            continue
        for record, line in zip(parsed[table].records, parsed[table].lines, strict=True):
            begin, finish = getattr(record, first), getattr(record, last)
            if finish <= begin:
                problems.append(
                    Problem(
                        parsed[table].label,
                        line,
                        last,
                        f"{utc_text(finish)} is not after {first} {utc_text(begin)} "
                        f"({last} is exclusive)",
                    )
                )


def _check_references(
    parsed: dict[str, _Parsed], problems: list[Problem], raw_ids: dict[str, set[str]]
) -> None:
    for table, column, target in REFERENCES:
        if table not in parsed:
            continue
        known = raw_ids.get(target, set())
        target_file = parsed[target].label if target in parsed else f"{target}.csv"
        for record, line in zip(parsed[table].records, parsed[table].lines, strict=True):
            value = getattr(record, column)
            if value not in known:
                problems.append(
                    Problem(parsed[table].label, line, column, f"{value!r} is not in {target_file}")
                )


def _declared_ids(raw: dict[str, RawTable]) -> dict[str, set[str]]:
    """Ids present in each keyed file, even on rows with other problems.

    Using the raw ids keeps one bad cell in `staff.csv` from also flagging every
    absence of that person as a dangling reference.
    """
    ids: dict[str, set[str]] = {}
    for spec in TABLES:
        if len(spec.key) != 1 or spec.name not in raw:
            continue
        table = raw[spec.name]
        if spec.key[0] not in table.header:
            continue
        position = table.header.index(spec.key[0])
        ids[spec.name] = {cells[position] for _, cells in table.rows if position < len(cells)}
    return ids


def validate_raw(raw: dict[str, RawTable]) -> tuple[Dataset | None, list[Problem]]:
    problems: list[Problem] = []
    parsed: dict[str, _Parsed] = {}
    for spec in TABLES:
        if spec.name not in raw:
            if not spec.optional:
                problems.append(Problem(spec.filename, None, None, "required file is missing"))
            continue
        parsed[spec.name] = _parse_table(spec, raw[spec.name], problems)
        _check_keys(parsed[spec.name], problems)
    _check_dates(parsed, problems)
    _check_references(parsed, problems, _declared_ids(raw))
    if problems:
        return None, sorted(problems, key=_problem_order)
    return Dataset(**{name: tuple(p.records) for name, p in parsed.items()}), []


def calendar_warnings(dataset: Dataset) -> list[Problem]:
    """`calendar.csv` rows whose region is nobody's: allowed, but they change nothing.

    Usually a typo or a region whose last operator left; a warning rather than an error,
    so that a calendar kept for the whole country still imports.
    """
    regions = {o.region for o in dataset.operators} | {s.region for s in dataset.specialists}
    return [
        Problem(
            "calendar.csv",
            line,
            "region",
            f"region {row.region!r} matches no operator or specialist: the row changes "
            "nobody's working days",
        )
        for line, row in enumerate(dataset.calendar, start=2)
        if row.region and row.region not in regions
    ]


def _problem_order(problem: Problem) -> tuple:
    file_rank = next(
        (
            i
            for i, s in enumerate(TABLES)
            if problem.file.startswith(s.name) or f"[{s.name}]" in problem.file
        ),
        len(TABLES),
    )
    return (file_rank, problem.file, problem.row or 0, problem.column or "", problem.message)


def check_dataset(source: Path | str) -> tuple[Dataset | None, list[Problem]]:
    """The dataset and no problems, or None and every problem found."""
    raw, problems = read_raw(Path(source))
    if problems:
        return None, problems
    return validate_raw(raw)


def load_dataset(source: Path | str) -> Dataset:
    dataset, problems = check_dataset(source)
    if dataset is None:
        raise DatasetError(problems)
    return dataset
