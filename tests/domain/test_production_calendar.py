"""The production calendar: working days, and the demand and capacity counted on them.

Hand-made cases from the contract's "Working days" and "The planning grid": the New
Year week, a week with one holiday, a working Saturday, a regional holiday, a
`calendar.csv` line that beats the default, and a year the planner does not know.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from planner.domain.calendar import Horizon
from planner.domain.demand import build_demands
from planner.domain.production_calendar import (
    DECREES,
    FEDERAL,
    WEEKDAYS,
    calendar_for,
    federal_days_off,
    holiday_name,
    is_federal_working_day,
    labour_code_holidays,
    moved_from,
)
from planner.domain.records import CalendarDay, Request
from planner.rules.capacity import specialist_capacity
from tests.builders import dataset, operator, requirement, specialist

RU = calendar_for(FEDERAL)
NEW_YEAR_WEEK = date(2027, 1, 4)
MARCH_8_WEEK = date(2027, 3, 8)  # Monday 8 March
WORKING_SATURDAY_WEEK = date(2027, 2, 15)  # Saturday 20 February is a working day
MOVED_MONDAY_WEEK = date(2027, 2, 22)  # Monday 22 February (moved) and Tuesday 23 off


def gap(data, monday: date, calendar=RU) -> int:
    (demand,) = build_demands(data, Horizon(monday, 1, calendar)) or [None]
    return demand.units[0] if demand else 0


def capacity(data, monday: date, calendar=RU, spec_id: str = "SP1") -> int:
    return specialist_capacity(data, Horizon(monday, 1, calendar))[spec_id][0]


EMPTY_ROLE = dataset(requirements=[requirement(min_fte=1.0)], specialists=[specialist()])


def test_the_new_year_week_has_no_gap_and_no_capacity():
    assert RU.working_days(NEW_YEAR_WEEK) == []
    assert gap(EMPTY_ROLE, NEW_YEAR_WEEK) == 0
    assert capacity(EMPTY_ROLE, NEW_YEAR_WEEK) == 0


def test_a_week_with_one_holiday_has_four_fifths_of_the_demand():
    assert len(RU.working_days(MARCH_8_WEEK)) == 4
    assert gap(EMPTY_ROLE, MARCH_8_WEEK) == 8
    assert gap(EMPTY_ROLE, MARCH_8_WEEK, calendar_for(WEEKDAYS)) == 10
    assert capacity(EMPTY_ROLE, MARCH_8_WEEK) == 8


def test_a_working_saturday_adds_a_day_and_the_moved_monday_takes_one():
    assert RU.working_days(WORKING_SATURDAY_WEEK)[-1] == date(2027, 2, 20)
    assert gap(EMPTY_ROLE, WORKING_SATURDAY_WEEK) == 12
    assert capacity(EMPTY_ROLE, WORKING_SATURDAY_WEEK) == 12
    assert gap(EMPTY_ROLE, MOVED_MONDAY_WEEK) == 6  # Wednesday to Friday


def test_a_request_counts_its_working_days_only():
    data = dataset(
        requests=[Request("R1", "OP1", "finance", date(2027, 3, 5), date(2027, 3, 12), 0.5)]
    )
    # Friday 5 March, then 9-12 March: the Monday of 8 March is a holiday
    horizon = Horizon(date(2027, 3, 1), 2, RU)
    (demand,) = build_demands(data, horizon)
    assert demand.units == (1, 4)


def test_a_regional_holiday_touches_only_that_regions_operators_and_specialists():
    republic_day = CalendarDay(date(2027, 10, 11), False, "Башкортостан", "День Республики")
    rows = (republic_day,)
    data = dataset(
        operators=[operator("OP1", region="Башкортостан"), operator("OP2")],
        requirements=[requirement("OP1"), requirement("OP2")],
        specialists=[specialist("SP1", region="Башкортостан"), specialist("SP2")],
    )
    horizon = Horizon(date(2027, 10, 11), 1, calendar_for(FEDERAL, rows))
    units = {d.operator_id: d.units[0] for d in build_demands(data, horizon)}
    assert units == {"OP1": 8, "OP2": 10}
    assert specialist_capacity(data, horizon) == {"SP1": (8,), "SP2": (10,)}


def test_a_calendar_line_beats_the_default_and_a_regional_line_beats_the_general_one():
    rows = (
        CalendarDay(date(2027, 3, 8), True, None, "работаем"),
        CalendarDay(date(2027, 3, 9), False, None, "санитарный день"),
        CalendarDay(date(2027, 3, 9), True, "Татарстан", ""),
    )
    calendar = calendar_for(FEDERAL, rows)
    assert calendar.is_working(date(2027, 3, 8))
    assert not calendar.is_working(date(2027, 3, 9))
    assert calendar.is_working(date(2027, 3, 9), "Татарстан")
    assert calendar.is_working(date(2027, 3, 8), "Татарстан")
    assert calendar.override(date(2027, 3, 9), "Татарстан") == rows[2]
    assert calendar.override(date(2027, 3, 9), "Башкортостан") == rows[1]
    assert calendar.override(date(2027, 3, 10), "Татарстан") is None
    assert calendar_for(WEEKDAYS, rows).override(date(2027, 3, 9)) is None


def test_calendar_none_ignores_the_calendar_lines_and_the_holidays():
    rows = (CalendarDay(date(2027, 3, 10), False, None, ""),)
    calendar = calendar_for(WEEKDAYS, rows)
    assert len(calendar.working_days(MARCH_8_WEEK)) == 5
    assert len(calendar.working_days(NEW_YEAR_WEEK)) == 5
    assert calendar.describe(NEW_YEAR_WEEK, NEW_YEAR_WEEK)["warnings"] == []


def test_a_year_the_planner_does_not_know_warns_and_follows_the_labour_code():
    unknown = max(DECREES) + 3
    first, last = date(unknown, 1, 1), date(unknown, 12, 31)
    assert RU.unknown_years(first, last) == [unknown]
    (warning,) = RU.describe(first, last)["warnings"]
    assert str(unknown) in warning
    assert "Labour Code" in warning
    for holiday in labour_code_holidays(unknown):
        assert not is_federal_working_day(holiday)


def test_a_holiday_on_a_weekend_moves_to_the_next_working_day_in_an_unknown_year():
    # 2030 is not known: 23 February is a Saturday, so Monday 25 February is off;
    # 5 January 2030 is a Saturday too, but the January holidays move only by decree
    assert 2030 not in DECREES
    assert not is_federal_working_day(date(2030, 2, 25))
    assert is_federal_working_day(date(2030, 1, 9))


def test_next_year_is_known():
    """Fails when next year's decree is due: add it to `DECREES` once published."""
    assert date.today().year + 1 in DECREES, (
        f"the production calendar of {date.today().year + 1} is not in "
        f"planner/domain/production_calendar.py: add the government's decree for it"
    )


