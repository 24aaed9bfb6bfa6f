"""Rule 3a, capacity: per specialist and week, total units no more than that week's capacity.

A week's capacity comes from the specialist's FTE and the working days on which
they are employed and not absent (`specialist_capacity`); the model, the validator,
the reports and `explain` all take it from here, so they agree to the unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.domain.calendar import (
    Horizon,
    capacity_units,
    days_present_by_week,
    is_employed,
)
from planner.domain.records import Dataset, Specialist

if TYPE_CHECKING:
    from planner.solver.variables import CoverVariables


def specialist_capacity(dataset: Dataset, horizon: Horizon) -> dict[str, tuple[int, ...]]:
    """Units each specialist can give in each week of the horizon, by specialist id.

    Days are the specialist's own working days (their region's calendar); an on-call
    rota's reservations (`Horizon.reserved`) come off the week's capacity.
    """
    absences: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for absence in dataset.specialist_absences:
        absences[absence.specialist_id].append((absence.start, absence.end))
    reserved = {sid for sid, _, _ in horizon.reserved}
    return {
        spec.specialist_id: tuple(
            max(0, capacity_units(spec.capacity_fte, days) - taken)
            for days, taken in zip(
                days_present_by_week(
                    horizon,
                    spec.joined_on,
                    spec.left_on,
                    absences.get(spec.specialist_id, ()),
                    spec.region,
                ).tolist(),
                horizon.reserved_by_week(spec.specialist_id)
                if spec.specialist_id in reserved
                else [0] * horizon.weeks,
                strict=True,
            )
        )
        for spec in dataset.specialists
    }


def has_time(used: int, capacity: int, units: int = 1) -> bool:
    """The fit test: can a specialist with `used` units booked give `units` more?"""
    return used + units <= capacity


def limit_units(model: cp_model.CpModel, load: cp_model.LinearExprT, capacity: int) -> None:
    """The rule for one specialist and week of any CP-SAT model: `load` within capacity."""
    model.add(load <= capacity)


def constrain(model: cp_model.CpModel, v: CoverVariables) -> None:
    """The cover model's constraint, only where the eligible demands could overbook."""
    for (s, w), keys in v.by_specialist_week.items():
        if sum(v.instance.upper(*k) for k in keys) > v.instance.capacity[s][w]:
            limit_units(model, sum(v.units(*k) for k in keys), v.instance.capacity[s][w])


def check(specialist_id: str, monday: date, units: int, capacity: int) -> str | None:
    """What the validator says of an overbooked week, or None when it fits."""
    if has_time(0, capacity, units):
        return None
    return f"{specialist_id} in week {monday}: rule 3: {units} units > capacity {capacity}"


def pin_reason(specialist_id: str, capacity: int, pinned: int) -> str:
    """Why a pin that would overbook the specialist is dropped."""
    return f"{specialist_id} has capacity {capacity} units that week, {pinned} already pinned"


def away_reason(
    spec: Specialist, monday: date, absences: list[tuple[date, date, str]], horizon: Horizon
) -> str:
    """Why a specialist has no capacity in a week: not yet joined, left, away, or holidays."""
    days = horizon.working_days(monday, spec.region)
    if not days:
        return f"{spec.specialist_id} has no working days that week (public holidays)"
    if not any(is_employed(day, spec.joined_on, spec.left_on) for day in days):
        if spec.joined_on and spec.joined_on > days[-1]:
            return f"{spec.specialist_id} joins {spec.joined_on}"
        return f"{spec.specialist_id} left {spec.left_on}"
    kinds = sorted({kind for start, end, kind in absences if start <= days[-1] and end >= days[0]})
    if kinds:
        return f"{spec.specialist_id} on {'/'.join(kinds)}"
    return f"{spec.specialist_id} has no capacity"


def unavailable_reason(why: str) -> str:
    """Why a demand is uncovered when everyone eligible has no capacity that week."""
    return f"eligible specialists unavailable that week: {why}"


def fully_booked_reason(
    ids: str, first_id: str, priority: str, elsewhere: str, operator_id: str
) -> str:
    """Why eligible specialists with capacity still cannot help: it is all booked.

    When the booking that fills `first_id` is at `operator_id` itself (the client
    whose cover is missing), it is named as that client's own cover: `at OP0035`
    on OP0035's row reads as if the client blocked itself.
    """
    if elsewhere == operator_id:
        return f"eligible {ids} fully booked ({first_id} already on this client's {priority} cover)"
    return f"eligible {ids} fully booked ({first_id} on {priority} cover at {elsewhere})"
