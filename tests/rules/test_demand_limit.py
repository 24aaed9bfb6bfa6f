"""Rule 4: per demand and week, no more units than the demand needs."""

from __future__ import annotations

from planner.rules import demand_limit
from planner.solver.instance import build_instance
from tests.builders import MONDAY, Pin, dataset, requirement, specialist
from tests.rules.cases import ONE_WEEK, booking, changed, index_of, planned, status_with, verdict

DEMAND = "gap:OP1:technical"


def _data(**kw):
    """A demand of 3 units, and two specialists with a whole week each."""
    return dataset(
        requirements=[requirement(min_fte=0.3)],
        specialists=[specialist("SP1"), specialist("SP2")],
        **kw,
    )


def test_the_model_fills_a_demand_and_no_more():
    instance = build_instance(_data(), ONE_WEEK)
    sp1, d = index_of(instance, "SP1", DEMAND)
    sp2, _ = index_of(instance, "SP2", DEMAND)
    rule = demand_limit.constrain
    assert status_with(instance, rule, {(sp1, d, 0): 2, (sp2, d, 0): 1}) == "OPTIMAL"
    assert status_with(instance, rule, {(sp1, d, 0): 2, (sp2, d, 0): 2}) == "INFEASIBLE"
    assert status_with(instance, None, {(sp1, d, 0): 2, (sp2, d, 0): 2}) == "OPTIMAL"


def test_the_validator_accepts_a_plan_and_names_an_overfilled_demand():
    data = _data()
    plan = planned(data)
    assert sum(b.units for b in plan) == 3
    assert verdict(data, plan) == []
    by_hand = [booking(DEMAND, "SP1", 2), booking(DEMAND, "SP2", 1)]
    assert verdict(data, by_hand) == []
    broken = verdict(data, changed(by_hand, 1, units=2))
    assert broken == [f"{DEMAND} in week 2027-01-04: rule 4: 4 units > demand 3"]


def test_the_fit_test():
    assert demand_limit.has_need(filled=2, need=3)
    assert not demand_limit.has_need(filled=3, need=3)
    assert not demand_limit.has_need(filled=2, need=3, units=2)


def test_a_pin_past_the_need_is_dropped_with_what_is_already_pinned():
    data = _data(pinned=[Pin("SP1", DEMAND, MONDAY, 2), Pin("SP2", DEMAND, MONDAY, 2)])
    (dropped,) = build_instance(data, ONE_WEEK).dropped_pins
    assert dropped.reason == f"{DEMAND} needs 3 units that week, 2 already pinned"
