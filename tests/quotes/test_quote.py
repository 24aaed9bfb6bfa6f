"""Quotes: the free capacity a plan leaves, a prepared basis, and reshuffles that make room."""

from __future__ import annotations

from dataclasses import replace

from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.domain.calendar import Horizon
from planner.domain.records import Pin
from planner.planning.validation import Booking as PlanRow
from planner.planning.validation import check_plan
from planner.quotes.quote import Booking, quote_basis, quote_request
from tests.builders import MONDAY, dataset, day, operator, requirement, specialist

TWO_WEEKS = Horizon(MONDAY, 2)


def busy_generalist():
    """SP1 (technical and finance) covers OP2's finance gap; SP2 (finance only) is idle."""
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[requirement("OP2", "finance", priority="high")],
        specialists=[specialist("SP1", "technical:3;finance:3"), specialist("SP2", "finance:2")],
    )
    bookings = [
        Booking("SP1", "OP2", MONDAY, 10, "gap:OP2:finance"),
        Booking("SP1", "OP2", day(7), 10, "gap:OP2:finance"),
    ]
    request = services.new_request(
        dataset=data, operator_id="OP1", role="technical", start=MONDAY, end=day(4), fte=1.0
    )
    return data, bookings, request


def test_a_quote_uses_only_free_capacity():
    data, bookings, request = busy_generalist()
    answer = quote_request(quote_basis(data, TWO_WEEKS, bookings), request)
    assert (answer.demand_units, answer.covered_units) == (10, 0)
    assert answer.moves == ()
    (gap,) = answer.uncovered
    assert "SP1 fully booked" in gap.reason


def test_a_reshuffle_hands_the_busy_persons_work_to_someone_free():
    data, bookings, request = busy_generalist()
    answer = quote_request(quote_basis(data, TWO_WEEKS, bookings), request, reshuffle=True)
    assert answer.covered_units == 10
    assert [(a.specialist_id, a.units) for a in answer.assignments] == [("SP1", 10)]
    (move,) = answer.moves
    assert (move.from_specialist, move.to_specialist, move.demand_id, move.units, move.week) == (
        "SP1",
        "SP2",
        "gap:OP2:finance",
        10,
        MONDAY,
    )
    assert answer.uncovered == ()
    assert answer.as_dict()["moves"][0]["to_specialist"] == "SP2"
    # the plan with the moves and the new request applied obeys every rule
    moved = [
        PlanRow("gap:OP2:finance", MONDAY, "SP2", 10),
        PlanRow("gap:OP2:finance", day(7), "SP1", 10),
    ]
    with_request = replace(data, requests=(replace(request, request_id="quote"),))
    assert (
        check_plan(with_request, TWO_WEEKS, [*moved, PlanRow("req:quote", MONDAY, "SP1", 10)]) == []
    )


def test_a_confirmed_booking_never_moves():
    data, bookings, request = busy_generalist()
    pinned = replace(data, pinned=(Pin("SP1", "gap:OP2:finance", MONDAY, 10),))
    answer = quote_request(quote_basis(pinned, TWO_WEEKS, bookings), request, reshuffle=True)
    assert (answer.covered_units, answer.moves) == (0, ())


def test_a_reshuffle_keeps_the_client_limit_of_the_taker():
    # SP2 already serves two other clients at its limit of 2, so it cannot take OP2's work
    data, bookings, request = busy_generalist()
    data = replace(
        data,
        operators=(*data.operators, operator("OP3"), operator("OP4")),
        specialists=(data.specialists[0], specialist("SP2", "finance:2", max_clients=2)),
    )
    bookings = [
        *bookings,
        Booking("SP2", "OP3", MONDAY, 2, "gap:OP3:finance"),
        Booking("SP2", "OP4", MONDAY, 2, "gap:OP4:finance"),
    ]
    answer = quote_request(quote_basis(data, TWO_WEEKS, bookings), request, reshuffle=True)
    assert (answer.covered_units, answer.moves) == (0, ())


def test_a_prepared_basis_answers_like_a_fresh_quote_and_is_not_changed_by_it():
    data, bookings, request = busy_generalist()
    data = replace(data, specialists=(*data.specialists, specialist("SP3", "technical:2")))
    basis = quote_basis(data, TWO_WEEKS, bookings)
    first = quote_request(basis, request)
    again = quote_request(basis, request)
    fresh = services.quote(
        actor=LOCAL_ADMIN,
        dataset=data,
        start=MONDAY,
        weeks=2,
        request=request,
        bookings=bookings,
        calendar="none",  # TWO_WEEKS is the Monday-to-Friday grid
    )
    assert first == again == fresh
    assert first.covered_units == 10


def test_reshuffled_quotes_on_the_demo_keep_every_rule_and_every_covered_unit():
    from datetime import date, timedelta

    from tests.cli.test_cli import DEMO

    data = services.load_dataset(DEMO)
    plan = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=data,
        start=date(2027, 1, 4),
        weeks=8,
        time_limit=20,
        secondary=False,
    )
    basis = services.prepare_quotes(dataset=data, plan=plan)
    horizon = plan.horizon  # the production calendar the plan was made on
    gained = 0
    for number, op in enumerate(o.operator_id for o in data.operators[:10]):
        role = ("technical", "finance", "subscriber")[number % 3]
        request = services.new_request(
            dataset=data,
            operator_id=op,
            role=role,
            start=date(2027, 1, 18) + timedelta(weeks=number % 4),
            end=date(2027, 1, 29) + timedelta(weeks=number % 4),
            fte=0.5,
        )
        plain = quote_request(basis, request)
        answer = quote_request(basis, request, reshuffle=True)
        assert answer.covered_units >= plain.covered_units
        gained += answer.covered_units - plain.covered_units
        units: dict = {}
        for a in plan.assignments:
            key = (a.demand_id, a.week, a.specialist_id)
            units[key] = units.get(key, 0) + a.units
        for m in answer.moves:
            units[(m.demand_id, m.week, m.from_specialist)] -= m.units
            units[(m.demand_id, m.week, m.to_specialist)] = (
                units.get((m.demand_id, m.week, m.to_specialist), 0) + m.units
            )
        for line in answer.assignments:
            units[("req:quote", line.week, line.specialist_id)] = line.units
        assert all(u >= 0 for u in units.values())
        rows = [PlanRow(d, w, s, u) for (d, w, s), u in units.items() if u > 0]
        with_request = replace(
            data, requests=(*data.requests, replace(request, request_id="quote"))
        )
        assert check_plan(with_request, horizon, rows) == [], (op, role)
    assert gained > 0  # the demo's busy winter has room to make
