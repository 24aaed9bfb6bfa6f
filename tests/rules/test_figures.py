"""The objective's figures the validator computes, on a plan written by hand and a planned one."""

from __future__ import annotations

from planner.domain.calendar import Horizon
from planner.planning.pipeline import make_plan
from planner.planning.validation import plan_figures
from tests.builders import MONDAY, HistoryEntry, dataset, day, operator, requirement, specialist
from tests.rules.cases import FAST, booking, planned, verdict

TWO_WEEKS = Horizon(MONDAY, 2)


def _data():
    return dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", min_fte=0.5, priority="critical"),
            requirement("OP2", min_fte=0.4),
        ],
        specialists=[specialist("SP1", cost_per_hour=1000), specialist("SP2", cost_per_hour=500)],
        history=[HistoryEntry("SP1", "OP1")],
    )


def test_figures_of_a_plan_written_by_hand():
    data = _data()
    plan = [
        booking("gap:OP1:technical", "SP1", 5),
        booking("gap:OP1:technical", "SP1", 5, day(7)),
        booking("gap:OP2:technical", "SP2", 4),
        booking("gap:OP2:technical", "SP1", 2, day(7)),
    ]
    assert verdict(data, plan, TWO_WEEKS) == []
    figures = plan_figures(data, TWO_WEEKS, plan)
    assert figures.demand == {"critical": 10, "high": 0, "normal": 8}
    assert figures.covered == {"critical": 10, "high": 0, "normal": 6}
    assert figures.handovers == 3
    assert figures.familiar_units == 10
    assert figures.cost == (12 * 1000 + 4 * 500) * 4


def test_figures_agree_with_the_plans_summary():
    data = _data()
    plan = make_plan(data, TWO_WEEKS, config=FAST)
    figures = plan_figures(data, TWO_WEEKS, planned(data, TWO_WEEKS))
    assert figures.covered == plan.summary["covered_units"]
    assert figures.demand == plan.summary["demand_units"]
    assert figures.handovers == plan.summary["handovers"]
    assert figures.familiar_units == plan.summary["familiar_units"]
    assert figures.cost == plan.summary["cost"]
