"""The vocabulary of the contract: operators, staff, specialists, requests, pins.

Frozen records that the reader produces once the input is valid, so everything
downstream can trust every id, reference and range without checking again.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cached_property

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
    incident_level: int = 2
    incident_skills: tuple[str, ...] = ()


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
    region: str | None = None
    oncall: bool = True
    standby_response_minutes: int = 30
    max_duty_hours: int = 40

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
class RotaPin:
    """One line of `rota_pinned.csv`: a confirmed on-call shift a new rota keeps.

    `start` and `end` are timezone-aware UTC datetimes on whole hours, `end` exclusive.
    """

    specialist_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CalendarDay:
    """One line of `calendar.csv`: a date made a day off or a working day.

    Without a region it applies to everyone; with one, only to the operators and
    specialists of exactly that region, after the lines without one.
    """

    date: date
    working: bool
    region: str | None = None
    note: str = ""


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
    calendar: tuple[CalendarDay, ...] = ()
    pinned: tuple[Pin, ...] = ()
    rota_pinned: tuple[RotaPin, ...] = ()

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
        parts = [f"{len(getattr(self, name))} {_LABELS.get(name, name)}" for name in _table_names()]
        return "OK: " + ", ".join(parts)


_LABELS = {
    "specialist_absences": "specialist absences",
    "calendar": "calendar days",
    "rota_pinned": "confirmed on-call shifts",
}


def _table_names() -> tuple[str, ...]:
    """The dataset's tables in the contract's file order (the order of `Dataset`'s fields)."""
    return tuple(f.name for f in fields(Dataset))
