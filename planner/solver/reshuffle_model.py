"""The reshuffle's CP-SAT model: room for a request in one week by handing bookings over.

`planner.quotes.reshuffle` decides who may take which booking (qualification,
time-zone reach, time that week); this model chooses the hand-overs: the most
units for the request first, then the fewest hand-overs. Every moved unit stays
with the same demand, and capacity and the client limit hold for everyone
involved, never worse than the plan already was for someone it overbooks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.rules import capacity as capacity_rule
from planner.rules import client_limit, demand_limit
from planner.solver import cpsat
from planner.solver.weeks import SOLVED


@dataclass(frozen=True)
class HeldBooking:
    """One booking of the week as the model sees it: who gives how much to which operator."""

    specialist: int
    operator_id: str
    units: int


@dataclass(frozen=True)
class ReshuffleWeek:
    """Everything the model of one week needs, by specialist index."""

    need: int  # the request's units that week
    request_operator: str
    capacity: Sequence[int]  # [s] units that week
    client_limits: Sequence[int]  # [s] max_clients
    givers: Sequence[int]  # who may give the request units, in the order to model them
    bookings: Sequence[HeldBooking]
    takers: dict[int, list[int]]  # booking index -> who may take it (movable bookings only)


@dataclass(frozen=True)
class Reshuffled:
    """The request's units per specialist, and the units moved per (booking index, taker)."""

    given: dict[int, int]
    moved: dict[tuple[int, int], int]


class _ReshuffleModel:
    """The model built in steps: the request, the hand-overs, then everyone's rules."""

    def __init__(self, week: ReshuffleWeek):
        self.week = week
        self.model = cp_model.CpModel()
        self.serves: dict[tuple[int, str], cp_model.IntVar] = {}
        self.given = {
            s: self.model.new_int_var(0, min(week.need, week.capacity[s]), f"request[{s}]")
            for s in week.givers
        }
        self.moves: dict[tuple[int, int], cp_model.IntVar] = {}
        self.moved_any: list[cp_model.IntVar] = []
        self.load_in: dict[int, list] = defaultdict(list)
        self.load_out: dict[int, list] = defaultdict(list)
        self.kept: dict[int, cp_model.LinearExprT] = {}

    def serve_flag(self, x: int, operator_id: str) -> cp_model.IntVar:
        if (x, operator_id) not in self.serves:
            self.serves[(x, operator_id)] = self.model.new_bool_var(f"serves[{x},{operator_id}]")
        return self.serves[(x, operator_id)]

    def add_hand_overs(self) -> None:
        """A variable per (movable booking, taker); what a booking keeps is what is left."""
        model = self.model
        for i, b in enumerate(self.week.bookings):
            outgoing = []
            for t in self.week.takers.get(i, ()):
                var = model.new_int_var(0, b.units, f"move[{i},{t}]")
                self.moves[(i, t)] = var
                outgoing.append(var)
                self.load_in[t].append(var)
                client_limit.link_client(model, var, b.units, self.serve_flag(t, b.operator_id))
                flag = model.new_bool_var(f"moved[{i},{t}]")
                model.add(var == 0).only_enforce_if(~flag)
                self.moved_any.append(flag)
            if outgoing:
                model.add(sum(outgoing) <= b.units)
                self.load_out[b.specialist].extend(outgoing)
                self.kept[i] = b.units - sum(outgoing)

    def add_clients(self) -> None:
        """Who still serves whom: what a booking keeps, and the request's units."""
        model, week = self.model, self.week
        for i, b in enumerate(week.bookings):
            keep = self.kept.get(i, b.units)
            if isinstance(keep, int):
                model.add(self.serve_flag(b.specialist, b.operator_id) == 1)
            else:
                client_limit.link_client(
                    model, keep, b.units, self.serve_flag(b.specialist, b.operator_id)
                )
        for s, var in self.given.items():
            client_limit.link_client(
                model, var, week.need, self.serve_flag(s, week.request_operator)
            )
        demand_limit.limit_cover(model, sum(self.given.values()), week.need)

    def add_everyones_rules(self, used: dict[int, int], clients: dict[int, set[str]]) -> None:
        """Capacity and the client limit for everyone whose week changes."""
        model, week = self.model, self.week
        flags_of: dict[int, list] = defaultdict(list)
        for (x, _), flag in self.serves.items():
            flags_of[x].append(flag)
        for x in set(self.given) | set(self.load_in) | set(self.load_out):
            # a plan made on older data may already overbook someone: never make it worse
            capacity_rule.limit_units(
                model,
                used[x] + sum(self.load_in[x]) - sum(self.load_out[x]) + self.given.get(x, 0),
                max(week.capacity[x], used[x]),
            )
            client_limit.serve_at_most(
                model, flags_of[x], max(week.client_limits[x], len(clients[x]))
            )

    def solve(self, time_limit: float) -> Reshuffled | None:
        # cover first; among equal cover, the fewest hand-overs
        self.model.maximize(
            (len(self.moved_any) + 1) * sum(self.given.values()) - sum(self.moved_any)
        )
        solver = cpsat.new_solver(time_limit)
        if solver.solve(self.model) not in SOLVED:
            return None
        return Reshuffled(
            {s: solver.value(var) for s, var in self.given.items() if solver.value(var) > 0},
            {key: solver.value(var) for key, var in self.moves.items() if solver.value(var) > 0},
        )


def reshuffle(week: ReshuffleWeek, time_limit: float) -> Reshuffled | None:
    """The week's best hand-overs, or None when the solver finds nothing in time."""
    used: dict[int, int] = defaultdict(int)
    clients: dict[int, set[str]] = defaultdict(set)
    for b in week.bookings:
        used[b.specialist] += b.units
        clients[b.specialist].add(b.operator_id)
    model = _ReshuffleModel(week)
    model.add_hand_overs()
    model.add_clients()
    model.add_everyones_rules(used, clients)
    return model.solve(time_limit)
