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

from planner.domain.calendar import is_employed, utc_offset_hours, working_days
from planner.domain.demand import Demand
from planner.domain.records import PRIORITIES, Dataset, Specialist
from planner.solver.instance import Instance, is_qualified

if TYPE_CHECKING:
    from planner.planning.plan import Uncovered

PRIORITY_NAMES = PRIORITIES
_LIST_AT_MOST = 4


def _names(ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:_LIST_AT_MOST])
    return shown + (f" and {len(ids) - _LIST_AT_MOST} more" if len(ids) > _LIST_AT_MOST else "")


def not_qualified_reason(specialists: Iterable[Specialist], demand: Demand) -> str:
    specialists = list(specialists)
    wanted = f"{demand.role} level >= {demand.min_level}"
    skills = f" with skill {', '.join(demand.skills)}" if demand.skills else ""
    if not any(s.level(demand.role) for s in specialists):
        return f"no specialist has the {demand.role} role"
    if demand.skills and not any(s.level(demand.role) >= demand.min_level for s in specialists):
        return f"no specialist has {wanted} (needed with skill {', '.join(demand.skills)})"
    return f"no specialist has {wanted}{skills}"


def _away_reason(spec: Specialist, monday: date, absences: list[tuple[date, date, str]]) -> str:
    days = working_days(monday)
    if not any(is_employed(day, spec.joined_on, spec.left_on) for day in days):
        if spec.joined_on and spec.joined_on > days[-1]:
            return f"{spec.specialist_id} joins {spec.joined_on}"
        return f"{spec.specialist_id} left {spec.left_on}"
    kinds = sorted({kind for start, end, kind in absences
                    if start <= days[-1] and end >= days[0]})
    if kinds:
        return f"{spec.specialist_id} on {'/'.join(kinds)}"
    return f"{spec.specialist_id} has no capacity"


@dataclass
class Workload:
    """What a plan asks of each specialist and gives each demand, week by week."""

    filled: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    used: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    clients: dict[tuple[int, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    # (s, w) -> [(tier, -units, operator_id)]: the most important job sorts first
    busy_with: dict[tuple[int, int], list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list))

    def book(self, s: int, w: int, operator_id: str, tier: int, units: int,
             d: int | None = None) -> None:
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


def explain_uncovered(instance: Instance, dataset: Dataset, assignment: dict | None = None,
                      unproven_weeks: set[int] | None = None,
                      only: set[int] | None = None,
                      workload: Workload | None = None) -> list[Uncovered]:
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
            reason = _reason(instance, demand, w, monday, qualified, operator_tz, absences,
                             workload, w in unproven_weeks)
            rows.append(Uncovered(demand.demand_id, demand.operator_id, demand.role, monday,
                                  demand.priority, missing, reason))
    rows.sort(key=lambda r: (r.week, PRIORITY_NAMES.index(r.priority), r.operator_id,
                             r.demand_id))
    return rows


def _reason(instance: Instance, demand: Demand, w: int, monday: date,
            qualified: list[int], operator_tz: dict[str, str],
            absences: dict[str, list[tuple[date, date, str]]],
            workload: Workload, unproven: bool) -> str:
    specialists = instance.specialists
    if not qualified:
        return not_qualified_reason(specialists, demand)
    tz = operator_tz[demand.operator_id]
    here = utc_offset_hours(tz, monday)
    near = [s for s in qualified
            if abs(utc_offset_hours(specialists[s].timezone, monday) - here)
            <= instance.max_tz_gap + 1e-9]
    if not near:
        by_distance = sorted(
            qualified, key=lambda s: abs(utc_offset_hours(specialists[s].timezone, monday) - here))
        nearest = ", ".join(
            f"{specialists[s].specialist_id} in {specialists[s].timezone} "
            f"{abs(utc_offset_hours(specialists[s].timezone, monday) - here):g} h away"
            for s in by_distance[:2])
        return (f"no eligible specialist within {instance.max_tz_gap:g} h of {tz} "
                f"(nearest qualified: {nearest})")
    available = [s for s in near if instance.capacity[s][w] > 0]
    if not available:
        why = [_away_reason(specialists[s], monday, absences[specialists[s].specialist_id])
               for s in near]
        return f"eligible specialists unavailable that week: {_names(why)}"
    used, clients = workload.used, workload.clients
    operator = demand.operator_id
    full, at_limit, free = [], [], []
    for s in available:
        if used[(s, w)] >= instance.capacity[s][w]:
            full.append(s)
        elif operator not in clients[(s, w)] and len(clients[(s, w)]) >= specialists[s].max_clients:
            at_limit.append(s)
        else:
            free.append(s)
    if free and unproven:
        ids = _names(specialists[s].specialist_id for s in free)
        return (f"not covered within the time limit although {ids} had time left; "
                f"re-plan with a longer --time-limit")
    parts = []
    if full:
        ids = _names(specialists[s].specialist_id for s in full)
        first = full[0]
        jobs = workload.busy_with[(first, w)]
        tier, _, elsewhere = min(jobs) if jobs else (2, 0, operator)
        parts.append(f"eligible {ids} fully booked ({specialists[first].specialist_id} on "
                     f"{PRIORITY_NAMES[tier]} cover at {elsewhere})")
    if at_limit:
        ids = _names(specialists[s].specialist_id for s in at_limit)
        parts.append(f"{ids} already at their client limit (max_clients) that week")
    if free:
        # Cover is maximised first, so free time here means another rule binds in a
        # way the summary cannot show one specialist at a time (e.g. pins).
        ids = _names(specialists[s].specialist_id for s in free)
        parts.append(f"{ids} kept for higher-priority or pinned cover")
    return "; ".join(parts)
