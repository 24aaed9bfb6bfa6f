"""The hard rules of a plan, one function each, named after the business rule.

Rules 1 (qualification) and 2 (time zones) hold by construction: see
`planner.solver.variables`. The rest are constraints over the variables.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.variables import CoverVariables


def specialist_capacity(model: cp_model.CpModel, v: CoverVariables) -> None:
    """Rule 3a: a specialist gives no more units in a week than that week's capacity."""
    for (s, w), keys in v.by_specialist_week.items():
        if sum(v.instance.upper(*k) for k in keys) > v.instance.capacity[s][w]:
            model.add(sum(v.units(*k) for k in keys) <= v.instance.capacity[s][w])


def client_limit(model: cp_model.CpModel, v: CoverVariables) -> None:
    """Rule 3b: a specialist serves at most `max_clients` distinct operators in a week."""
    per_specialist_week: dict[tuple[int, int], list] = {}
    for (s, o, w), keys in v.by_serves.items():
        flag = v.serves(s, o, w)
        # One linking constraint per client, with the tightest big-M (what the specialist
        # could give that client at most): its linear relaxation is far stronger than one
        # enforcement per variable, which is what lets CP-SAT prove hard weeks quickly.
        most = min(v.instance.capacity[s][w], sum(v.instance.upper(*key) for key in keys))
        model.add(sum(v.units(*key) for key in keys) <= most * flag)
        per_specialist_week.setdefault((s, w), []).append(flag)
    for (s, _week), flags in per_specialist_week.items():
        if len(flags) > v.instance.max_clients(s):
            model.add(sum(flags) <= v.instance.max_clients(s))


def demand_limit(model: cp_model.CpModel, v: CoverVariables) -> None:
    """Rule 4: a demand gets no more units in a week than it needs."""
    for (d, w), keys in v.by_demand_week.items():
        if sum(v.instance.upper(*k) for k in keys) > v.instance.demand_units(d, w):
            model.add(sum(v.units(*k) for k in keys) <= v.instance.demand_units(d, w))


def pinned_bookings(model: cp_model.CpModel, v: CoverVariables) -> None:
    """Rule 5: confirmed bookings stay exactly as they are."""
    weeks = set(v.weeks)
    for (s, d, w), units in v.instance.pins.items():
        if w in weeks:
            model.add(v.units(s, d, w) == units)


HARD_RULES = (specialist_capacity, client_limit, demand_limit, pinned_bookings)


def add_hard_rules(model: cp_model.CpModel, v: CoverVariables) -> None:
    for rule in HARD_RULES:
        rule(model, v)
