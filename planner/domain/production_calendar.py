"""The production calendar: which dates are working days, for whom.

Russian operators and the vendor's specialists work by the federal production
calendar: Monday to Friday, except the public holidays of the Labour Code
(article 112) and the days off the government moves each year by decree, plus
the weekend days that decree makes working days. A dataset's `calendar.csv`
overrides it day by day, first for everyone, then for one region (a republic's
own holidays). The planner holds the decrees it knows as reviewed data below;
for any other year it applies the Labour Code alone and says so, because the
government publishes each year's transfers only a few months ahead.

Everything here is pure: dates in, answers out, cached per year and per week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from planner.domain.records import CalendarDay

FEDERAL = "ru"
"""The Russian federal production calendar with the dataset's `calendar.csv`."""
WEEKDAYS = "none"
"""Monday to Friday, every week, `calendar.csv` ignored: the grid before calendars."""
CALENDARS = (FEDERAL, WEEKDAYS)

_NEW_YEAR_HOLIDAYS = (1, 2, 3, 4, 5, 6, 8)
"""January days off whose weekend coincidences only a decree moves (art. 112, part 2)."""


@dataclass(frozen=True)
class Decree:
    """One year's production calendar beyond its holidays, as the government publishes it.

    `days_off` are all the weekdays off that are not holidays themselves: the
    Labour Code's moves of a holiday that fell on a weekend, and the decree's
    transfers (which may replace those moves, as in 2025). `working_days` are
    weekend days made working days. A year's list is complete, so the Labour
    Code's rule for moving days is not applied on top of it.
    """

    year: int
    days_off: tuple[date, ...]
    working_days: tuple[date, ...] = ()


def _d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


DECREES: dict[int, Decree] = {
    decree.year: decree
    for decree in (
        # 2024: Sat 27 Apr -> Mon 29 Apr, Sat 2 Nov -> Tue 30 Apr, Sat 6 Jan -> Fri 10 May,
        # Sat 28 Dec -> Mon 30 Dec, Sun 7 Jan -> Tue 31 Dec
        Decree(
            2024,
            (_d(2024, 4, 29), _d(2024, 4, 30), _d(2024, 5, 10), _d(2024, 12, 30), _d(2024, 12, 31)),
            (_d(2024, 4, 27), _d(2024, 11, 2), _d(2024, 12, 28)),
        ),
        # 2025: Sat 4 Jan -> Fri 2 May, Sun 5 Jan -> Wed 31 Dec, Sat 1 Nov -> Mon 3 Nov,
        # and Sun 23 Feb -> Thu 8 May, Sat 8 Mar -> Fri 13 Jun instead of the next Mondays
        Decree(
            2025,
            (_d(2025, 5, 2), _d(2025, 5, 8), _d(2025, 6, 13), _d(2025, 11, 3), _d(2025, 12, 31)),
            (_d(2025, 11, 1),),
        ),
        # 2026: Sat 3 Jan -> Fri 9 Jan, Sun 4 Jan -> Thu 31 Dec; Sun 8 Mar -> Mon 9 Mar and
        # Sat 9 May -> Mon 11 May by the Labour Code
        Decree(2026, (_d(2026, 1, 9), _d(2026, 3, 9), _d(2026, 5, 11), _d(2026, 12, 31))),
        # 2027: Sat 20 Feb -> Mon 22 Feb, Sat 2 Jan -> Fri 5 Nov, Sun 3 Jan -> Fri 31 Dec;
        # Sat 1 May -> Mon 3 May, Sun 9 May -> Mon 10 May, Sat 12 Jun -> Mon 14 Jun by the
        # Labour Code
        Decree(
            2027,
            (
                _d(2027, 2, 22),
                _d(2027, 5, 3),
                _d(2027, 5, 10),
                _d(2027, 6, 14),
                _d(2027, 11, 5),
                _d(2027, 12, 31),
            ),
            (_d(2027, 2, 20),),
        ),
    )
}
"""The years the planner knows. Add next year's decree here when it is published (autumn)."""


