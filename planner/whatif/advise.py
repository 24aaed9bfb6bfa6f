"""Hiring and training advice, each recommendation measured by planning with it applied.

Both searches work on one fixed set of sampled futures (the simulation's, same
seed), planned for cover only, so two candidates are always compared on the
same luck. Hires are chosen greedily: the uncovered demand suggests candidate
profiles (role, level, skills, time zone of the exposed clients), every
candidate is planned on every future, the one that recovers most cover (by the
planner's own lexicographic order: critical, then high, then normal) is kept,
and the search repeats until the target holds in the chosen percentile future
or nothing helps. Training moves (a specialist learns one skill, or one role
level) are found from the demand they would unblock and ranked by the cover
they recover when planned.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from planner.domain.calendar import UNITS_PER_FTE
from planner.domain.demand import demand_sources
from planner.domain.records import PRIORITIES, Dataset
from planner.rules.timezone_reach import within_tz_gap
from planner.whatif.changes import Change, SpecialistJoins
from planner.whatif.simulate import (
    Assumptions,
    Outcome,
    PlanSettings,
    percentile_meaning,
    run_futures,
    sample_futures,
)

DEFAULT_TARGET = {"critical": 1.0, "high": 0.95}


@dataclass(frozen=True)
class Training:
    """A specialist learns a skill, or reaches a level in a role (0 = newly learns it)."""

    kind = "training"
    specialist_id: str
    skill: str | None = None
    role: str | None = None
    level: int | None = None

    def apply(self, dataset: Dataset) -> Dataset:
        specialists = []
        for s in dataset.specialists:
            if s.specialist_id == self.specialist_id:
                if self.skill is not None and self.skill not in s.skills:
                    s = replace(s, skills=(*s.skills, self.skill))
                if self.role is not None and self.level is not None:
                    roles = dict(s.roles)
                    roles[self.role] = max(roles.get(self.role, 0), self.level)
                    s = replace(s, roles=tuple(roles.items()))
            specialists.append(s)
        return replace(dataset, specialists=tuple(specialists))

    def describe(self) -> str:
        if self.skill is not None:
            return f"{self.specialist_id} learns {self.skill}"
        return f"{self.specialist_id} to {self.role} level {self.level}"


@dataclass(frozen=True)
class Effect:
    """Cover summed over all futures, by priority, and the target's percentile reading."""

    covered: dict[str, int]
    demand: dict[str, int]
    percentile_cover: dict[str, float]  # cover fraction reached in the chosen percentile future

    def gain_over(self, other: Effect) -> dict[str, int]:
        return {p: self.covered[p] - other.covered[p] for p in PRIORITIES}


def _weight(gain: dict[str, int]) -> tuple[int, ...]:
    return tuple(gain[p] for p in PRIORITIES)


