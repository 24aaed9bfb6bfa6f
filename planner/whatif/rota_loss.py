"""What a scenario does to incident support: the promised operator-hours the confirmed (or
given) rota loses when the scenario's people are gone, as it stands and once re-planned.

"What if our only level-3 `sip` engineer leaves?" is answered twice: the rota as it is, with
the leaver's shifts gone (what happens tomorrow morning), and a new rota for the scenario
(what the best re-plan can still promise), each operator's loss worst first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.domain.records import Dataset
from planner.rota.grid import RotaGrid
from planner.rota.pipeline import covered_grid, make_rota
from planner.rota.records import Rota


@dataclass(frozen=True)
class OperatorLoss:
    operator_id: str
    name: str
    promised_hours: int
    base_covered: int
    as_is_covered: int
    replanned_covered: int | None

    @property
    def lost_as_is(self) -> int:
        return self.base_covered - self.as_is_covered

    @property
    def lost_replanned(self) -> int | None:
        if self.replanned_covered is None:
            return None
        return self.base_covered - self.replanned_covered


@dataclass(frozen=True)
class RotaLoss:
    promised_hours: int
    scenario_promised_hours: int
    base_covered: int
    as_is_covered: int
    replanned: Rota | None
    by_operator: tuple[OperatorLoss, ...]

    @property
    def lost_as_is(self) -> int:
        return self.base_covered - self.as_is_covered

    @property
    def lost_replanned(self) -> int | None:
        if self.replanned is None:
            return None
        return self.base_covered - int(self.replanned.summary["covered_hours"])

    def headline(self) -> str:
        line = (
            f"incident support: the rota covers {self.base_covered} of {self.promised_hours} "
            f"promised hours; with the scenario as it stands {self.as_is_covered} "
            f"({-self.lost_as_is:+d} h)"
        )
        if self.replanned is not None:
            s = self.replanned.summary
            line += (
                f", re-planned {s['covered_hours']} of {s['promised_hours']} "
                f"(bound {s['bound_hours']}, {-(self.lost_replanned or 0):+d} h)"
            )
        worst = [o for o in self.by_operator if o.lost_as_is > 0 or (o.lost_replanned or 0) > 0]
        if worst:
            line += "; most lost: " + ", ".join(
                f"{o.name} ({o.operator_id}) {max(o.lost_as_is, o.lost_replanned or 0)} h"
                for o in worst[:3]
            )
        return line

    def as_dict(self) -> dict:
        return {
            "promised_hours": self.promised_hours,
            "scenario_promised_hours": self.scenario_promised_hours,
            "base_covered_hours": self.base_covered,
            "as_is_covered_hours": self.as_is_covered,
            "lost_hours_as_is": self.lost_as_is,
            "replanned": None if self.replanned is None else self.replanned.summary,
            "lost_hours_replanned": self.lost_replanned,
            "by_operator": [
                {
                    "operator_id": o.operator_id,
                    "name": o.name,
                    "promised_hours": o.promised_hours,
                    "base_covered_hours": o.base_covered,
                    "as_is_covered_hours": o.as_is_covered,
                    "replanned_covered_hours": o.replanned_covered,
                    "lost_hours_as_is": o.lost_as_is,
                    "lost_hours_replanned": o.lost_replanned,
                }
                for o in self.by_operator
            ],
            "replanned_gaps": []
            if self.replanned is None
            else [
                {"operator_id": g.operator_id, "hours": g.hours, "reason": g.reason}
                for g in sorted(self.replanned.gaps, key=lambda g: -g.hours)[:50]
            ],
        }


def _duty(grid: RotaGrid, rota: Rota) -> np.ndarray:
    """The rota's shifts on `grid`, keeping only hours the specialist is still available."""
    p = grid.params
    on = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    for shift in rota.shifts:
        s = grid.index.get(shift.specialist_id)
        if s is None:
            continue
        first, end = max(0, p.hour_of(shift.start)), min(grid.hours, p.hour_of(shift.end))
        on[s, first:end] = True
    return on & grid.available


def rota_loss(
    base: Dataset,
    scenario: Dataset,
    rota: Rota,
    *,
    replan_time_limit: float | None = None,
    workers: int | None = None,
) -> RotaLoss:
    """The rota on the base data against the scenario: as it stands, and re-planned when
    `replan_time_limit` is given."""
    before = RotaGrid(base, rota.params)
    after = RotaGrid(scenario, rota.params)
    base_cov = covered_grid(before, _duty(before, rota))
    as_is = covered_grid(after, _duty(after, rota))
    replanned = None
    re_cov = None
    if replan_time_limit is not None:
        replanned = make_rota(scenario, rota.params, time_limit=replan_time_limit, workers=workers)
        re_on = np.zeros((len(after.specialists), after.hours), dtype=bool)
        for shift in replanned.shifts:
            s = after.index[shift.specialist_id]
            first, end = rota.params.hour_of(shift.start), rota.params.hour_of(shift.end)
            re_on[s, first:end] = True
        re_cov = covered_grid(after, re_on)
    rows = []
    for o, op in enumerate(before.operators):
        a = after.operator_index.get(op.operator_id)
        rows.append(
            OperatorLoss(
                op.operator_id,
                op.name,
                int(before.promised[o].sum()),
                int(base_cov[o].sum()),
                int(as_is[a].sum()) if a is not None else 0,
                int(re_cov[a].sum()) if re_cov is not None and a is not None else None,
            )
        )
    rows.sort(key=lambda r: (-max(r.lost_as_is, r.lost_replanned or 0), r.operator_id))
    return RotaLoss(
        promised_hours=int(before.promised.sum()),
        scenario_promised_hours=int(after.promised.sum()),
        base_covered=int(base_cov.sum()),
        as_is_covered=int(as_is.sum()),
        replanned=replanned,
        by_operator=tuple(rows),
    )
