"""What the rule tests share: a model with one rule, a plan, and the validator's verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from ortools.sat.python import cp_model

from planner.domain.calendar import Horizon
from planner.domain.records import Dataset
from planner.planning.pipeline import make_plan
from planner.planning.validation import Booking, check_plan
from planner.solver import SolveConfig
from planner.solver.cpsat import new_solver
from planner.solver.instance import Instance
from planner.solver.variables import CoverVariables, Triple
from tests.builders import MONDAY

ONE_WEEK = Horizon(MONDAY, 1)
FAST = SolveConfig(time_limit=20, workers=2, stage_work=1.0)

Rule = Callable[[cp_model.CpModel, CoverVariables], None]


def status_with(instance: Instance, rule: Rule | None, units: dict[Triple, int]) -> str:
    """CP-SAT's verdict on a one-rule model with some triples' units fixed.

    Without `rule` the model holds only the variables and their domains, which
    shows that it is the rule, not a domain, that makes a case infeasible.
    """
    model = cp_model.CpModel()
    v = CoverVariables(model, instance, range(instance.weeks))
    if rule is not None:
        rule(model, v)
    for key, fixed in units.items():
        model.add(v.units(*key) == fixed)
    solver = new_solver(5.0, seed=0)
    return solver.status_name(solver.solve(model))


def index_of(instance: Instance, specialist_id: str, demand_id: str) -> tuple[int, int]:
    s = next(
        i for i, spec in enumerate(instance.specialists) if spec.specialist_id == specialist_id
    )
    d = next(i for i, demand in enumerate(instance.demands) if demand.demand_id == demand_id)
    return s, d


def planned(data: Dataset, horizon: Horizon = ONE_WEEK, max_tz_gap: float = 4.0) -> list[Booking]:
    """The bookings of a fresh plan of `data`, as `plan.csv` would hold them."""
    plan = make_plan(data, horizon, max_tz_gap=max_tz_gap, config=FAST)
    return [
        Booking(a.demand_id, a.week, a.specialist_id, a.units, a.operator_id, a.role, a.fte)
        for a in plan.assignments
    ]


def verdict(
    data: Dataset,
    bookings: Iterable[Booking],
    horizon: Horizon = ONE_WEEK,
    max_tz_gap: float = 4.0,
    dropped_pins: Iterable[tuple[str, str, date]] = (),
) -> list[str]:
    return check_plan(data, horizon, bookings, max_tz_gap=max_tz_gap, dropped_pins=dropped_pins)


def booking(demand_id: str, specialist_id: str, units: int, week: date = MONDAY) -> Booking:
    """A row as a hand-written plan would have it: no optional columns."""
    return Booking(demand_id, week, specialist_id, units)


def changed(bookings: list[Booking], index: int, **change: object) -> list[Booking]:
    """The same plan with exactly one booking changed."""
    result = list(bookings)
    result[index] = replace(result[index], **change)
    return result
