"""Read, validate and write a dataset: the vendor's operators, staff and specialists.

A dataset arrives as a folder of CSV files or one Excel workbook, often saved by
Excel on a Russian-locale PC. Reading is all-or-nothing: every problem in every
file is collected and reported as `FILE:ROW: column COL: message`, and a
`Dataset` exists only when there are none. Downstream code can therefore trust
every id, reference and range without checking again.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from planner.exports import safe_row

ROLES = ("subscriber", "finance", "technical")
PRIORITIES = ("critical", "high", "normal")
LEVELS = (1, 2, 3)
SLAS = ("24x7", "8x5")
ABSENCE_KINDS = ("vacation", "sick", "leave", "training", "other")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Operator:
    operator_id: str
    name: str
    timezone: str
    sla: str = "8x5"
    response_minutes: int = 240
    region: str | None = None


@dataclass(frozen=True)
class Requirement:
    operator_id: str
    role: str
    min_fte: float
    skills: tuple[str, ...] = ()
    min_level: int = 1
    priority: str = "normal"


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    operator_id: str
    role: str
    fte: float
    name: str | None = None
    joined_on: date | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class Absence:
    staff_id: str
    start: date
    end: date
    kind: str = "other"


@dataclass(frozen=True)
class Specialist:
    specialist_id: str
    name: str
    roles: tuple[tuple[str, int], ...]
    timezone: str
    skills: tuple[str, ...] = ()
    capacity_fte: float = 1.0
    max_clients: int = 3
    cost_per_hour: float = 0.0
    joined_on: date | None = None
    left_on: date | None = None

    def level(self, role: str) -> int:
        """The specialist's level in `role`, 0 when it does not have the role."""
        return dict(self.roles).get(role, 0)


@dataclass(frozen=True)
class SpecialistAbsence:
    specialist_id: str
    start: date
    end: date
    kind: str = "other"


@dataclass(frozen=True)
class Request:
    request_id: str
    operator_id: str
    role: str
    start: date
    end: date
    fte: float
    skills: tuple[str, ...] = ()
    min_level: int = 1
    priority: str = "normal"


@dataclass(frozen=True)
class HistoryEntry:
    specialist_id: str
    operator_id: str


@dataclass(frozen=True)
class Pin:
    specialist_id: str
    demand_id: str
    week: date
    units: int


