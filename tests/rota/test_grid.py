"""The hour grid: rule 1 by each specialist's local date, at-work hours and promised hours
on the right calendar and in local time across daylight saving time."""

from __future__ import annotations

from datetime import date

import numpy as np

from planner.domain.records import CalendarDay, SpecialistAbsence
from planner.rota.grid import RotaGrid
from planner.rota.records import RotaParams
from tests.builders import operator, specialist
from tests.rota.cases import ONE_WEEK, WORKING_WEEK, by_hand, rota_data, solved


def utc_hours(row: np.ndarray, day: int) -> list[int]:
    """The UTC hours of one day of the grid (0 = the first Monday) where `row` holds."""
    return np.flatnonzero(row[24 * day : 24 * day + 24]).tolist()


# ---------------------------------------------------------------- rule 1


def test_rule_1_only_on_call_technical_specialists_are_in_the_grid():
    data = rota_data(
        specialists=[
            specialist("SP1", tz="UTC"),
            specialist("SP2", tz="UTC", oncall=False),
            specialist("SP3", roles="finance:3;subscriber:3", tz="UTC"),
        ]
    )
    grid = RotaGrid(data, ONE_WEEK)
    assert [s.specialist_id for s in grid.specialists] == ["SP1"]
    assert {s.specialist_id for s in solved(data).shifts} == {"SP1"}


def test_rule_1_an_absence_takes_the_specialists_local_date():
    # Vladivostok is UTC+10: 5 January there is 14:00 UTC on the 4th to 14:00 UTC on the 5th
    data = rota_data(
        specialists=[specialist("SP1", tz="Asia/Vladivostok")],
        specialist_absences=[SpecialistAbsence("SP1", date(2027, 1, 5), date(2027, 1, 5))],
    )
    available = RotaGrid(data, ONE_WEEK).available[0]
    assert np.flatnonzero(~available).tolist() == list(range(14, 38))
    rota = solved(data)
    for shift in rota.shifts:
        first, end = ONE_WEEK.hour_of(shift.start), ONE_WEEK.hour_of(shift.end)
        assert end <= 14 or first >= 38, shift


def test_rule_1_employment_takes_the_specialists_local_date():
    # New York is UTC-5: 6 January there begins at 05:00 UTC, 8 January ends at 05:00 UTC on the 9th
    data = rota_data(
        specialists=[
            specialist("SP1", tz="America/New_York", joined_on=date(2027, 1, 6)),
            specialist("SP2", tz="America/New_York", left_on=date(2027, 1, 8)),
        ]
    )
    available = RotaGrid(data, ONE_WEEK).available
    assert np.flatnonzero(available[0])[0] == 48 + 5
    assert np.flatnonzero(available[1])[-1] == 5 * 24 + 5 - 1
    for shift in solved(data).shifts:
        first, end = ONE_WEEK.hour_of(shift.start), ONE_WEEK.hour_of(shift.end)
        assert first >= 53 if shift.specialist_id == "SP1" else end <= 125, shift


# ---------------------------------------------------------------- at work


def test_a_specialist_is_at_work_09_to_17_local_on_its_working_days():
    # Moscow is UTC+3; 11-15 January 2027 are working days, the weekend is not
    data = rota_data(specialists=[specialist("SP1", tz="Europe/Moscow")])
    at_work = RotaGrid(data, WORKING_WEEK).at_work[0]
    for day in range(5):
        assert utc_hours(at_work, day) == list(range(6, 15))
    assert utc_hours(at_work, 5) == utc_hours(at_work, 6) == []
    # 4-8 January are the New Year holidays: nobody is at work
    assert not RotaGrid(data, ONE_WEEK).at_work[0, : 5 * 24].any()


def test_work_hours_move_the_specialists_day_not_the_8x5_contract():
    data = rota_data(
        operators=[operator(sla="8x5", tz="UTC")],
        specialists=[specialist("SP1", tz="UTC")],
    )
    grid = RotaGrid(data, RotaParams(WORKING_WEEK.start, 1, work_hours=(8, 16)))
    assert utc_hours(grid.at_work[0], 0) == list(range(8, 17))
    assert utc_hours(grid.promised[0], 0) == list(range(9, 18))


def test_at_work_hours_stay_local_across_the_change_to_summer_time():
    # Berlin moves from UTC+1 to UTC+2 on Sunday 28 March 2027
    params = RotaParams(date(2027, 3, 22), 2)
    data = rota_data(
        operators=[operator(sla="8x5", tz="Europe/Berlin")],
        specialists=[specialist("SP1", tz="Europe/Berlin")],
    )
    grid = RotaGrid(data, params)
    for day in range(5):
        assert utc_hours(grid.at_work[0], day) == list(range(8, 17)), day
        assert utc_hours(grid.at_work[0], 7 + day) == list(range(7, 16)), day
        assert utc_hours(grid.promised[0], day) == list(range(8, 17)), day
        assert utc_hours(grid.promised[0], 7 + day) == list(range(7, 16)), day
    # a shift 06:00-10:00 UTC is 2 h at work on Friday 26 March, 3 h on Friday 2 April
    rota = by_hand(data, params, {"SP1": [(4 * 24 + 6, 4 * 24 + 10), (11 * 24 + 6, 11 * 24 + 10)]})
    assert [(s.at_work_hours, s.off_work_hours) for s in rota.shifts] == [(2, 2), (3, 1)]


# ---------------------------------------------------------------- promised hours


def test_an_8x5_client_has_no_promised_hours_on_its_regional_holiday_a_24x7_client_does():
    region = "Республика Татарстан"
    holiday = CalendarDay(date(2027, 1, 13), False, region, "regional holiday")
    data = rota_data(
        operators=[
            operator("OP8", tz="Europe/Moscow", sla="8x5", region=region),
            operator("OP24", tz="Europe/Moscow", sla="24x7", region=region),
            operator("OPX", tz="Europe/Moscow", sla="8x5"),
        ],
        calendar=(holiday,),
    )
    promised = RotaGrid(data, WORKING_WEEK).promised
    wednesday = 2
    assert utc_hours(promised[0], wednesday - 1) == list(range(6, 15))
    assert utc_hours(promised[0], wednesday) == []
    assert utc_hours(promised[1], wednesday) == list(range(24))
    assert utc_hours(promised[2], wednesday) == list(range(6, 15))
    assert promised[0].sum() == 4 * 9
    assert promised[1].sum() == 168


def test_an_operator_hour_is_answered_only_by_the_qualified_and_in_time():
    data = rota_data(
        operators=[
            operator("OPA", sla="24x7", response_minutes=20, incident_level=2),
            operator("OPB", sla="24x7", response_minutes=60, incident_skills=("oracle",)),
        ],
        specialists=[
            specialist("SP1", tz="Europe/Moscow", skills=("oracle",)),
            specialist("SP2", roles="technical:1", tz="Europe/Moscow", skills=("oracle",)),
            specialist("SP3", tz="Europe/Moscow"),
        ],
    )
    grid = RotaGrid(data, WORKING_WEEK)
    assert grid.qualified.tolist() == [[True, False, True], [True, False, False]]
    # OPA wants an answer in 20 min: only at work (15 min), never on standby (30 min)
    monday_noon_utc = 9
    night = 0
    assert grid.answerers(0)[:, monday_noon_utc].tolist() == [True, False, True]
    assert grid.answerers(0)[:, night].tolist() == [False, False, False]
    assert grid.answerers(1)[:, night].tolist() == [True, False, False]
