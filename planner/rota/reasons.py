"""A concrete reason for every uncovered promised hour: nobody qualified at all, the
qualified away, nobody answering fast enough at that hour, or the qualified held back by the
shift, rest and weekly rules. A gap (a run of uncovered hours) reads as one sentence per
stretch with the same cause."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import numpy as np

from planner.rota import rules
from planner.rota.grid import INCIDENT_ROLE, RotaGrid
from planner.rota.records import can_answer_for

Cause = tuple
"""What keeps one operator-hour uncovered, without the hour itself: equal causes of
neighbouring hours make one stretch of a gap."""

_MAX_STRETCHES = 3


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def _needs(level: int, skills: tuple[str, ...]) -> str:
    text = f"technical level {level}"
    if skills:
        text += f" with skill{'s' if len(skills) > 1 else ''} {', '.join(skills)}"
    return text


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


class GapExplainer:
    """Reasons for the uncovered hours of one solved rota."""

    def __init__(self, grid: RotaGrid, on: np.ndarray, proven: bool):
        self.grid, self.on, self.proven = grid, on, proven
        self.shifts = [rules.runs(row) for row in on]
        self.weekly = [rules.weekly_hours(row) for row in on] if on.size else []
        self._absence_kind: dict[tuple[str, int], str] = {}
        for a in grid.dataset.specialist_absences:
            for d in range(a.start.toordinal(), a.end.toordinal() + 1):
                self._absence_kind.setdefault((a.specialist_id, d), a.kind)

    # ------------------------------------------------------------ one hour

    def cause(self, o: int, h: int) -> Cause:
        g = self.grid
        op = g.operators[o]
        qualified = np.flatnonzero(g.qualified[o]).tolist()
        if not qualified:
            return ("nobody",)
        present = [s for s in qualified if g.available[s, h]]
        if not present:
            return ("away", tuple(sorted((self._id(s), self._away(s, h)) for s in qualified)))
        fast = [s for s in present if g.answer_minutes[s, h] <= op.response_minutes]
        if not fast:
            return ("slow", min(int(g.answer_minutes[s, h]) for s in present))
        held = tuple(sorted((self._id(s), *self._held(s, h)) for s in fast))
        return ("held", held)

    def _id(self, s: int) -> str:
        return self.grid.specialists[s].specialist_id

    def _away(self, s: int, h: int) -> str:
        spec = self.grid.specialists[s]
        _, day = self._local(spec.timezone, h)
        if spec.joined_on is not None and day < spec.joined_on:
            return "not yet joined"
        if spec.left_on is not None and day > spec.left_on:
            return "left"
        kind = self._absence_kind.get((spec.specialist_id, day.toordinal()), "other")
        return {"other": "away", "leave": "on leave", "sick": "off sick"}.get(kind, f"on {kind}")

    def _held(self, s: int, h: int) -> tuple[str, int]:
        """Why a qualified, fast specialist is not on duty in `h`."""
        p = self.grid.params
        week = h // 168
        if self.weekly[s][week] >= self.grid.specialists[s].max_duty_hours:
            return ("limit", week)
        for first, end in self.shifts[s]:
            if end <= h < end + p.min_rest_hours or first - p.min_rest_hours <= h < first:
                return ("rest", week)
        return ("rules", week)

    def _local(self, zone: str, h: int) -> tuple[int, date]:
        moment = self.grid.params.moment(h).astimezone(ZoneInfo(zone))
        return moment.hour, moment.date()

    # ------------------------------------------------------------ a gap

    def reason(self, o: int, first: int, end: int) -> str:
        """One sentence per stretch of the gap `[first, end)` with one cause."""
        stretches: list[tuple[int, int, Cause]] = []
        for h in range(first, end):
            cause = self.cause(o, h)
            if stretches and stretches[-1][2] == cause:
                stretches[-1] = (stretches[-1][0], h + 1, cause)
            else:
                stretches.append((h, h + 1, cause))
        texts = [self._text(o, a, b, cause) for a, b, cause in stretches[:_MAX_STRETCHES]]
        if len(stretches) == 1:
            return texts[0]
        zone = self.grid.operators[o].timezone
        parts = [
            f"{self._clock(zone, a)}: {t}" for (a, _, _), t in zip(stretches, texts, strict=False)
        ]
        more = len(stretches) - _MAX_STRETCHES
        if more > 0:
            parts.append(f"and {more} more stretch{'es' if more > 1 else ''} with other causes")
        return "; ".join(parts)

    def _clock(self, zone: str, h: int) -> str:
        hour, day = self._local(zone, h)
        return f"from {day.isoformat()} {hour:02d}:00"

    def _text(self, o: int, first: int, end: int, cause: Cause) -> str:
        g = self.grid
        op = g.operators[o]
        kind = cause[0]
        if kind == "nobody":
            text = f"no on-call specialist has {_needs(op.incident_level, op.incident_skills)}"
            idle = [
                s.specialist_id
                for s in g.dataset.specialists
                if not s.oncall and can_answer_for(s, op)
            ]
            if idle:
                text += (
                    f" ({_names(idle)} {'has' if len(idle) == 1 else 'have'} it but not on call)"
                )
            return text
        if kind == "away":
            away = list(cause[1])
            if len(away) == 1:
                sid, why = away[0]
                return f"{sid}, the only one qualified, {why}"
            return "every qualified specialist away: " + ", ".join(f"{s} {w}" for s, w in away)
        if kind == "slow":
            hour, _ = self._local(op.timezone, first)
            text = (
                f"nobody qualified answers within {op.response_minutes} min at {hour:02d}:00 "
                f"{op.timezone} (standby answers take {cause[1]}"
            )
            aside = self._at_work_unqualified(o, first)
            return text + (f"; {aside})" if aside else ")")
        if kind == "held":
            return self._held_text(cause[1])
        return "not decided within the time limit"

    def _at_work_unqualified(self, o: int, h: int) -> str | None:
        """Someone at work then who would answer in time but lacks the level or a skill."""
        g = self.grid
        op = g.operators[o]
        best = None
        for s, spec in enumerate(g.specialists):
            if g.qualified[o, s] or not (g.available[s, h] and g.at_work[s, h]):
                continue
            if best is None or spec.level(INCIDENT_ROLE) > best.level(INCIDENT_ROLE):
                best = spec
        if best is None:
            return None
        level = best.level(INCIDENT_ROLE)
        if level < op.incident_level:
            return f"{best.specialist_id} is at work then but has level {level}"
        missing = [k for k in op.incident_skills if k not in best.skills]
        return f"{best.specialist_id} is at work then but lacks {', '.join(missing)}"

    def _limit_text(self, people: list[tuple[str, int]]) -> str:
        """`qualified SP009 at its 16 h, SP001, SP010 at their 40 h weekly limit in 2027-W05`."""
        by_limit: dict[int, list[str]] = {}
        for sid, _ in people:
            by_limit.setdefault(self.grid.dataset.specialist(sid).max_duty_hours, []).append(sid)
        groups = [
            f"{_names(ids)} at {'its' if len(ids) == 1 else 'their'} {hours} h"
            for hours, ids in sorted(by_limit.items())
        ]
        monday = self.grid.params.monday(people[0][1])
        return f"qualified {', '.join(groups)} weekly limit in {_week_label(monday)}"

    def _held_text(self, held: tuple) -> str:
        by_kind: dict[str, list[tuple[str, int]]] = {}
        for sid, kind, week in held:
            by_kind.setdefault(kind, []).append((sid, week))
        parts = []
        for kind in ("limit", "rest", "rules"):
            people = by_kind.get(kind)
            if not people:
                continue
            ids = [sid for sid, _ in people]
            if kind == "limit":
                parts.append(self._limit_text(people))
            elif kind == "rest":
                p = self.grid.params
                parts.append(
                    f"qualified {_names(ids)} resting between shifts ({p.min_rest_hours} h rest)"
                )
            else:
                p = self.grid.params
                text = (
                    f"qualified {_names(ids)} cannot take it within the shift rules "
                    f"({p.min_shift_hours}-{p.max_shift_hours} h shifts, {p.min_rest_hours} h rest)"
                )
                if not self.proven:
                    text += " or the search ran out of time"
                parts.append(text)
        return "; ".join(parts)