@dataclass(frozen=True)
class Dataset:
    """A validated dataset. Tuples keep the file order, which exports preserve."""

    operators: tuple[Operator, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    absences: tuple[Absence, ...] = ()
    specialists: tuple[Specialist, ...] = ()
    specialist_absences: tuple[SpecialistAbsence, ...] = ()
    requests: tuple[Request, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    pinned: tuple[Pin, ...] = ()

    def operator(self, operator_id: str) -> Operator:
        return self._operators_by_id[operator_id]

    def specialist(self, specialist_id: str) -> Specialist:
        return self._specialists_by_id[specialist_id]

    @cached_property
    def _operators_by_id(self) -> dict[str, Operator]:
        return {o.operator_id: o for o in self.operators}

    @cached_property
    def _specialists_by_id(self) -> dict[str, Specialist]:
        return {s.specialist_id: s for s in self.specialists}

    def summary(self) -> str:
        """One line saying what was read, for `planner validate`."""
        parts = [f"{len(getattr(self, name))} {name.replace('_', ' ')}" for name in TABLE_NAMES]
        return "OK: " + ", ".join(parts)


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


class DatasetError(Exception):
    """The dataset has problems; nothing was read. `problems` lists all of them."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- cell parsers


class CellError(ValueError):
    """A cell's value is wrong; the message is shown to the user as it is."""


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _number(text: str) -> float:
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(compact):
        raise CellError(f"{text!r} is not a number")
    value = float(compact.replace(",", "."))
    if not math.isfinite(value):
        raise CellError(f"{text!r} is not a finite number")
    return value


def _integer(text: str) -> int:
    try:
        value = _number(text)
    except CellError:
        raise CellError(f"{text!r} is not a whole number") from None
    if value != int(value):
        raise CellError(f"{text!r} is not a whole number")
    return int(value)


def number_in(low: float, high: float | None, *, low_open: bool, high_open: bool = False):
    """A float parser checking `low <(=) value <(=) high`, with a message a user reads."""

    def parse(text: str) -> float:
        value = _number(text)
        too_low = value <= low if low_open else value < low
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            low_word = f"> {format_number(low)}" if low_open else f">= {format_number(low)}"
            if high is None:
                raise CellError(f"{text} must be {low_word}")
            high_word = f"< {format_number(high)}" if high_open else f"<= {format_number(high)}"
            raise CellError(f"{text} is out of range: must be {low_word} and {high_word}")
        return value

    return parse


def integer_at_least(low: int):
    def parse(text: str) -> int:
        value = _integer(text)
        if value < low:
            raise CellError(f"{text} must be a whole number >= {low}")
        return value

    return parse


def one_of(choices: Sequence[str]):
    def parse(text: str) -> str:
        if text not in choices:
            raise CellError(f"{text!r} is not one of {', '.join(choices)}")
        return text

    return parse


def parse_level(text: str) -> int:
    try:
        value = _integer(text)
    except CellError:
        value = -1
    if value not in LEVELS:
        raise CellError(f"{text!r} is not a level: use 1 (junior), 2 (middle) or 3 (senior)")
    return value


def parse_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def parse_monday(text: str) -> date:
    day = parse_date(text)
    if day.weekday() != 0:
        raise CellError(f"{text} is a {day.strftime('%A')}, not a Monday")
    return day


_TIMEZONES: set[str] | None = None


def parse_timezone(text: str) -> str:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = available_timezones()
    if text not in _TIMEZONES:
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise CellError(
                f"{text!r} is not an IANA time zone (e.g. Europe/Moscow, Asia/Novosibirsk)"
            ) from None
    return text


def parse_skills(text: str) -> tuple[str, ...]:
    skills = [part.strip() for part in text.split(";")]
    return tuple(dict.fromkeys(skill for skill in skills if skill))


def parse_roles(text: str) -> tuple[tuple[str, int], ...]:
    roles: dict[str, int] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        role, sep, level_text = (s.strip() for s in part.partition(":"))
        if not sep:
            raise CellError(f"{part!r} needs a level: write it as role:level, e.g. {role}:2")
        if role not in ROLES:
            raise CellError(f"{role!r} is not a role: use {', '.join(ROLES)}")
        if role in roles:
            raise CellError(f"role {role} is listed twice")
        try:
            roles[role] = parse_level(level_text)
        except CellError as error:
            raise CellError(f"{part!r}: {error}") from None
    if not roles:
        raise CellError("at least one role:level is required, e.g. technical:3;finance:1")
    return tuple(roles.items())


def parse_text(text: str) -> str:
    return text


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class TableSpec:
    """How one file of the dataset is read: its columns and the record it builds."""

    name: str
    record: type
    columns: tuple[Column, ...]
    optional: bool = False
    key: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_ROLE = one_of(ROLES)
_PRIORITY = one_of(PRIORITIES)
_KIND = one_of(ABSENCE_KINDS)
_FTE = number_in(0, 1, low_open=True)

TABLES: tuple[TableSpec, ...] = (
    TableSpec("operators", Operator, (
        Column("operator_id", required=True),
        Column("name", required=True),
        Column("timezone", parse_timezone, required=True),
        Column("sla", one_of(SLAS), default="8x5"),
        Column("response_minutes", integer_at_least(1), default=240),
        Column("region"),
    ), key=("operator_id",)),
    TableSpec("requirements", Requirement, (
        Column("operator_id", required=True),
        Column("role", _ROLE, required=True),
        Column("min_fte", number_in(0, None, low_open=False), required=True),
        Column("skills", parse_skills, default=()),
        Column("min_level", parse_level, default=1),
        Column("priority", _PRIORITY, default="normal"),
    ), key=("operator_id", "role")),
    TableSpec("staff", StaffMember, (
        Column("staff_id", required=True),
        Column("operator_id", required=True),
        Column("role", _ROLE, required=True),
        Column("fte", _FTE, required=True),
        Column("name"),
        Column("joined_on", parse_date),
        Column("left_on", parse_date),
    ), key=("staff_id",)),
    TableSpec("absences", Absence, (
        Column("staff_id", required=True),
        Column("start", parse_date, required=True),
        Column("end", parse_date, required=True),
        Column("kind", _KIND, default="other"),
    ), optional=True),
    TableSpec("specialists", Specialist, (
        Column("specialist_id", required=True),
        Column("name", required=True),
        Column("roles", parse_roles, required=True),
        Column("timezone", parse_timezone, required=True),
        Column("skills", parse_skills, default=()),
        Column("capacity_fte", _FTE, default=1.0),
        Column("max_clients", integer_at_least(1), default=3),
        Column("cost_per_hour", number_in(0, None, low_open=False), default=0.0),
        Column("joined_on", parse_date),
        Column("left_on", parse_date),
    ), key=("specialist_id",)),
    TableSpec("specialist_absences", SpecialistAbsence, (
        Column("specialist_id", required=True),
        Column("start", parse_date, required=True),
        Column("end", parse_date, required=True),
        Column("kind", _KIND, default="other"),
    ), optional=True),
    TableSpec("requests", Request, (
        Column("request_id", required=True),
        Column("operator_id", required=True),
        Column("role", _ROLE, required=True),
        Column("start", parse_date, required=True),
        Column("end", parse_date, required=True),
        Column("fte", number_in(0, None, low_open=True), required=True),
        Column("skills", parse_skills, default=()),
        Column("min_level", parse_level, default=1),
        Column("priority", _PRIORITY, default="normal"),
    ), optional=True, key=("request_id",)),
    TableSpec("history", HistoryEntry, (
        Column("specialist_id", required=True),
        Column("operator_id", required=True),
    ), optional=True),
    TableSpec("pinned", Pin, (
        Column("specialist_id", required=True),
        Column("demand_id", required=True),
        Column("week", parse_monday, required=True),
        Column("units", integer_at_least(1), required=True),
    ), optional=True),
)
TABLE_NAMES = tuple(spec.name for spec in TABLES)
SPECS = {spec.name: spec for spec in TABLES}

# (table, column) -> (referenced table, its key column)
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("requirements", "operator_id", "operators"),
    ("staff", "operator_id", "operators"),
    ("absences", "staff_id", "staff"),
    ("specialist_absences", "specialist_id", "specialists"),
    ("requests", "operator_id", "operators"),
    ("history", "specialist_id", "specialists"),
    ("history", "operator_id", "operators"),
    ("pinned", "specialist_id", "specialists"),
)
# (table, first date, last date, what the pair means)
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("absences", "start", "end"),
    ("specialist_absences", "start", "end"),
    ("requests", "start", "end"),
    ("staff", "joined_on", "left_on"),
    ("specialists", "joined_on", "left_on"),
)


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
    return {}, [Problem(str(source), None, None,
                        "a dataset is a folder of CSV files or an .xlsx workbook")]