@pytest.mark.parametrize("year", sorted(DECREES))
def test_the_known_years_agree_with_the_holidays_package(year):
    """An independent source: the `holidays` package types the same decrees in."""
    reference = holidays.Russia(years=year)
    day, differences, working = date(year, 1, 1), [], 0
    while day.year == year:
        theirs = (day.weekday() < 5 and day not in reference) or day in reference.weekend_workdays
        working += is_federal_working_day(day)
        if theirs != is_federal_working_day(day):
            differences.append(day)
        day += timedelta(days=1)
    assert differences == []
    assert working == {2024: 248, 2025: 247, 2026: 247, 2027: 247}.get(year, working)


@pytest.mark.parametrize("year", [2027, 2030])
def test_every_public_holiday_has_a_name(year):
    assert all(holiday_name(day) for day in labour_code_holidays(year))
    assert holiday_name(date(year, 3, 8)) == "Women's Day"
    assert holiday_name(date(year, 1, 7)) == "Christmas"
    assert holiday_name(date(year, 3, 9)) is None


def test_a_day_off_moved_by_the_labour_code_names_its_holiday():
    # 2027: Saturday 1 May -> Monday 3 May, Sunday 9 May -> Monday 10 May, Saturday 12 June ->
    # Monday 14 June; Monday 22 February is the decree's transfer of Saturday 20 February
    assert moved_from(date(2027, 5, 3)) == date(2027, 5, 1)
    assert moved_from(date(2027, 5, 10)) == date(2027, 5, 9)
    assert moved_from(date(2027, 6, 14)) == date(2027, 6, 12)
    assert date(2027, 2, 22) in federal_days_off(2027)
    assert moved_from(date(2027, 2, 22)) is None
    # 2025's decree moved Sunday 23 February to 8 May, so Monday 24 February stayed a working day
    assert moved_from(date(2025, 2, 24)) is None
    assert moved_from(date(2027, 5, 4)) is None