def labour_code_holidays(year: int) -> tuple[date, ...]:
    """The public holidays of the Labour Code, article 112, part 1."""
    days = [date(year, 1, d) for d in (1, 2, 3, 4, 5, 6, 7, 8)]
    days += [
        date(year, 2, 23),
        date(year, 3, 8),
        date(year, 5, 1),
        date(year, 5, 9),
        date(year, 6, 12),
        date(year, 11, 4),
    ]
    return tuple(days)


HOLIDAY_NAMES: dict[tuple[int, int], str] = {
    **{(1, d): "New Year holidays" for d in _NEW_YEAR_HOLIDAYS},
    (1, 7): "Christmas",
    (2, 23): "Defender of the Fatherland Day",
    (3, 8): "Women's Day",
    (5, 1): "Spring and Labour Day",
    (5, 9): "Victory Day",
    (6, 12): "Russia Day",
    (11, 4): "Unity Day",
}
"""The English names of the Labour Code's holidays by (month, day), as the screens show them."""


def holiday_name(day: date) -> str | None:
    """The public holiday `day` is, or None: the holidays fall on the same dates every year."""
    return HOLIDAY_NAMES.get((day.month, day.day))


def _moves(holidays: frozenset[date]) -> dict[date, date]:
    """Weekdays off because a holiday fell on a weekend (art. 112, part 2), to that holiday.

    The day off moves to the next working day after the holiday; the January
    holidays but Christmas are excepted: only a decree moves those.
    """
    moved: dict[date, date] = {}
    for holiday in sorted(holidays):
        if holiday.weekday() < 5 or (holiday.month == 1 and holiday.day in _NEW_YEAR_HOLIDAYS):
            continue
        day = holiday + timedelta(days=1)
        while day.weekday() >= 5 or day in holidays or day in moved:
            day += timedelta(days=1)
        moved[day] = holiday
    return moved


def moved_from(day: date) -> date | None:
    """The weekend holiday whose day off `day` is, when the Labour Code's rule says so.

    A decree's own transfers (a Saturday's day off moved to a Monday) are not
    recorded with their source, so for those this answers None; a decree that
    replaces the Labour Code's move leaves the Labour Code's day a working day,
    and that day gets None too.
    """
    if day not in federal_days_off(day.year):
        return None
    return _moves(frozenset(labour_code_holidays(day.year))).get(day)


@lru_cache(maxsize=64)
def federal_days_off(year: int) -> frozenset[date]:
    """Every weekday of `year` that is not a working day by the federal calendar."""
    holidays = frozenset(labour_code_holidays(year))
    off = {day for day in holidays if day.weekday() < 5}
    decree = DECREES.get(year)
    if decree is not None:
        off |= set(decree.days_off)
    else:
        off |= {day for day in _moves(holidays) if day.year == year}
    return frozenset(off)


@lru_cache(maxsize=64)
def federal_working_weekend(year: int) -> frozenset[date]:
    """Weekend days of `year` that the decree makes working days."""
    decree = DECREES.get(year)
    return frozenset(decree.working_days) if decree else frozenset()


def is_federal_working_day(day: date) -> bool:
    if day in federal_working_weekend(day.year):
        return True
    return day.weekday() < 5 and day not in federal_days_off(day.year)


