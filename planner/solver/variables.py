"""Decision variables, created only for eligible (specialist, demand, week) triples.

Eligibility (role, level, skills, time zone, availability) is decided in
`planner.solver.instance`, so rule 1 and rule 2 hold by construction: a triple that
breaks them has no variable at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from planner.solver.instance import Instance

Triple = tuple[int, int, int]  # (specialist, demand, week)


class CoverVariables:
    """`units(s, d, w)` of cover and `serves(s, o, w)` flags for a set of weeks."""

    def __init__(self, model: cp_model.CpModel, instance: Instance, weeks: Iterable[int]):
        self.instance = instance
        self.weeks = tuple(weeks)
        self._units: dict[Triple, cp_model.IntVar] = {}
        self._serves: dict[Triple, cp_model.IntVar] = {}
        self.by_specialist_week: dict[tuple[int, int], list[Triple]] = defaultdict(list)
        self.by_demand_week: dict[tuple[int, int], list[Triple]] = defaultdict(list)
        self.by_serves: dict[Triple, list[Triple]] = defaultdict(list)
        specialists, demands = instance.specialists, instance.demands
        for w in self.weeks:
            for s, d in instance.eligible[w]:
                key = (s, d, w)
                self._units[key] = model.new_int_var(
                    0,
                    instance.upper(s, d, w),
                    f"units[{specialists[s].specialist_id},{demands[d].demand_id},w{w}]",
                )
                o = instance.demand_operator[d]
                if (s, o, w) not in self._serves:
                    self._serves[(s, o, w)] = model.new_bool_var(
                        f"serves[{specialists[s].specialist_id},{instance.operator_ids[o]},w{w}]"
                    )
                self.by_specialist_week[(s, w)].append(key)
                self.by_demand_week[(d, w)].append(key)
                self.by_serves[(s, o, w)].append(key)

    def units(self, s: int, d: int, w: int) -> cp_model.IntVar:
        return self._units[(s, d, w)]

    def serves(self, s: int, o: int, w: int) -> cp_model.IntVar:
        return self._serves[(s, o, w)]

    @property
    def triples(self) -> list[Triple]:
        return list(self._units)

    @property
    def serve_keys(self) -> list[Triple]:
        return list(self._serves)

    def hint(self, model: cp_model.CpModel, assignment: dict[Triple, int]) -> None:
        """Hint a complete solution, so the next stage starts from the last one."""
        model.clear_hints()
        for key, var in self._units.items():
            model.add_hint(var, assignment.get(key, 0))
        served = {
            (s, self.instance.demand_operator[d], w)
            for (s, d, w), units in assignment.items()
            if units > 0
        }
        for key, var in self._serves.items():
            model.add_hint(var, key in served)
