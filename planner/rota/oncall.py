"""Who answers for an operator at a given moment, how fast, and when that changes next:
the on-call rota read from the operator's side (`planner oncall`, "Our incident support")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from planner.domain.records import Dataset
from planner.rota.grid import RotaGrid
from planner.rota.records import Rota, utc_text
from planner.rota.validation import duty_grid


@dataclass(frozen=True)
class Responder:
    specialist_id: str
    name: str
    minutes: int
    at_work: bool
    in_time: bool


@dataclass(frozen=True)
class Handover:
    at: datetime
    specialist_ids: tuple[str, ...]
    """Who answers in time from `at` on (empty: nobody, a gap if the hour is promised)."""
    promised: bool


@dataclass(frozen=True)
class OnCall:
    operator_id: str
    at: datetime
    promised: bool
    response_minutes: int
    responders: tuple[Responder, ...]
    handovers: tuple[Handover, ...]

    @property
    def covered(self) -> bool:
        return any(r.in_time for r in self.responders)

    def as_dict(self) -> dict:
        return {
            "operator_id": self.operator_id,
            "at": utc_text(self.at),
            "promised": self.promised,
            "response_minutes": self.response_minutes,
            "covered": self.covered,
            "on_duty": [
                {
                    "specialist_id": r.specialist_id,
                    "name": r.name,
                    "answers_in_minutes": r.minutes,
                    "at_work": r.at_work,
                    "in_time": r.in_time,
                }
                for r in self.responders
            ],
            "next_handovers": [
                {
                    "at": utc_text(h.at),
                    "specialist_ids": list(h.specialist_ids),
                    "promised": h.promised,
                }
                for h in self.handovers
            ],
        }


def on_call(
    dataset: Dataset, rota: Rota, operator_id: str, at: datetime, handovers: int = 5
) -> OnCall:
    """The answer at `at` (rounded down to its hour), inside the rota's grid."""
    grid = RotaGrid(dataset, rota.params)
    o = grid.operator_index[operator_id]
    h = grid.params.hour_of(at.replace(minute=0, second=0, microsecond=0))
    if not 0 <= h < grid.hours:
        raise ValueError(
            f"{utc_text(at)} is outside the rota ({utc_text(grid.params.origin)} to "
            f"{utc_text(grid.params.moment(grid.hours))})"
        )
    on, _ = duty_grid(grid, rota)
    op = grid.operators[o]
    qualified = grid.qualified[o]
    responders = tuple(
        Responder(
            spec.specialist_id,
            spec.name,
            int(grid.answer_minutes[s, h]),
            bool(grid.at_work[s, h]),
            bool(grid.answer_minutes[s, h] <= op.response_minutes),
        )
        for s, spec in enumerate(grid.specialists)
        if on[s, h] and qualified[s]
    )
    answering = grid.answerers(o) & on
    changes: list[Handover] = []
    current = _who(grid, answering, h)
    for hour in range(h + 1, grid.hours):
        who = _who(grid, answering, hour)
        if who != current:
            changes.append(Handover(grid.params.moment(hour), who, bool(grid.promised[o, hour])))
            current = who
            if len(changes) >= handovers:
                break
    return OnCall(
        operator_id,
        grid.params.moment(h),
        bool(grid.promised[o, h]),
        op.response_minutes,
        tuple(sorted(responders, key=lambda r: (not r.in_time, r.minutes, r.specialist_id))),
        tuple(changes),
    )


def _who(grid: RotaGrid, answering: np.ndarray, hour: int) -> tuple[str, ...]:
    return tuple(grid.specialists[s].specialist_id for s in np.flatnonzero(answering[:, hour]))
