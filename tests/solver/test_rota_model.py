"""The rota model: each hard rule as a constraint (a duty the rule allows is feasible, the
same duty one hour off the rule is not), and the first two objectives against every valid
duty of instances small enough to enumerate."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.pins import take_pins
from planner.rota.pipeline import make_rota
from planner.rota.records import RotaParams
from planner.rota.validation import check_rota
from planner.solver.cpsat import new_solver
from planner.solver.rota_model import RotaModel, solve_rota
from tests.builders import MONDAY, operator, specialist
from tests.rota.cases import ONE_WEEK, pin, rota_data

# ---------------------------------------------------------------- one rule at a time


def status_with(grid: RotaGrid, shifts: list[tuple[int, int]]) -> str:
    """CP-SAT's verdict on the whole-horizon model with SP1's duty fixed to `shifts`."""
    model = RotaModel(grid, np.zeros((len(grid.specialists), grid.hours), dtype=bool))
    on = np.zeros(grid.hours, dtype=bool)
    for first, end in shifts:
        on[first:end] = True
    for h, duty in enumerate(model.on[0]):
        if isinstance(duty, int):
            if duty != on[h]:
                return "NO VARIABLE"
        else:
            model.model.add(duty == int(on[h]))
    solver = new_solver(5.0, workers=1, seed=0)
    return solver.status_name(solver.solve(model.model))


@pytest.fixture(scope="module")
def grid() -> RotaGrid:
    return RotaGrid(rota_data(specialists=[specialist("SP1", tz="UTC")]), ONE_WEEK)


@pytest.mark.parametrize(
    ("allowed", "refused"),
    [
        ([(10, 22)], [(10, 23)]),  # at most 12 h
        ([(0, 12)], [(0, 13)]),  # at the first hour too
        ([(10, 14)], [(10, 13)]),  # at least 4 h mid-grid
        ([(0, 1)], [(1, 2)]),  # shorter only at the first hour ...
        ([(167, 168)], [(166, 167)]),  # ... or at the last
        ([(10, 14), (25, 29)], [(10, 14), (24, 28)]),  # 11 h of rest
        ([(10, 20), (31, 41), (52, 62), (73, 83)], [(10, 20), (31, 41), (52, 62), (73, 84)]),
    ],
)
def test_the_model_allows_what_rules_2_and_3_allow_and_refuses_the_rest(grid, allowed, refused):
    assert status_with(grid, allowed) == "OPTIMAL"
    assert status_with(grid, refused) == "INFEASIBLE"


def test_the_model_has_no_duty_in_hours_away():
    data = rota_data(specialists=[specialist("SP1", tz="UTC", left_on=date(2027, 1, 5))])
    model = RotaModel(RotaGrid(data, ONE_WEEK), np.zeros((1, 168), dtype=bool))
    assert not isinstance(model.on[0][47], int)
    assert model.on[0][48:] == [0] * 120


# ---------------------------------------------------------------- objectives by brute force


def valid_rows(grid: RotaGrid, s: int) -> list[np.ndarray]:
    """Every duty row of specialist `s` that rules 1-3 accept, over the hours it is available."""
    hours = np.flatnonzero(grid.available[s]).tolist()
    assert len(hours) <= 14, "too many hours to enumerate"
    spec = grid.specialists[s]
    found = []
    for chosen in itertools.product((False, True), repeat=len(hours)):
        on = np.zeros(grid.hours, dtype=bool)
        on[hours] = chosen
        if not rules.duty_problems(on, grid.available[s], grid.params, spec.max_duty_hours):
            found.append(on)
    return found


def brute_force(grid: RotaGrid) -> tuple[int, int]:
    """Objective 1 (most covered promised hours) and, among its optima, objective 2 (the
    fewest off-work hours of the busiest specialist), over every valid duty."""
    rows = [valid_rows(grid, s) for s in range(len(grid.specialists))]
    # as integers, bit h for hour h: the covered hours of a duty are a few ORs and ANDs
    bits = [[int("".join("1" if x else "0" for x in row[::-1]), 2) for row in r] for r in rows]
    answers = [
        [
            int(
                "".join("1" if x else "0" for x in (grid.answerers(o)[s] & grid.promised[o])[::-1]),
                2,
            )
            for s in range(len(grid.specialists))
        ]
        for o in range(len(grid.operators))
    ]
    off = [
        int("".join("1" if x else "0" for x in (~grid.at_work[s])[::-1]), 2)
        for s in range(len(grid.specialists))
    ]
    best = (-1, 0)
    for duty in itertools.product(*bits):
        covered = 0
        for per_specialist in answers:
            hit = 0
            for row, answer in zip(duty, per_specialist, strict=True):
                hit |= row & answer
            covered += hit.bit_count()
        busiest = max((row & o).bit_count() for row, o in zip(duty, off, strict=True))
        best = max(best, (covered, -busiest))
    return best[0], -best[1]


TINY = RotaParams(
    MONDAY, 1, min_shift_hours=2, max_shift_hours=3, min_rest_hours=2, calendar="none"
)


def two_specialists_one_window():
    """Both specialists may be on duty only in the grid's first 10 hours (00:00-10:00 UTC
    Monday): SP1 in Honolulu, where it is Sunday afternoon and evening (off work), SP2 on
    Kiritimati, where it is Monday 14:00-24:00 (at work until 18:00). OPA takes a standby
    answer, OPB only an answer from someone at work."""
    return rota_data(
        operators=[
            operator("OPA", sla="24x7", response_minutes=30, incident_level=1),
            operator("OPB", sla="24x7", response_minutes=20, incident_level=1),
        ],
        specialists=[
            specialist("SP1", tz="Pacific/Honolulu", left_on=date(2027, 1, 3)),
            specialist("SP2", tz="Pacific/Kiritimati", left_on=date(2027, 1, 4), max_duty_hours=5),
        ],
    )


def one_specialist_at_the_end():
    """Only the grid's last 12 hours: Kamchatka's Monday 00:00-12:00 after the horizon's
    Sunday; an 8x5 client there is promised its 09:00-12:00, a 24x7 client every hour."""
    return rota_data(
        operators=[
            operator("OP8", tz="Asia/Kamchatka", sla="8x5", response_minutes=60, incident_level=1),
            operator("OP24", sla="24x7", response_minutes=30, incident_level=1),
        ],
        specialists=[specialist("SP1", tz="Asia/Kamchatka", joined_on=date(2027, 1, 11))],
    )


@pytest.mark.parametrize(
    ("case", "params"),
    [
        (two_specialists_one_window, TINY),
        (one_specialist_at_the_end, RotaParams(MONDAY, 1, 4, 5, 3, calendar="none")),
        (one_specialist_at_the_end, RotaParams(MONDAY, 1, 2, 12, 0, calendar="none")),
    ],
)
def test_the_rota_reaches_the_best_cover_and_fairness_of_every_valid_duty(case, params):
    data = case()
    grid = RotaGrid(data, params)
    covered, busiest = brute_force(grid)
    rota = make_rota(data, params, time_limit=10)
    assert rota.summary["covered_hours"] == covered
    assert rota.summary["bound_hours"] == covered
    assert rota.status == "OPTIMAL"
    assert rota.summary["max_off_work_hours"] == busiest
    assert check_rota(data, rota) == []


def test_the_brute_force_cases_are_not_trivial():
    grid = RotaGrid(two_specialists_one_window(), TINY)
    assert grid.available.sum(axis=1).tolist() == [10, 10]
    assert np.flatnonzero(grid.at_work[1] & grid.available[1]).tolist() == [0, 1, 2, 3]
    covered, busiest = brute_force(grid)
    # the window's 10 + 4 promised hours cannot all be covered under 2-3 h shifts and rest
    assert 0 < covered < 14
    assert busiest > 0


# ---------------------------------------------------------------- week by week


@pytest.mark.parametrize("first", [170, 176, 188])
def test_week_by_week_cover_keeps_a_pin_near_the_start_of_a_week(first):
    """The weeks are solved one after the other and joined at the boundary, also when a
    week's searches run out of time: the rota must keep every pin as it is."""
    params = RotaParams(MONDAY, 2)
    data = rota_data(
        specialists=[specialist("SP1", tz="UTC"), specialist("SP2", tz="UTC")],
        rota_pinned=(pin("SP1", params, first, first + 6),),
    )
    grid = RotaGrid(data, params)
    fixed, dropped = take_pins(grid)
    assert dropped == []
    on = solve_rota(grid, fixed, time_limit=2, workers=8).on
    assert (first, first + 6) in rules.runs(on[0])
    for s in range(2):
        assert rules.duty_problems(on[s], grid.available[s], params, 40) == []
