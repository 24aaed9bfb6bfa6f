"""The solver's frozen input: integer units, capacities, eligibility and checked pins.

All preparation happens here so that the CP-SAT model only iterates and adds
constraints. Eligibility is decided once per (specialist, demand, week), which
keeps the model to the triples that can actually carry cover.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from planner.domain.calendar import (
    HOURS_PER_UNIT,
    Horizon,
    capacity_units,
    days_present_by_week,
    utc_offset_hours,
    within_tz_gap,
)
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP
from planner.domain.demand import PRIORITY_RANK, Demand, build_demands
from planner.domain.records import Dataset, Pin, Specialist


@dataclass(frozen=True)
class DroppedPin:
    specialist_id: str
    demand_id: str
    week: date
    units: int
    reason: str

    def as_dict(self) -> dict:
        return {"specialist_id": self.specialist_id, "demand_id": self.demand_id,
                "week": self.week.isoformat(), "units": self.units, "reason": self.reason}


@dataclass(frozen=True)
class Instance:
    """Everything the model needs, by index: specialists `s`, demands `d`, weeks `w`."""

    horizon: Horizon
    max_tz_gap: float
    specialists: tuple[Specialist, ...]
    demands: tuple[Demand, ...]
    operator_ids: tuple[str, ...]
    capacity: tuple[tuple[int, ...], ...]  # [s][w] units
    demand_operator: tuple[int, ...]  # [d] -> operator index
    demand_tier: tuple[int, ...]  # [d] -> 0 critical, 1 high, 2 normal
    eligible: tuple[tuple[tuple[int, int], ...], ...]  # [w] -> ((s, d), ...)
    familiar: frozenset[tuple[int, int]]  # (s, operator index) with history
    cost_per_unit: tuple[int, ...]  # [s] kopecks for one unit (4 hours)
    pins: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (s, d, w) -> units
    dropped_pins: tuple[DroppedPin, ...] = ()

    @property
    def weeks(self) -> int:
        return self.horizon.weeks

    def demand_units(self, d: int, w: int) -> int:
        return self.demands[d].units[w]

    def max_clients(self, s: int) -> int:
        return self.specialists[s].max_clients

    def upper(self, s: int, d: int, w: int) -> int:
        """Most units specialist `s` can give demand `d` in week `w`."""
        return min(self.capacity[s][w], self.demands[d].units[w])

    def tier_demand(self) -> list[list[int]]:
        """Demand units per tier (critical, high, normal) and week."""
        totals = [[0] * self.weeks for _ in range(3)]
        for d, demand in enumerate(self.demands):
            for w, units in enumerate(demand.units):
                totals[self.demand_tier[d]][w] += units
        return totals


def is_qualified(specialist: Specialist, demand: Demand) -> bool:
    """Rule 1: the role at a sufficient level and every skill the demand asks for."""
    return (specialist.level(demand.role) >= demand.min_level
            and set(demand.skills) <= set(specialist.skills))


def specialist_capacity(dataset: Dataset, horizon: Horizon) -> dict[str, tuple[int, ...]]:
    absences: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for absence in dataset.specialist_absences:
        absences[absence.specialist_id].append((absence.start, absence.end))
    return {
        spec.specialist_id: tuple(
            capacity_units(spec.capacity_fte, days) for days in days_present_by_week(
                horizon, spec.joined_on, spec.left_on,
                absences.get(spec.specialist_id, ())).tolist())
        for spec in dataset.specialists
    }


def cost_kopecks_per_unit(specialist: Specialist) -> int:
    return round(specialist.cost_per_hour * 100) * HOURS_PER_UNIT


def build_instance(dataset: Dataset, horizon: Horizon, *,
                   max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
                   extra_pins: tuple[Pin, ...] = ()) -> Instance:
    """Prepare the model's input; pins that break a hard rule today are dropped with a reason."""
    demands = tuple(build_demands(dataset, horizon))
    specialists = dataset.specialists
    capacity_by_id = specialist_capacity(dataset, horizon)
    capacity = tuple(capacity_by_id[s.specialist_id] for s in specialists)
    operator_ids = tuple(o.operator_id for o in dataset.operators)
    operator_index = {op: i for i, op in enumerate(operator_ids)}
    operator_tz = {o.operator_id: o.timezone for o in dataset.operators}

    # Eligibility is a (specialist x demand) mask per week, built with array operations:
    # at 200 specialists, 3000 demands and 52 weeks a Python loop would take seconds.
    qualified = np.array([[is_qualified(spec, demand) for demand in demands]
                          for spec in specialists], dtype=bool).reshape(len(specialists),
                                                                        len(demands))
    has_capacity = np.array(capacity, dtype=np.int64).reshape(len(specialists), horizon.weeks) > 0
    needs_cover = np.array([d.units for d in demands], dtype=np.int64).reshape(
        len(demands), horizon.weeks) > 0
    demand_tz = [operator_tz[d.operator_id] for d in demands]
    eligible = []
    for w, monday in enumerate(horizon.mondays):
        # time zones can only differ by week through daylight saving: compute offsets once
        spec_offset = np.array([utc_offset_hours(s.timezone, monday) for s in specialists])
        op_offset = {tz: utc_offset_hours(tz, monday) for tz in set(demand_tz)}
        demand_offset = np.array([op_offset[tz] for tz in demand_tz])
        near = np.abs(spec_offset[:, None] - demand_offset[None, :]) <= max_tz_gap + 1e-9
        mask = qualified & near & has_capacity[:, w:w + 1] & needs_cover[:, w][None, :]
        spec_index, demand_index = np.nonzero(mask)  # row-major: by specialist, then demand
        eligible.append(tuple(zip(spec_index.tolist(), demand_index.tolist(), strict=True)))

    familiar = frozenset(
        (s, operator_index[h.operator_id])
        for s, spec in enumerate(specialists)
        for h in dataset.history
        if h.specialist_id == spec.specialist_id
    )
    instance = Instance(
        horizon=horizon,
        max_tz_gap=max_tz_gap,
        specialists=specialists,
        demands=demands,
        operator_ids=operator_ids,
        capacity=capacity,
        demand_operator=tuple(operator_index[d.operator_id] for d in demands),
        demand_tier=tuple(PRIORITY_RANK[d.priority] for d in demands),
        eligible=tuple(eligible),
        familiar=familiar,
        cost_per_unit=tuple(cost_kopecks_per_unit(s) for s in specialists),
    )
    pins, dropped = check_pins(instance, tuple(dataset.pinned) + tuple(extra_pins), operator_tz)
    return replace(instance, pins=pins, dropped_pins=tuple(dropped))