@dataclass(frozen=True)
class Recommendation:
    action: str  # "hire" or "train"
    change: Change | Training
    gain: dict[str, int]  # units recovered over all futures, by priority
    futures: int
    reason: str

    def as_row(self) -> dict:
        per_future = {
            f"{p}_units_per_future": round(self.gain[p] / self.futures, 1) for p in PRIORITIES
        }
        return {
            "action": self.action,
            "recommendation": self.change.describe(),
            **per_future,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Advice:
    target: dict[str, float]
    percentile: int
    futures: int
    start: Effect
    hires: tuple[Recommendation, ...]
    with_hires: Effect
    target_met: bool
    training: tuple[Recommendation, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def frame(self) -> pd.DataFrame:
        rows = [r.as_row() for r in (*self.hires, *self.training)]
        columns = [
            "action",
            "recommendation",
            *(f"{p}_units_per_future" for p in PRIORITIES),
            "reason",
        ]
        return pd.DataFrame(rows, columns=columns)

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "percentile": self.percentile,
            "futures": self.futures,
            "cover_before": self.start.percentile_cover,
            "cover_with_hires": self.with_hires.percentile_cover,
            "target_met": self.target_met,
            "hires": [r.as_row() for r in self.hires],
            "training": [r.as_row() for r in self.training],
            "notes": list(self.notes),
        }

    def headline(self) -> str:
        def reading(effect: Effect) -> str:
            return ", ".join(f"{p} {100 * effect.percentile_cover[p]:.1f}%" for p in PRIORITIES)

        lines = [
            f"cover in the bad future of {self.futures} "
            f"({percentile_meaning(100 - self.percentile)}): {reading(self.start)}",
            f"target {', '.join(f'{p} {100 * t:g}%' for p, t in self.target.items())}: "
            f"{'met' if self.target_met else 'NOT met'} with {len(self.hires)} "
            f"{'hire' if len(self.hires) == 1 else 'hires'} "
            f"-> {reading(self.with_hires)}",
        ]
        for number, r in enumerate(self.hires, start=1):
            lines.append(f"hire {number}: {r.change.describe()}\n    {r.reason}")
        if self.training:
            lines.append("training moves, most cover first:")
            lines += [f"  {r.change.describe()}: {r.reason}" for r in self.training]
        lines += list(self.notes)
        return "\n".join(lines)


# --------------------------------------------------------------------------- measuring


class Evaluator:
    """Plans the fixed futures with extra changes laid under each, and counts the cover."""

    def __init__(
        self,
        dataset: Dataset,
        settings: PlanSettings,
        futures: Sequence[Sequence[Change]],
        percentile: int,
        *,
        workers: int = 1,
        scheduler: str | None = None,
        progress: Callable[[str], None] | None = None,
        role: str | None = None,
    ):
        self.role = role
        self.dataset, self.settings, self.futures = dataset, settings, futures
        self.percentile, self.workers, self.scheduler = percentile, workers, scheduler
        self.progress = progress or (lambda message: None)
        self.plans = 0

    def outcomes(self, extra: Sequence[Change | Training]) -> list[Outcome]:
        dataset = self.dataset
        for change in extra:
            dataset = change.apply(dataset)
        self.plans += len(self.futures)
        return run_futures(
            dataset, self.settings, self.futures, workers=self.workers, scheduler=self.scheduler
        )

    def effect(self, outcomes: Sequence[Outcome]) -> Effect:
        """Cover of the advised role (all roles when None): totals and the percentile reading."""
        role = self.role
        covered = {p: sum(o.covered_units(p, role) for o in outcomes) for p in PRIORITIES}
        demand = {
            p: sum(
                o.demand[p] if role is None else o.role_demand.get(role, {}).get(p, 0)
                for o in outcomes
            )
            for p in PRIORITIES
        }
        # the P90 future is the one only 10% of futures are worse than: the 10th
        # percentile of cover
        reading = {
            p: float(
                np.percentile([o.cover_fraction(p, role) for o in outcomes], 100 - self.percentile)
            )
            for p in PRIORITIES
        }
        return Effect(covered, demand, reading)


def meets(effect: Effect, target: dict[str, float]) -> bool:
    return all(effect.percentile_cover[p] >= t - 1e-9 for p, t in target.items())


# --------------------------------------------------------------------------- hires


@dataclass(frozen=True)
class _Need:
    """Uncovered units that one profile of hire could take, pooled over all futures."""

    role: str
    timezone: str
    level: int
    skills: tuple[str, ...]
    units: dict[str, int]
    operators: dict[str, int]
    weeks: tuple[date, ...]


def _needs(dataset: Dataset, outcomes: Sequence[Outcome], *, role: str | None) -> list[_Need]:
    sources = demand_sources(dataset)
    pooled: dict[tuple[str, str], dict] = {}
    for outcome in outcomes:
        for u in outcome.uncovered:
            if role is not None and u.role != role:
                continue
            source = sources.get(u.demand_id)
            if source is None:
                continue
            tz = dataset.operator(u.operator_id).timezone
            need = pooled.setdefault(
                (u.role, tz),
                {
                    "level": 1,
                    "skills": defaultdict(int),
                    "units": defaultdict(int),
                    "operators": defaultdict(int),
                    "weeks": set(),
                },
            )
            need["level"] = max(need["level"], source.min_level)
            for skill in source.skills:
                need["skills"][skill] += u.units
            need["units"][u.priority] += u.units
            need["operators"][u.operator_id] += u.units
            need["weeks"].add(u.week)
    needs = []
    for (need_role, tz), need in pooled.items():
        needs.append(
            _Need(
                need_role,
                tz,
                need["level"],
                tuple(sorted(need["skills"])),
                {p: need["units"].get(p, 0) for p in PRIORITIES},
                dict(need["operators"]),
                tuple(sorted(need["weeks"])),
            )
        )
    needs.sort(key=lambda n: (_weight(n.units), n.role, n.timezone), reverse=True)
    return needs


def _median_cost(dataset: Dataset, role: str) -> float:
    costs = [s.cost_per_hour for s in dataset.specialists if s.level(role)]
    return float(statistics.median(costs)) if costs else 0.0


def _months(weeks: Sequence[date]) -> str:
    if not weeks:
        return ""
    first, last = min(weeks), max(weeks)
    if (first.year, first.month) == (last.year, last.month):
        return first.strftime("%B %Y")
    return f"{first.strftime('%B')}–{last.strftime('%B %Y')}"


def _fte_weeks(units: float, sign: str = "") -> str:
    """Units as FTE-weeks, the unit every screen speaks: `3`, `0.25`, `+1.2` (no float noise)."""
    text = f"{units / UNITS_PER_FTE:{sign}.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "+0", "-0") else text


def _gain_text(gain: dict[str, int], futures: int) -> str:
    parts = [f"{p} {_fte_weeks(gain[p] / futures, '+')}" for p in PRIORITIES if gain[p]]
    return ", ".join(parts) or "none"


def _hire_reason(need: _Need, gain: dict[str, int], futures: int) -> str:
    pooled = sum(need.units.values())
    top = sorted(need.operators.items(), key=lambda kv: -kv[1])[:3]
    where = ", ".join(op for op, _ in top)
    return (
        f"aimed at {_fte_weeks(pooled / futures)} uncovered {need.role} FTE-weeks a future at "
        f"clients in {need.timezone} ({where}) in {_months(need.weeks)}; measured: "
        f"{_gain_text(gain, futures)} covered FTE-weeks a future (it also frees others "
        f"for nearby clients)"
    )


def advise_hires(
    evaluator: Evaluator,
    *,
    target: dict[str, float],
    role: str | None,
    max_hires: int,
    candidates: int,
    hire_from: date | None,
) -> tuple[list[Recommendation], Effect, Effect, list[Outcome]]:
    chosen: list[SpecialistJoins] = []
    recommendations: list[Recommendation] = []
    base_outcomes = evaluator.outcomes([])
    start = current = evaluator.effect(base_outcomes)
    outcomes = base_outcomes
    futures = len(evaluator.futures)
    while not meets(current, target) and len(chosen) < max_hires:
        dataset = evaluator.dataset
        for change in chosen:
            dataset = change.apply(dataset)
        needs = _needs(dataset, outcomes, role=role)[:candidates]
        best = None
        for need in needs:
            hire = SpecialistJoins(
                f"HIRE{len(chosen) + 1}",
                ((need.role, need.level),),
                need.timezone,
                name=f"new {need.role} specialist",
                skills=need.skills,
                cost_per_hour=_median_cost(evaluator.dataset, need.role),
                on=hire_from,
            )
            evaluator.progress(f"hire {len(chosen) + 1}: trying {hire.describe()}")
            trial = evaluator.outcomes([*chosen, hire])
            effect = evaluator.effect(trial)
            gain = effect.gain_over(current)
            if best is None or _weight(gain) > _weight(best[2]):
                best = (hire, need, gain, effect, trial)
        if best is None or _weight(best[2]) <= (0, 0, 0):
            break
        hire, need, gain, effect, trial = best
        chosen.append(hire)
        recommendations.append(
            Recommendation("hire", hire, gain, futures, _hire_reason(need, gain, futures))
        )
        current, outcomes = effect, trial
    if meets(current, target) and len(chosen) > 1:
        # greedy order can leave an early hire redundant: drop any the target holds without
        for hire in list(chosen):
            rest = [h for h in chosen if h is not hire]
            evaluator.progress(f"checking the set without {hire.specialist_id}")
            if meets(evaluator.effect(evaluator.outcomes(rest)), target):
                chosen = rest
                recommendations = [r for r in recommendations if r.change is not hire]
    if chosen:  # verified once more, from scratch, with the whole set applied
        current = evaluator.effect(evaluator.outcomes(chosen))
    return recommendations, start, current, base_outcomes


# --------------------------------------------------------------------------- training


def _training_moves(
    dataset: Dataset, settings: PlanSettings, outcomes: Sequence[Outcome], *, role: str | None
) -> list[tuple[Training, dict[str, int]]]:
    """Single-step moves that would make a specialist eligible for uncovered demand."""
    sources = demand_sources(dataset)
    horizon = settings.horizon
    potential: dict[Training, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PRIORITIES, 0))
    for outcome in outcomes:
        for u in outcome.uncovered:
            if role is not None and u.role != role:
                continue
            source = sources.get(u.demand_id)
            if source is None or horizon.week_index(u.week) is None:
                continue
            tz = dataset.operator(u.operator_id).timezone
            for s in dataset.specialists:
                if not within_tz_gap(s.timezone, tz, u.week, settings.max_tz_gap):
                    continue
                if (s.joined_on and s.joined_on > u.week) or (s.left_on and s.left_on < u.week):
                    continue
                missing = [k for k in source.skills if k not in s.skills]
                level_ok = s.level(u.role) >= source.min_level
                if level_ok and len(missing) == 1:
                    move = Training(s.specialist_id, skill=missing[0])
                elif not level_ok and not missing and s.level(u.role):
                    move = Training(s.specialist_id, role=u.role, level=source.min_level)
                else:
                    continue
                potential[move][u.priority] += u.units
    ranked = sorted(
        potential.items(), key=lambda kv: (_weight(kv[1]), kv[0].describe()), reverse=True
    )
    return ranked


