"""The one path from a `Dataset` to a `Plan`.

`make_plan` prepares the instance, runs the model, explains every uncovered unit
and sums the figures, so the CLI, the app and the what-if all plan alike.
"""

from __future__ import annotations

from planner.domain.calendar import HOURS_PER_UNIT, Horizon
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP
from planner.domain.records import Dataset, Pin
from planner.planning.explain import explain_uncovered
from planner.planning.plan import PRIORITY_NAMES, Assignment, Plan, by_priority
from planner.solver import CoverModel, Solution, SolveConfig
from planner.solver.instance import Instance, build_instance
from planner.solver.model import ProgressCallback


def plan_from_solution(instance: Instance, solution: Solution, dataset: Dataset) -> Plan:
    mondays = instance.horizon.mondays
    assignments = tuple(
        sorted(
            (
                Assignment(
                    demand_id=instance.demands[d].demand_id,
                    operator_id=instance.demands[d].operator_id,
                    role=instance.demands[d].role,
                    week=mondays[w],
                    specialist_id=instance.specialists[s].specialist_id,
                    units=units,
                )
                for (s, d, w), units in solution.assignment.items()
                if units > 0
            ),
            key=lambda a: (a.week, a.operator_id, a.demand_id, a.specialist_id),
        )
    )
    uncovered = tuple(
        explain_uncovered(instance, dataset, solution.assignment, set(solution.unproven_weeks))
    )
    uncovered_units = [0, 0, 0]
    for row in uncovered:
        uncovered_units[PRIORITY_NAMES.index(row.priority)] += row.units
    summary = {
        "status": solution.status,
        "start": instance.horizon.start.isoformat(),
        "weeks": instance.weeks,
        "max_tz_gap": instance.max_tz_gap,
        "calendar": instance.horizon.calendar.describe(
            instance.horizon.start, instance.horizon.end
        ),
        "demand_units": by_priority(solution.demand),
        "covered_units": by_priority(solution.covered),
        "bound_units": by_priority(solution.bound),
        "uncovered_units": by_priority(uncovered_units),
        "handovers": solution.handovers,
        "baseline_units": instance.baseline_units,
        "kept_units": solution.kept_units,
        "moved_units": instance.baseline_units - solution.kept_units,
        "familiar_units": solution.familiar_units,
        "cost": round(solution.cost_kopecks / 100, 2),
        "cost_hours": HOURS_PER_UNIT * sum(solution.assignment.values()),
        "solve_seconds": round(solution.seconds, 3),
        "dropped_pins": [p.as_dict() for p in instance.dropped_pins],
        "unproven_weeks": [mondays[w].isoformat() for w in solution.unproven_weeks],
        "stages": [
            {
                "name": s.name,
                "status": s.status,
                "objective": _json_number(s.objective),
                "bound": _json_number(s.bound),
                "seconds": round(s.seconds, 3),
            }
            for s in solution.stages
        ],
        "specialists": len(instance.specialists),
        "demands": len(instance.demands),
        "rota_reserved_units": sum(n for _, _, n in instance.horizon.reserved),
        "rota_reservations": [
            {"specialist_id": sid, "week": monday.isoformat(), "units": n}
            for sid, monday, n in instance.horizon.reserved
        ],
    }
    return Plan(
        instance.horizon.start,
        instance.weeks,
        instance.max_tz_gap,
        assignments,
        uncovered,
        summary,
        instance.horizon.calendar,
        instance.horizon.reserved,
    )


def _json_number(value: float) -> float | None:
    if value != value:  # NaN: the stage found nothing
        return None
    return int(value) if float(value).is_integer() else round(value, 3)


def make_plan(
    dataset: Dataset,
    horizon: Horizon,
    *,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    config: SolveConfig | None = None,
    progress: ProgressCallback | None = None,
    extra_pins: tuple[Pin, ...] = (),
    baseline: tuple[Pin, ...] = (),
) -> Plan:
    """`baseline`: the bookings of an earlier plan to keep where cover does not gain by
    moving them (objective 2); `kept_units` and `moved_units` in the summary say how
    far that went."""
    instance = build_instance(
        dataset, horizon, max_tz_gap=max_tz_gap, extra_pins=extra_pins, baseline=baseline
    )
    solution = CoverModel(instance, config, progress).solve()
    return plan_from_solution(instance, solution, dataset)
