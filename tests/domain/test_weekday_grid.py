"""The Monday-to-Friday grid on the demo: the figures the planner gave before calendars.

These values were recorded before the production calendar existed; with the
calendar switched off (`--calendar none`) the planner must give them exactly,
so a user who needs the old grid gets the old plan.
"""

from __future__ import annotations

from datetime import date

import pytest

from planner.data.validate import load_dataset
from planner.domain.calendar import Horizon
from planner.domain.demand import build_demands
from planner.planning.pipeline import make_plan
from planner.rules.capacity import specialist_capacity
from planner.solver import SolveConfig
from tests.builders import REPO_ROOT

DEMO_HALF_YEAR = Horizon(date(2027, 1, 4), 26)

DEMAND = {"critical": 759, "high": 968, "normal": 669}
WEEKLY_DEMAND = [
    100,
    111,
    65,
    83,
    55,
    35,
    73,
    91,
    105,
    66,
    34,
    79,
    86,
    80,
    85,
    66,
    64,
    75,
    122,
    116,
    91,
    157,
    107,
    170,
    147,
    133,
]
CAPACITY_BY_SPECIALIST = [224, 220, 204, 238, 117, 208, 110, 248, 124, 226, 246, 250]
COVER = {"critical": 722, "high": 806, "normal": 441}


@pytest.fixture(scope="module")
def demo():
    return load_dataset(REPO_ROOT / "data" / "demo")


def test_demand_of_the_demo_on_the_weekday_grid(demo):
    demands = build_demands(demo, DEMO_HALF_YEAR)
    totals = {p: sum(d.total_units for d in demands if d.priority == p) for p in DEMAND}
    assert totals == DEMAND
    assert [sum(d.units[w] for d in demands) for w in range(26)] == WEEKLY_DEMAND


def test_capacity_of_the_demo_on_the_weekday_grid(demo):
    capacity = specialist_capacity(demo, DEMO_HALF_YEAR)
    assert [sum(capacity[k]) for k in sorted(capacity)] == CAPACITY_BY_SPECIALIST


def test_cover_of_the_demo_on_the_weekday_grid(demo):
    plan = make_plan(demo, DEMO_HALF_YEAR, config=SolveConfig(time_limit=30, secondary=False))
    assert plan.status == "OPTIMAL"
    assert plan.summary["covered_units"] == COVER
