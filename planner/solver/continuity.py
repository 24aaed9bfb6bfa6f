"""Stage 2 without a solver: re-route each week's cover onto fewer, steadier pairs.

Stage 1 solves weeks independently, so nothing keeps the same specialist on a
demand from one week to the next. Given a week's cover per priority tier, which
demands of a tier get the units and who gives them is a min-cost flow as long as
every specialist stays within a known set of clients; making a unit on a pair
already in use cheap and a new pair dear keeps people on. These flows take
milliseconds a week, where a CP-SAT re-pick of a week is a search as hard as its
cover and finds nothing in its time on the biggest instances.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

from planner.rules import client_limit
from planner.solver.instance import Instance

Triple = tuple[int, int, int]
Pair = tuple[int, int]
UnitCost = Callable[[int, int], int]


def run_lengths(instance: Instance) -> list[dict[Pair, int]]:
    """For each week, how many weeks in a row from it each eligible pair stays eligible."""
    lengths: list[dict[Pair, int]] = [{} for _ in range(instance.weeks)]
    for w in reversed(range(instance.weeks)):
        later = lengths[w + 1] if w + 1 < instance.weeks else {}
        lengths[w] = {pair: 1 + later.get(pair, 0) for pair in instance.eligible[w]}
    return lengths


def by_week(assignment: dict[Triple, int]) -> dict[int, dict[Triple, int]]:
    weeks: dict[int, dict[Triple, int]] = defaultdict(dict)
    for key, units in assignment.items():
        if units:
            weeks[key[2]][key] = units
    return weeks


def handovers(assignment: dict[Triple, int]) -> int:
    return len({(s, d) for (s, d, _), u in assignment.items() if u > 0})


def continue_in_date_order(
    instance: Instance,
    assignment: dict[Triple, int],
    lengths: list[dict[Pair, int]],
    deadline: float = math.inf,
    hard_deadline: float = math.inf,
) -> dict[Triple, int]:
    """Each week re-routed onto the pairs earlier weeks opened, in date order.

    Each week may spend a fair share of the time to `deadline` on finding who
    can keep their clients; a week reached after it is only re-routed the quick way,
    and one reached after `hard_deadline` not at all.
    """
    weeks = by_week(assignment)
    open_pairs = {(s, d) for (s, d, _) in instance.pins}
    carried: dict[int, set[int]] = {}
    result: dict[Triple, int] = {}
    for w in range(instance.weeks):
        now = time.monotonic()
        week = weeks.get(w, {})
        if now < hard_deadline:
            until = now + (deadline - now) / (instance.weeks - w) if deadline > now else None
            week = keep_people_on(instance, w, week, open_pairs, carried, lengths[w], until)
        result.update(week)
        open_pairs |= {(s, d) for (s, d, _), u in week.items() if u > 0}
        carried = _clients(instance, week)
    if handovers(result) > handovers(assignment):
        return assignment
    return result


def sweep_both_ways(
    instance: Instance,
    assignment: dict[Triple, int],
    lengths: list[dict[Pair, int]],
    passes: int = 8,
    deadline: float = math.inf,
) -> dict[Triple, int]:
    """Re-route each week again against the pairs every other week uses, until no gain.

    The date-order pass only sees earlier weeks; a sweep lets a week move onto a
    pair that a later week opened, and lets a specialist take back a client it
    serves the week before or after. A week's new routing is kept only when it
    leaves fewer pairs used by that week alone, so the count never grows.
    """
    weeks = by_week(assignment)
    uses: Counter[Pair] = Counter((s, d) for (s, d, _) in assignment)
    pinned_pairs = {(s, d) for (s, d, _) in instance.pins}
    total = len(uses)
    for sweep in range(passes):
        order = range(instance.weeks) if sweep % 2 == 0 else reversed(range(instance.weeks))
        for w in order:
            current = weeks.get(w, {})
            if not current or time.monotonic() > deadline:
                continue
            mine = Counter((s, d) for (s, d, _) in current)
            elsewhere = {pair for pair, n in uses.items() if n > mine.get(pair, 0)}
            carried: dict[int, set[int]] = defaultdict(set)
            for other in (w - 1, w + 1):
                for s, clients in _clients(instance, weeks.get(other, {})).items():
                    carried[s] |= clients
            routed = {
                k: u
                for k, u in keep_people_on(
                    instance,
                    w,
                    current,
                    elsewhere | pinned_pairs,
                    carried,
                    lengths[w],
                    until=deadline,
                ).items()
                if u > 0
            }
            theirs = Counter((s, d) for (s, d, _) in routed)
            if sum(1 for p in theirs if p not in elsewhere) <= sum(
                1 for p in mine if p not in elsewhere
            ):
                uses.subtract(mine)
                uses.update(theirs)
                uses = +uses
                weeks[w] = routed
        if len(uses) >= total or time.monotonic() > deadline:
            break
        total = len(uses)
    return {k: u for week in weeks.values() for k, u in week.items()}


def familiar_and_cheap(
    instance: Instance, assignment: dict[Triple, int], deadline: float = math.inf
) -> dict[Triple, int]:
    """Each week's units moved between the pairs it already uses: familiar first, then cheap.

    No pair is added, so handovers cannot grow, and each tier keeps its units;
    among the pairs in use, a unit goes to a specialist with history at the
    client before one without, and then to the cheaper one. Weeks reached after
    `deadline` stay as they are.
    """
    familiar = instance.familiar
    costliest = max(instance.cost_per_unit, default=0)
    result: dict[Triple, int] = {}
    for w, week in sorted(by_week(assignment).items()):
        used = {(s, d) for (s, d, _) in week}
        most = costliest * sum(week.values()) + 1

        def unit_cost(s: int, d: int, most: int = most) -> int:
            unfamiliar = (s, instance.demand_operator[d]) not in familiar
            return unfamiliar * most + instance.cost_per_unit[s]

        def in_use(s: int, d: int, used: set[tuple[int, int]] = used) -> bool:
            return (s, d) in used

        if time.monotonic() > deadline:
            result.update(week)
            continue
        routed = _route_week(instance, w, week, in_use, unit_cost)
        result.update(routed if routed is not None else week)
    return result


def _clients(instance: Instance, week: dict[Triple, int]) -> dict[int, set[int]]:
    clients: dict[int, set[int]] = defaultdict(set)
    for (s, d, _), units in week.items():
        if units:
            clients[s].add(instance.demand_operator[d])
    return clients


def keep_people_on(
    instance: Instance,
    w: int,
    week: dict[Triple, int],
    open_pairs: set[Pair],
    carried: dict[int, set[int]],
    run_length: dict[Pair, int],
    until: float | None = None,
) -> dict[Triple, int]:
    """Re-route a week's cover so that it runs on pairs already in use, as a min-cost flow.

    Each priority tier keeps exactly the units it has in `week` (which demands of
    a tier get them is free, which is where continuity comes from), so the cover
    objective is untouched. Each specialist may serve the `carried` clients
    topped up with this week's, or else this week's, always within its client
    limit, so no rule can break. A unit on an open (specialist, demand) pair
    costs nothing; a new pair costs more the sooner it would end, so the flow
    keeps people on and opens long-lasting pairs.

    When not everyone can keep the carried clients, those who can are found one
    specialist at a time (a flow each) until `until`; without it, not at all.
    """
    clients = _clients(instance, week)
    specialists = {s for s, _ in instance.eligible[w]}
    carried = _reachable(instance, w, carried)
    carried_first = _carried_first(instance, w, week, clients, carried, specialists)
    unit_cost = _continuity_cost(instance, w, open_pairs, run_length)

    def route(allowed: dict[int, set[int]]) -> dict[Triple, int] | None:
        return _route_week(
            instance,
            w,
            week,
            lambda s, d: instance.demand_operator[d] in allowed.get(s, ()),
            unit_cost,
        )

    routed = route(carried_first)
    if routed is not None:
        return routed
    # Everyone on the carried clients does not route: start from what does, and move
    # the specialists onto their carried clients one by one, those with most first.
    allowed = _carried_where_they_fit(instance, clients, carried, specialists)
    routed = route(allowed)
    if routed is None:
        allowed = clients
        routed = route(allowed)
    if routed is None:
        return dict(week)  # cannot happen (the week itself is such a flow); keep it
    for s in sorted(
        (s for s in specialists if carried_first[s] != allowed[s]),
        key=lambda s: (-len(carried.get(s, ())), s),
    ):
        if until is None or time.monotonic() > until:
            break
        trial = {**allowed, s: carried_first[s]}
        tried = route(trial)
        if tried is not None:
            allowed, routed = trial, tried
    return routed


def _reachable(instance: Instance, w: int, carried: dict[int, set[int]]) -> dict[int, set[int]]:
    """The carried clients a specialist can serve this week.

    Any other would only use up room under the client limit.
    """
    reachable: dict[int, set[int]] = defaultdict(set)
    for s, d in instance.eligible[w]:
        reachable[s].add(instance.demand_operator[d])
    return {s: clients_ & reachable[s] for s, clients_ in carried.items()}


def _carried_first(
    instance: Instance,
    w: int,
    week: dict[Triple, int],
    clients: dict[int, set[int]],
    carried: dict[int, set[int]],
    specialists: set[int],
) -> dict[int, set[int]]:
    """Each specialist's carried clients (and pinned ones), topped up with this week's.

    This week's clients are added most units first while the client limit has
    room; a specialist whose carried and pinned clients alone are over the limit
    keeps this week's clients instead.
    """
    given: dict[Pair, int] = defaultdict(int)
    for (s, d, _), units in week.items():
        given[(s, instance.demand_operator[d])] += units
    must = {(s, instance.demand_operator[d]) for s, d, x in instance.pins if x == w}
    carried_first = {}
    for s in specialists:
        limit = instance.client_limit(s)
        keep = set(carried.get(s, set())) | {o for (x, o) in must if x == s}
        for o in sorted(clients[s] - keep, key=lambda o: -given[(s, o)]):
            if not client_limit.has_room(keep, o, limit):
                break
            keep.add(o)
        carried_first[s] = keep if client_limit.fits(keep, limit) else clients[s]
    return carried_first


def _carried_where_they_fit(
    instance: Instance,
    clients: dict[int, set[int]],
    carried: dict[int, set[int]],
    specialists: set[int],
) -> dict[int, set[int]]:
    """This week's clients, plus the carried ones where all of them fit the client limit."""
    fitting = {}
    for s in specialists:
        union = clients[s] | carried.get(s, set())
        fitting[s] = union if client_limit.fits(union, instance.client_limit(s)) else clients[s]
    return fitting


