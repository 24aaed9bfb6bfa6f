"""Rules 1-3 as the checks the validator, the pins and the gap reasons share: a tiny case
each rule accepts and one it refuses, and the cover units duty reserves."""

from __future__ import annotations

import numpy as np
import pytest

from planner.rota import rules
from tests.rota.cases import ONE_WEEK

HOURS = ONE_WEEK.hours


def row(*shifts: tuple[int, int], hours: int = HOURS) -> np.ndarray:
    on = np.zeros(hours, dtype=bool)
    for first, end in shifts:
        on[first:end] = True
    return on


def everywhere(hours: int = HOURS) -> np.ndarray:
    return np.ones(hours, dtype=bool)


def test_runs_are_the_maximal_stretches_of_duty_in_order():
    assert rules.runs(row((0, 3), (10, 14), (167, 168))) == [(0, 3), (10, 14), (167, 168)]
    assert rules.runs(row()) == []


# ---------------------------------------------------------------- rule 1


def test_rule_1_accepts_duty_in_available_hours_and_names_the_first_hour_away():
    available = everywhere()
    available[20:44] = False
    assert rules.unavailable_problem(available, 8, 20) is None
    assert rules.unavailable_problem(available, 44, 56) is None
    assert rules.unavailable_problem(available, 16, 28) == (
        "rule 1: on duty at hour 20, outside employment or on absence"
    )


# ---------------------------------------------------------------- rule 2


@pytest.mark.parametrize(
    "shifts",
    [
        [(10, 14)],  # the minimum
        [(10, 22)],  # the maximum
        [(0, 1)],  # short at the grid's first hour: it began before the horizon
        [(HOURS - 2, HOURS)],  # short at the grid's last hour: it goes on after it
        [(10, 14), (25, 29)],  # exactly the minimum rest
    ],
)
def test_rule_2_accepts_shifts_within_the_bounds(shifts):
    assert rules.shift_problems(shifts, ONE_WEEK) == []


@pytest.mark.parametrize(
    ("shifts", "problem"),
    [
        ([(10, 23)], "rule 2: shift of 13 h from hour 10 is longer than 12 h"),
        ([(0, 13)], "rule 2: shift of 13 h from hour 0 is longer than 12 h"),
        ([(HOURS - 13, HOURS)], "rule 2: shift of 13 h from hour 155 is longer than 12 h"),
        ([(10, 13)], "rule 2: shift of 3 h from hour 10 is shorter than 4 h"),
        ([(1, 4)], "rule 2: shift of 3 h from hour 1 is shorter than 4 h"),
        ([(10, 14), (24, 28)], "rule 2: 10 h of rest before hour 24, fewer than 11 h"),
    ],
)
def test_rule_2_names_a_shift_too_long_too_short_or_too_soon(shifts, problem):
    assert rules.shift_problems(shifts, ONE_WEEK) == [problem]


def test_rule_2_edge_is_the_end_of_the_part_checked():
    assert rules.shift_problems([(40, 42)], ONE_WEEK, last=42) == []
    assert rules.shift_problems([(40, 42)], ONE_WEEK) == [
        "rule 2: shift of 2 h from hour 40 is shorter than 4 h"
    ]


# ---------------------------------------------------------------- rule 3


def test_rule_3_counts_duty_per_rota_week():
    two_weeks = 2 * HOURS
    # the shift 163-173 crosses the boundary: 5 h count in each week
    on = row((0, 10), (24, 34), (48, 58), (72, 82), (163, 173), (200, 210), hours=two_weeks)
    assert rules.weekly_hours(on).tolist() == [45, 15]
    assert rules.weekly_problems(on, 45) == []
    assert rules.weekly_problems(on, 44) == ["rule 3: 45 duty hours in rota week 1, more than 44"]


def test_rule_3_max_duty_hours_zero_keeps_a_specialist_off_duty():
    assert rules.weekly_problems(row(), 0) == []
    assert rules.weekly_problems(row((10, 14)), 0) == [
        "rule 3: 4 duty hours in rota week 1, more than 0"
    ]


def test_duty_problems_lists_every_rule_a_row_breaks():
    available = everywhere()
    available[100:] = False
    on = row((0, 12), (20, 32), (40, 52), (60, 62), (98, 102))
    assert rules.duty_problems(on, available, ONE_WEEK, 40) == [
        "rule 1: on duty at hour 100, outside employment or on absence",
        "rule 2: shift of 2 h from hour 60 is shorter than 4 h",
        "rule 2: 8 h of rest before hour 20, fewer than 11 h",
        "rule 2: 8 h of rest before hour 40, fewer than 11 h",
        "rule 2: 8 h of rest before hour 60, fewer than 11 h",
        "rule 3: 42 duty hours in rota week 1, more than 40",
    ]


# ---------------------------------------------------------------- cover sharing


@pytest.mark.parametrize(
    ("hours", "load", "units"),
    [(0, 0.5, 0), (1, 0.5, 1), (8, 0.5, 1), (9, 0.5, 2), (16, 0.5, 2), (17, 0.5, 3), (8, 0.0, 0)],
)
def test_reserved_units_are_the_ceiling_of_the_share_of_at_work_duty(hours, load, units):
    assert rules.reserved_units(hours, load) == units
