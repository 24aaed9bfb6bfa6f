"""The weeks of a plan as its calendar makes them: how many working days, and why not five.

The timeline and the overview mark the weeks that are not Monday to Friday (a
week of holidays, a week with one, a working Saturday), because a gap or a
capacity that shrinks in such a week is the calendar, not a hole in the plan.
Pure functions of a `Plan`'s calendar: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from planner.domain.production_calendar import (
    WEEKDAYS,
    WorkingCalendar,
    holiday_name,
    is_federal_working_day,
    moved_from,
)
from planner.planning.plan import Plan
from planner.reports.format import HOLIDAY_WEEK_COLOR, LONG_WEEK_COLOR, SHORT_WEEK_COLOR

USUAL_WORKING_DAYS = 5


@dataclass(frozen=True)
class CalendarWeek:
    """One week of the grid for someone of `region` (None: the federal calendar)."""

    monday: date
    working_days: int
    note: str
    """`4 working days (8 Mar Women's Day)`: what the screens say about the week."""

    @property
    def unusual(self) -> bool:
        """Fewer or more than five working days: the weeks the screens mark."""
        return self.working_days != USUAL_WORKING_DAYS

    @property
    def short_label(self) -> str:
        """`4d`, for a week's tick or band where the whole note does not fit."""
        return f"{self.working_days}d"


def band_color(week: CalendarWeek) -> str:
    """The fill of an unusual week's band: darker the fewer days there are to work."""
    if week.working_days == 0:
        return HOLIDAY_WEEK_COLOR
    return SHORT_WEEK_COLOR if week.working_days < USUAL_WORKING_DAYS else LONG_WEEK_COLOR


def week_working_days(plan: Plan, region: str | None = None) -> list[int]:
    """`W` of every week of the plan, in order, for someone of `region`."""
    return [int(w) for w in plan.horizon.working_days_per_week(region)]


def week_note(plan: Plan, monday: date, region: str | None = None) -> str:
    """`no working days (New Year holidays, 7 Jan Christmas)`, `6 working days (...)`."""
    return calendar_week(plan, monday, region).note


def calendar_week(plan: Plan, monday: date, region: str | None = None) -> CalendarWeek:
    """The week from `monday` by the plan's calendar for someone of `region`."""
    return _week(plan.calendar, monday, region or None)


def calendar_weeks(plan: Plan, region: str | None = None) -> list[CalendarWeek]:
    """Every week of the plan with its working days and its note, in order."""
    return [_week(plan.calendar, monday, region or None) for monday in plan.horizon.mondays]


@lru_cache(maxsize=4096)
def _week(calendar: WorkingCalendar, monday: date, region: str | None) -> CalendarWeek:
    mask = calendar.week(monday, region)
    count = sum(mask)
    head = "no working days" if count == 0 else f"{count} working day{'s' * (count != 1)}"
    if calendar.name == WEEKDAYS:
        return CalendarWeek(monday, count, head)
    reasons: list[tuple[str, date]] = []
    for offset, working in enumerate(mask):
        day = monday + timedelta(days=offset)
        weekend = offset >= USUAL_WORKING_DAYS
        if working == weekend:  # a weekday off or a weekend day at work
            reasons.append(_reason(calendar, day, working, region))
    return CalendarWeek(monday, count, f"{head} ({_join(reasons)})" if reasons else head)


def _reason(
    calendar: WorkingCalendar, day: date, working: bool, region: str | None
) -> tuple[str, date]:
    """Why `day` is off (a weekday) or at work (a weekend day), as short as it can say."""
    row = calendar.override(day, region)  # the row that decides the day, so row.working == working
    if row is not None:
        fallback = "working day" if working else ("regional day off" if row.region else "day off")
        return row.note.strip() or fallback, day
    if working:
        return f"working {day:%A}", day
    name = holiday_name(day)
    if name is not None and not is_federal_working_day(day):
        return name, day
    source = moved_from(day)
    if source is not None:
        return f"day off moved from {_day(source)}", day
    return "moved day off", day


def _join(reasons: list[tuple[str, date]]) -> str:
    """One entry per reason, in date order; a reason of one day names its date.

    `New Year holidays` covers five days of one week: its dates would say nothing more.
    """
    days: dict[str, list[date]] = {}
    for reason, day in reasons:
        days.setdefault(reason, []).append(day)
    return ", ".join(
        f"{_day(when[0])} {reason}" if len(when) == 1 else reason for reason, when in days.items()
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"