def advise_training(
    evaluator: Evaluator,
    base_outcomes: Sequence[Outcome],
    base: Effect,
    *,
    role: str | None,
    candidates: int,
    keep: int,
) -> list[Recommendation]:
    moves = _training_moves(evaluator.dataset, evaluator.settings, base_outcomes, role=role)
    futures = len(evaluator.futures)
    measured = []
    for move, potential in moves[:candidates]:
        evaluator.progress(f"training: trying {move.describe()}")
        effect = evaluator.effect(evaluator.outcomes([move]))
        gain = effect.gain_over(base)
        if _weight(gain) <= (0, 0, 0):
            continue
        blocked = sum(potential.values()) / futures
        reason = (
            f"unblocks {_fte_weeks(blocked)} uncovered FTE-weeks a future; measured: "
            f"{_gain_text(gain, futures)} covered FTE-weeks a future"
        )
        measured.append(Recommendation("train", move, gain, futures, reason))
    measured.sort(key=lambda r: (_weight(r.gain), r.change.describe()), reverse=True)
    return measured[:keep]


# --------------------------------------------------------------------------- together


def advise(
    dataset: Dataset,
    settings: PlanSettings,
    *,
    futures: int = 12,
    seed: int = 1,
    assumptions: Assumptions | None = None,
    target: dict[str, float] | None = None,
    percentile: int = 90,
    role: str | None = None,
    max_hires: int = 5,
    candidates: int = 4,
    training_candidates: int = 6,
    training_keep: int = 5,
    hire_from: date | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Advice:
    """The smallest greedy set of hires reaching `target`, and the best training moves."""
    target = dict(DEFAULT_TARGET if target is None else target)
    horizon = settings.horizon
    sampled = sample_futures(
        dataset, horizon, assumptions or Assumptions(), seed=seed, runs=futures
    )
    evaluator = Evaluator(
        dataset,
        settings,
        sampled,
        percentile,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        role=role,
    )
    hires, start, with_hires, base_outcomes = advise_hires(
        evaluator,
        target=target,
        role=role,
        max_hires=max_hires,
        candidates=candidates,
        hire_from=hire_from,
    )
    training = advise_training(
        evaluator,
        base_outcomes,
        start,
        role=role,
        candidates=training_candidates,
        keep=training_keep,
    )
    met = meets(with_hires, target)
    notes = []
    if not met:
        notes.append(
            f"the target is not reached within {max_hires} hires of the profiles "
            "the uncovered demand suggests; the rest is blocked by other causes "
            "(time zones, client limits) or needs more hires"
        )
    notes.append(f"{evaluator.plans} plans of {futures} futures")
    return Advice(
        target,
        percentile,
        futures,
        start,
        tuple(hires),
        with_hires,
        met,
        tuple(training),
        tuple(notes),
    )


def parse_target(text: str) -> dict[str, float]:
    """`critical=1.0,high=0.95` -> fractions by priority; `ValueError` says what is wrong."""
    target: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        priority, sep, value = (s.strip() for s in part.partition("="))
        if not sep or priority not in PRIORITIES:
            raise ValueError(
                f"{part!r}: write priority=fraction with a priority of {', '.join(PRIORITIES)}"
            )
        try:
            fraction = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
        except ValueError:
            raise ValueError(f"{part!r}: {value!r} is not a number") from None
        if not 0 <= fraction <= 1:
            raise ValueError(f"{part!r}: a target is a fraction between 0 and 1")
        target[priority] = fraction
    return target
