"""The rota's hour grid, decided once: who may be on duty in which hour (rule 1), who is at
work then, which operator-hours are promised, and who answers whom in time.

Everything the model, the validator, the gap reasons and `oncall` ask about an hour is an
array lookup here, so they agree to the hour. Local times are taken with each IANA zone at
the hour itself, so a zone with daylight saving time keeps its local hours across the change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from planner.domain.production_calendar import WorkingCalendar, calendar_for
from planner.domain.records import Dataset, Operator, Specialist
from planner.rota.records import RotaParams, can_answer_for

INCIDENT_ROLE = "technical"
CONTRACT_HOURS = (9, 17)
"""8x5 promised hours: an hour starting 09:00 to 17:00 local time (09:00-18:00)."""


@lru_cache(maxsize=256)
def local_clock(zone: str, start: date, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """For each hour of the grid: the local hour (0-23) it starts at, and its local date as
    an ordinal, in `zone`. Read-only arrays, shared by everyone in the zone."""
    tz = ZoneInfo(zone)
    origin = RotaParams(start, max(1, -(-hours // 168))).origin
    local_hour = np.empty(hours, dtype=np.int8)
    local_day = np.empty(hours, dtype=np.int32)
    for h in range(hours):
        moment = (origin + timedelta(hours=h)).astimezone(tz)
        local_hour[h] = moment.hour
        local_day[h] = moment.date().toordinal()
    local_hour.setflags(write=False)
    local_day.setflags(write=False)
    return local_hour, local_day


def working_day_mask(calendar: WorkingCalendar, days: np.ndarray, region: str | None) -> np.ndarray:
    """Whether each local date (ordinals) is a working day on `calendar` for `region`."""
    verdict = {d: calendar.is_working(date.fromordinal(int(d)), region) for d in np.unique(days)}
    return np.fromiter((verdict[d] for d in days.tolist()), dtype=bool, count=len(days))


@dataclass(frozen=True)
class CoverClass:
    """Promised operator-hours that exactly the same specialists can answer in time: one
    coverage constraint for all of them (the model's structure)."""

    hour: int
    members: tuple[int, ...]
    """Indices into `RotaGrid.specialists` of those who answer in time if on duty."""
    operators: tuple[int, ...]
    """Indices into `RotaGrid.operators` promised in that hour with exactly these answerers."""

    @property
    def weight(self) -> int:
        return len(self.operators)


class RotaGrid:
    """The hour grid of a rota for one dataset and its parameters."""

    def __init__(self, dataset: Dataset, params: RotaParams) -> None:
        self.dataset = dataset
        self.params = params
        self.hours = params.hours
        self.calendar = calendar_for(params.calendar, dataset.calendar)
        self.specialists: tuple[Specialist, ...] = tuple(
            s for s in dataset.specialists if s.oncall and s.level(INCIDENT_ROLE) > 0
        )
        """Rule 1: only on-call specialists with the technical role are ever on duty."""
        self.index = {s.specialist_id: i for i, s in enumerate(self.specialists)}
        self.operators: tuple[Operator, ...] = dataset.operators
        self.operator_index = {o.operator_id: i for i, o in enumerate(self.operators)}

    # ------------------------------------------------------------ specialists

    @cached_property
    def available(self) -> np.ndarray:
        """[specialist, hour]: the local date is inside employment, outside absences (rule 1)."""
        absences: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for a in self.dataset.specialist_absences:
            absences[a.specialist_id].append((a.start.toordinal(), a.end.toordinal()))
        grid = np.zeros((len(self.specialists), self.hours), dtype=bool)
        for i, spec in enumerate(self.specialists):
            _, day = local_clock(spec.timezone, self.params.start, self.hours)
            ok = np.ones(self.hours, dtype=bool)
            if spec.joined_on is not None:
                ok &= day >= spec.joined_on.toordinal()
            if spec.left_on is not None:
                ok &= day <= spec.left_on.toordinal()
            for first, last in absences.get(spec.specialist_id, ()):
                ok &= (day < first) | (day > last)
            grid[i] = ok
        grid.setflags(write=False)
        return grid

    @cached_property
    def at_work(self) -> np.ndarray:
        """[specialist, hour]: the hour starts within working hours on a working day."""
        first, last = self.params.work_hours
        grid = np.zeros((len(self.specialists), self.hours), dtype=bool)
        for i, spec in enumerate(self.specialists):
            hour, day = local_clock(spec.timezone, self.params.start, self.hours)
            grid[i] = (hour >= first) & (hour <= last) & self._working(day, spec.region)
        grid.setflags(write=False)
        return grid

    @cached_property
    def answer_minutes(self) -> np.ndarray:
        """[specialist, hour]: minutes to answer when on duty (at work: the active time)."""
        standby = np.array([s.standby_response_minutes for s in self.specialists], dtype=np.int32)
        grid = np.where(self.at_work, self.params.active_response_minutes, standby[:, None])
        grid.setflags(write=False)
        return grid

    def week_of(self, hour: int) -> int:
        return hour // 168

    # ------------------------------------------------------------ operators

    @cached_property
    def promised(self) -> np.ndarray:
        """[operator, hour]: the hour is promised by the operator's SLA."""
        first, last = CONTRACT_HOURS
        grid = np.zeros((len(self.operators), self.hours), dtype=bool)
        for i, op in enumerate(self.operators):
            if op.sla == "24x7":
                grid[i] = True
                continue
            hour, day = local_clock(op.timezone, self.params.start, self.hours)
            grid[i] = (hour >= first) & (hour <= last) & self._working(day, op.region)
        grid.setflags(write=False)
        return grid

    @cached_property
    def qualified(self) -> np.ndarray:
        """[operator, specialist]: technical level and every incident skill (can answer for)."""
        grid = np.array(
            [[can_answer_for(spec, op) for spec in self.specialists] for op in self.operators],
            dtype=bool,
        ).reshape(len(self.operators), len(self.specialists))
        grid.setflags(write=False)
        return grid

    def in_time(self, operator: int) -> np.ndarray:
        """[specialist, hour]: would answer operator `operator` within its promise if on duty."""
        return self.answer_minutes <= self.operators[operator].response_minutes

    def answerers(self, operator: int) -> np.ndarray:
        """[specialist, hour]: qualified, available and in time for the operator."""
        return self.qualified[operator][:, None] & self.available & self.in_time(operator)

    @cached_property
    def classes(self) -> tuple[CoverClass, ...]:
        """Promised operator-hours grouped by hour and by the exact set of answerers.

        Operators with the same level, skills and response time have the same answerers in
        every hour, so hundreds of operators need a few dozen coverage constraints an hour.
        An hour nobody can answer in time is in no class: a gap without a variable.
        """
        kinds: dict[tuple, list[int]] = defaultdict(list)
        for i, op in enumerate(self.operators):
            kinds[(op.incident_level, frozenset(op.incident_skills), op.response_minutes)].append(i)
        found: list[CoverClass] = []
        for members_of_kind in kinds.values():
            who = self.answerers(members_of_kind[0])
            promised = self.promised[members_of_kind]
            for h in range(self.hours):
                ops = tuple(o for o, p in zip(members_of_kind, promised[:, h], strict=True) if p)
                members = tuple(np.flatnonzero(who[:, h]).tolist())
                if ops and members:
                    found.append(CoverClass(h, members, ops))
        merged: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
        for c in found:
            merged[(c.hour, c.members)].extend(c.operators)
        return tuple(
            CoverClass(h, members, tuple(sorted(ops)))
            for (h, members), ops in sorted(merged.items())
        )

    @property
    def promised_hours(self) -> int:
        return int(self.promised.sum())

    @property
    def coverable_hours(self) -> int:
        """Promised operator-hours somebody could answer in time: the trivial bound."""
        return sum(c.weight for c in self.classes)

    # ------------------------------------------------------------ helpers

    def _working(self, days: np.ndarray, region: str | None) -> np.ndarray:
        return working_day_mask(self.calendar, days, region)
