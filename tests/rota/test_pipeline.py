"""From duty to the rota's records: shifts with their at-work hours, gaps, the cover units
at-work duty reserves, and those units coming off the specialist's cover capacity."""

from __future__ import annotations

from planner.domain.calendar import Horizon
from planner.domain.production_calendar import calendar_for
from planner.rota.validation import check_rota
from planner.rules.capacity import specialist_capacity
from tests.builders import operator, specialist
from tests.rota.cases import WORKING_WEEK, by_hand, rota_data, solved

P = WORKING_WEEK
DATA = rota_data(
    operators=[operator("OPA", sla="24x7", response_minutes=20, incident_level=1)],
    specialists=[specialist("SP1", tz="Europe/Moscow", max_duty_hours=16)],
)


def horizon(reserved=()) -> Horizon:
    return Horizon(P.start, 2, calendar_for("ru", DATA.calendar), tuple(reserved))


def test_at_work_duty_reserves_the_ceiling_of_half_its_hours_over_four():
    # Monday 06:00-15:00 UTC is 09:00-18:00 Moscow: 9 h at work; the night shift none
    rota = by_hand(DATA, P, {"SP1": [(6, 15), (144, 150)]})
    assert [(s.at_work_hours, s.off_work_hours) for s in rota.shifts] == [(9, 0), (0, 6)]
    assert [(r.specialist_id, r.week, r.units) for r in rota.reservations] == [
        ("SP1", P.start, 2)  # ceil(0.5 * 9 / 4)
    ]
    assert rota.summary["reserved_units"] == 2
    assert rota.summary["max_off_work_hours"] == 6


def test_off_work_duty_reserves_nothing():
    rota = by_hand(DATA, P, {"SP1": [(144, 150)]})
    assert rota.reservations == ()
    assert rota.summary["reserved_units"] == 0


def test_reservations_come_off_that_weeks_cover_capacity_only():
    rota = solved(DATA, P)
    assert check_rota(DATA, rota) == []
    # answers within 20 min only at work: the rota spends its 16 h there, 2 units
    assert rota.summary["covered_hours"] == 16
    assert [(r.week, r.units) for r in rota.reservations] == [(P.start, 2)]
    free = specialist_capacity(DATA, horizon())
    assert free["SP1"] == (10, 10)
    reserved = [(r.specialist_id, r.week, r.units) for r in rota.reservations]
    assert specialist_capacity(DATA, horizon(reserved))["SP1"] == (8, 10)


def test_a_gap_is_every_maximal_run_of_uncovered_promised_hours_with_a_reason():
    rota = by_hand(DATA, P, {"SP1": [(6, 15)]})
    # 24x7, but only an answer from someone at work is fast enough: covered 06:00-15:00 UTC
    assert [(P.hour_of(g.start), P.hour_of(g.end), g.hours) for g in rota.gaps] == [
        (0, 6, 6),
        (15, 168, 153),
    ]
    assert rota.gaps[0].reason.startswith(
        "nobody qualified answers within 20 min at 03:00 Europe/Moscow (standby answers take 30"
    )
    assert rota.summary["uncovered_hours"] == 168 - 9
