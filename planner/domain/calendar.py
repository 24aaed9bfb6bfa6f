"""Weeks, working days and 0.1-FTE units: the planning grid of the contract.

Everything the planner counts is an integer number of units (0.1 FTE for one
week, i.e. 4 hours, half a working day). The rounding rules live here, in one
place, because the independent plan checker and the demand builder must agree on
them to the unit. Which days are working days is the production calendar's
business (`planner.domain.production_calendar`); the horizon carries it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from planner.domain.production_calendar import MONDAY_TO_FRIDAY, WorkingCalendar

UNITS_PER_FTE = 10
"""Units in one FTE-week (one person for a week of five working days)."""
UNITS_PER_FTE_DAY = 2
"""Units in one person's working day: a unit is half a day, 4 hours."""
HOURS_PER_UNIT = 4
_EPS = 1e-9


@dataclass(frozen=True)
class Horizon:
    """`weeks` whole weeks starting on the Monday `start`, and the calendar of their days.

    The calendar defaults to Monday to Friday (`--calendar none`); the services
    give the production calendar of the dataset, as the contract's default.
    """

    start: date
    weeks: int
    calendar: WorkingCalendar = MONDAY_TO_FRIDAY
    reserved: tuple[tuple[str, date, int], ...] = ()
    """Cover units an on-call rota takes: (specialist_id, Monday, units) rows of its
    `reservations.csv`, subtracted from that week's capacity (never below 0)."""

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(
                f"the plan must start on a Monday; {self.start} is a {self.start.strftime('%A')}"
            )
        if self.weeks < 1:
            raise ValueError(f"the plan needs at least one week, got {self.weeks}")

    @property
    def mondays(self) -> list[date]:
        return [self.start + timedelta(weeks=k) for k in range(self.weeks)]

    @property
    def end(self) -> date:
        """The last day (a Sunday) of the horizon."""
        return self.start + timedelta(weeks=self.weeks, days=-1)

    def reserved_by_week(self, specialist_id: str) -> list[int]:
        """Units the rota reserves of one specialist, week by week of the horizon."""
        units = [0] * self.weeks
        for sid, monday, n in self.reserved:
            k = self.week_index(monday)
            if sid == specialist_id and k is not None:
                units[k] += n
        return units

    def week_index(self, monday: date) -> int | None:
        """Index of the week starting on `monday`, or None if it is not one of ours."""
        delta = (monday - self.start).days
        if delta % 7 or not 0 <= delta // 7 < self.weeks:
            return None
        return delta // 7

    def working_days(self, monday: date, region: str | None = None) -> list[date]:
        """The working days of one week for someone of `region`."""
        return self.calendar.working_days(monday, region)

    def working_days_per_week(self, region: str | None = None) -> np.ndarray:
        """`W` of the contract for each week: the number of working days in it."""
        counts: np.ndarray = self.calendar.grid(self.start, self.weeks, region).sum(axis=1)
        return counts


def is_employed(day: date, joined_on: date | None, left_on: date | None) -> bool:
    """Missing bounds are open: no `joined_on` means employed since forever."""
    return (joined_on is None or joined_on <= day) and (left_on is None or day <= left_on)


def days_present_by_week(
    horizon: Horizon,
    joined_on: date | None,
    left_on: date | None,
    absences: Iterable[tuple[date, date]] = (),
    region: str | None = None,
) -> np.ndarray:
    """Working days of each week of the horizon on which a person is employed and not absent.

    Computed day by day over a (weeks x 7) grid of day numbers masked by the
    person's calendar, so overlapping absences count a day once; thousands of staff
    over a year make this the slowest part of building an instance, and as array
    comparisons it is a few operations per person and absence.
    """
    days = horizon_days(horizon)
    present = horizon.calendar.grid(horizon.start, horizon.weeks, region).copy()
    if joined_on is not None:
        present &= days >= joined_on.toordinal()
    if left_on is not None:
        present &= days <= left_on.toordinal()
    for start, end in absences:
        present &= (days < start.toordinal()) | (days > end.toordinal())
    counts: np.ndarray = present.sum(axis=1)
    return counts


@lru_cache(maxsize=64)
def horizon_days(horizon: Horizon) -> np.ndarray:
    """Day numbers (`date.toordinal`) of the horizon's days, Monday to Sunday, a row a week."""
    first = horizon.start.toordinal()
    grid = first + 7 * np.arange(horizon.weeks)[:, None] + np.arange(7)
    grid.setflags(write=False)
    return grid


def gap_units(min_fte: float, working_days: int, present_fte_days: float) -> int:
    """The gap of a role in one week: `ceil(2 * (min_fte * W - present) - 1e-9)`, if positive.

    `present_fte_days` is the sum over the role's staff of `fte * days_present`;
    a week without working days has no gap.
    """
    missing = UNITS_PER_FTE_DAY * (min_fte * working_days - present_fte_days)
    return max(0, math.ceil(missing - _EPS))


def capacity_units(capacity_fte: float, days_available: int) -> int:
    """Units a specialist can give in a week: `floor(2 * capacity_fte * days + 1e-9)`."""
    return max(0, math.floor(UNITS_PER_FTE_DAY * capacity_fte * days_available + _EPS))


def request_units(fte: float, days: int) -> int:
    """Units a request adds in a week with `days` of its working days: `ceil(2 * fte * days)`."""
    return max(0, math.ceil(UNITS_PER_FTE_DAY * fte * days - _EPS))


@lru_cache(maxsize=65536)
def utc_offset_hours(timezone: str, monday: date) -> float:
    """The zone's UTC offset at Monday 12:00 UTC of the week, as the contract fixes it.

    Rule 2 (`planner.rules.timezone_reach`) compares these offsets.
    """
    moment = datetime(monday.year, monday.month, monday.day, 12, tzinfo=UTC)
    offset = moment.astimezone(ZoneInfo(timezone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def iso_week_label(monday: date) -> str:
    """`2027-W27, 5 Jul`: how people name a planning week."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}, {monday.day} {monday.strftime('%b')}"
