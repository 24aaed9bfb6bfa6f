"""Make room for a new request by handing existing bookings to other specialists.

A quote keeps every booking as it is, so a request can go uncovered while the
only qualified specialist is busy with work somebody else could do. This looks,
week by week, for one-hop hand-overs: a booking of a specialist who is
qualified for the request moves (in part or whole) to another specialist who is
qualified for that booking's demand, so the first one's time goes to the
request. Nobody's cover shrinks: every moved unit is still given to the same
demand in the same week, and every hard rule holds for everyone involved.
This module decides who may take what; `planner.solver.reshuffle_model` chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.domain.defaults import RESHUFFLE_TIME_LIMIT
from planner.domain.records import Dataset, Request, Requirement
from planner.rules.qualification import is_qualified
from planner.rules.timezone_reach import within_tz_gap
from planner.solver.instance import Instance
from planner.solver.reshuffle_model import HeldBooking, ReshuffleWeek, reshuffle


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
        return {
            "week": self.week.isoformat(),
            "demand_id": self.demand_id,
            "operator_id": self.operator_id,
            "from_specialist": self.from_specialist,
            "to_specialist": self.to_specialist,
            "units": self.units,
        }

    def describe(self) -> str:
        return (
            f"{self.from_specialist} hands {self.units / 10:g} FTE of {self.demand_id} "
            f"to {self.to_specialist} in the week of {self.week}"
        )


@dataclass(frozen=True)
class WeekBooking:
    specialist: int
    demand_id: str
    operator_id: str
    units: int
    pinned: bool = False  # a confirmed booking never moves


def reshuffle_week(
    instance: Instance,
    dataset: Dataset,
    w: int,
    bookings: list[WeekBooking],
    sources: dict[str, Requirement | Request],
    *,
    time_limit: float = RESHUFFLE_TIME_LIMIT,
) -> tuple[dict[int, int], list[Move]]:
    """Most units for the request (demand 0 of `instance`) in week `w`, then fewest moved.

    `bookings` are the plan's bookings of week `w`; `sources` maps their demand
    ids to the requirement or request behind them (`demand.demand_sources`).
    Returns the request's units per specialist and the moves that make room.
    """
    week = _reshuffle_week(instance, dataset, w, bookings, sources)
    found = reshuffle(week, time_limit)
    if found is None:
        return {}, []
    return found.given, _moves(instance, w, bookings, found.moved)


def _reshuffle_week(
    instance: Instance,
    dataset: Dataset,
    w: int,
    bookings: list[WeekBooking],
    sources: dict[str, Requirement | Request],
) -> ReshuffleWeek:
    """The week as the model sees it: who may give the request units, who may take what."""
    request = instance.demands[0]
    specialists = instance.specialists
    givers = {s for s, _ in instance.eligible[w]}
    return ReshuffleWeek(
        need=request.units[w],
        request_operator=request.operator_id,
        capacity=[instance.capacity[s][w] for s in range(len(specialists))],
        client_limits=[spec.max_clients for spec in specialists],
        givers=list(givers),
        bookings=[HeldBooking(b.specialist, b.operator_id, b.units) for b in bookings],
        takers=_takers(instance, dataset, w, bookings, sources, givers),
    )


def _takers(
    instance: Instance,
    dataset: Dataset,
    w: int,
    bookings: list[WeekBooking],
    sources: dict[str, Requirement | Request],
    givers: set[int],
) -> dict[int, list[int]]:
    """Per movable booking (its giver could serve the request; not pinned), who may take it.

    A taker has time that week, is qualified for the booking's demand, and is
    within time-zone reach of its operator.
    """
    specialists = instance.specialists
    monday = instance.horizon.mondays[w]
    operator_tz = {o.operator_id: o.timezone for o in dataset.operators}

    def can_take(t: int, source: Requirement | Request, operator_id: str) -> bool:
        return (
            instance.capacity[t][w] > 0
            and is_qualified(specialists[t], source)
            and within_tz_gap(
                specialists[t].timezone, operator_tz[operator_id], monday, instance.max_tz_gap
            )
        )

    takers: dict[int, list[int]] = {}
    for i, b in enumerate(bookings):
        source = sources.get(b.demand_id)
        if b.specialist not in givers or source is None or b.pinned:
            continue
        takers[i] = [
            t
            for t in range(len(specialists))
            if t != b.specialist and can_take(t, source, b.operator_id)
        ]
    return takers


def _moves(
    instance: Instance, w: int, bookings: list[WeekBooking], moved: dict[tuple[int, int], int]
) -> list[Move]:
    """The hand-overs in people's terms, by giver and demand."""
    specialists = instance.specialists
    monday = instance.horizon.mondays[w]
    result = [
        Move(
            monday,
            bookings[i].demand_id,
            bookings[i].operator_id,
            specialists[bookings[i].specialist].specialist_id,
            specialists[t].specialist_id,
            units,
        )
        for (i, t), units in moved.items()
    ]
    return sorted(result, key=lambda m: (m.from_specialist, m.demand_id))
