"""Rule 4, the demand limit: per demand and week, no more units than the demand needs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.solver.variables import CoverVariables


def has_need(filled: int, need: int, units: int = 1) -> bool:
    """The fit test: does a demand with `filled` units given still need `units` more?"""
    return filled + units <= need


def limit_cover(model: cp_model.CpModel, cover: cp_model.LinearExprT, need: int) -> None:
    """The rule for one demand and week of any CP-SAT model: `cover` within the need."""
    model.add(cover <= need)


def constrain(model: cp_model.CpModel, v: CoverVariables) -> None:
    """The cover model's constraint, only where the eligible specialists could overfill."""
    for (d, w), keys in v.by_demand_week.items():
        if sum(v.instance.upper(*k) for k in keys) > v.instance.demand_units(d, w):
            limit_cover(model, sum(v.units(*k) for k in keys), v.instance.demand_units(d, w))


def check(demand_id: str, monday: date, units: int, need: int) -> str | None:
    """What the validator says of an overfilled demand week, or None when within the need."""
    if has_need(0, need, units):
        return None
    return f"{demand_id} in week {monday}: rule 4: {units} units > demand {need}"


def pin_reason(demand_id: str, need: int, pinned: int) -> str:
    """Why a pin that would give a demand more than it needs is dropped."""
    return f"{demand_id} needs {need} units that week, {pinned} already pinned"
