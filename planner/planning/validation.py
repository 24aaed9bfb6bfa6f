"""The executable specification: checks any plan against the contract's rules, without the solver.

It recomputes demand and capacity from the dataset with the calendar rules and
checks every assignment row by row, so a bug in instance building or in the
model shows up here as a broken rule rather than as a silently worse plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from planner.domain.calendar import HOURS_PER_UNIT, UNITS_PER_FTE, Horizon
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP
from planner.domain.demand import Demand, build_demands
from planner.domain.records import PRIORITIES, Dataset, Operator, Specialist
from planner.rules import capacity, client_limit, demand_limit, pins, qualification, timezone_reach


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


@dataclass
class _Tally:
    """What the plan's bookings add up to per (specialist, week) and (demand, week)."""

    used: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    filled: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    served: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass(frozen=True)
class _Contract:
    """The dataset as the rules see it: demand and capacity recomputed, records by id."""

    horizon: Horizon
    max_tz_gap: float
    demands: dict[str, Demand]
    capacity: dict[str, tuple[int, ...]]
    operators: dict[str, Operator]
    specialists: dict[str, Specialist]

    @classmethod
    def of(cls, dataset: Dataset, horizon: Horizon, max_tz_gap: float) -> _Contract:
        return cls(
            horizon,
            max_tz_gap,
            {d.demand_id: d for d in build_demands(dataset, horizon)},
            capacity.specialist_capacity(dataset, horizon),
            {o.operator_id: o for o in dataset.operators},
            {s.specialist_id: s for s in dataset.specialists},
        )


def check_plan(
    dataset: Dataset,
    horizon: Horizon,
    bookings: Iterable[Booking],
    *,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    dropped_pins: Iterable[tuple[str, str, date]] = (),
) -> list[str]:
    """Every broken rule, as a sentence; an empty list means the plan is valid.

    Rows first (their form, then rules 1 and 2), then the weekly sums (rules 3
    and 4), then the pins (rule 5): each sentence is the rule module's own.
    """
    bookings = list(bookings)
    contract = _Contract.of(dataset, horizon, max_tz_gap)
    tally = _Tally()
    violations = _check_rows(contract, bookings, tally)
    violations += _check_specialist_weeks(contract, tally)
    violations += _check_demand_weeks(contract, tally)
    booked = {(b.specialist_id, b.demand_id, b.week): b.units for b in bookings}
    violations += pins.check(dataset.pinned, booked, set(dropped_pins))
    return violations


def _check_rows(contract: _Contract, bookings: list[Booking], tally: _Tally) -> list[str]:
    """Each row on its own: a real booking, its columns consistent, rules 1 and 2; then tallied."""
    violations: list[str] = []
    seen: set[tuple[str, str, date]] = set()
    for row in bookings:
        where = f"{row.specialist_id} -> {row.demand_id} in week {row.week}"
        if (row.specialist_id, row.demand_id, row.week) in seen:
            violations.append(f"{where}: the same assignment appears twice")
        seen.add((row.specialist_id, row.demand_id, row.week))
        problem = _not_a_booking(contract, row)
        if problem is not None:
            violations.append(f"{where}: {problem}")
            continue
        w = contract.horizon.week_index(row.week)
        assert w is not None
        demand = contract.demands[row.demand_id]
        spec = contract.specialists[row.specialist_id]
        violations += [f"{where}: {problem}" for problem in _row_columns(row, demand)]
        violations += [f"{where}: {broken}" for broken in qualification.check(spec, demand)]
        far = timezone_reach.check(
            spec.timezone,
            contract.operators[demand.operator_id].timezone,
            row.week,
            contract.max_tz_gap,
        )
        if far is not None:
            violations.append(f"{where}: {far}")
        tally.used[(spec.specialist_id, w)] += row.units
        tally.filled[(demand.demand_id, w)] += row.units
        tally.served[(spec.specialist_id, w)].add(demand.operator_id)
    return violations


def _not_a_booking(contract: _Contract, row: Booking) -> str | None:
    """Why a row cannot be checked against the rules at all, or None when it can."""
    w = contract.horizon.week_index(row.week)
    if w is None:
        return "week is not a Monday of the plan"
    demand = contract.demands.get(row.demand_id)
    if demand is None or demand.units[w] <= 0:
        return "no such demand that week"
    if contract.specialists.get(row.specialist_id) is None:
        return "no such specialist"
    if not isinstance(row.units, int) or row.units <= 0:
        return f"units must be a positive whole number, got {row.units}"
    return None


def _row_columns(row: Booking, demand: Demand) -> list[str]:
    """The optional columns of a row, when given, must agree with the demand and the units."""
    problems = []
    if row.operator_id is not None and row.operator_id != demand.operator_id:
        problems.append(f"operator_id {row.operator_id} is not the demand's {demand.operator_id}")
    if row.role is not None and row.role != demand.role:
        problems.append(f"role {row.role} is not the demand's {demand.role}")
    if row.fte is not None and abs(row.fte - row.units / UNITS_PER_FTE) > 1e-9:
        problems.append(f"fte {row.fte} is not units / 10")
    return problems


def _check_specialist_weeks(contract: _Contract, tally: _Tally) -> list[str]:
    """Rule 3 for each specialist and week booked: capacity, then the client limit."""
    violations = []
    for (spec_id, w), units in tally.used.items():
        monday = contract.horizon.mondays[w]
        for broken in (
            capacity.check(spec_id, monday, units, contract.capacity[spec_id][w]),
            client_limit.check(
                spec_id,
                monday,
                tally.served[(spec_id, w)],
                contract.specialists[spec_id].max_clients,
            ),
        ):
            if broken is not None:
                violations.append(broken)
    return violations


def _check_demand_weeks(contract: _Contract, tally: _Tally) -> list[str]:
    """Rule 4 for each demand and week booked."""
    violations = []
    for (demand_id, w), units in tally.filled.items():
        broken = demand_limit.check(
            demand_id, contract.horizon.mondays[w], units, contract.demands[demand_id].units[w]
        )
        if broken is not None:
            violations.append(broken)
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
