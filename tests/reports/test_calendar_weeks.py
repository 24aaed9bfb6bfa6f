"""The weeks of a plan by its calendar: the working days and the note the screens show."""

from __future__ import annotations

from datetime import date

from planner.domain.production_calendar import FEDERAL, WEEKDAYS, calendar_for
from planner.domain.records import CalendarDay
from planner.planning.plan import Plan
from planner.reports.calendar_weeks import calendar_weeks, week_note, week_working_days

NEW_YEAR_WEEK = date(2027, 1, 4)
WORKING_SATURDAY_WEEK = date(2027, 2, 15)
MOVED_MONDAY_WEEK = date(2027, 2, 22)
MARCH_8_WEEK = date(2027, 3, 8)
MAY_3_WEEK = date(2027, 5, 3)


def empty_plan(start: date = NEW_YEAR_WEEK, weeks: int = 12, calendar=None) -> Plan:
    return Plan(start, weeks, 4.0, (), (), {}, calendar or calendar_for(FEDERAL))


def test_the_new_year_week_has_no_working_days():
    plan = empty_plan()
    assert week_working_days(plan)[0] == 0
    assert week_note(plan, NEW_YEAR_WEEK) == "no working days (New Year holidays, 7 Jan Christmas)"


def test_a_week_with_one_holiday_names_it():
    plan = empty_plan()
    assert week_working_days(plan)[9] == 4
    assert week_note(plan, MARCH_8_WEEK) == "4 working days (8 Mar Women's Day)"


def test_a_working_saturday_makes_six_days_and_its_monday_off_three():
    plan = empty_plan()
    assert week_working_days(plan)[6:8] == [6, 3]
    assert week_note(plan, WORKING_SATURDAY_WEEK) == "6 working days (20 Feb working Saturday)"
    assert week_note(plan, MOVED_MONDAY_WEEK) == (
        "3 working days (22 Feb moved day off, 23 Feb Defender of the Fatherland Day)"
    )


def test_a_day_off_moved_by_the_labour_code_says_from_where():
    assert week_note(empty_plan(MAY_3_WEEK, 1), MAY_3_WEEK) == (
        "4 working days (3 May day off moved from 1 May)"
    )


def test_ordinary_weeks_are_not_marked_and_weekdays_only_marks_none():
    weeks = calendar_weeks(empty_plan())
    assert [w.monday for w in weeks if w.unusual] == [
        NEW_YEAR_WEEK,
        WORKING_SATURDAY_WEEK,
        MOVED_MONDAY_WEEK,
        MARCH_8_WEEK,
    ]
    weekdays = empty_plan(calendar=calendar_for(WEEKDAYS))
    assert week_working_days(weekdays) == [5] * 12
    assert not any(w.unusual for w in calendar_weeks(weekdays))
    assert week_note(weekdays, NEW_YEAR_WEEK) == "5 working days"


def test_a_regional_holiday_counts_for_its_region_only_and_says_its_note():
    calendar = calendar_for(
        FEDERAL,
        [
            CalendarDay(date(2027, 3, 22), False, "Татарстан", "Navruz"),
            CalendarDay(date(2027, 3, 23), False, "Татарстан"),
            CalendarDay(date(2027, 3, 27), True, note="stocktaking Saturday"),
        ],
    )
    plan = empty_plan(calendar=calendar)
    assert week_working_days(plan)[11] == 6
    assert week_working_days(plan, "Татарстан")[11] == 4
    assert week_note(plan, date(2027, 3, 22)) == "6 working days (27 Mar stocktaking Saturday)"
    assert week_note(plan, date(2027, 3, 22), "Татарстан") == (
        "4 working days (22 Mar Navruz, 23 Mar regional day off, 27 Mar stocktaking Saturday)"
    )
