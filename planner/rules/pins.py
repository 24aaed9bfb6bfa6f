"""Rule 5, pins: confirmed bookings (`pinned.csv`) appear in the plan unchanged.

A pin that breaks another rule cannot be kept; the instance drops it with a
reason (`planner.solver.instance.check_pins`), the plan reports it, and the
validator does not hold the plan to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.domain.calendar import Horizon
from planner.domain.records import Pin

if TYPE_CHECKING:
    from planner.solver.variables import CoverVariables

PinKey = tuple[str, str, date]  # (specialist id, demand id, week)

DUPLICATE_REASON = "duplicate of an earlier pin for the same specialist, demand and week"


def constrain(model: cp_model.CpModel, v: CoverVariables) -> None:
    """The cover model's constraint: each pinned triple of the model's weeks, fixed."""
    weeks = set(v.weeks)
    for (s, d, w), units in v.instance.pins.items():
        if w in weeks:
            model.add(v.units(s, d, w) == units)


def is_kept(pin: Pin, booked: Mapping[PinKey, int]) -> bool:
    """The rule for one pin: the plan books exactly its units."""
    return booked.get((pin.specialist_id, pin.demand_id, pin.week)) == pin.units


def check(
    pinned: Iterable[Pin], booked: Mapping[PinKey, int], dropped: Collection[PinKey]
) -> list[str]:
    """What the validator says of every pin the plan does not keep (dropped pins aside)."""
    broken = []
    for pin in pinned:
        if (pin.specialist_id, pin.demand_id, pin.week) in dropped:
            continue
        if not is_kept(pin, booked):
            broken.append(
                f"pin {pin.specialist_id} -> {pin.demand_id} in week {pin.week}: "
                f"rule 5: not kept as {pin.units} units"
            )
    return broken


def outside_plan_reason(week: date, horizon: Horizon) -> str:
    return f"week {week} is outside the plan ({horizon.start} to {horizon.end})"


def unknown_specialist_reason(specialist_id: str) -> str:
    return f"specialist {specialist_id} is not in the data"


def no_need_reason(demand_id: str, week: date) -> str:
    return f"{demand_id} needs no cover in week {week}"
