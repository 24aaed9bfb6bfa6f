"""Why a demand is left uncovered, in words an account manager can act on.

The reasons are tried from the most fundamental (nobody in the vendor has the
skill) to the most circumstantial (everyone who could is busy elsewhere), so
the first that applies is the one worth fixing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from planner.calendar import is_employed, utc_offset_hours, working_days
from planner.dataset import Dataset, Specialist
from planner.demand import Demand
from planner.instance import Instance, is_qualified

if TYPE_CHECKING:
    from planner.plan import Uncovered

PRIORITY_NAMES = ("critical", "high", "normal")
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


def explain_uncovered(instance: Instance, dataset: Dataset, assignment: dict,
                      unproven_weeks: set[int] | None = None,
                      only: set[int] | None = None) -> list[Uncovered]:
    """One row per (demand, week) with units left, each with a concrete reason."""
    from planner.plan import Uncovered

    unproven_weeks = unproven_weeks or set()
    filled: dict[tuple[int, int], int] = defaultdict(int)
    used: dict[tuple[int, int], int] = defaultdict(int)
    clients: dict[tuple[int, int], set[int]] = defaultdict(set)
    busy_with: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for (s, d, w), units in assignment.items():
        if units <= 0:
            continue
        filled[(d, w)] += units
        used[(s, w)] += units
        clients[(s, w)].add(instance.demand_operator[d])
        busy_with[(s, w)].append((instance.demand_tier[d], -units, d))
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
            missing = demand.units[w] - filled[(d, w)]
            if missing <= 0:
                continue
            reason = _reason(instance, demand, d, w, monday, qualified, operator_tz, absences,
                             used, clients, busy_with, w in unproven_weeks)
            rows.append(Uncovered(demand.demand_id, demand.operator_id, demand.role, monday,
                                  demand.priority, missing, reason))
    rows.sort(key=lambda r: (r.week, PRIORITY_NAMES.index(r.priority), r.operator_id,
                             r.demand_id))
    return rows


def _reason(instance: Instance, demand: Demand, d: int, w: int, monday: date,
            qualified: list[int], operator_tz: dict[str, str],
            absences: dict[str, list[tuple[date, date, str]]],
            used: dict, clients: dict, busy_with: dict, unproven: bool) -> str:
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
    operator = instance.demand_operator[d]
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
        tier, _, other = min(busy_with[(first, w)]) if busy_with[(first, w)] else (2, 0, d)
        doing = instance.demands[other]
        parts.append(f"eligible {ids} fully booked ({specialists[first].specialist_id} on "
                     f"{PRIORITY_NAMES[tier]} cover at {doing.operator_id})")
    if at_limit:
        ids = _names(specialists[s].specialist_id for s in at_limit)
        parts.append(f"{ids} already at their client limit (max_clients) that week")
    if free:
        # Cover is maximised first, so free time here means another rule binds in a
        # way the summary cannot show one specialist at a time (e.g. pins).
        ids = _names(specialists[s].specialist_id for s in free)
        parts.append(f"{ids} kept for higher-priority or pinned cover")
    return "; ".join(parts)
