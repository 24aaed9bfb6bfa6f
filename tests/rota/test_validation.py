"""The validator, the rota's executable specification: it accepts a solved rota and names
the rule, file or figure when one thing of that rota is broken on purpose."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from planner.rota.grid import RotaGrid
from planner.rota.pins import take_pins
from planner.rota.pipeline import rota_from_duty
from planner.rota.records import Reservation, Shift, SlaGap
from planner.rota.validation import check_rota, duty_grid
from tests.builders import operator, specialist
from tests.rota.cases import WORKING_WEEK, pin, rota_data, solved

P = WORKING_WEEK
DATA = rota_data(
    operators=[
        operator("OP24", sla="24x7", response_minutes=30, incident_level=1),
        operator("OP8", sla="8x5", response_minutes=20, incident_level=2),
    ],
    specialists=[
        specialist("SP1", tz="Europe/Moscow"),
        specialist("SP2", tz="Europe/Moscow", oncall=False),
        specialist("SP3", roles="technical:2", tz="UTC", max_duty_hours=24),
    ],
    rota_pinned=(pin("SP3", P, 30, 34), pin("SP3", P, 100, 113)),
)


@pytest.fixture(scope="module")
def rota():
    found = solved(DATA, P)
    assert check_rota(DATA, found) == []
    assert found.gaps, "the case needs uncovered hours to break the gaps"
    assert found.reservations, "the case needs at-work duty to break the reservations"
    return found


def with_sp1(rota, *shifts: tuple[int, int]):
    """The solved rota with SP1's duty replaced by `shifts`, every figure recomputed: the
    only thing wrong is what the shifts break."""
    grid = RotaGrid(DATA, P)
    on, _ = duty_grid(grid, rota)
    s = grid.index["SP1"]
    on[s] = False
    for first, end in shifts:
        on[s, first:end] = True
    return rota_from_duty(grid, on, dropped=take_pins(grid)[1])


def test_the_solved_rota_keeps_its_pin_and_lists_the_pin_it_dropped(rota):
    assert [d["reason"] for d in rota.summary["dropped_pins"]] == [
        "rule 2: shift of 13 h from hour 100 is longer than 12 h"
    ]
    assert with_sp1(rota, (60, 64)).summary["dropped_pins"] == rota.summary["dropped_pins"]


def test_rule_1_an_off_call_specialist_on_duty(rota):
    extra = Shift("SP2", P.moment(60), P.moment(64), 0, 4)
    problems = check_rota(DATA, replace(rota, shifts=(*rota.shifts, extra)))
    assert problems == [
        "shift SP2 2027-01-13T12:00Z-2027-01-13T16:00Z: rule 1: SP2 is not on call or has no "
        "technical role",
        f"rota_summary.json: shifts is {len(rota.shifts)}, the duty gives {len(rota.shifts) + 1}",
    ]


def test_rule_1_an_unknown_specialist_on_duty(rota):
    extra = Shift("SP9", P.moment(60), P.moment(64), 0, 4)
    problems = check_rota(DATA, replace(rota, shifts=(*rota.shifts, extra)))
    assert problems[0] == "shift SP9 2027-01-13T12:00Z-2027-01-13T16:00Z: rule 1: SP9 is unknown"


def test_rule_2_a_13_hour_shift(rota):
    assert check_rota(DATA, with_sp1(rota, (60, 73))) == [
        "SP1: rule 2: shift of 13 h from hour 60 is longer than 12 h"
    ]


def test_rule_2_a_3_hour_shift_mid_grid(rota):
    assert check_rota(DATA, with_sp1(rota, (60, 63))) == [
        "SP1: rule 2: shift of 3 h from hour 60 is shorter than 4 h"
    ]


def test_rule_2_a_3_hour_shift_at_either_edge_is_valid(rota):
    assert check_rota(DATA, with_sp1(rota, (0, 3), (P.hours - 3, P.hours))) == []


def test_rule_2_ten_hours_of_rest(rota):
    assert check_rota(DATA, with_sp1(rota, (60, 64), (74, 78))) == [
        "SP1: rule 2: 10 h of rest before hour 74, fewer than 11 h"
    ]


def test_rule_3_41_hours_in_a_week_with_at_most_40(rota):
    shifts = ((10, 20), (31, 41), (52, 62), (73, 84))
    assert check_rota(DATA, with_sp1(rota, *shifts[:3], (73, 83))) == []
    assert check_rota(DATA, with_sp1(rota, *shifts)) == [
        "SP1: rule 3: 41 duty hours in rota week 1, more than 40"
    ]


def test_rule_4_a_dropped_pin_not_listed(rota):
    unlisted = replace(rota, summary={**rota.summary, "dropped_pins": []})
    assert check_rota(DATA, unlisted) == [
        "pin SP3 2027-01-15T04:00Z-2027-01-15T17:00Z: rule 4: not kept and not dropped"
    ]


def test_rule_4_a_pin_not_kept(rota):
    shifts = tuple(s for s in rota.shifts if s.start != P.moment(30))
    problems = check_rota(DATA, replace(rota, shifts=shifts))
    assert "pin SP3 2027-01-12T06:00Z-2027-01-12T10:00Z: rule 4: not kept and not dropped" in (
        problems
    )


def test_rule_4_a_pin_lengthened(rota):
    grid = RotaGrid(DATA, P)
    on, _ = duty_grid(grid, rota)
    s = grid.index["SP3"]
    on[s, :60] = False
    on[s, 30:35] = True
    longer = rota_from_duty(grid, on, dropped=take_pins(grid)[1])
    assert check_rota(DATA, longer) == [
        "pin SP3 2027-01-12T06:00Z-2027-01-12T10:00Z: rule 4: lengthened, not kept as it is"
    ]


def test_wrong_at_work_hours(rota):
    first = next(s for s in rota.shifts if s.off_work_hours > 0)
    wrong = replace(
        first, at_work_hours=first.at_work_hours + 1, off_work_hours=first.off_work_hours - 1
    )
    shifts = tuple(wrong if s == first else s for s in rota.shifts)
    (problem,) = check_rota(DATA, replace(rota, shifts=shifts))
    assert problem.startswith(f"shift {first.specialist_id} ")
    assert problem.endswith(
        f"at work {first.at_work_hours + 1} h / off work {first.off_work_hours - 1} h written, "
        f"{first.at_work_hours} / {first.off_work_hours} by the calendar"
    )


def test_a_gap_missing(rota):
    (problem,) = check_rota(DATA, replace(rota, gaps=rota.gaps[1:]))
    assert problem.startswith(f"gap {rota.gaps[0].operator_id} ")
    assert problem.endswith(": missing")


def test_an_extra_gap_where_the_hours_are_covered(rota):
    shift = rota.shifts[0]
    extra = SlaGap("OP24", shift.start, shift.start + timedelta(hours=1), "made up")
    (problem,) = check_rota(DATA, replace(rota, gaps=(*rota.gaps, extra)))
    assert problem.endswith(": not an uncovered run")


def test_a_gap_without_a_reason(rota):
    first = replace(rota.gaps[0], reason=" ")
    (problem,) = check_rota(DATA, replace(rota, gaps=(first, *rota.gaps[1:])))
    assert problem.endswith(": no reason")


def test_wrong_reservations(rota):
    first = rota.reservations[0]
    more = replace(first, units=first.units + 1)
    problems = check_rota(DATA, replace(rota, reservations=(more, *rota.reservations[1:])))
    assert problems[0].startswith("reservations differ from the duty's")
    extra = Reservation("SP1", P.monday(1), 1)
    problems = check_rota(DATA, replace(rota, reservations=(*rota.reservations, extra)))
    assert problems[0].startswith("reservations differ from the duty's")


@pytest.mark.parametrize(
    "figure", ["covered_hours", "uncovered_hours", "max_off_work_hours", "reserved_units", "shifts"]
)
def test_a_wrong_headline_figure(rota, figure):
    summary = {**rota.summary, figure: rota.summary[figure] + 1}
    assert check_rota(DATA, replace(rota, summary=summary)) == [
        f"rota_summary.json: {figure} is {rota.summary[figure] + 1}, the duty gives "
        f"{rota.summary[figure]}"
    ]


def test_a_bound_below_the_covered_hours(rota):
    summary = {**rota.summary, "bound_hours": rota.summary["covered_hours"] - 1}
    assert check_rota(DATA, replace(rota, summary=summary)) == [
        "rota_summary.json: bound_hours is below the covered hours"
    ]
