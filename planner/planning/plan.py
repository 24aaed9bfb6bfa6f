"""A cover plan as the user sees it: assignments, what is left uncovered and why, the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from planner.domain.calendar import UNITS_PER_FTE, Horizon
from planner.domain.production_calendar import MONDAY_TO_FRIDAY, WorkingCalendar
from planner.domain.records import PRIORITIES

PRIORITY_NAMES = PRIORITIES


@dataclass(frozen=True)
class Assignment:
    demand_id: str
    operator_id: str
    role: str
    week: date
    specialist_id: str
    units: int

    @property
    def fte(self) -> float:
        return self.units / UNITS_PER_FTE


@dataclass(frozen=True)
class Uncovered:
    demand_id: str
    operator_id: str
    role: str
    week: date
    priority: str
    units: int
    reason: str


@dataclass(frozen=True)
class Plan:
    start: date
    weeks: int
    max_tz_gap: float
    assignments: tuple[Assignment, ...]
    uncovered: tuple[Uncovered, ...]
    summary: dict = field(default_factory=dict)
    calendar: WorkingCalendar = MONDAY_TO_FRIDAY
    """The working days the plan was made on; reports count capacity and demand by it."""
    reserved: tuple[tuple[str, date, int], ...] = ()
    """The on-call rota's cover reservations the plan was made with (`plan --rota`)."""

    @property
    def horizon(self) -> Horizon:
        return Horizon(self.start, self.weeks, self.calendar, self.reserved)

    @property
    def status(self) -> str:
        return self.summary.get("status", "FEASIBLE")


def by_priority(values: Sequence[int]) -> dict[str, int]:
    return dict(zip(PRIORITY_NAMES, (int(v) for v in values), strict=True))
