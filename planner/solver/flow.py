"""A week's cover as a min-cost flow: an exact bound, and a good start for CP-SAT.

Without the client limit (rule 3b, `planner.rules.client_limit`), a week's cover is a transportation
problem: specialists send units to the demands they are eligible for. Its
max-weight flow (weights make it lexicographic by priority) is an upper bound
of the real optimum, found in milliseconds. Repairing the client limit greedily
then gives a valid week that is often already optimal, and otherwise a strong
hint for the CP-SAT model.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from planner.rules import client_limit
from planner.solver.instance import Instance
from planner.solver.objectives import tier_weights

Triple = tuple[int, int, int]


@dataclass(frozen=True)
class WeekFlow:
    """The relaxation's weighted optimum (a bound) and a repaired, valid assignment."""

    bound: int
    assignment: dict[Triple, int]
    value: int


def weighted_cover(instance: Instance, assignment: dict[Triple, int], weights: list[int]) -> int:
    return sum(weights[instance.demand_tier[d]] * u for (_, d, _), u in assignment.items())


def week_bound(instance: Instance, w: int, weights: list[int]) -> int:
    """The relaxation's weighted optimum: no week with these weights can do better."""
    pinned = {k: u for k, u in instance.pins.items() if k[2] == w}
    return weighted_cover(instance, _WeekNetwork(instance, w, weights, pinned).solve({}), weights)


def solve_week_flow(
    instance: Instance,
    w: int,
    tier_demand: list[int],
    deadline: float | None = None,
    one_at_a_time: tuple[bool, ...] = (False, True),
) -> WeekFlow:
    """The relaxation's bound, then flows re-solved with client limits imposed.

    Each round finds the specialists over their client limit, keeps each to the
    clients it gives the most weighted cover to, and re-solves the flow so that
    everyone else can take over what they dropped. A greedy repair and refill
    finishes, so the result obeys every rule even when `deadline` cuts the rounds short.
    """
    weights = tier_weights(tier_demand)
    pinned = {k: u for k, u in instance.pins.items() if k[2] == w}
    network = _WeekNetwork(instance, w, weights, pinned)
    relaxed = network.solve({})
    bound = weighted_cover(instance, relaxed, weights)
    best: dict[Triple, int] = {}
    best_value = -1
    # all offenders limited at once is quick; one at a time (the cheapest to limit
    # first) loses less when limits interact, but takes a round per offender: keep
    # the better of the modes asked for
    for one_by_one in one_at_a_time:
        allowed: dict[int, set[int]] = {}
        current = relaxed
        for _ in range(len(instance.specialists) + 1):
            over = _over_limit(instance, current)
            if not over or (deadline is not None and time.monotonic() > deadline):
                break
            jobs = _jobs_by_specialist(current)
            limits = {
                s: _best_clients(instance, s, w, jobs[s], pinned, weights, ops)
                for s, ops in over.items()
            }
            if one_by_one:
                cheapest = min(
                    limits, key=lambda s: (_dropped_value(instance, jobs[s], limits[s], weights), s)
                )
                limits = {cheapest: limits[cheapest]}
            allowed.update(limits)
            current = network.solve(allowed)
        repaired = repair_client_limit(instance, w, current, pinned, weights)
        value = weighted_cover(instance, repaired, weights)
        if value > best_value:
            best, best_value = repaired, value
        if best_value >= bound or (deadline is not None and time.monotonic() > deadline):
            break
    return WeekFlow(bound, best, best_value)


def _jobs_by_specialist(assignment: dict[Triple, int]) -> dict[int, list[tuple[Triple, int]]]:
    jobs: dict[int, list[tuple[Triple, int]]] = defaultdict(list)
    for key, units in assignment.items():
        jobs[key[0]].append((key, units))
    return jobs


def _dropped_value(
    instance: Instance, jobs: list[tuple[Triple, int]], keep: set[int], weights: list[int]
) -> int:
    return sum(
        weights[instance.demand_tier[d]] * u
        for (_, d, _), u in jobs
        if instance.demand_operator[d] not in keep
    )


