"""The quote's CP-SAT model: the most cover for one new demand from the time a plan leaves.

`planner.quotes.quote` works out who has time left, and room under the client
limit, in each week of the request (`room`); this small model then picks who gives what, in
the contract's order: most units, then fewest specialists, then most familiar
units, then lowest cost.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.rules import demand_limit
from planner.solver import cpsat
from planner.solver.instance import Instance
from planner.solver.weeks import SOLVED

QuoteLines = list[tuple[int, int, int]]  # (specialist, week, units)


def best_cover(
    instance: Instance, d: int, room: dict[tuple[int, int], int], time_limit: float
) -> QuoteLines:
    """Most units, then fewest specialists, then most familiar units, then lowest cost.

    Solved twice: cover and the number of specialists first, then, with both
    held, familiarity before cost. Nothing found in time means no lines.
    """
    if not room:
        return []
    demand = instance.demands[d]
    model = cp_model.CpModel()
    units = {key: model.new_int_var(0, free, f"units[{key}]") for key, free in room.items()}
    specialists = sorted({s for s, _ in room})
    uses = {s: model.new_bool_var(f"uses[{s}]") for s in specialists}
    for (s, _week), var in units.items():
        model.add(var == 0).only_enforce_if(~uses[s])
    for w in {w for _, w in room}:
        demand_limit.limit_cover(
            model, sum(var for (_, week), var in units.items() if week == w), demand.units[w]
        )
    cover = sum(units.values())
    operator = instance.demand_operator[d]
    familiar = sum(var for (s, _), var in units.items() if (s, operator) in instance.familiar)
    cost = sum(instance.cost_per_unit[s] * var for (s, _), var in units.items())
    max_cost = sum(instance.cost_per_unit[s] * free for (s, _), free in room.items())
    total_room = sum(room.values())
    # cover outweighs any number of specialists; familiarity outweighs any cost
    model.maximize(cover * (len(specialists) + 1) - sum(uses.values()))
    solver = cpsat.new_solver(time_limit)
    if solver.solve(model) not in SOLVED:
        return []
    model.add(cover == solver.value(cover))
    model.add(sum(uses.values()) <= round(sum(solver.value(u) for u in uses.values())))
    model.clear_hints()
    for var in units.values():
        model.add_hint(var, solver.value(var))
    model.maximize(familiar * (max_cost + 1) - cost if total_room else 0)
    if solver.solve(model) not in SOLVED:
        return []
    return [(s, w, solver.value(var)) for (s, w), var in units.items() if solver.value(var) > 0]