def check_pins(instance: Instance, pins: tuple[Pin, ...], operator_tz: dict[str, str]
               ) -> tuple[dict[tuple[int, int, int], int], list[DroppedPin]]:
    """Keep each pin, in file order, while it and the pins kept before it obey every rule."""
    spec_index = {s.specialist_id: i for i, s in enumerate(instance.specialists)}
    demand_index = {d.demand_id: i for i, d in enumerate(instance.demands)}
    kept: dict[tuple[int, int, int], int] = {}
    used = defaultdict(int)  # (s, w) -> units
    filled = defaultdict(int)  # (d, w) -> units
    clients: dict[tuple[int, int], set[int]] = defaultdict(set)
    dropped: list[DroppedPin] = []

    def reason_for(pin: Pin) -> str | None:
        w = instance.horizon.week_index(pin.week)
        if w is None:
            return (f"week {pin.week} is outside the plan ({instance.horizon.start} to "
                    f"{instance.horizon.end})")
        s = spec_index.get(pin.specialist_id)
        if s is None:
            return f"specialist {pin.specialist_id} is not in the data"
        d = demand_index.get(pin.demand_id)
        if d is None or instance.demands[d].units[w] <= 0:
            return f"{pin.demand_id} needs no cover in week {pin.week}"
        spec, demand = instance.specialists[s], instance.demands[d]
        if (s, d, w) in kept:
            return "duplicate of an earlier pin for the same specialist, demand and week"
        if spec.level(demand.role) < demand.min_level:
            return (f"{spec.specialist_id} has {demand.role} level {spec.level(demand.role)}, "
                    f"needs >= {demand.min_level}")
        missing = sorted(set(demand.skills) - set(spec.skills))
        if missing:
            return f"{spec.specialist_id} lacks skill {', '.join(missing)}"
        tz = operator_tz[demand.operator_id]
        if not within_tz_gap(spec.timezone, tz, pin.week, instance.max_tz_gap):
            gap = abs(utc_offset_hours(spec.timezone, pin.week) - utc_offset_hours(tz, pin.week))
            return f"time zones {gap:g} h apart, more than {instance.max_tz_gap:g} h"
        if used[(s, w)] + pin.units > instance.capacity[s][w]:
            return (f"{spec.specialist_id} has capacity {instance.capacity[s][w]} units that "
                    f"week, {used[(s, w)]} already pinned")
        if filled[(d, w)] + pin.units > demand.units[w]:
            return (f"{pin.demand_id} needs {demand.units[w]} units that week, "
                    f"{filled[(d, w)]} already pinned")
        operator = instance.demand_operator[d]
        if operator not in clients[(s, w)] and len(clients[(s, w)]) >= spec.max_clients:
            return f"{spec.specialist_id} would serve more than {spec.max_clients} clients"
        return None

    for pin in pins:
        reason = reason_for(pin)
        if reason is not None:
            dropped.append(DroppedPin(pin.specialist_id, pin.demand_id, pin.week, pin.units,
                                      reason))
            continue
        w = instance.horizon.week_index(pin.week)
        s, d = spec_index[pin.specialist_id], demand_index[pin.demand_id]
        kept[(s, d, w)] = pin.units
        used[(s, w)] += pin.units
        filled[(d, w)] += pin.units
        clients[(s, w)].add(instance.demand_operator[d])
    return kept, dropped
