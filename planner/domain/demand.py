"""Turn staffing data into demand: how many units of cover each client needs, week by week.

Two sources of demand exist: a *gap* (an operator's role falls below its
`min_fte` because people are away, gone or not yet hired) and an explicit
*request* for a temporary specialist. Both become a `Demand` with one integer
unit count per week of the horizon.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from planner.domain.calendar import (
    Horizon,
    days_present_by_week,
    gap_units,
    is_employed,
    request_units,
)
from planner.domain.records import Dataset, Request, Requirement

PRIORITY_RANK = {"critical": 0, "high": 1, "normal": 2}


@dataclass(frozen=True)
class Demand:
    """Cover one operator needs in one role, with what a covering specialist must have."""

    demand_id: str
    operator_id: str
    role: str
    skills: tuple[str, ...]
    min_level: int
    priority: str
    units: tuple[int, ...]  # one entry per week of the horizon
    source: str  # "gap" or "request"

    @property
    def total_units(self) -> int:
        return sum(self.units)


def gap_demand_id(operator_id: str, role: str) -> str:
    return f"gap:{operator_id}:{role}"


def request_demand_id(request_id: str) -> str:
    return f"req:{request_id}"


def demand_sources(dataset: Dataset) -> dict[str, Requirement | Request]:
    """The requirement or request behind every demand id a plan can name.

    Plans and bookings carry only the demand id; this recovers its operator and
    priority without building the demand itself.
    """
    sources: dict[str, Requirement | Request] = {
        gap_demand_id(r.operator_id, r.role): r for r in dataset.requirements
    }
    sources.update({request_demand_id(r.request_id): r for r in dataset.requests})
    return sources


def present_fte_days(dataset: Dataset, horizon: Horizon) -> dict[tuple[str, str], list[float]]:
    """Present FTE-days per (operator, role) and week: the sum of `fte * days_present`.

    Days are counted on the operator's calendar (its region's working days).
    """
    absences: dict[str, list[tuple]] = defaultdict(list)
    for absence in dataset.absences:
        absences[absence.staff_id].append((absence.start, absence.end))
    regions = {o.operator_id: o.region for o in dataset.operators}
    present: dict[tuple[str, str], np.ndarray] = {}
    for member in dataset.staff:
        days = days_present_by_week(
            horizon,
            member.joined_on,
            member.left_on,
            absences.get(member.staff_id, ()),
            regions.get(member.operator_id),
        )
        key = (member.operator_id, member.role)
        if key not in present:
            present[key] = np.zeros(horizon.weeks)
        # the same float operations, in the same order, as adding person by person
        present[key] += member.fte * days
    return {key: row.tolist() for key, row in present.items()}


def gap_demand(
    requirement: Requirement, present: list[float] | None, working_days: list[int]
) -> Demand:
    """The gap of one requirement: its shortfall below `min_fte`, week by week."""
    present = present or [0.0] * len(working_days)
    units = tuple(
        gap_units(requirement.min_fte, days, fte_days)
        for days, fte_days in zip(working_days, present, strict=True)
    )
    return Demand(
        demand_id=gap_demand_id(requirement.operator_id, requirement.role),
        operator_id=requirement.operator_id,
        role=requirement.role,
        skills=requirement.skills,
        min_level=requirement.min_level,
        priority=requirement.priority,
        units=units,
        source="gap",
    )


def request_demand(request: Request, horizon: Horizon, region: str | None) -> Demand:
    """A request's units in each week it touches, on its working days (operator's calendar)."""
    units = []
    for monday in horizon.mondays:
        days = sum(
            1
            for day in horizon.working_days(monday, region)
            if is_employed(day, request.start, request.end)
        )
        units.append(request_units(request.fte, days) if days else 0)
    return Demand(
        demand_id=request_demand_id(request.request_id),
        operator_id=request.operator_id,
        role=request.role,
        skills=request.skills,
        min_level=request.min_level,
        priority=request.priority,
        units=tuple(units),
        source="request",
    )


def build_demands(dataset: Dataset, horizon: Horizon) -> list[Demand]:
    """Every gap and request that needs cover somewhere in the horizon, in a stable order."""
    present = present_fte_days(dataset, horizon)
    regions = {o.operator_id: o.region for o in dataset.operators}
    working: dict[str | None, list[int]] = {}

    def working_days(operator_id: str) -> list[int]:
        region = regions.get(operator_id)
        if region not in working:
            working[region] = horizon.working_days_per_week(region).tolist()
        return working[region]

    demands = [
        gap_demand(req, present.get((req.operator_id, req.role)), working_days(req.operator_id))
        for req in dataset.requirements
    ]
    demands += [
        request_demand(request, horizon, regions.get(request.operator_id))
        for request in dataset.requests
    ]
    return [d for d in demands if d.total_units > 0]
