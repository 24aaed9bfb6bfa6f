"""Rule 3a: per specialist and week, total units no more than that week's capacity."""

from __future__ import annotations

from planner.domain.calendar import Horizon
from planner.rules import capacity
from planner.rules.capacity import specialist_capacity
from planner.solver.instance import build_instance
from tests.builders import (
    MONDAY,
    Pin,
    SpecialistAbsence,
    dataset,
    day,
    operator,
    requirement,
    specialist,
)
from tests.rules.cases import ONE_WEEK, booking, changed, index_of, status_with, verdict

OP1, OP2 = "gap:OP1:technical", "gap:OP2:technical"


def _data(**kw):
    """SP1 can give 6 units a week; OP1 and OP2 need 10 each."""
    return dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[requirement("OP1"), requirement("OP2")],
        specialists=[specialist("SP1", capacity_fte=0.6)],
        **kw,
    )


def test_the_model_lets_a_specialist_give_its_capacity_and_no_more():
    instance = build_instance(_data(), ONE_WEEK)
    s, d1 = index_of(instance, "SP1", OP1)
    _, d2 = index_of(instance, "SP1", OP2)
    assert status_with(instance, capacity.constrain, {(s, d1, 0): 3, (s, d2, 0): 3}) == "OPTIMAL"
    assert status_with(instance, capacity.constrain, {(s, d1, 0): 4, (s, d2, 0): 3}) == "INFEASIBLE"
    # each variable alone may take 6: it is the rule that forbids 7 in all
    assert status_with(instance, None, {(s, d1, 0): 4, (s, d2, 0): 3}) == "OPTIMAL"


def test_capacity_counts_time_off():
    data = _data(specialist_absences=[SpecialistAbsence("SP1", day(0), day(1), "vacation")])
    assert specialist_capacity(data, ONE_WEEK) == {"SP1": (3,)}


def test_the_validator_accepts_a_plan_and_names_an_overbooked_week():
    data = _data()
    plan = [booking(OP1, "SP1", 4), booking(OP2, "SP1", 2)]
    assert verdict(data, plan) == []
    broken = verdict(data, changed(plan, 1, units=3))
    assert broken == ["SP1 in week 2027-01-04: rule 3: 7 units > capacity 6"]


def test_the_fit_test():
    assert capacity.has_time(used=5, capacity=6)
    assert not capacity.has_time(used=6, capacity=6)
    assert capacity.has_time(used=2, capacity=6, units=4)
    assert not capacity.has_time(used=2, capacity=6, units=5)


def test_a_pin_over_capacity_is_dropped_with_what_is_already_pinned():
    data = _data(pinned=[Pin("SP1", OP1, MONDAY, 4), Pin("SP1", OP2, MONDAY, 3)])
    (dropped,) = build_instance(data, ONE_WEEK).dropped_pins
    assert dropped.reason == "SP1 has capacity 6 units that week, 4 already pinned"


def test_the_reasons_say_who_is_away_or_booked():
    away = specialist("SP1", joined_on=day(14))
    week = Horizon(MONDAY, 1)
    assert capacity.away_reason(away, MONDAY, [], week) == f"SP1 joins {day(14)}"
    assert (
        capacity.away_reason(specialist("SP1"), MONDAY, [(day(0), day(4), "sick")], week)
        == "SP1 on sick"
    )
    assert (
        capacity.unavailable_reason("SP1 on sick")
        == "eligible specialists unavailable that week: SP1 on sick"
    )
    assert (
        capacity.fully_booked_reason("SP1", "SP1", "high", "OP2", "OP1")
        == "eligible SP1 fully booked (SP1 on high cover at OP2)"
    )
    assert (
        capacity.fully_booked_reason("SP1, SP2", "SP1", "critical", "OP1", "OP1")
        == "eligible SP1, SP2 fully booked (SP1 already on this client's critical cover)"
    )
