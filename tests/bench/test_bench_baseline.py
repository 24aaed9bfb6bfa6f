"""The benchmark's greedy baseline: valid, and myopic where the planner is not."""

from __future__ import annotations

from datetime import date

from bench.greedy import greedy_assignment
from planner.data.validate import load_dataset
from planner.demo.generator import PRESETS, generate, write_dataset
from planner.domain.calendar import Horizon
from planner.planning.pipeline import make_plan
from planner.planning.validation import Booking, check_plan
from planner.solver.instance import build_instance
from planner.solver.model import SolveConfig
from tests.builders import MONDAY, dataset, operator, requirement, specialist

ONE_WEEK = Horizon(MONDAY, 1)


def bookings_of(instance, assignment):
    mondays = instance.horizon.mondays
    return [
        Booking(instance.demands[d].demand_id, mondays[w], instance.specialists[s].specialist_id, u)
        for (s, d, w), u in assignment.items()
    ]


def test_greedy_gives_the_first_gap_to_the_only_person_the_second_could_have():
    # OP1's technical gap can go to SP1 or SP2; OP2's finance gap only to SP1.
    # Taking gaps in order, the spreadsheet way gives SP1 to OP1 and leaves OP2 bare.
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", "technical", priority="critical"),
            requirement("OP2", "finance", priority="critical"),
        ],
        specialists=[specialist("SP1", "technical:3;finance:3"), specialist("SP2", "technical:3")],
    )
    instance = build_instance(data, ONE_WEEK)
    greedy = greedy_assignment(instance)
    assert check_plan(data, ONE_WEEK, bookings_of(instance, greedy)) == []
    assert sum(greedy.values()) == 10
    plan = make_plan(data, ONE_WEEK, config=SolveConfig(time_limit=10, workers=1))
    assert plan.summary["covered_units"]["critical"] == 20


def test_greedy_obeys_every_rule_on_a_generated_vendor(tmp_path):
    write_dataset(generate(PRESETS["S"]), tmp_path / "S")
    data = load_dataset(tmp_path / "S")
    horizon = Horizon(date(2027, 6, 7), 6)  # summer: vacations make capacity scarce
    instance = build_instance(data, horizon)
    greedy = greedy_assignment(instance)
    assert greedy
    assert check_plan(data, horizon, bookings_of(instance, greedy)) == []
