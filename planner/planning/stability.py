"""Objective 2 read back from two plans: which bookings of the earlier one the later keeps.

The solver keeps a baseline's bookings (`planner.solver.objectives.kept_units`);
this is the same measure taken from the plans themselves, so that a what-if and
the comparison of two stored runs say, client by client, how much of the earlier
plan stayed where it was. A unit is kept when the same specialist gives it to
the same demand in the same week; weeks outside the later plan are not counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from planner.planning.plan import Assignment


@dataclass(frozen=True)
class Kept:
    """One operator's share of an earlier plan's bookings in a later plan."""

    operator_id: str
    earlier_units: int
    kept_units: int
    new_units: int  # booked in the later plan on a (demand, specialist, week) the earlier lacked

    @property
    def moved_units(self) -> int:
        return self.earlier_units - self.kept_units


def kept_by_operator(
    earlier: Iterable[Assignment], later: Iterable[Assignment], weeks: Iterable[date]
) -> list[Kept]:
    """Every operator with bookings in either plan, those with most moved first."""
    in_weeks = set(weeks)
    before = _units(earlier, in_weeks)
    after = _units(later, in_weeks)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key in before.keys() | after.keys():
        b, a = before.get(key, 0), after.get(key, 0)
        figures = totals[key[0]]
        figures[0] += b
        figures[1] += min(a, b)
        figures[2] += max(0, a - b)
    rows = [Kept(operator, *figures) for operator, figures in totals.items()]
    return sorted(rows, key=lambda r: (-r.moved_units, -r.new_units, r.operator_id))


def _units(
    assignments: Iterable[Assignment], weeks: set[date]
) -> dict[tuple[str, str, str, date], int]:
    units: dict[tuple[str, str, str, date], int] = defaultdict(int)
    for a in assignments:
        if a.week in weeks and a.units > 0:
            units[(a.operator_id, a.demand_id, a.specialist_id, a.week)] += a.units
    return units
