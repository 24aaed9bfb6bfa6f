"""Make room for a new request by handing existing bookings to other specialists.

A quote keeps every booking as it is, so a request can go uncovered while the
only qualified specialist is busy with work somebody else could do. This looks,
week by week, for one-hop hand-overs: a booking of a specialist who is
qualified for the request moves (in part or whole) to another specialist who is
qualified for that booking's demand, so the first one's time goes to the
request. Nobody's cover shrinks: every moved unit is still given to the same
demand in the same week, and every hard rule holds for everyone involved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from planner.domain.calendar import within_tz_gap
from planner.domain.defaults import RESHUFFLE_TIME_LIMIT
from planner.domain.records import Dataset, Request, Requirement
from planner.solver.instance import Instance, is_qualified


@dataclass(frozen=True)
class Move:
    """`units` of a booked demand that pass from one specialist to another in a week."""

    week: date
    demand_id: str
    operator_id: str
    from_specialist: str
    to_specialist: str
    units: int

    def as_dict(self) -> dict:
        return {"week": self.week.isoformat(), "demand_id": self.demand_id,
                "operator_id": self.operator_id, "from_specialist": self.from_specialist,
                "to_specialist": self.to_specialist, "units": self.units}

    def describe(self) -> str:
        return (f"{self.from_specialist} hands {self.units / 10:g} FTE of {self.demand_id} "
                f"to {self.to_specialist} in the week of {self.week}")


@dataclass(frozen=True)
class WeekBooking:
    specialist: int
    demand_id: str
    operator_id: str
    units: int
    pinned: bool = False  # a confirmed booking never moves


def reshuffle_week(instance: Instance, dataset: Dataset, w: int,
                   bookings: list[WeekBooking], sources: dict[str, Requirement | Request],
                   *, time_limit: float = RESHUFFLE_TIME_LIMIT
                   ) -> tuple[dict[int, int], list[Move]]:
    """Most units for the request (demand 0 of `instance`) in week `w`, then fewest moved.

    `bookings` are the plan's bookings of week `w`; `sources` maps their demand
    ids to the requirement or request behind them (`demand.demand_sources`).
    Returns the request's units per specialist and the moves that make room.
    """
    request = instance.demands[0]
    need = request.units[w]
    specialists = instance.specialists
    monday = instance.horizon.mondays[w]
    givers = {s for s, _ in instance.eligible[w]}
    operator_tz = {o.operator_id: o.timezone for o in dataset.operators}
    used: dict[int, int] = defaultdict(int)
    clients: dict[int, set[str]] = defaultdict(set)
    for b in bookings:
        used[b.specialist] += b.units
        clients[b.specialist].add(b.operator_id)

    def can_take(t: int, source: Requirement | Request, operator_id: str) -> bool:
        return (instance.capacity[t][w] > 0 and is_qualified(specialists[t], source)
                and within_tz_gap(specialists[t].timezone, operator_tz[operator_id], monday,
                                  instance.max_tz_gap))

    model = cp_model.CpModel()
    serves: dict[tuple[int, str], cp_model.IntVar] = {}

    def serve_flag(x: int, operator_id: str) -> cp_model.IntVar:
        if (x, operator_id) not in serves:
            serves[(x, operator_id)] = model.new_bool_var(f"serves[{x},{operator_id}]")
        return serves[(x, operator_id)]

    given = {s: model.new_int_var(0, min(need, instance.capacity[s][w]), f"request[{s}]")
             for s in givers}
    moves: dict[tuple[int, int], cp_model.IntVar] = {}  # (booking index, taker) -> units
    moved_any: list[cp_model.IntVar] = []
    load_in: dict[int, list] = defaultdict(list)
    load_out: dict[int, list] = defaultdict(list)
    kept: dict[int, cp_model.LinearExprT] = {}
    for i, b in enumerate(bookings):
        source = sources.get(b.demand_id)
        if b.specialist not in givers or source is None or b.pinned:
            continue
        outgoing = []
        for t in range(len(specialists)):
            if t != b.specialist and can_take(t, source, b.operator_id):
                var = model.new_int_var(0, b.units, f"move[{i},{t}]")
                moves[(i, t)] = var
                outgoing.append(var)
                load_in[t].append(var)
                model.add(var <= b.units * serve_flag(t, b.operator_id))
                flag = model.new_bool_var(f"moved[{i},{t}]")
                model.add(var == 0).only_enforce_if(~flag)
                moved_any.append(flag)
        if outgoing:
            model.add(sum(outgoing) <= b.units)
            load_out[b.specialist].extend(outgoing)
            kept[i] = b.units - sum(outgoing)
    for i, b in enumerate(bookings):
        keep = kept.get(i, b.units)
        if isinstance(keep, int):
            model.add(serve_flag(b.specialist, b.operator_id) == 1)
        else:
            model.add(keep <= b.units * serve_flag(b.specialist, b.operator_id))
    for s, var in given.items():
        model.add(var <= need * serve_flag(s, request.operator_id))
    model.add(sum(given.values()) <= need)
    flags_of: dict[int, list] = defaultdict(list)
    for (x, _), flag in serves.items():
        flags_of[x].append(flag)
    for x in set(given) | set(load_in) | set(load_out):
        # a plan made on older data may already overbook someone: never make it worse
        model.add(used[x] + sum(load_in[x]) - sum(load_out[x]) + given.get(x, 0)
                  <= max(instance.capacity[x][w], used[x]))
        model.add(sum(flags_of[x]) <= max(specialists[x].max_clients, len(clients[x])))
    # cover first; among equal cover, the fewest hand-overs
    model.maximize((len(moved_any) + 1) * sum(given.values()) - sum(moved_any))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, []
    units = {s: solver.value(var) for s, var in given.items() if solver.value(var) > 0}
    result = [Move(monday, bookings[i].demand_id, bookings[i].operator_id,
                   specialists[bookings[i].specialist].specialist_id,
                   specialists[t].specialist_id, solver.value(var))
              for (i, t), var in moves.items() if solver.value(var) > 0]
    return units, sorted(result, key=lambda m: (m.from_specialist, m.demand_id))
