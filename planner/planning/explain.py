"""Why a demand is left uncovered, in words an account manager can act on.

The reasons are tried from the most fundamental (nobody in the vendor has the
skill) to the most circumstantial (everyone who could is busy elsewhere), so
the first that applies is the one worth fixing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from planner.domain.demand import Demand
from planner.domain.records import PRIORITIES, Dataset
from planner.rules import capacity, client_limit, timezone_reach
from planner.rules.qualification import is_qualified, not_qualified_reason
from planner.solver.instance import Instance

if TYPE_CHECKING:
    from planner.planning.plan import Uncovered

PRIORITY_NAMES = PRIORITIES
_LIST_AT_MOST = 4


def _names(ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:_LIST_AT_MOST])
    return shown + (f" and {len(ids) - _LIST_AT_MOST} more" if len(ids) > _LIST_AT_MOST else "")


@dataclass
class Workload:
    """What a plan asks of each specialist and gives each demand, week by week."""

    filled: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    used: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    clients: dict[tuple[int, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    # (s, w) -> [(tier, -units, operator_id)]: the most important job sorts first
    busy_with: dict[tuple[int, int], list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def book(
        self, s: int, w: int, operator_id: str, tier: int, units: int, d: int | None = None
    ) -> None:
        if units <= 0:
            return
        if d is not None:
            self.filled[(d, w)] += units
        self.used[(s, w)] += units
        self.clients[(s, w)].add(operator_id)
        self.busy_with[(s, w)].append((tier, -units, operator_id))

    def only_weeks(self, weeks: Iterable[int]) -> Workload:
        """A copy holding just `weeks`, to book into without touching this one."""
        wanted = set(weeks)
        copy = Workload()
        for key, units in self.filled.items():
            if key[1] in wanted:
                copy.filled[key] = units
        for key, units in self.used.items():
            if key[1] in wanted:
                copy.used[key] = units
                copy.clients[key] = set(self.clients[key])
                copy.busy_with[key] = list(self.busy_with[key])
        return copy


def workload_of(instance: Instance, assignment: dict) -> Workload:
    workload = Workload()
    for (s, d, w), units in assignment.items():
        workload.book(s, w, instance.demands[d].operator_id, instance.demand_tier[d], units, d)
    return workload


def explain_uncovered(
    instance: Instance,
    dataset: Dataset,
    assignment: dict | None = None,
    unproven_weeks: set[int] | None = None,
    only: set[int] | None = None,
    workload: Workload | None = None,
) -> list[Uncovered]:
    """One row per (demand, week) with units left, each with a concrete reason.

    The workload comes from `assignment`, or is given directly when bookings
    reach beyond the instance (a quote sees the plan's bookings of other demands).
    """
    from planner.planning.plan import Uncovered

    unproven_weeks = unproven_weeks or set()
    if workload is None:
        workload = workload_of(instance, assignment or {})
    absences: dict[str, list[tuple[date, date, str]]] = defaultdict(list)
    for absence in dataset.specialist_absences:
        absences[absence.specialist_id].append((absence.start, absence.end, absence.kind))
    operator_tz = {o.operator_id: o.timezone for o in dataset.operators}
    specialists = instance.specialists
    rows = []
    for d, demand in enumerate(instance.demands):
        if only is not None and d not in only:
            continue
        qualified = [s for s, spec in enumerate(specialists) if is_qualified(spec, demand)]
        for w, monday in enumerate(instance.horizon.mondays):
            missing = demand.units[w] - workload.filled[(d, w)]
            if missing <= 0:
                continue
            reason = _reason(
                instance,
                demand,
                w,
                monday,
                qualified,
                operator_tz,
                absences,
                workload,
                w in unproven_weeks,
            )
            rows.append(
                Uncovered(
                    demand.demand_id,
                    demand.operator_id,
                    demand.role,
                    monday,
                    demand.priority,
                    missing,
                    reason,
                )
            )
    rows.sort(key=lambda r: (r.week, PRIORITY_NAMES.index(r.priority), r.operator_id, r.demand_id))
    return rows


def _reason(
    instance: Instance,
    demand: Demand,
    w: int,
    monday: date,
    qualified: list[int],
    operator_tz: dict[str, str],
    absences: dict[str, list[tuple[date, date, str]]],
    workload: Workload,
    unproven: bool,
) -> str:
    """The first rule that keeps the demand's week uncovered, in that rule's words."""
    specialists = instance.specialists
    if not qualified:
        return not_qualified_reason(specialists, demand)
    tz = operator_tz[demand.operator_id]
    near = [
        s
        for s in qualified
        if timezone_reach.within_tz_gap(specialists[s].timezone, tz, monday, instance.max_tz_gap)
    ]
    if not near:
        return timezone_reach.out_of_reach_reason(
            [specialists[s] for s in qualified], tz, monday, instance.max_tz_gap
        )
    available = [s for s in near if instance.capacity[s][w] > 0]
    if not available:
        why = [
            capacity.away_reason(
                specialists[s], monday, absences[specialists[s].specialist_id], instance.horizon
            )
            for s in near
        ]
        return capacity.unavailable_reason(_names(why))
    full, at_limit, free = _busy_or_free(instance, demand, w, available, workload)
    if free and unproven:
        ids = _names(specialists[s].specialist_id for s in free)
        return (
            f"not covered within the time limit although {ids} had time left; "
            f"re-plan with a longer --time-limit"
        )
    return "; ".join(_busy_parts(instance, demand, w, full, at_limit, free, workload))


def _busy_or_free(
    instance: Instance, demand: Demand, w: int, available: list[int], workload: Workload
) -> tuple[list[int], list[int], list[int]]:
    """Available specialists split by what stops them: capacity, the client limit, or nothing."""
    full, at_limit, free = [], [], []
    for s in available:
        if not capacity.has_time(workload.used[(s, w)], instance.capacity[s][w]):
            full.append(s)
        elif not client_limit.has_room(
            workload.clients[(s, w)], demand.operator_id, instance.specialists[s].max_clients
        ):
            at_limit.append(s)
        else:
            free.append(s)
    return full, at_limit, free


def _busy_parts(
    instance: Instance,
    demand: Demand,
    w: int,
    full: list[int],
    at_limit: list[int],
    free: list[int],
    workload: Workload,
) -> list[str]:
    specialists = instance.specialists
    parts = []
    if full:
        ids = _names(specialists[s].specialist_id for s in full)
        first = full[0]
        jobs = workload.busy_with[(first, w)]
        tier, _, elsewhere = min(jobs) if jobs else (2, 0, demand.operator_id)
        parts.append(
            capacity.fully_booked_reason(
                ids,
                specialists[first].specialist_id,
                PRIORITY_NAMES[tier],
                elsewhere,
                demand.operator_id,
            )
        )
    if at_limit:
        parts.append(
            client_limit.at_limit_reason(_names(specialists[s].specialist_id for s in at_limit))
        )
    if free:
        # Cover is maximised first, so free time here means another rule binds in a
        # way the summary cannot show one specialist at a time (e.g. pins).
        ids = _names(specialists[s].specialist_id for s in free)
        parts.append(f"{ids} kept for higher-priority or pinned cover")
    return parts
