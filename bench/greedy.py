"""The baseline the planner must beat: cover planned the way a spreadsheet would.

An account manager without a solver goes week by week, takes the gaps in
priority order and gives each to whoever is free, preferring last week's
person (fewer handovers) and a specialist already working for that client
(room under the client limit is scarce). It obeys every hard rule; it just never reconsiders
a choice. The benchmark prints it beside the planner and the bound.
"""

from __future__ import annotations

from collections import defaultdict

from planner.solver.flow import give_units
from planner.solver.instance import Instance
from planner.solver.variables import Triple


def greedy_assignment(instance: Instance) -> dict[Triple, int]:
    """A valid assignment (pins kept) built in one greedy pass over the weeks."""
    result: dict[Triple, int] = {}
    last_week: dict[int, set[int]] = defaultdict(set)  # demand -> specialists last week
    for w in range(instance.weeks):
        used: dict[int, int] = defaultdict(int)
        filled: dict[int, int] = defaultdict(int)
        clients: dict[int, set[int]] = defaultdict(set)
        for (s, d, week), units in instance.pins.items():
            if week == w:
                result[(s, d, w)] = units
                used[s] += units
                filled[d] += units
                clients[s].add(instance.demand_operator[d])
        candidates: dict[int, list[int]] = defaultdict(list)
        for s, d in instance.eligible[w]:
            if (s, d, w) not in instance.pins:
                candidates[d].append(s)
        this_week: dict[int, set[int]] = defaultdict(set)
        for d in sorted(
            candidates, key=lambda d: (instance.demand_tier[d], instance.demand_operator[d], d)
        ):
            operator = instance.demand_operator[d]
            ranked = sorted(
                candidates[d],
                key=lambda s: (
                    s not in last_week[d],
                    operator not in clients[s],
                    used[s] - instance.capacity[s][w],
                    s,
                ),
            )
            this_week[d].update(give_units(instance, w, d, ranked, result, used, filled, clients))
        last_week = this_week
    return result