def _over_limit(instance: Instance, assignment: dict[Triple, int]) -> dict[int, set[int]]:
    clients: dict[int, set[int]] = defaultdict(set)
    for (s, d, _), units in assignment.items():
        if units:
            clients[s].add(instance.demand_operator[d])
    return {
        s: ops for s, ops in clients.items() if not client_limit.fits(ops, instance.client_limit(s))
    }


def _best_clients(
    instance: Instance,
    s: int,
    w: int,
    jobs: list[tuple[Triple, int]],
    pinned: dict[Triple, int],
    weights: list[int],
    operators: set[int],
) -> set[int]:
    """The clients a specialist keeps: pinned ones first, then by weighted cover given."""
    value: dict[int, int] = defaultdict(int)
    must_keep = set()
    for (_, d, _), units in jobs:
        value[instance.demand_operator[d]] += weights[instance.demand_tier[d]] * units
        if (s, d, w) in pinned:
            must_keep.add(instance.demand_operator[d])
    ranked = sorted(operators, key=lambda o: (o not in must_keep, -value[o], o))
    return set(ranked[: instance.client_limit(s)])


class _WeekNetwork:
    """One week's transportation network, built once and re-solved with client limits.

    The repair re-solves the flow dozens of times per hard week; building the arcs
    as arrays once and only closing arcs per round keeps each solve to a few
    milliseconds.
    """

    def __init__(self, instance: Instance, w: int, weights: list[int], pinned: dict[Triple, int]):
        self.w = w
        self.pinned = pinned
        self.specialists = len(instance.specialists)
        self.operators = len(instance.operator_ids)
        spare = {s: instance.capacity[s][w] for s, _ in instance.eligible[w]}
        need = {d: instance.demand_units(d, w) for _, d in instance.eligible[w]}
        for (s, d, _), units in pinned.items():
            spare[s] -= units
            need[d] -= units
        # a pinned triple stays exactly as pinned, so the flow gets no arc for it
        pairs = [
            (s, d)
            for s, d in instance.eligible[w]
            if (s, d, w) not in pinned and min(spare[s], need[d]) > 0
        ]
        self.pair_s = np.array([s for s, _ in pairs], dtype=np.int64)
        self.pair_d = np.array([d for _, d in pairs], dtype=np.int64)
        self.pair_op = np.array([instance.demand_operator[d] for _, d in pairs], dtype=np.int64)
        self.capacity = np.array([min(spare[s], need[d]) for s, d in pairs], dtype=np.int64)
        specs = sorted(spare)
        demands = sorted(need)
        node_s = {s: 2 + i for i, s in enumerate(specs)}
        node_d = {d: 2 + len(node_s) + i for i, d in enumerate(demands)}
        source, sink = 0, 1
        supply = sum(max(0, units) for units in spare.values())
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.solvable = supply > 0 and bool(pairs)
        if not self.solvable:
            return
        tails = (
            [source] * len(specs)
            + [node_s[s] for s, _ in pairs]
            + [node_d[d] for d in demands]
            + [source]
        )
        heads = (
            [node_s[s] for s in specs]
            + [node_d[d] for _, d in pairs]
            + [sink] * len(demands)
            + [sink]
        )
        caps = (
            [max(0, spare[s]) for s in specs]
            + self.capacity.tolist()
            + [max(0, need[d]) for d in demands]
            + [supply]
        )  # the last: units left unused
        costs = (
            [0] * (len(specs) + len(pairs))
            + [-weights[instance.demand_tier[d]] for d in demands]
            + [0]
        )
        arcs = self.flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(caps, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        self.pair_arcs = np.asarray(arcs)[len(specs) : len(specs) + len(pairs)]
        self.flow.set_node_supply(source, supply)
        self.flow.set_node_supply(sink, -supply)

    def solve(self, allowed: dict[int, set[int]]) -> dict[Triple, int]:
        """Max-weight cover ignoring client limits, except `allowed` clients per specialist.

        Pinned units are taken first; the flow places the rest.
        """
        result = dict(self.pinned)
        if not self.solvable:
            return result
        open_arcs = np.ones(len(self.pair_s), dtype=bool)
        if allowed:
            permitted = np.ones((self.specialists, self.operators), dtype=bool)
            for s, clients in allowed.items():
                permitted[s] = False
                permitted[s, list(clients)] = True
            open_arcs = permitted[self.pair_s, self.pair_op]
        self.flow.set_arc_capacities(self.pair_arcs, np.where(open_arcs, self.capacity, 0))
        if self.flow.solve() != self.flow.OPTIMAL:
            return result
        units = np.asarray(self.flow.flows(self.pair_arcs))
        w = self.w
        for i in np.nonzero(units)[0].tolist():
            key = (int(self.pair_s[i]), int(self.pair_d[i]), w)
            result[key] = result.get(key, 0) + int(units[i])
        return result


def repair_client_limit(
    instance: Instance,
    w: int,
    assignment: dict[Triple, int],
    pinned: dict[Triple, int],
    weights: list[int],
) -> dict[Triple, int]:
    """Make a week obey the client limit, then refill freed demand greedily by priority.

    A specialist over the limit keeps the clients it gives the most weighted
    cover to (and every pinned one); the rest of its cover is dropped and
    offered again to whoever can still take it.
    """
    result = dict(assignment)
    clients: dict[int, set[int]] = defaultdict(set)
    for (s, d, _), units in result.items():
        if units:
            clients[s].add(instance.demand_operator[d])
    for s, operators in clients.items():
        if client_limit.fits(operators, instance.client_limit(s)):
            continue
        keep = _best_clients(
            instance, s, w, _jobs_by_specialist(result)[s], pinned, weights, operators
        )
        for key in [k for k in result if k[0] == s and instance.demand_operator[k[1]] not in keep]:
            del result[key]
        clients[s] = keep
    return _refill(instance, w, result, pinned)


def _refill(
    instance: Instance, w: int, result: dict[Triple, int], pinned: dict[Triple, int]
) -> dict[Triple, int]:
    used: dict[int, int] = defaultdict(int)
    filled: dict[int, int] = defaultdict(int)
    clients: dict[int, set[int]] = defaultdict(set)
    for (s, d, _), units in result.items():
        used[s] += units
        filled[d] += units
        clients[s].add(instance.demand_operator[d])
    by_demand: dict[int, list[int]] = defaultdict(list)
    for s, d in instance.eligible[w]:
        if (s, d, w) not in pinned:
            by_demand[d].append(s)
    order = sorted(by_demand, key=lambda d: (instance.demand_tier[d], d))
    for d in order:
        operator = instance.demand_operator[d]
        # specialists already at this client first, then the most free time
        ranked = sorted(
            by_demand[d],
            key=lambda s: (operator not in clients[s], used[s] - instance.capacity[s][w]),
        )
        give_units(instance, w, d, ranked, result, used, filled, clients)
    return {k: u for k, u in result.items() if u > 0}


def give_units(
    instance: Instance,
    w: int,
    d: int,
    ranked: list[int],
    result: dict[Triple, int],
    used: dict[int, int],
    filled: dict[int, int],
    clients: dict[int, set[int]],
) -> list[int]:
    """Fill what demand `d` still needs in week `w` from `ranked` specialists in turn.

    Each gives up to its free time, and only if the client limit has room for
    the demand's operator; `result`, `used`, `filled` and
    `clients` are updated in place. Returns the specialists who gave units.
    """
    missing = instance.demand_units(d, w) - filled[d]
    operator = instance.demand_operator[d]
    givers = []
    for s in ranked:
        if missing <= 0:
            break
        free = instance.capacity[s][w] - used[s]
        if free <= 0 or not client_limit.has_room(clients[s], operator, instance.client_limit(s)):
            continue
        units = min(free, missing)
        result[(s, d, w)] = result.get((s, d, w), 0) + units
        used[s] += units
        filled[d] += units
        clients[s].add(operator)
        missing -= units
        givers.append(s)
    return givers