def is_known_year(year: int) -> bool:
    return year in DECREES


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days: the chosen calendar and the dataset's overrides.

    Frozen and hashable, so the planning grid can carry it and caches can key on it.
    Overrides are `calendar.csv`'s rows; they apply to the federal calendar only.
    """

    name: str = WEEKDAYS
    overrides: tuple[CalendarDay, ...] = ()
    _general: dict[date, CalendarDay] = field(init=False, repr=False, compare=False, hash=False)
    _regional: dict[tuple[date, str], CalendarDay] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if self.name not in CALENDARS:
            raise ValueError(f"unknown calendar {self.name!r}: use {' or '.join(CALENDARS)}")
        general: dict[date, CalendarDay] = {}
        regional: dict[tuple[date, str], CalendarDay] = {}
        if self.name == FEDERAL:
            for row in self.overrides:
                if row.region:
                    regional[(row.date, row.region)] = row
                else:
                    general[row.date] = row
        object.__setattr__(self, "_general", general)
        object.__setattr__(self, "_regional", regional)

    def is_working(self, day: date, region: str | None = None) -> bool:
        """Is `day` a working day for someone of `region` (None: no region)?"""
        if self.name == WEEKDAYS:
            return day.weekday() < 5
        row = self.override(day, region)
        if row is not None:
            return row.working
        return is_federal_working_day(day)

    def override(self, day: date, region: str | None = None) -> CalendarDay | None:
        """The `calendar.csv` row that decides `day` for `region`, if any: the region's own
        row before the row for everyone."""
        if region and (day, region) in self._regional:
            return self._regional[(day, region)]
        return self._general.get(day)

    def week(self, monday: date, region: str | None = None) -> tuple[bool, ...]:
        """Monday to Sunday of one week: working or not."""
        return _week_mask(self, monday, region or None)

    def working_days(self, monday: date, region: str | None = None) -> list[date]:
        """The working days of the week starting on `monday`, in date order."""
        return [
            monday + timedelta(days=k)
            for k, working in enumerate(self.week(monday, region))
            if working
        ]

    def grid(self, start: date, weeks: int, region: str | None = None) -> np.ndarray:
        """A (weeks x 7) read-only mask of working days from the Monday `start`."""
        return _grid(self, start, weeks, region or None)

    def years(self, first: date, last: date) -> list[int]:
        return list(range(first.year, last.year + 1))

    def unknown_years(self, first: date, last: date) -> list[int]:
        """Years between the dates whose decree the planner does not know."""
        if self.name == WEEKDAYS:
            return []
        return [year for year in self.years(first, last) if not is_known_year(year)]

    def warnings(self, first: date, last: date) -> list[str]:
        """What a user must know about the calendar between two dates."""
        return [
            f"the production calendar of {year} is not known: its public holidays follow "
            f"the Labour Code, without the government's transfers of days off"
            for year in self.unknown_years(first, last)
        ]

    def describe(self, first: date, last: date) -> dict:
        """The calendar as `summary.json` reports it."""
        if self.name == WEEKDAYS:
            return {"name": WEEKDAYS, "years_known": [], "overrides": 0, "warnings": []}
        return {
            "name": FEDERAL,
            "years_known": [y for y in self.years(first, last) if is_known_year(y)],
            "overrides": len(self.overrides),
            "warnings": self.warnings(first, last),
        }


MONDAY_TO_FRIDAY = WorkingCalendar()
"""`--calendar none`, and the grid of code that names no calendar (tests, scratch plans)."""


@lru_cache(maxsize=8192)
def _week_mask(calendar: WorkingCalendar, monday: date, region: str | None) -> tuple[bool, ...]:
    return tuple(calendar.is_working(monday + timedelta(days=k), region) for k in range(7))


@lru_cache(maxsize=1024)
def _grid(calendar: WorkingCalendar, start: date, weeks: int, region: str | None) -> np.ndarray:
    mask = np.array(
        [_week_mask(calendar, start + timedelta(weeks=k), region) for k in range(weeks)], dtype=bool
    ).reshape(weeks, 7)
    mask.setflags(write=False)
    return mask


def calendar_for(name: str, rows: Iterable[CalendarDay] = ()) -> WorkingCalendar:
    """The calendar a plan uses: `name` from `CALENDARS`, with `calendar.csv`'s rows."""
    return WorkingCalendar(name, tuple(rows) if name == FEDERAL else ())
