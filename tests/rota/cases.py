"""What the rota tests share: tiny datasets with calendar rows and rota pins, the grid of one
week, fast solves, and hand-made duty turned into a rota."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np

from planner.domain.records import CalendarDay, Dataset, RotaPin
from planner.rota.grid import RotaGrid
from planner.rota.pipeline import make_rota, rota_from_duty
from planner.rota.records import Rota, RotaParams
from tests.builders import MONDAY, dataset, operator, specialist

ONE_WEEK = RotaParams(MONDAY, 1)
"""2027-01-04: Monday 4 to Friday 8 January are federal days off (New Year holidays)."""
WORKING_WEEK = RotaParams(date(2027, 1, 11), 1)
"""2027-01-11: five working days on the federal calendar."""
FAST = {"time_limit": 2.0}
"""Cover is proven in a fraction of a second on these grids; the later stages take what is
left (fairness over a whole free week is rarely proven, and need not be for these tests)."""


def at(params: RotaParams, hour: int) -> datetime:
    """The UTC start of hour index `hour` of the grid."""
    return params.moment(hour)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def pin(specialist_id: str, params: RotaParams, first: int, end: int) -> RotaPin:
    return RotaPin(specialist_id, at(params, first), at(params, end))


def rota_data(
    *,
    operators=(),
    specialists=(),
    specialist_absences=(),
    calendar: tuple[CalendarDay, ...] = (),
    rota_pinned: tuple[RotaPin, ...] = (),
) -> Dataset:
    """A dataset for the rota: by default one 24x7 operator answered by anyone on standby."""
    data = dataset(
        operators=operators or [operator(sla="24x7", response_minutes=30, incident_level=1)],
        specialists=specialists or [specialist("SP1", tz="UTC")],
        specialist_absences=specialist_absences,
    )
    return replace(data, calendar=tuple(calendar), rota_pinned=tuple(rota_pinned))


def solved(data: Dataset, params: RotaParams = ONE_WEEK) -> Rota:
    return make_rota(data, params, **FAST)


def duty(grid: RotaGrid, shifts: dict[str, list[tuple[int, int]]]) -> np.ndarray:
    """[specialist, hour] duty from shifts given as (first hour, end hour) per specialist."""
    on = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    for sid, runs in shifts.items():
        for first, end in runs:
            on[grid.index[sid], first:end] = True
    return on


def by_hand(data: Dataset, params: RotaParams, shifts: dict[str, list[tuple[int, int]]]) -> Rota:
    """The rota of hand-made shifts, with its files' figures as the pipeline writes them."""
    grid = RotaGrid(data, params)
    return rota_from_duty(grid, duty(grid, shifts))


def day_after(d: date, days: int = 1) -> date:
    return d + timedelta(days=days)
