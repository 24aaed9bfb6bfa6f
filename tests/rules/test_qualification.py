"""Rule 1: the demand's role at a level of at least `min_level`, and every skill it asks for."""

from __future__ import annotations

from planner.domain.demand import build_demands
from planner.rules import qualification
from planner.solver.instance import build_instance
from tests.builders import Pin, dataset, requirement, specialist
from tests.rules.cases import ONE_WEEK, changed, index_of, planned, status_with, verdict

DEMAND = "gap:OP1:finance"


def _data(**kw):
    return dataset(
        requirements=[requirement(role="finance", min_level=3, skills=("oracle",))],
        specialists=[
            specialist("SP1", roles="finance:3", skills=["oracle"]),
            specialist("SP2", roles="finance:2", skills=["oracle"]),
            specialist("SP3", roles="finance:3"),
        ],
        **kw,
    )


def test_only_the_qualified_specialist_gets_a_variable():
    instance = build_instance(_data(), ONE_WEEK)
    sp1, d = index_of(instance, "SP1", DEMAND)
    assert instance.eligible[0] == ((sp1, d),)
    assert status_with(instance, None, {(sp1, d, 0): 10}) == "OPTIMAL"


def test_a_demand_nobody_qualifies_for_has_no_variable_and_stays_uncovered():
    data = dataset(
        requirements=[requirement(role="finance", min_level=3)],
        specialists=[specialist("SP2", roles="finance:2")],
    )
    assert build_instance(data, ONE_WEEK).eligible == ((),)
    assert planned(data) == []


def test_the_array_form_agrees_with_the_rule():
    data = _data()
    demands = build_demands(data, ONE_WEEK)
    mask = qualification.qualified_mask(data.specialists, demands)
    assert mask.tolist() == [
        [qualification.is_qualified(s, d) for d in demands] for s in data.specialists
    ]
    assert mask.tolist() == [[True], [False], [False]]


def test_the_validator_accepts_a_plan_and_names_a_level_too_low():
    data = _data()
    plan = planned(data)
    assert [b.specialist_id for b in plan] == ["SP1"]
    assert verdict(data, plan) == []
    broken = verdict(data, changed(plan, 0, specialist_id="SP2"))
    assert broken == [f"SP2 -> {DEMAND} in week 2027-01-04: rule 1: finance level 2 < 3"]


def test_the_validator_names_a_missing_skill():
    data = _data()
    broken = verdict(data, changed(planned(data), 0, specialist_id="SP3"))
    assert broken == [f"SP3 -> {DEMAND} in week 2027-01-04: rule 1: lacks skills ['oracle']"]


def test_a_pin_of_an_unqualified_specialist_is_dropped_with_the_rules_words():
    data = _data(
        pinned=[Pin("SP2", DEMAND, ONE_WEEK.start, 4), Pin("SP3", DEMAND, ONE_WEEK.start, 4)]
    )
    dropped = build_instance(data, ONE_WEEK).dropped_pins
    assert [p.reason for p in dropped] == [
        "SP2 has finance level 2, needs >= 3",
        "SP3 lacks skill oracle",
    ]


def test_the_reason_names_what_nobody_has():
    demand = build_demands(_data(), ONE_WEEK)[0]
    assert (
        qualification.not_qualified_reason([specialist("SP9", roles="technical:3")], demand)
        == "no specialist has the finance role"
    )
    assert (
        qualification.not_qualified_reason([specialist("SP9", roles="finance:1")], demand)
        == "no specialist has finance level >= 3 (needed with skill oracle)"
    )
    assert (
        qualification.not_qualified_reason([specialist("SP9", roles="finance:3")], demand)
        == "no specialist has finance level >= 3 with skill oracle"
    )
