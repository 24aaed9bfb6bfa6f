"""The rota's hard rules (contract rules 1-3), each as the check the validator, the pins and
the gap reasons share, and the cover units duty reserves; the model
(`planner.solver.rota_model`) states the same rules as constraints.

Duty of one specialist is a boolean row over the grid's hours; a shift is a maximal run of
on-duty hours in it.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from planner.rota.records import HOURS_PER_WEEK, RotaParams


def runs(on: np.ndarray) -> list[tuple[int, int]]:
    """The shifts of one duty row as (first hour, end hour exclusive), in order."""
    padded = np.concatenate(([0], on.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def unavailable_problem(available: np.ndarray, first: int, end: int) -> str | None:
    """Rule 1 for one shift: every hour's local date inside employment, outside absences."""
    away = np.flatnonzero(~available[first:end])
    if away.size == 0:
        return None
    return f"rule 1: on duty at hour {first + int(away[0])}, outside employment or on absence"


def shift_problems(
    shifts: list[tuple[int, int]], params: RotaParams, last: int | None = None
) -> list[str]:
    """Rule 2 for one specialist's shifts: lengths within bounds and rest between them.

    A shift touching the grid's first hour or its end (`last`, the grid's end unless a
    part of the grid is checked) may be short, as it continues outside; none may be
    longer than the maximum.
    """
    last = params.hours if last is None else last
    problems = []
    for first, end in shifts:
        length = end - first
        if length > params.max_shift_hours:
            problems.append(
                f"rule 2: shift of {length} h from hour {first} is longer than "
                f"{params.max_shift_hours} h"
            )
        at_edge = first == 0 or end == last
        if length < params.min_shift_hours and not at_edge:
            problems.append(
                f"rule 2: shift of {length} h from hour {first} is shorter than "
                f"{params.min_shift_hours} h"
            )
    for (_, end), (first, _) in itertools.pairwise(shifts):
        if first - end < params.min_rest_hours:
            problems.append(
                f"rule 2: {first - end} h of rest before hour {first}, fewer than "
                f"{params.min_rest_hours} h"
            )
    return problems


def weekly_hours(on: np.ndarray) -> np.ndarray:
    """On-duty hours of one duty row in each rota week."""
    hours: np.ndarray = on.reshape(-1, HOURS_PER_WEEK).sum(axis=1)
    return hours


def weekly_problems(on: np.ndarray, max_duty_hours: int) -> list[str]:
    """Rule 3: on-duty hours per rota week within `max_duty_hours`."""
    return [
        f"rule 3: {int(h)} duty hours in rota week {k + 1}, more than {max_duty_hours}"
        for k, h in enumerate(weekly_hours(on))
        if h > max_duty_hours
    ]


def duty_problems(
    on: np.ndarray, available: np.ndarray, params: RotaParams, max_duty_hours: int
) -> list[str]:
    """Every rule 1-3 problem of one specialist's duty row."""
    shifts = runs(on)
    problems = [p for a, b in shifts if (p := unavailable_problem(available, a, b))]
    return problems + shift_problems(shifts, params) + weekly_problems(on, max_duty_hours)


def reserved_units(at_work_hours: int, duty_load: float) -> int:
    """Cover sharing: the cover units one rota week of a specialist takes,
    `ceil(duty_load * at_work_duty_hours / 4 - 1e-9)`; off-work duty takes nothing."""
    return max(0, math.ceil(duty_load * at_work_hours / 4 - 1e-9))
