"""Weeks, working days and 0.1-FTE units: the planning grid of the contract.

Everything the planner counts is an integer number of units (0.1 FTE for one
week, i.e. 4 hours). The rounding rules live here, in one place, because the
independent plan checker and the demand builder must agree on them to the unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

WORKING_DAYS_PER_WEEK = 5
UNITS_PER_FTE = 10
HOURS_PER_UNIT = 4
_EPS = 1e-9


@dataclass(frozen=True)
class Horizon:
    """`weeks` whole weeks starting on the Monday `start`."""

    start: date
    weeks: int

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

    def week_index(self, monday: date) -> int | None:
        """Index of the week starting on `monday`, or None if it is not one of ours."""
        delta = (monday - self.start).days
        if delta % 7 or not 0 <= delta // 7 < self.weeks:
            return None
        return delta // 7


def working_days(monday: date) -> list[date]:
    return [monday + timedelta(days=k) for k in range(WORKING_DAYS_PER_WEEK)]


def is_employed(day: date, joined_on: date | None, left_on: date | None) -> bool:
    """Missing bounds are open: no `joined_on` means employed since forever."""
    return (joined_on is None or joined_on <= day) and (left_on is None or day <= left_on)


def days_present_by_week(
    horizon: Horizon,
    joined_on: date | None,
    left_on: date | None,
    absences: Iterable[tuple[date, date]] = (),
) -> np.ndarray:
    """Working days of each week of the horizon on which a person is employed and not absent.

    Computed day by day over a (weeks x 5) grid of day numbers, so overlapping
    absences count a day once; thousands of staff over a year make this the
    slowest part of building an instance, and as array comparisons it is a few
    operations per person and absence.
    """
    days = horizon_days(horizon)
    present = np.ones(days.shape, dtype=bool)
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
    """Day numbers (`date.toordinal`) of the horizon's working days, one row per week."""
    first = horizon.start.toordinal()
    grid = first + 7 * np.arange(horizon.weeks)[:, None] + np.arange(WORKING_DAYS_PER_WEEK)
    grid.setflags(write=False)
    return grid


def demand_units(missing_fte: float) -> int:
    """Units needed to cover `missing_fte`: rounded up, tolerant of float noise."""
    if missing_fte <= 0:
        return 0
    return max(0, math.ceil(UNITS_PER_FTE * missing_fte - _EPS))


def capacity_units(capacity_fte: float, days_available: int) -> int:
    """Units a specialist can give in a week: rounded down, tolerant of float noise."""
    return max(
        0, math.floor(UNITS_PER_FTE * capacity_fte * days_available / WORKING_DAYS_PER_WEEK + _EPS)
    )


def request_units(fte: float, days: int) -> int:
    return demand_units(fte * days / WORKING_DAYS_PER_WEEK)


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
