"""Large-neighbourhood search on one week's cover: re-plan a few specialists at a time.

The flow repair leaves some weeks a few units short of the flow bound, because
the specialists at their client limit kept the wrong clients. Reaching the bound
then needs several specialists to change clients together, which a one-swap
search rarely finds and a CP-SAT search over the whole week finds only after a
second or two. Freeing a dozen specialists around a demand left short, with
everyone else fixed, gives a CP-SAT model of a few hundred variables that solves
in milliseconds; repeating that around different short demands reaches the
bound on most such weeks in well under a second. It never proves a bound: a
week that reaches the flow bound is proven by the flow, and the others still go
to the full search.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.rules import capacity as capacity_rule
from planner.rules import client_limit, demand_limit
from planner.solver import cpsat
from planner.solver.flow import WeekFlow, week_bound, weighted_cover
from planner.solver.instance import Instance
from planner.solver.objectives import tier_weights

Triple = tuple[int, int, int]

# Specialists freed at a time, and how many failed neighbourhoods make it grow:
# small ones solve fastest, but some weeks need a larger joint change.
_FIRST_SIZE = 8
_GROW_EVERY = 8
_MOST_SIZE = 24
_SUB_SECONDS = 0.2


class _WeekGraph:
    """Who may cover what in one week, indexed both ways, built once per search."""

    def __init__(self, instance: Instance, w: int):
        self.specialists_for: dict[int, list[int]] = defaultdict(list)
        self.demands_of: dict[int, list[int]] = defaultdict(list)
        for s, d in instance.eligible[w]:
            self.specialists_for[d].append(s)
            self.demands_of[s].append(d)


def improve_by_neighbourhoods(
    instance: Instance,
    w: int,
    tier_demand: list[int],
    start: dict[Triple, int],
    deadline: float,
    seed: int = 0,
    enough: int | None = None,
) -> WeekFlow:
    """Improve a valid week towards its flow bound until it gets there or time is up.

    `enough` stops it sooner, at that weighted cover: the stability stage only needs
    the cover of the week it competes with, and every neighbourhood it frees
    moves bookings it would rather keep.
    """
    weights = tier_weights(tier_demand)
    bound = week_bound(instance, w, weights)
    target = bound if enough is None else min(bound, enough)
    graph = _WeekGraph(instance, w)
    rng = random.Random(seed * 1_000_003 + w)
    best, value = dict(start), weighted_cover(instance, start, weights)
    size, failures = _FIRST_SIZE, 0
    while value < target and time.monotonic() < deadline:
        free = _neighbourhood(instance, w, graph, best, size, rng)
        improved = _reoptimise(instance, w, graph, best, free, weights, deadline)
        if improved is None:
            failures += 1
            if failures % _GROW_EVERY == 0:
                size = min(_MOST_SIZE, size + _FIRST_SIZE // 2)
            continue
        best, value = improved, weighted_cover(instance, improved, weights)
        size, failures = _FIRST_SIZE, 0
    return WeekFlow(bound, best, value)


def _neighbourhood(
    instance: Instance,
    w: int,
    graph: _WeekGraph,
    assignment: dict[Triple, int],
    size: int,
    rng: random.Random,
) -> set[int]:
    """Specialists around one demand left short, spreading through the demands they cover.

    The short demand is mostly one of the highest tier still short: that is
    where the lexicographic objective gains most.
    """
    filled: dict[int, int] = defaultdict(int)
    covers: dict[int, list[int]] = defaultdict(list)
    for (s, d, _), units in assignment.items():
        filled[d] += units
        covers[s].append(d)
    short = [d for d in graph.specialists_for if filled[d] < instance.demand_units(d, w)]
    top = min(instance.demand_tier[d] for d in short)
    if rng.random() < 0.7:
        short = [d for d in short if instance.demand_tier[d] == top]
    first = rng.choice(short)
    free: set[int] = set()
    frontier, seen = [first], {first}
    while frontier and len(free) < size:
        d = frontier.pop(rng.randrange(len(frontier)))
        candidates = list(graph.specialists_for[d])
        rng.shuffle(candidates)
        for s in candidates:
            if len(free) >= size:
                break
            if s in free:
                continue
            free.add(s)
            for other in covers[s]:
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return free


@dataclass
class _SubModel:
    """The CP-SAT model of the freed specialists' cover, with everyone else's held fixed."""

    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    units: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_demand: dict[int, list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    objective: list = field(default_factory=list)


def _reoptimise(
    instance: Instance,
    w: int,
    graph: _WeekGraph,
    assignment: dict[Triple, int],
    free: set[int],
    weights: list[int],
    deadline: float,
) -> dict[Triple, int] | None:
    """The best cover by the `free` specialists with everyone else fixed, if it is better."""
    fixed, before = _fixed_cover(instance, assignment, free, weights)
    sub = _SubModel()
    for s in sorted(free):
        _add_free_specialist(sub, instance, w, graph, assignment, s, fixed, weights)
    for d, cover in sub.by_demand.items():
        demand_limit.limit_cover(sub.model, sum(cover), instance.demand_units(d, w) - fixed[d])
    sub.model.add(sum(sub.objective) >= before + 1)
    sub.model.maximize(sum(sub.objective))
    solver = cpsat.new_solver(max(0.01, min(_SUB_SECONDS, deadline - time.monotonic())))
    if solver.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result = {k: u for k, u in assignment.items() if k[0] not in free}
    for (s, d), var in sub.units.items():
        value = solver.value(var)
        if value:
            result[(s, d, w)] = value
    return result


def _fixed_cover(
    instance: Instance, assignment: dict[Triple, int], free: set[int], weights: list[int]
) -> tuple[dict[int, int], int]:
    """Units per demand that the fixed specialists give, and the freed ones' weighted cover."""
    fixed: dict[int, int] = defaultdict(int)
    before = 0
    for (s, d, _), units in assignment.items():
        if s in free:
            before += weights[instance.demand_tier[d]] * units
        else:
            fixed[d] += units
    return fixed, before


def _add_free_specialist(
    sub: _SubModel,
    instance: Instance,
    w: int,
    graph: _WeekGraph,
    assignment: dict[Triple, int],
    s: int,
    fixed: dict[int, int],
    weights: list[int],
) -> None:
    """One freed specialist's units, under its capacity and its client limit, hinted as now."""
    model = sub.model
    capacity = instance.capacity[s][w]
    by_client: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for d in graph.demands_of[s]:
        pinned = instance.pins.get((s, d, w))
        room = min(capacity, instance.demand_units(d, w) - fixed[d])
        if pinned is not None:
            var = model.new_constant(pinned)
        elif room > 0:
            var = model.new_int_var(0, room, "")
        else:
            continue
        sub.units[(s, d)] = var
        model.add_hint(var, assignment.get((s, d, w), 0))
        sub.by_demand[d].append(var)
        by_client[instance.demand_operator[d]].append((var, pinned or room))
        sub.objective.append(weights[instance.demand_tier[d]] * var)
    capacity_rule.limit_units(
        model, sum(sub.units[(s, d)] for d in graph.demands_of[s] if (s, d) in sub.units), capacity
    )
    flags = []
    for client, cover in by_client.items():
        flag = model.new_bool_var("")
        client_limit.link_client(
            model, sum(var for var, _ in cover), min(capacity, sum(most for _, most in cover)), flag
        )
        model.add_hint(
            flag,
            any(
                assignment.get((s, d, w), 0)
                for d in graph.demands_of[s]
                if instance.demand_operator[d] == client
            ),
        )
        flags.append(flag)
    client_limit.limit_clients(model, flags, instance.client_limit(s))
