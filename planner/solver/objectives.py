"""The plan's objectives as linear expressions, in the contract's lexicographic order."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.domain.records import PRIORITIES
from planner.solver.instance import Instance
from planner.solver.variables import CoverVariables, Triple

TIERS = PRIORITIES  # tier 0 is critical


def lexicographic_cover(v: CoverVariables, tier_demand: list[int]) -> cp_model.LinearExprT:
    """Cover weighted so that one unit of a tier outweighs all cover of the tiers below.

    `tier_demand` is the most each tier can reach; weights grow as products of
    (demand + 1), which keeps the order exact and the numbers small for a week.
    """
    weights = tier_weights(tier_demand)
    return sum(weights[v.instance.demand_tier[k[1]]] * v.units(*k) for k in v.triples)


def tier_weights(tier_demand: list[int]) -> list[int]:
    """Weights (critical, high, normal) that make a weighted sum exactly lexicographic."""
    weight, weights = 1, [0, 0, 0]
    for tier in reversed(range(len(TIERS))):
        weights[tier] = weight
        weight *= tier_demand[tier] + 1
    return weights


def kept_units(model: cp_model.CpModel, v: CoverVariables) -> cp_model.LinearExprT:
    """Objective 2, stability: the units of each baseline booking the plan keeps,
    `min(units, baseline units)` summed, as one bounded variable per booking."""
    baseline = v.instance.baseline
    kept = []
    for key in v.triples:
        most = min(baseline.get(key, 0), v.instance.upper(*key))
        if most > 0:
            keep = model.new_int_var(0, most, f"kept[{key}]")
            model.add(keep <= v.units(*key))
            kept.append(keep)
    return sum(kept)


def kept_of(instance: Instance, assignment: dict[Triple, int]) -> int:
    """The baseline units an assignment keeps (objective 2's value)."""
    baseline = instance.baseline
    return sum(min(u, baseline[k]) for k, u in assignment.items() if k in baseline)


def familiar_units(v: CoverVariables) -> cp_model.LinearExprT:
    familiar = v.instance.familiar
    return sum(
        v.units(*k) for k in v.triples if (k[0], v.instance.demand_operator[k[1]]) in familiar
    )


def cost(v: CoverVariables) -> cp_model.LinearExprT:
    return sum(v.instance.cost_per_unit[k[0]] * v.units(*k) for k in v.triples)


def handover_flags(
    model: cp_model.CpModel, v: CoverVariables
) -> dict[tuple[int, int], cp_model.IntVar]:
    """One flag per (specialist, demand) pair that may be used: a handover if set."""
    pairs: dict[tuple[int, int], list[Triple]] = {}
    for key in v.triples:
        pairs.setdefault((key[0], key[1]), []).append(key)
    flags = {}
    for (s, d), keys in pairs.items():
        flag = model.new_bool_var(
            f"uses[{v.instance.specialists[s].specialist_id},{v.instance.demands[d].demand_id}]"
        )
        for key in keys:
            model.add(v.units(*key) == 0).only_enforce_if(~flag)
        flags[(s, d)] = flag
    return flags
