"""Demand and capacity follow the contract's calendar rules to the unit."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.calendar import (
    Horizon,
    capacity_units,
    gap_units,
    request_units,
    utc_offset_hours,
)
from planner.domain.demand import build_demands, present_fte_days
from planner.rules.capacity import specialist_capacity
from tests.builders import (
    MONDAY,
    Absence,
    Request,
    SpecialistAbsence,
    dataset,
    day,
    requirement,
    specialist,
    staff,
)

TWO_WEEKS = Horizon(MONDAY, 2)


def units_of(data, demand_id: str, horizon: Horizon = TWO_WEEKS) -> tuple[int, ...]:
    found = {d.demand_id: d.units for d in build_demands(data, horizon)}
    return found.get(demand_id, (0,) * horizon.weeks)


def test_fully_staffed_role_has_no_gap():
    data = dataset(requirements=[requirement(min_fte=1)], staff_members=[staff("S1")])
    assert build_demands(data, TWO_WEEKS) == []


def test_role_without_staff_needs_its_whole_min_fte():
    data = dataset(requirements=[requirement(min_fte=1.5)])
    assert units_of(data, "gap:OP1:technical") == (15, 15)


def test_vacation_on_two_working_days_leaves_a_gap_of_two_fifths():
    data = dataset(
        requirements=[requirement()],
        staff_members=[staff("S1")],
        absences=[Absence("S1", day(1), day(2), "vacation")],
    )
    assert units_of(data, "gap:OP1:technical") == (4, 0)


def test_weekend_absence_changes_nothing():
    data = dataset(
        requirements=[requirement()],
        staff_members=[staff("S1")],
        absences=[Absence("S1", day(5), day(6), "sick")],
    )
    assert units_of(data, "gap:OP1:technical") == (0, 0)


def test_overlapping_absences_count_each_day_once():
    data = dataset(
        requirements=[requirement()],
        staff_members=[staff("S1")],
        absences=[Absence("S1", day(0), day(2), "vacation"), Absence("S1", day(1), day(3), "sick")],
    )
    assert units_of(data, "gap:OP1:technical") == (8, 0)


def test_leaver_counts_until_the_last_working_day_inclusive():
    # left on Wednesday: present Mon-Wed (3 days) in week 1, gone in week 2
    data = dataset(requirements=[requirement()], staff_members=[staff("S1", left_on=day(2))])
    assert units_of(data, "gap:OP1:technical") == (4, 10)


def test_new_hire_counts_from_the_first_day():
    # joins on Thursday of week 1: present Thu, Fri
    data = dataset(requirements=[requirement()], staff_members=[staff("S1", joined_on=day(3))])
    assert units_of(data, "gap:OP1:technical") == (6, 0)


def test_leaver_and_replacement_in_the_same_week_add_up():
    data = dataset(
        requirements=[requirement()],
        staff_members=[staff("S1", left_on=day(1)), staff("S2", joined_on=day(3))],
    )
    # present: S1 Mon-Tue (0.4), S2 Thu-Fri (0.4): gap 0.2
    assert units_of(data, "gap:OP1:technical") == (2, 0)


def test_part_time_staff_count_by_their_fte():
    data = dataset(
        requirements=[requirement(min_fte=1)],
        staff_members=[staff("S1", fte=0.5), staff("S2", fte=0.3)],
    )
    assert units_of(data, "gap:OP1:technical") == (2, 2)


@pytest.mark.parametrize(
    ("missing", "units"),
    [
        (0.0, 0),
        (-0.5, 0),
        (0.1, 1),
        (0.3, 3),
        (1 - 0.7, 3),
        (0.12, 2),
        (0.3000000001, 3),
        (1e-12, 0),
        (2.05, 21),
    ],
)
def test_demand_rounds_up_but_ignores_float_noise(missing, units):
    # the missing FTE over a week of five working days with nobody present
    assert gap_units(missing, 5, 0.0) == units


def test_float_noise_in_present_fte_does_not_create_a_unit():
    # 0.1 * 3 staff = 0.30000000000000004 present of a 0.3 requirement: no gap
    data = dataset(
        requirements=[requirement(min_fte=0.3)],
        staff_members=[staff(f"S{i}", fte=0.1) for i in range(3)],
    )
    assert build_demands(data, TWO_WEEKS) == []


@pytest.mark.parametrize(
    ("capacity_fte", "days", "units"),
    [(1.0, 5, 10), (0.5, 5, 5), (0.7, 3, 4), (0.3, 1, 0), (0.5, 1, 1), (0.6, 5, 6)],
)
def test_capacity_rounds_down(capacity_fte, days, units):
    assert capacity_units(capacity_fte, days) == units


@pytest.mark.parametrize(
    ("fte", "days", "units"), [(0.5, 5, 5), (0.5, 3, 3), (0.3, 3, 2), (1.0, 1, 2), (2.0, 5, 20)]
)
def test_request_units_round_up(fte, days, units):
    assert request_units(fte, days) == units


def test_request_spread_over_partial_weeks():
    # Thursday of week 1 to Tuesday of week 2, half time: 2 days and 2 days
    data = dataset(requests=[Request("R1", "OP1", "finance", day(3), day(8), 0.5)])
    assert units_of(data, "req:R1") == (2, 2)


def test_request_outside_horizon_has_no_demand():
    data = dataset(
        requests=[Request("R1", "OP1", "finance", date(2027, 3, 1), date(2027, 3, 5), 1.0)]
    )
    assert build_demands(data, TWO_WEEKS) == []


def test_demand_keeps_skills_level_and_priority_of_its_requirement():
    data = dataset(requirements=[requirement(skills=("oracle",), min_level=2, priority="critical")])
    (demand,) = build_demands(data, TWO_WEEKS)
    assert (demand.skills, demand.min_level, demand.priority) == (("oracle",), 2, "critical")


def test_present_fte_days_sums_staff_of_the_role():
    data = dataset(
        requirements=[requirement()],
        staff_members=[staff("S1", fte=0.5), staff("S2", fte=0.5, role="finance")],
    )
    present = present_fte_days(data, TWO_WEEKS)
    assert present[("OP1", "technical")] == [2.5, 2.5]
    assert present[("OP1", "finance")] == [2.5, 2.5]


def test_specialist_capacity_counts_employment_and_time_off():
    data = dataset(
        specialists=[
            specialist("SP1", capacity_fte=0.8, joined_on=day(2)),
            specialist("SP2"),
            specialist("SP3", left_on=day(7)),
        ],
        specialist_absences=[SpecialistAbsence("SP2", day(7), day(11), "vacation")],
    )
    capacity = specialist_capacity(data, TWO_WEEKS)
    assert capacity["SP1"] == (4, 8)  # Wed-Fri at 0.8: floor(4.8)
    assert capacity["SP2"] == (10, 0)
    assert capacity["SP3"] == (10, 2)  # last day is the Monday of week 2


def test_time_zone_offsets_are_taken_at_monday_noon_utc():
    assert utc_offset_hours("Asia/Kamchatka", MONDAY) == 12
    assert utc_offset_hours("Asia/Kolkata", MONDAY) == 5.5
    # Berlin switches to summer time on 2027-03-28
    assert utc_offset_hours("Europe/Berlin", date(2027, 3, 22)) == 1
    assert utc_offset_hours("Europe/Berlin", date(2027, 3, 29)) == 2


def test_horizon_must_start_on_a_monday():
    with pytest.raises(ValueError, match="Monday"):
        Horizon(date(2027, 1, 5), 2)