# --------------------------------------------------------------------------- validation


@dataclass
class _Parsed:
    spec: TableSpec
    label: str
    records: list[Any]
    lines: list[int]


def _parse_table(spec: TableSpec, raw: RawTable, problems: list[Problem]) -> _Parsed:
    known = {c.name for c in spec.columns}
    positions: dict[str, int] = {}
    header_ok = True
    for position, name in enumerate(raw.header):
        if not name:
            if any(position < len(cells) and cells[position] for _, cells in raw.rows):
                problems.append(Problem(raw.label, 1, f"#{position + 1}",
                                        "column has values but no name in the header"))
                header_ok = False
            continue
        if name not in known:
            problems.append(Problem(raw.label, 1, name,
                                    f"unknown column (expected: {', '.join(sorted(known))})"))
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
    parsed = _Parsed(spec, raw.label, [], [])
    if not header_ok:
        return parsed
    for line, cells in raw.rows:
        if len(cells) > len(raw.header) and any(cells[len(raw.header):]):
            problems.append(Problem(raw.label, line, None,
                                    f"{len(cells)} cells but the header has {len(raw.header)}"))
            continue
        values: dict[str, Any] = {}
        row_ok = True
        for column in spec.columns:
            position = positions.get(column.name)
            text = cells[position] if position is not None and position < len(cells) else ""
            if not text:
                if column.required:
                    problems.append(Problem(raw.label, line, column.name, "a value is required"))
                    row_ok = False
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.parse(text)
            except CellError as error:
                problems.append(Problem(raw.label, line, column.name, str(error)))
                row_ok = False
        if row_ok:
            parsed.records.append(spec.record(**values))
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
            what = " and ".join(f"{k} {v}" for k, v in zip(key, value, strict=True))
            problems.append(Problem(parsed.label, line, key[-1],
                                    f"duplicate: {what} is already on line {seen[value]}"))
        else:
            seen[value] = line


def _check_dates(parsed: dict[str, _Parsed], problems: list[Problem]) -> None:
    for table, first, last in DATE_ORDER:
        if table not in parsed:
            continue
        for record, line in zip(parsed[table].records, parsed[table].lines, strict=True):
            begin, finish = getattr(record, first), getattr(record, last)
            if begin is not None and finish is not None and finish < begin:
                problems.append(Problem(parsed[table].label, line, last,
                                        f"{finish} is before {first} {begin}"))


def _check_references(parsed: dict[str, _Parsed], problems: list[Problem],
                      raw_ids: dict[str, set[str]]) -> None:
    for table, column, target in REFERENCES:
        if table not in parsed:
            continue
        known = raw_ids.get(target, set())
        target_file = parsed[target].label if target in parsed else f"{target}.csv"
        for record, line in zip(parsed[table].records, parsed[table].lines, strict=True):
            value = getattr(record, column)
            if value not in known:
                problems.append(Problem(parsed[table].label, line, column,
                                        f"{value!r} is not in {target_file}"))


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


def _problem_order(problem: Problem) -> tuple:
    file_rank = next((i for i, s in enumerate(TABLES) if problem.file.startswith(s.name)
                      or f"[{s.name}]" in problem.file), len(TABLES))
    return (file_rank, problem.file, problem.row or 0, problem.column or "", problem.message)


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
            problems.append(Problem(Path(name).name, None, None,
                                    f"not a dataset file (expected: {', '.join(TABLE_NAMES)})"))
            continue
        tables[stem] = read_csv_text(_decode(data), SPECS[stem].filename)
    return tables, problems


def replace_label(problem: Problem, old: str, new: str) -> Problem:
    return Problem(problem.file.replace(old, new), problem.row, problem.column, problem.message)


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


# --------------------------------------------------------------------------- writing


def format_number(value: float) -> str:
    """Shortest exact text: 1.0 -> "1", 0.5 -> "0.5", so exports read back identically."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
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


def write_dataset(dataset: Dataset, folder: Path | str, *, include_empty_optional: bool = False
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
        spec.name: pd.DataFrame(list(table_rows(dataset, spec.name)),
                                columns=[c.name for c in spec.columns], dtype="string")
        for spec in TABLES
    }

