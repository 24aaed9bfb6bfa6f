"""Rule 3b, the client limit: per specialist and week, at most `max_clients` operators."""

from __future__ import annotations

from planner.rules import client_limit
from planner.solver.instance import build_instance
from tests.builders import MONDAY, Pin, dataset, operator, requirement, specialist
from tests.rules.cases import (
    ONE_WEEK,
    booking,
    changed,
    index_of,
    planned,
    status_with,
    verdict,
)

OP1, OP2, OP1_FINANCE = "gap:OP1:technical", "gap:OP2:technical", "gap:OP1:finance"


def _data(**kw):
    """SP1 may serve one client; OP1 needs technical and finance cover, OP2 technical."""
    return dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", min_fte=0.3),
            requirement("OP1", "finance", min_fte=0.3),
            requirement("OP2", min_fte=0.3),
        ],
        specialists=[specialist("SP1", max_clients=1), specialist("SP2")],
        **kw,
    )


def test_the_model_lets_a_specialist_serve_one_client_however_many_demands():
    instance = build_instance(_data(), ONE_WEEK)
    s, op1 = index_of(instance, "SP1", OP1)
    _, finance = index_of(instance, "SP1", OP1_FINANCE)
    _, op2 = index_of(instance, "SP1", OP2)
    rule = client_limit.constrain
    assert status_with(instance, rule, {(s, op1, 0): 3, (s, finance, 0): 3}) == "OPTIMAL"
    assert status_with(instance, rule, {(s, op1, 0): 3, (s, op2, 0): 1}) == "INFEASIBLE"
    assert status_with(instance, None, {(s, op1, 0): 3, (s, op2, 0): 1}) == "OPTIMAL"


def test_a_plan_keeps_the_limit():
    data = _data()
    plan = planned(data)
    assert len({b.operator_id for b in plan if b.specialist_id == "SP1"}) <= 1
    assert verdict(data, plan) == []


def test_the_validator_accepts_a_plan_and_names_a_week_over_the_limit():
    data = _data()
    plan = [booking(OP1, "SP1", 3), booking(OP1_FINANCE, "SP1", 3), booking(OP2, "SP2", 3)]
    assert verdict(data, plan) == []
    broken = verdict(data, changed(plan, 2, specialist_id="SP1"))
    assert broken == ["SP1 in week 2027-01-04: rule 3: serves 2 operators > max_clients 1"]


def test_the_fit_tests():
    assert client_limit.has_room({"OP1"}, "OP1", 1)
    assert not client_limit.has_room({"OP1"}, "OP2", 1)
    assert client_limit.has_room({"OP1"}, "OP2", 2)
    assert client_limit.fits({"OP1", "OP2"}, 2)
    assert not client_limit.fits({"OP1", "OP2", "OP3"}, 2)


def test_a_pin_past_the_limit_is_dropped_with_the_rules_words():
    data = _data(
        pinned=[
            Pin("SP1", OP1, MONDAY, 3),
            Pin("SP1", OP1_FINANCE, MONDAY, 3),
            Pin("SP1", OP2, MONDAY, 3),
        ]
    )
    instance = build_instance(data, ONE_WEEK)
    assert [p.demand_id for p in instance.dropped_pins] == [OP2]
    assert instance.dropped_pins[0].reason == "SP1 would serve more than 1 clients"


def test_the_reason():
    assert (
        client_limit.at_limit_reason("SP1, SP2")
        == "SP1, SP2 already at their client limit (max_clients) that week"
    )
