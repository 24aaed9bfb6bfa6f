"""Rule 4: confirmed duty is kept as it is, each pin a shift of the rota; pins are taken in
file order while they obey rules 1-3 together, the others dropped with the reason."""

from __future__ import annotations

from datetime import date

from planner.domain.records import RotaPin, SpecialistAbsence
from planner.rota.grid import RotaGrid
from planner.rota.pins import take_pins
from planner.rota.records import utc_text
from planner.rota.validation import check_rota
from tests.builders import specialist
from tests.rota.cases import ONE_WEEK, pin, rota_data, solved, utc

P = ONE_WEEK


def pinned(*pins: RotaPin, **spec):
    return rota_data(specialists=[specialist("SP1", tz="UTC", **spec)], rota_pinned=pins)


def reasons(data) -> list[tuple[str, str]]:
    _, dropped = take_pins(RotaGrid(data, P))
    return [(utc_text(d.start), d.reason) for d in dropped]


def shift_hours(rota, specialist_id: str = "SP1") -> list[tuple[int, int]]:
    return [
        (P.hour_of(s.start), P.hour_of(s.end))
        for s in rota.shifts
        if s.specialist_id == specialist_id
    ]


def test_a_pin_within_the_rules_is_fixed_and_kept_by_the_rota():
    data = pinned(pin("SP1", P, 30, 34))
    fixed, dropped = take_pins(RotaGrid(data, P))
    assert dropped == []
    assert fixed[0].nonzero()[0].tolist() == [30, 31, 32, 33]
    rota = solved(data)
    assert (30, 34) in shift_hours(rota)
    assert rota.summary["dropped_pins"] == []
    assert check_rota(data, rota) == []


def test_a_pin_is_clipped_to_the_grid_and_may_be_short_at_its_edge():
    before = RotaPin("SP1", utc("2027-01-03T22:00"), utc("2027-01-04T02:00"))
    outside = RotaPin("SP1", utc("2027-02-01T00:00"), utc("2027-02-01T08:00"))
    fixed, dropped = take_pins(RotaGrid(pinned(before, outside), P))
    assert dropped == []
    assert fixed[0].nonzero()[0].tolist() == [0, 1]


def test_a_pin_that_breaks_rule_1_is_dropped_with_the_reason():
    absent = SpecialistAbsence("SP1", date(2027, 1, 6), date(2027, 1, 6))
    data = rota_data(
        specialists=[specialist("SP1", tz="UTC"), specialist("SP2", tz="UTC", oncall=False)],
        specialist_absences=[absent],
        rota_pinned=[pin("SP1", P, 44, 52), pin("SP2", P, 10, 14)],
    )
    assert reasons(data) == [
        ("2027-01-05T20:00Z", "rule 1: on duty at hour 48, outside employment or on absence"),
        ("2027-01-04T10:00Z", "rule 1: not on call (oncall = no)"),
    ]


def test_a_pin_that_breaks_rule_2_is_dropped_with_the_reason():
    data = pinned(pin("SP1", P, 10, 23), pin("SP1", P, 40, 43), pin("SP1", P, 60, 64))
    assert reasons(data) == [
        ("2027-01-04T10:00Z", "rule 2: shift of 13 h from hour 10 is longer than 12 h"),
        ("2027-01-05T16:00Z", "rule 2: shift of 3 h from hour 40 is shorter than 4 h"),
    ]


def test_pins_are_taken_in_file_order_while_they_rest_enough_together():
    early, late = pin("SP1", P, 30, 38), pin("SP1", P, 45, 49)
    assert reasons(pinned(early, late)) == [
        ("2027-01-05T21:00Z", "rule 2: 7 h of rest before hour 45, fewer than 11 h")
    ]
    assert reasons(pinned(late, early)) == [
        ("2027-01-05T06:00Z", "rule 2: 7 h of rest before hour 45, fewer than 11 h")
    ]


def test_a_pin_that_would_pass_the_weekly_limit_with_those_before_is_dropped():
    data = pinned(pin("SP1", P, 10, 20), pin("SP1", P, 40, 50), max_duty_hours=16)
    assert reasons(data) == [
        ("2027-01-05T16:00Z", "rule 3: 20 duty hours in rota week 1, more than 16")
    ]


def test_the_rota_summary_lists_each_dropped_pin_and_the_validator_accepts_it():
    data = pinned(pin("SP1", P, 30, 38), pin("SP1", P, 45, 49))
    rota = solved(data)
    assert rota.summary["dropped_pins"] == [
        {
            "specialist_id": "SP1",
            "start": "2027-01-05T21:00Z",
            "end": "2027-01-06T01:00Z",
            "reason": "rule 2: 7 h of rest before hour 45, fewer than 11 h",
        }
    ]
    assert (30, 38) in shift_hours(rota)
    assert check_rota(data, rota) == []


def test_a_pin_is_a_shift_of_the_rota_as_it_is_not_lengthened():
    # A 24x7 client and nobody else on call: without the pin the rota would run 12 h shifts
    rota = solved(pinned(pin("SP1", P, 30, 34)))
    assert (30, 34) in shift_hours(rota)


def test_a_pin_touching_an_earlier_one_is_dropped_for_want_of_rest():
    data = pinned(pin("SP1", P, 30, 34), pin("SP1", P, 34, 38))
    assert reasons(data) == [
        ("2027-01-05T10:00Z", "rule 2: 0 h of rest before hour 34, fewer than 11 h")
    ]
    assert (30, 34) in shift_hours(solved(data))
