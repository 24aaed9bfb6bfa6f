"""Answer one new request at once, against the capacity a plan leaves free.

Every booking of the plan stays as it is, so the question is small: which
specialists have time left, and room under their client limit, in each week of
the request. A tiny CP-SAT model (`planner.solver.quote_model`) then gives the
most cover, with the fewest specialists, preferring familiar and cheaper ones,
in the contract's order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from planner.domain.calendar import Horizon
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP, QUOTE_TIME_LIMIT
from planner.domain.demand import PRIORITY_RANK, demand_sources
from planner.domain.records import Dataset, Request, Requirement
from planner.planning.explain import Workload, explain_uncovered
from planner.quotes.reshuffle import Move, WeekBooking, reshuffle_week
from planner.rules import client_limit
from planner.solver.instance import build_instance
from planner.solver.quote_model import best_cover

QUOTE_REQUEST_ID = "quote"


@dataclass(frozen=True)
class Booking:
    """What a plan already asks of a specialist in a week."""

    specialist_id: str
    operator_id: str
    week: date
    units: int
    demand_id: str = ""


@dataclass(frozen=True)
class QuoteLine:
    week: date
    specialist_id: str
    units: int


@dataclass(frozen=True)
class QuoteGap:
    week: date
    units: int
    reason: str


@dataclass(frozen=True)
class Quote:
    demand_units: int
    covered_units: int
    assignments: tuple[QuoteLine, ...]
    uncovered: tuple[QuoteGap, ...]
    weekly_demand: dict[date, int] = field(default_factory=dict)
    moves: tuple[Move, ...] = ()  # hand-overs a reshuffle needs, when one was asked for

    def as_dict(self) -> dict:
        return {
            "demand_units": self.demand_units,
            "covered_units": self.covered_units,
            "assignments": [
                {"week": a.week.isoformat(), "specialist_id": a.specialist_id, "units": a.units}
                for a in self.assignments
            ],
            "uncovered": [
                {"week": g.week.isoformat(), "units": g.units, "reason": g.reason}
                for g in self.uncovered
            ],
            **({"moves": [m.as_dict() for m in self.moves]} if self.moves else {}),
        }


@dataclass(frozen=True)
class QuoteBasis:
    """What every quote against one plan shares, prepared once per plan.

    Booking a large plan's thousands of assignments into a workload is most of
    the work of a one-off answer; the request screen and the benchmark ask many
    questions of the same plan, so they prepare this once and reuse it.
    """

    dataset: Dataset
    horizon: Horizon
    max_tz_gap: float
    workload: Workload
    bookings: tuple[Booking, ...]
    sources: dict[str, Requirement | Request]  # demand id -> its requirement or request
    spec_index: dict[str, int]  # specialist id -> index in the dataset (and an instance)


def quote_basis(
    dataset: Dataset,
    horizon: Horizon,
    bookings: Iterable[Booking],
    *,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
) -> QuoteBasis:
    basis = QuoteBasis(
        dataset,
        horizon,
        max_tz_gap,
        Workload(),
        tuple(bookings),
        demand_sources(dataset),
        {s.specialist_id: i for i, s in enumerate(dataset.specialists)},
    )
    _book(basis, basis.workload, basis.bookings)
    return basis


def _book(basis: QuoteBasis, workload: Workload, bookings: Iterable[Booking]) -> None:
    for booking in bookings:
        w = basis.horizon.week_index(booking.week)
        s = basis.spec_index.get(booking.specialist_id)
        if w is not None and s is not None:
            source = basis.sources.get(booking.demand_id)
            tier = PRIORITY_RANK[source.priority] if source else PRIORITY_RANK["normal"]
            workload.book(s, w, booking.operator_id, tier, booking.units)


def quote_request(
    basis: QuoteBasis,
    request: Request,
    *,
    time_limit: float = QUOTE_TIME_LIMIT,
    reshuffle: bool = False,
) -> Quote:
    """The most cover the plan's leftover capacity allows for `request`.

    Only the new demand is built (no gaps, no staff): the plan's bookings say
    all that matters about everyone else, which keeps an answer to milliseconds.
    With `reshuffle`, weeks left short also try handing existing bookings to
    other qualified specialists (see `planner.quotes.reshuffle`); the moves are listed.
    """
    dataset, horizon = basis.dataset, basis.horizon
    request = replace(request, request_id=QUOTE_REQUEST_ID)
    alone = replace(dataset, requirements=(), staff=(), absences=(), requests=(request,), pinned=())
    instance = build_instance(alone, horizon, max_tz_gap=basis.max_tz_gap)
    if not instance.demands:  # the request has no working day inside the horizon
        return Quote(0, 0, (), ())
    (demand,) = instance.demands
    weeks = [w for w in range(horizon.weeks) if demand.units[w] > 0]
    workload = basis.workload.only_weeks(weeks)

    # free units per (specialist, week) for this request
    room: dict[tuple[int, int], int] = {}
    for w in weeks:
        for s, _ in instance.eligible[w]:
            spec = instance.specialists[s]
            clients = workload.clients[(s, w)]
            has_room = client_limit.has_room(clients, demand.operator_id, spec.max_clients)
            free = min(instance.capacity[s][w] - workload.used[(s, w)], demand.units[w])
            if has_room and free > 0:
                room[(s, w)] = free

    lines = best_cover(instance, 0, room, time_limit)
    moves: list[Move] = []
    if reshuffle:
        lines, moves = _with_reshuffle(basis, instance, weeks, lines, workload)
    for s, w, units in lines:
        workload.book(s, w, demand.operator_id, instance.demand_tier[0], units, 0)
    mondays = horizon.mondays
    gaps = [
        QuoteGap(row.week, row.units, row.reason)
        for row in explain_uncovered(instance, alone, workload=workload)
    ]
    return Quote(
        demand_units=demand.total_units,
        covered_units=sum(units for _, _, units in lines),
        assignments=tuple(
            QuoteLine(mondays[w], instance.specialists[s].specialist_id, units)
            for s, w, units in sorted(lines, key=lambda x: (x[1], x[0]))
        ),
        uncovered=tuple(gaps),
        weekly_demand={mondays[w]: u for w, u in enumerate(demand.units) if u > 0},
        moves=tuple(moves),
    )


def _with_reshuffle(
    basis: QuoteBasis,
    instance,
    weeks: list[int],
    lines: list[tuple[int, int, int]],
    workload: Workload,
) -> tuple[list[tuple[int, int, int]], list[Move]]:
    """Replace a short week's lines by a reshuffle's when it covers more; rebook the week."""
    demand = instance.demands[0]
    covered: dict[int, int] = defaultdict(int)
    for _, w, units in lines:
        covered[w] += units
    short = [w for w in weeks if covered[w] < demand.units[w]]
    if not short:
        return lines, []
    pinned = {(p.specialist_id, p.demand_id, p.week) for p in basis.dataset.pinned}
    mondays = basis.horizon.mondays
    by_week: dict[int, list[Booking]] = defaultdict(list)
    wanted = {mondays[w]: w for w in short}
    for booking in basis.bookings:
        if booking.week in wanted and booking.specialist_id in basis.spec_index:
            by_week[wanted[booking.week]].append(booking)
    moves: list[Move] = []
    for w in short:
        week_bookings = [
            WeekBooking(
                basis.spec_index[b.specialist_id],
                b.demand_id,
                b.operator_id,
                b.units,
                (b.specialist_id, b.demand_id, b.week) in pinned,
            )
            for b in by_week[w]
        ]
        gained, week_moves = reshuffle_week(
            instance, basis.dataset, w, week_bookings, basis.sources
        )
        if sum(gained.values()) <= covered[w]:
            continue
        lines = [line for line in lines if line[1] != w]
        lines.extend((s, w, u) for s, u in gained.items())
        moves.extend(week_moves)
        # the week's workload after the moves, for the reasons of what is still short
        moved = _after_moves(by_week[w], week_moves)
        for key in [k for k in workload.used if k[1] == w]:
            for table in (workload.used, workload.clients, workload.busy_with):
                table.pop(key, None)
        _book(basis, workload, moved)
    return lines, moves


def _after_moves(bookings: list[Booking], moves: list[Move]) -> list[Booking]:
    if not bookings:
        return []
    units: dict[tuple[str, str, str], int] = defaultdict(int)
    week = bookings[0].week
    for b in bookings:
        units[(b.specialist_id, b.demand_id, b.operator_id)] += b.units
    for m in moves:
        units[(m.from_specialist, m.demand_id, m.operator_id)] -= m.units
        units[(m.to_specialist, m.demand_id, m.operator_id)] += m.units
    return [Booking(s, o, week, u, d) for (s, d, o), u in units.items() if u > 0]
