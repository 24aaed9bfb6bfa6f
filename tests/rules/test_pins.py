"""Rule 5: pinned bookings appear in the plan unchanged (unless a pin breaks another rule)."""

from __future__ import annotations

from datetime import date

from planner.rules import pins
from planner.solver.instance import build_instance
from tests.builders import MONDAY, Pin, dataset, requirement, specialist
from tests.rules.cases import ONE_WEEK, changed, index_of, planned, status_with, verdict

DEMAND = "gap:OP1:technical"


def _data(*pinned: Pin):
    """SP2 is dearer, so only its pin puts it on the job."""
    return dataset(
        requirements=[requirement()],
        specialists=[specialist("SP1", cost_per_hour=1000), specialist("SP2", cost_per_hour=3000)],
        pinned=pinned,
    )


def test_the_model_holds_a_pinned_triple_at_its_units():
    instance = build_instance(_data(Pin("SP2", DEMAND, MONDAY, 4)), ONE_WEEK)
    s, d = index_of(instance, "SP2", DEMAND)
    assert status_with(instance, pins.constrain, {(s, d, 0): 4}) == "OPTIMAL"
    assert status_with(instance, pins.constrain, {(s, d, 0): 3}) == "INFEASIBLE"
    assert status_with(instance, None, {(s, d, 0): 3}) == "OPTIMAL"


def test_the_validator_accepts_a_plan_and_names_a_pin_not_kept():
    data = _data(Pin("SP2", DEMAND, MONDAY, 4))
    plan = planned(data)
    assert verdict(data, plan) == []
    kept = next(i for i, b in enumerate(plan) if b.specialist_id == "SP2")
    assert plan[kept].units == 4
    broken = verdict(data, changed(plan, kept, units=3, fte=0.3))
    assert broken == [f"pin SP2 -> {DEMAND} in week 2027-01-04: rule 5: not kept as 4 units"]


def test_a_dropped_pin_binds_nobody():
    data = _data(Pin("SP2", DEMAND, MONDAY, 12))
    (dropped,) = build_instance(data, ONE_WEEK).dropped_pins
    assert dropped.reason == "SP2 has capacity 10 units that week, 0 already pinned"
    plan = planned(data)
    assert verdict(data, plan, dropped_pins=[("SP2", DEMAND, MONDAY)]) == []
    assert verdict(data, plan) == [
        f"pin SP2 -> {DEMAND} in week 2027-01-04: rule 5: not kept as 12 units"
    ]


def test_pins_the_plan_cannot_hold_are_dropped_with_a_reason():
    data = _data(
        Pin("SP1", DEMAND, date(2027, 2, 1), 4),
        Pin("SP9", DEMAND, MONDAY, 4),
        Pin("SP1", "gap:OP1:finance", MONDAY, 4),
        Pin("SP1", DEMAND, MONDAY, 4),
        Pin("SP1", DEMAND, MONDAY, 4),
    )
    reasons = [p.reason for p in build_instance(data, ONE_WEEK).dropped_pins]
    assert reasons == [
        "week 2027-02-01 is outside the plan (2027-01-04 to 2027-01-10)",
        "specialist SP9 is not in the data",
        "gap:OP1:finance needs no cover in week 2027-01-04",
        "duplicate of an earlier pin for the same specialist, demand and week",
    ]
