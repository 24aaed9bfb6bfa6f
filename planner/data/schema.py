"""The dataset files of the contract: their columns, cell parsers, keys and references.

One table spec per file says what each column must hold; the reader and the
writer both follow it, so an export always reads back identically.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import available_timezones

from planner.domain.dates import parse_day
from planner.domain.records import (
    ABSENCE_KINDS,
    LEVELS,
    PRIORITIES,
    ROLES,
    SLAS,
    Absence,
    CalendarDay,
    HistoryEntry,
    Operator,
    Pin,
    Request,
    Requirement,
    RotaPin,
    Specialist,
    SpecialistAbsence,
    StaffMember,
)
from planner.rota.records import parse_utc

# --------------------------------------------------------------------------- cell parsers


class CellError(ValueError):
    """A cell's value is wrong; the message is shown to the user as it is."""


# The contract's bounds: every text cell, every identifier, every number.
MAX_TEXT = 1_000
MAX_ID = 64
MAX_NUMBER = 1_000_000
_SHOWN = 40


def shown(text: str) -> str:
    """A cell as a message quotes it: its first characters only, so a huge cell is never
    repeated back to the user."""
    if len(text) <= _SHOWN:
        return repr(text)
    return repr(text[:_SHOWN]) + "..."


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_text(text: str, limit: int = MAX_TEXT) -> None:
    """The contract's bound on every text cell: printable, at most `limit` characters."""
    if len(text) > limit:
        raise CellError(f"text of {len(text):,} characters: at most {limit:,} allowed")
    bad = _CONTROL.search(text)
    if bad:
        raise CellError(
            f"{shown(text)} holds the control character U+{ord(bad.group()):04X} at "
            f"character {bad.start() + 1}: only printable text is allowed"
        )


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _number(text: str) -> float:
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(compact):
        raise CellError(f"{shown(text)} is not a number")
    value = float(compact.replace(",", "."))
    if not math.isfinite(value):
        raise CellError(f"{shown(text)} is not a finite number")
    if abs(value) > MAX_NUMBER:
        raise CellError(f"{shown(text)} is too large: numbers are at most {MAX_NUMBER:,}")
    return value


def _integer(text: str) -> int:
    if not _NUMBER.match(text.replace("\u00a0", "").replace(" ", "")):
        raise CellError(f"{shown(text)} is not a whole number")
    value = _number(text)
    if value != int(value):
        raise CellError(f"{shown(text)} is not a whole number")
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
            raise CellError(f"{shown(text)} is not one of {', '.join(choices)}")
        return text

    return parse


def parse_level(text: str) -> int:
    try:
        value = _integer(text)
    except CellError:
        value = -1
    if value not in LEVELS:
        raise CellError(f"{shown(text)} is not a level: use 1 (junior), 2 (middle) or 3 (senior)")
    return value