def _continuity_cost(
    instance: Instance, w: int, open_pairs: set[Pair], run_length: dict[Pair, int]
) -> UnitCost:
    """A unit's cost: nothing on an open pair, dearer the sooner a new pair would end.

    An unfamiliar specialist costs one more, so among equal routings the familiar wins.
    """
    horizon_left = instance.weeks - w
    familiar = instance.familiar

    def unit_cost(s: int, d: int) -> int:
        unfamiliar = (s, instance.demand_operator[d]) not in familiar
        if (s, d) in open_pairs:
            return int(unfamiliar)
        return 2 * (2 * horizon_left - run_length.get((s, d), 1)) + 2 * horizon_left + unfamiliar

    return unit_cost


def _route_week(
    instance: Instance,
    w: int,
    week: dict[Triple, int],
    permitted: Callable[[int, int], bool],
    unit_cost: UnitCost,
) -> dict[Triple, int] | None:
    """The week's units per tier on the cheapest permitted pairs, or None if impossible.

    Pinned bookings stay as they are; the rest of each tier's units may go to
    any demand of that tier, from any specialist with the time, on a permitted
    (specialist, demand) pair.
    """
    pinned = {k: u for k, u in instance.pins.items() if k[2] == w}
    tier_total = [0, 0, 0]
    for (s, d, _), units in week.items():
        if units and (s, d, w) not in pinned:
            tier_total[instance.demand_tier[d]] += units
    if not any(tier_total):
        return dict(week)
    room = {d: instance.demand_units(d, w) for _, d in instance.eligible[w]}
    spare = {s: instance.capacity[s][w] for s, _ in instance.eligible[w]}
    for (s, d, _), units in pinned.items():
        spare[s] -= units
        room[d] -= units
    arcs = [
        (s, d)
        for s, d in instance.eligible[w]
        if (s, d, w) not in pinned and spare[s] > 0 and room[d] > 0 and permitted(s, d)
    ]
    if not arcs:
        return None
    specs = sorted({s for s, _ in arcs})
    demands = sorted({d for _, d in arcs})
    node_s = {s: 3 + i for i, s in enumerate(specs)}
    node_d = {d: 3 + len(specs) + i for i, d in enumerate(demands)}
    node_t = [3 + len(specs) + len(demands) + t for t in range(3)]
    total = sum(tier_total)
    source, sink = 0, 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = (
        [source] * len(specs) + [node_s[s] for s, _ in arcs] + [node_d[d] for d in demands] + node_t
    )
    heads = (
        [node_s[s] for s in specs]
        + [node_d[d] for _, d in arcs]
        + [node_t[instance.demand_tier[d]] for d in demands]
        + [sink] * 3
    )
    caps = (
        [max(0, spare[s]) for s in specs]
        + [min(spare[s], room[d]) for s, d in arcs]
        + [room[d] for d in demands]
        + tier_total
    )
    costs = [0] * len(specs) + [unit_cost(s, d) for s, d in arcs] + [0] * (len(demands) + 3)
    ids = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        return None
    routed: np.ndarray = np.asarray(
        flow.flows(np.asarray(ids)[len(specs) : len(specs) + len(arcs)])
    )
    result = dict(pinned)
    for i in np.nonzero(routed)[0].tolist():
        s, d = arcs[i]
        result[(s, d, w)] = result.get((s, d, w), 0) + int(routed[i])
    return result
