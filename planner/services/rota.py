"""Incident support: plan an on-call rota, write and read its files, check it, and answer
who is on call for an operator now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from planner.accounts.access import MANAGER, Actor, require_role
from planner.data import rota_files
from planner.domain.defaults import ROTA_TIME_LIMIT
from planner.domain.records import Dataset
from planner.rota.grid import RotaGrid
from planner.rota.ics import calendars
from planner.rota.oncall import OnCall, on_call
from planner.rota.pipeline import make_rota
from planner.rota.records import Reservation, Rota, RotaParams
from planner.rota.validation import check_rota
from planner.services._common import refused
from planner.solver.model import Progress

__all__ = [
    "ROTA_TIME_LIMIT",
    "Rota",
    "RotaParams",
    "check_rota",
    "plan_rota",
    "read_rota",
    "read_rota_reservations",
    "rota_calendars",
    "rota_params",
    "who_is_on_call",
    "write_rota",
]

_OPTIONS = {
    "must start on a Monday": "--start",
    "at least one week": "--weeks",
    "--min-shift-hours": "--min-shift-hours",
    "--min-rest-hours": "--min-rest-hours",
    "--work-hours": "--work-hours",
    "--duty-load": "--duty-load",
    "--active-response-minutes": "--active-response-minutes",
}


def rota_params(
    *,
    start: date,
    weeks: int,
    min_shift_hours: int = RotaParams.min_shift_hours,
    max_shift_hours: int = RotaParams.max_shift_hours,
    min_rest_hours: int = RotaParams.min_rest_hours,
    active_response_minutes: int = RotaParams.active_response_minutes,
    work_hours: tuple[int, int] = RotaParams.work_hours,
    duty_load: float = RotaParams.duty_load,
    calendar: str = RotaParams.calendar,
) -> RotaParams:
    """The rota's parameters, or a `DatasetError` naming the option that is wrong."""
    from planner.domain.production_calendar import CALENDARS

    if calendar not in CALENDARS:
        raise refused("--calendar", f"{calendar!r} is not a calendar: use {' or '.join(CALENDARS)}")
    try:
        return RotaParams(
            start,
            weeks,
            min_shift_hours,
            max_shift_hours,
            min_rest_hours,
            active_response_minutes,
            work_hours,
            duty_load,
            calendar,
        )
    except ValueError as error:
        option = next((o for k, o in _OPTIONS.items() if k in str(error)), "--rota")
        raise refused(option, str(error)) from None


def plan_rota(
    *,
    actor: Actor,
    dataset: Dataset,
    params: RotaParams,
    time_limit: float = ROTA_TIME_LIMIT,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Rota:
    """Plan who is on call when: the vendor's own work, so for managers."""
    require_role(actor, MANAGER)
    return make_rota(dataset, params, time_limit=time_limit, workers=workers, progress=progress)


def rota_calendars(dataset: Dataset, rota: Rota) -> dict[str, bytes]:
    """Each specialist's `.ics` file of the rota, by specialist id."""
    return calendars(RotaGrid(dataset, rota.params), rota)


def write_rota(rota: Rota, out: Path | str, dataset: Dataset) -> Path:
    """Write the rota's files and calendars into `out`, all or nothing."""
    return rota_files.write_rota(rota, out, rota_calendars(dataset, rota))


def read_rota(folder: Path | str) -> Rota:
    """A rota folder read back (`DatasetError` with file, row and column when broken)."""
    return rota_files.read_rota(folder)


def read_rota_reservations(folder: Path | str, dataset: Dataset) -> tuple[Reservation, ...]:
    """`reservations.csv` of a rota folder, every specialist id known to the dataset."""
    return rota_files.read_reservations(folder, {s.specialist_id for s in dataset.specialists})


def who_is_on_call(*, dataset: Dataset, rota: Rota, operator_id: str, at: datetime) -> OnCall:
    """Who answers for `operator_id` at `at`, how fast, and the next handovers."""
    if operator_id not in {o.operator_id for o in dataset.operators}:
        raise refused("--operator", f"unknown operator {operator_id!r}")
    try:
        return on_call(dataset, rota, operator_id, at)
    except ValueError as error:
        raise refused("--at", str(error)) from None
