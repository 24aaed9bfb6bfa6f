"""The executable specification: checks any plan against the contract's rules, without the solver.

It recomputes demand and capacity from the dataset with the calendar rules and
checks every assignment row by row, so a bug in instance building or in the
model shows up here as a broken rule rather than as a silently worse plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from planner.domain.calendar import HOURS_PER_UNIT, UNITS_PER_FTE, Horizon, within_tz_gap
from planner.domain.demand import build_demands
from planner.domain.records import PRIORITIES, Dataset
from planner.solver.instance import specialist_capacity


@dataclass(frozen=True)
class Booking:
    """One row of `plan.csv`, as any planner would write it."""

    demand_id: str
    week: date
    specialist_id: str
    units: int
    operator_id: str | None = None
    role: str | None = None
    fte: float | None = None


@dataclass(frozen=True)
class PlanFigures:
    demand: dict[str, int]
    covered: dict[str, int]
    handovers: int
    familiar_units: int
    cost: float


def check_plan(dataset: Dataset, horizon: Horizon, bookings: Iterable[Booking], *,
               max_tz_gap: float = 4.0,
               dropped_pins: Iterable[tuple[str, str, date]] = ()) -> list[str]:
    """Every broken rule, as a sentence; an empty list means the plan is valid."""
    bookings = list(bookings)
    violations: list[str] = []
    demands = {d.demand_id: d for d in build_demands(dataset, horizon)}
    capacity = specialist_capacity(dataset, horizon)
    operators = {o.operator_id: o for o in dataset.operators}
    specialists = {s.specialist_id: s for s in dataset.specialists}
    used: dict[tuple[str, int], int] = defaultdict(int)
    filled: dict[tuple[str, int], int] = defaultdict(int)
    served: dict[tuple[str, int], set[str]] = defaultdict(set)
    seen: set[tuple[str, str, date]] = set()

    for row in bookings:
        where = f"{row.specialist_id} -> {row.demand_id} in week {row.week}"
        w = horizon.week_index(row.week)
        demand = demands.get(row.demand_id)
        spec = specialists.get(row.specialist_id)
        if (row.specialist_id, row.demand_id, row.week) in seen:
            violations.append(f"{where}: the same assignment appears twice")
        seen.add((row.specialist_id, row.demand_id, row.week))
        if w is None:
            violations.append(f"{where}: week is not a Monday of the plan")
            continue
        if demand is None or demand.units[w] <= 0:
            violations.append(f"{where}: no such demand that week")
            continue
        if spec is None:
            violations.append(f"{where}: no such specialist")
            continue
        if not isinstance(row.units, int) or row.units <= 0:
            violations.append(f"{where}: units must be a positive whole number, got {row.units}")
            continue
        if row.operator_id is not None and row.operator_id != demand.operator_id:
            violations.append(f"{where}: operator_id {row.operator_id} is not the demand's "
                              f"{demand.operator_id}")
        if row.role is not None and row.role != demand.role:
            violations.append(f"{where}: role {row.role} is not the demand's {demand.role}")
        if row.fte is not None and abs(row.fte - row.units / UNITS_PER_FTE) > 1e-9:
            violations.append(f"{where}: fte {row.fte} is not units / 10")
        # rule 1
        if spec.level(demand.role) < demand.min_level:
            violations.append(f"{where}: rule 1: {demand.role} level "
                              f"{spec.level(demand.role)} < {demand.min_level}")
        missing = set(demand.skills) - set(spec.skills)
        if missing:
            violations.append(f"{where}: rule 1: lacks skills {sorted(missing)}")
        # rule 2
        if not within_tz_gap(spec.timezone, operators[demand.operator_id].timezone, row.week,
                             max_tz_gap):
            violations.append(f"{where}: rule 2: time zones more than {max_tz_gap:g} h apart")
        used[(spec.specialist_id, w)] += row.units
        filled[(demand.demand_id, w)] += row.units
        served[(spec.specialist_id, w)].add(demand.operator_id)

    # rule 3
    for (spec_id, w), units in used.items():
        if units > capacity[spec_id][w]:
            violations.append(f"{spec_id} in week {horizon.mondays[w]}: rule 3: {units} units "
                              f"> capacity {capacity[spec_id][w]}")
        if len(served[(spec_id, w)]) > specialists[spec_id].max_clients:
            violations.append(f"{spec_id} in week {horizon.mondays[w]}: rule 3: serves "
                              f"{len(served[(spec_id, w)])} operators > max_clients "
                              f"{specialists[spec_id].max_clients}")
    # rule 4
    for (demand_id, w), units in filled.items():
        if units > demands[demand_id].units[w]:
            violations.append(f"{demand_id} in week {horizon.mondays[w]}: rule 4: {units} units "
                              f"> demand {demands[demand_id].units[w]}")
    # rule 5
    dropped = set(dropped_pins)
    booked = {(b.specialist_id, b.demand_id, b.week): b.units for b in bookings}
    for pin in dataset.pinned:
        if (pin.specialist_id, pin.demand_id, pin.week) in dropped:
            continue
        if booked.get((pin.specialist_id, pin.demand_id, pin.week)) != pin.units:
            violations.append(f"pin {pin.specialist_id} -> {pin.demand_id} in week {pin.week}: "
                              f"rule 5: not kept as {pin.units} units")
    return violations


def plan_figures(dataset: Dataset, horizon: Horizon, bookings: Iterable[Booking]) -> PlanFigures:
    """The objective's figures of any plan, to compare planners or check a summary."""
    demands = {d.demand_id: d for d in build_demands(dataset, horizon)}
    specialists = {s.specialist_id: s for s in dataset.specialists}
    history = {(h.specialist_id, h.operator_id) for h in dataset.history}
    demand = dict.fromkeys(PRIORITIES, 0)
    for d in demands.values():
        demand[d.priority] += d.total_units
    covered = dict.fromkeys(PRIORITIES, 0)
    pairs, familiar, cost = set(), 0, 0.0
    for row in bookings:
        d = demands[row.demand_id]
        covered[d.priority] += row.units
        pairs.add((row.demand_id, row.specialist_id))
        if (row.specialist_id, d.operator_id) in history:
            familiar += row.units
        cost += row.units * HOURS_PER_UNIT * specialists[row.specialist_id].cost_per_hour
    return PlanFigures(demand, covered, len(pairs), familiar, round(cost, 2))
