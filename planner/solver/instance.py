"""The solver's frozen input: integer units, capacities, eligibility and checked pins.

All preparation happens here so that the CP-SAT model only iterates and adds
constraints. Eligibility is decided once per (specialist, demand, week), which
keeps the model to the triples that can actually carry cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from planner.domain.calendar import HOURS_PER_UNIT, Horizon, utc_offset_hours
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP
from planner.domain.demand import PRIORITY_RANK, Demand, build_demands
from planner.domain.records import Dataset, Pin, Specialist
from planner.rules import capacity as capacity_rule
from planner.rules import client_limit, demand_limit, pins, qualification, timezone_reach
from planner.rules.capacity import specialist_capacity

__all__ = [
    "DroppedPin",
    "Instance",
    "build_instance",
    "check_pins",
]


@dataclass(frozen=True)
class DroppedPin:
    specialist_id: str
    demand_id: str
    week: date
    units: int
    reason: str

    def as_dict(self) -> dict:
        return {
            "specialist_id": self.specialist_id,
            "demand_id": self.demand_id,
            "week": self.week.isoformat(),
            "units": self.units,
            "reason": self.reason,
        }


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
    # The baseline plan's bookings (`--baseline`) by index, and all its units in the
    # plan's weeks, including those on demands or specialists that are gone: those
    # can only be moved.
    baseline: dict[tuple[int, int, int], int] = field(default_factory=dict)
    baseline_units: int = 0
    # The pins with every baseline booking that still obeys every rule beside them:
    # the stability stage's first try at a week (the old plan held, the rest filled).
    baseline_pins: dict[tuple[int, int, int], int] = field(default_factory=dict)

    @property
    def weeks(self) -> int:
        return self.horizon.weeks

    def demand_units(self, d: int, w: int) -> int:
        return self.demands[d].units[w]

    def client_limit(self, s: int) -> int:
        """The most operators specialist `s` may serve in a week (its `max_clients`)."""
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


def cost_kopecks_per_unit(specialist: Specialist) -> int:
    return round(specialist.cost_per_hour * 100) * HOURS_PER_UNIT


def build_instance(
    dataset: Dataset,
    horizon: Horizon,
    *,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    extra_pins: tuple[Pin, ...] = (),
    baseline: tuple[Pin, ...] = (),
) -> Instance:
    """Prepare the model's input; pins that break a hard rule today are dropped with a reason.

    `baseline` is the plan to stay close to (objective 2): a preference, so nothing
    in it is checked against the rules; bookings on a week outside the plan are
    not counted at all.
    """
    demands = tuple(build_demands(dataset, horizon))
    specialists = dataset.specialists
    capacity_by_id = specialist_capacity(dataset, horizon)
    capacity = tuple(capacity_by_id[s.specialist_id] for s in specialists)
    operator_ids = tuple(o.operator_id for o in dataset.operators)
    operator_index = {op: i for i, op in enumerate(operator_ids)}
    operator_tz = {o.operator_id: o.timezone for o in dataset.operators}
    eligible = _eligibility(
        horizon,
        specialists,
        demands,
        capacity,
        [operator_tz[d.operator_id] for d in demands],
        max_tz_gap,
    )
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
    pins_given = tuple(dataset.pinned) + tuple(extra_pins)
    kept, dropped = check_pins(instance, pins_given, operator_tz)
    by_index, units = bookings_by_index(instance, baseline)
    # the same pins kept first, in the same order, then whatever of the baseline fits
    held = check_pins(instance, pins_given + baseline, operator_tz)[0] if by_index else {}
    return replace(
        instance,
        pins=kept,
        dropped_pins=tuple(dropped),
        baseline=by_index,
        baseline_units=units,
        baseline_pins=held,
    )


def bookings_by_index(
    instance: Instance, bookings: Iterable[Pin]
) -> tuple[dict[tuple[int, int, int], int], int]:
    """Bookings in the plan's weeks by (s, d, w), and their units in all, with those on
    demands or specialists the instance does not have (a baseline's, which can only
    be moved)."""
    spec_index = {s.specialist_id: i for i, s in enumerate(instance.specialists)}
    demand_index = {d.demand_id: i for i, d in enumerate(instance.demands)}
    by_index: dict[tuple[int, int, int], int] = defaultdict(int)
    units = 0
    for booking in bookings:
        w = instance.horizon.week_index(booking.week)
        if w is None or booking.units <= 0:
            continue
        units += booking.units
        s = spec_index.get(booking.specialist_id)
        d = demand_index.get(booking.demand_id)
        if s is not None and d is not None:
            by_index[(s, d, w)] += booking.units
    return dict(by_index), units


def _eligibility(
    horizon: Horizon,
    specialists: tuple[Specialist, ...],
    demands: tuple[Demand, ...],
    capacity: tuple[tuple[int, ...], ...],
    demand_tz: list[str],
    max_tz_gap: float,
) -> list[tuple[tuple[int, int], ...]]:
    """Per week, the (specialist, demand) pairs that may carry cover: rules 1 and 2 asked here.

    Eligibility is a (specialist x demand) mask per week, built with array operations:
    at 200 specialists, 3000 demands and 52 weeks a Python loop would take seconds.
    Besides qualification and time-zone reach, the specialist needs capacity that
    week and the demand cover.
    """
    qualified = qualification.qualified_mask(specialists, demands)
    has_capacity = np.array(capacity, dtype=np.int64).reshape(len(specialists), horizon.weeks) > 0
    needs_cover = (
        np.array([d.units for d in demands], dtype=np.int64).reshape(len(demands), horizon.weeks)
        > 0
    )
    eligible = []
    for w, monday in enumerate(horizon.mondays):
        # time zones can only differ by week through daylight saving: compute offsets once
        spec_offset = np.array([utc_offset_hours(s.timezone, monday) for s in specialists])
        op_offset = {tz: utc_offset_hours(tz, monday) for tz in set(demand_tz)}
        demand_offset = np.array([op_offset[tz] for tz in demand_tz])
        near = timezone_reach.near_mask(spec_offset, demand_offset, max_tz_gap)
        mask = qualified & near & has_capacity[:, w : w + 1] & needs_cover[:, w][None, :]
        spec_index, demand_index = np.nonzero(mask)  # row-major: by specialist, then demand
        eligible.append(tuple(zip(spec_index.tolist(), demand_index.tolist(), strict=True)))
    return eligible


def check_pins(
    instance: Instance, pins_given: tuple[Pin, ...], operator_tz: dict[str, str]
) -> tuple[dict[tuple[int, int, int], int], list[DroppedPin]]:
    """Keep each pin, in file order, while it and the pins kept before it obey every rule."""
    kept = _PinsKept(instance, operator_tz)
    dropped: list[DroppedPin] = []
    for pin in pins_given:
        reason = kept.reason_to_drop(pin)
        if reason is not None:
            dropped.append(
                DroppedPin(pin.specialist_id, pin.demand_id, pin.week, pin.units, reason)
            )
        else:
            kept.keep(pin)
    return kept.units, dropped


class _PinsKept:
    """The pins kept so far, and what they already ask of each specialist and demand.

    Each rule is asked in the contract's order, so the reason a pin is dropped is
    the first rule it breaks; the wording is the rule's own.
    """

    def __init__(self, instance: Instance, operator_tz: dict[str, str]):
        self.instance = instance
        self.operator_tz = operator_tz
        self.spec_index = {s.specialist_id: i for i, s in enumerate(instance.specialists)}
        self.demand_index = {d.demand_id: i for i, d in enumerate(instance.demands)}
        self.units: dict[tuple[int, int, int], int] = {}
        self.used: dict[tuple[int, int], int] = defaultdict(int)  # (s, w) -> units
        self.filled: dict[tuple[int, int], int] = defaultdict(int)  # (d, w) -> units
        self.clients: dict[tuple[int, int], set[int]] = defaultdict(set)

    def reason_to_drop(self, pin: Pin) -> str | None:
        instance = self.instance
        w = instance.horizon.week_index(pin.week)
        if w is None:
            return pins.outside_plan_reason(pin.week, instance.horizon)
        s = self.spec_index.get(pin.specialist_id)
        if s is None:
            return pins.unknown_specialist_reason(pin.specialist_id)
        d = self.demand_index.get(pin.demand_id)
        if d is None or instance.demands[d].units[w] <= 0:
            return pins.no_need_reason(pin.demand_id, pin.week)
        if (s, d, w) in self.units:
            return pins.DUPLICATE_REASON
        return self._broken_rule(pin, s, d, w)

    def _broken_rule(self, pin: Pin, s: int, d: int, w: int) -> str | None:
        instance = self.instance
        spec, demand = instance.specialists[s], instance.demands[d]
        reason = qualification.pin_reason(spec, demand) or timezone_reach.pin_reason(
            spec.timezone, self.operator_tz[demand.operator_id], pin.week, instance.max_tz_gap
        )
        if reason is not None:
            return reason
        if not capacity_rule.has_time(self.used[(s, w)], instance.capacity[s][w], pin.units):
            return capacity_rule.pin_reason(
                spec.specialist_id, instance.capacity[s][w], self.used[(s, w)]
            )
        if not demand_limit.has_need(self.filled[(d, w)], demand.units[w], pin.units):
            return demand_limit.pin_reason(pin.demand_id, demand.units[w], self.filled[(d, w)])
        if not client_limit.has_room(
            self.clients[(s, w)], instance.demand_operator[d], spec.max_clients
        ):
            return client_limit.pin_reason(spec.specialist_id, spec.max_clients)
        return None

    def keep(self, pin: Pin) -> None:
        w = self.instance.horizon.week_index(pin.week)
        assert w is not None
        s, d = self.spec_index[pin.specialist_id], self.demand_index[pin.demand_id]
        self.units[(s, d, w)] = pin.units
        self.used[(s, w)] += pin.units
        self.filled[(d, w)] += pin.units
        self.clients[(s, w)].add(self.instance.demand_operator[d])
