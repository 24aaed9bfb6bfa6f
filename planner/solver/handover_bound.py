"""A proven lower bound on handovers (objective 3) for plans of a given cover per week.

The bound relaxes everything that ties demands together and keeps what forces
new pairs: each demand separately must get, every week, at least the units the
week's cover leaves it, and only from specialists eligible then. Its fewest
specialists over the horizon is a small covering problem; their sum over the
demands is a lower bound, because no pair serves two demands.

What a demand must get in week `w`: a tier of the week covered to `C` of its
`D` units leaves at most `D - C` uncovered, so a demand of `u` units there gets
at least `u - (D - C)`. When the week's cover is proven optimal (stage 1), every
plan that is optimal under the contract's order has that cover, so the bound
holds for all of them; and for any plan covering at least as much in every
week and tier. Pinned pairs are in every plan and count as chosen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver import cpsat
from planner.solver.instance import Instance
from planner.solver.variables import Triple


@dataclass(frozen=True)
class HandoverBound:
    bound: int
    proven: bool  # every demand's covering problem solved to optimality in its time
    demands_forced: int  # demands that must get cover in some week


def week_tier_cover(
    instance: Instance, assignment: dict[Triple, int]
) -> list[tuple[int, int, int]]:
    """An assignment's covered units per week, by tier (critical, high, normal)."""
    cover = [[0, 0, 0] for _ in range(instance.weeks)]
    for (_, d, w), units in assignment.items():
        cover[w][instance.demand_tier[d]] += units
    return [(c[0], c[1], c[2]) for c in cover]


def handover_bound(
    instance: Instance, covered: list[tuple[int, int, int]], seconds_per_demand: float = 0.5
) -> HandoverBound:
    """The bound for plans with at least `covered[w][tier]` units in every week and tier."""
    tier_demand = instance.tier_demand()
    slack = [[tier_demand[t][w] - covered[w][t] for t in range(3)] for w in range(instance.weeks)]
    eligible_by_demand: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for w, pairs in enumerate(instance.eligible):
        for s, d in pairs:
            eligible_by_demand[d][w].append(s)
    pinned: dict[int, set[int]] = defaultdict(set)
    for s, d, _ in instance.pins:
        pinned[d].add(s)
    total, proven, forced = 0, True, 0
    for d in range(len(instance.demands)):
        tier = instance.demand_tier[d]
        needs = {
            w: instance.demand_units(d, w) - slack[w][tier]
            for w in range(instance.weeks)
            if instance.demand_units(d, w) - slack[w][tier] > 0
        }
        if not needs and not pinned[d]:
            continue
        forced += bool(needs)
        fewest, exact = _fewest_specialists(
            instance, d, needs, eligible_by_demand[d], pinned[d], seconds_per_demand
        )
        total += fewest
        proven &= exact
    return HandoverBound(total, proven, forced)


def _fewest_specialists(
    instance: Instance,
    d: int,
    needs: dict[int, int],
    eligible: dict[int, list[int]],
    pinned: set[int],
    seconds: float,
) -> tuple[int, bool]:
    """The fewest specialists who can give demand `d` its needed units in every week."""
    candidates = sorted({s for w in needs for s in eligible.get(w, ())} | pinned)
    # one specialist who can give every week's need alone settles it at once
    if len(pinned) <= 1 and any(
        (not pinned or s in pinned)
        and all(s in eligible.get(w, ()) and instance.upper(s, d, w) >= u for w, u in needs.items())
        for s in candidates
    ):
        return 1, True
    model = cp_model.CpModel()
    chosen = {s: model.new_bool_var(f"y{s}") for s in candidates}
    for s in pinned:
        model.add(chosen[s] == 1)
    for w, units in needs.items():
        model.add(sum(instance.upper(s, d, w) * chosen[s] for s in eligible.get(w, ())) >= units)
    model.minimize(sum(chosen.values()))
    solver = cpsat.new_solver(seconds, workers=1, seed=0)
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value), True
    if status == cp_model.FEASIBLE:
        return max(1, int(-(-solver.best_objective_bound // 1))), False
    # no solution in time (or none at all, which a real plan's cover rules out): the
    # pinned pairs, and one at least whenever something is needed
    return max(len(pinned), 1 if needs else 0), False