def parse_date(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as error:
        raise CellError(str(error)) from None


def parse_monday(text: str) -> date:
    day = parse_date(text)
    if day.weekday() != 0:
        raise CellError(f"{text} is a {day.strftime('%A')}, not a Monday")
    return day


_UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")


def parse_utc_time(text: str) -> datetime:
    """A rota time as the contract writes it, `2027-01-04T06:00Z`: a whole hour in UTC.

    The date, the `T` and the zone are all required, so that `2027-01-04 06:00` (whose
    zone nobody can tell) is refused rather than guessed; an explicit offset such as
    `+03:00` is unambiguous and read as the UTC moment it names.
    """
    if not _UTC_TIME.match(text):
        raise CellError(f"{shown(text)} is not a UTC time like 2027-01-04T06:00Z")
    try:
        return parse_utc(text)
    except ValueError as error:
        raise CellError(str(error).replace(repr(text), shown(text))) from None


_TIMEZONES: set[str] | None = None


def parse_timezone(text: str) -> str:
    """An IANA zone name, only from the list of zones: `Europe` (a folder of the database)
    or `../etc` are refused rather than opened."""
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = available_timezones()
    if text not in _TIMEZONES:
        raise CellError(
            f"{shown(text)} is not an IANA time zone (e.g. Europe/Moscow, Asia/Novosibirsk)"
        )
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
            raise CellError(f"{shown(part)} needs a level: write it as role:level, e.g. {role}:2")
        if role not in ROLES:
            raise CellError(f"{shown(role)} is not a role: use {', '.join(ROLES)}")
        if role in roles:
            raise CellError(f"role {role} is listed twice")
        try:
            roles[role] = parse_level(level_text)
        except CellError as error:
            raise CellError(f"{shown(part)}: {error}") from None
    if not roles:
        raise CellError("at least one role:level is required, e.g. technical:3;finance:1")
    return tuple(roles.items())


def parse_text(text: str) -> str:
    return text


_YES = ("yes", "да")
_NO = ("no", "нет")


def parse_yes_no(text: str) -> bool:
    """`yes` or `no` (as the contract writes them; `да`/`нет` from a Russian sheet too)."""
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(f"{shown(text)} is not yes or no")


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    default: Any = None

    @property
    def identifier(self) -> bool:
        """Keys and references (`operator_id`, `demand_id`, ...) are bounded tighter."""
        return self.name.endswith("_id")

    def read(self, text: str) -> Any:
        """The cell's value: the contract's text bound first, then the column's parser."""
        check_text(text, MAX_ID if self.identifier else MAX_TEXT)
        return self.parse(text)


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
    TableSpec(
        "operators",
        Operator,
        (
            Column("operator_id", required=True),
            Column("name", required=True),
            Column("timezone", parse_timezone, required=True),
            Column("sla", one_of(SLAS), default="8x5"),
            Column("response_minutes", integer_at_least(1), default=240),
            Column("region"),
            Column("incident_level", parse_level, default=2),
            Column("incident_skills", parse_skills, default=()),
        ),
        key=("operator_id",),
    ),
    TableSpec(
        "requirements",
        Requirement,
        (
            Column("operator_id", required=True),
            Column("role", _ROLE, required=True),
            Column("min_fte", number_in(0, None, low_open=False), required=True),
            Column("skills", parse_skills, default=()),
            Column("min_level", parse_level, default=1),
            Column("priority", _PRIORITY, default="normal"),
        ),
        key=("operator_id", "role"),
    ),
    TableSpec(
        "staff",
        StaffMember,
        (
            Column("staff_id", required=True),
            Column("operator_id", required=True),
            Column("role", _ROLE, required=True),
            Column("fte", _FTE, required=True),
            Column("name"),
            Column("joined_on", parse_date),
            Column("left_on", parse_date),
        ),
        key=("staff_id",),
    ),
    TableSpec(
        "absences",
        Absence,
        (
            Column("staff_id", required=True),
            Column("start", parse_date, required=True),
            Column("end", parse_date, required=True),
            Column("kind", _KIND, default="other"),
        ),
        optional=True,
    ),
    TableSpec(
        "specialists",
        Specialist,
        (
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
            Column("region"),
            Column("oncall", parse_yes_no, default=True),
            Column("standby_response_minutes", integer_at_least(1), default=30),
            Column("max_duty_hours", integer_at_least(0), default=40),
        ),
        key=("specialist_id",),
    ),
    TableSpec(
        "specialist_absences",
        SpecialistAbsence,
        (
            Column("specialist_id", required=True),
            Column("start", parse_date, required=True),
            Column("end", parse_date, required=True),
            Column("kind", _KIND, default="other"),
        ),
        optional=True,
    ),
    TableSpec(
        "requests",
        Request,
        (
            Column("request_id", required=True),
            Column("operator_id", required=True),
            Column("role", _ROLE, required=True),
            Column("start", parse_date, required=True),
            Column("end", parse_date, required=True),
            Column("fte", number_in(0, None, low_open=True), required=True),
            Column("skills", parse_skills, default=()),
            Column("min_level", parse_level, default=1),
            Column("priority", _PRIORITY, default="normal"),
        ),
        optional=True,
        key=("request_id",),
    ),
    TableSpec(
        "history",
        HistoryEntry,
        (
            Column("specialist_id", required=True),
            Column("operator_id", required=True),
        ),
        optional=True,
    ),
    TableSpec(
        "calendar",
        CalendarDay,
        (
            Column("date", parse_date, required=True),
            Column("working", parse_yes_no, required=True),
            Column("region"),
            Column("note", default=""),
        ),
        optional=True,
        key=("date", "region"),
    ),
    TableSpec(
        "pinned",
        Pin,
        (
            Column("specialist_id", required=True),
            Column("demand_id", required=True),
            Column("week", parse_monday, required=True),
            Column("units", integer_at_least(1), required=True),
        ),
        optional=True,
    ),
    TableSpec(
        "rota_pinned",
        RotaPin,
        (
            Column("specialist_id", required=True),
            Column("start", parse_utc_time, required=True),
            Column("end", parse_utc_time, required=True),
        ),
        optional=True,
    ),
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
    ("rota_pinned", "specialist_id", "specialists"),
)
# (table, first date, last date): the last may not be before the first
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("absences", "start", "end"),
    ("specialist_absences", "start", "end"),
    ("requests", "start", "end"),
    ("staff", "joined_on", "left_on"),
    ("specialists", "joined_on", "left_on"),
)
# (table, start time, end time): the end, exclusive, must be after the start
TIME_ORDER: tuple[tuple[str, str, str], ...] = (("rota_pinned", "start", "end"),)
UTC_TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    spec.name: tuple(c.name for c in spec.columns if c.parse is parse_utc_time)
    for spec in TABLES
    if any(c.parse is parse_utc_time for c in spec.columns)
}
"""The columns of each table that hold a UTC time: a workbook may type them as real
datetimes, which the reader writes as the contract's text."""


def format_number(value: float) -> str:
    """Shortest exact text: 1.0 -> "1", 0.5 -> "0.5", so exports read back identically."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
