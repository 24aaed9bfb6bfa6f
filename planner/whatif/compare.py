"""Base plan against scenario plan: what a change to the data does to the cover.

Both plans must share a horizon. The comparison is made of plain figures and
pandas frames so the CLI, the app and `comparison.json` show the same numbers:
cover by priority, role and operator, the gaps that appear or disappear (with
the planner's reason for each), handovers and cost.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.data.exports import people_csv
from planner.data.folders import write_folder
from planner.data.plan_files import fill_plan
from planner.domain.records import PRIORITIES, ROLES
from planner.planning.plan import Plan
from planner.planning.stability import kept_by_operator

GAP_COLUMNS = ["demand_id", "operator_id", "role", "week", "priority", "units", "reason"]


@dataclass(frozen=True)
class Comparison:
    """What changed from the base plan to the scenario's, in figures and frames."""

    scenario: str
    changes: tuple[str, ...]
    by_priority: pd.DataFrame
    by_role: pd.DataFrame
    by_operator: pd.DataFrame
    gaps_appear: pd.DataFrame
    gaps_disappear: pd.DataFrame
    figures: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario,
            "changes": list(self.changes),
            **self.figures,
            "by_priority": self.by_priority.to_dict("records"),
            "by_role": self.by_role.to_dict("records"),
            "by_operator": self.by_operator.to_dict("records"),
            "gaps_appear": self.gaps_appear.to_dict("records"),
            "gaps_disappear": self.gaps_disappear.to_dict("records"),
        }

    def headline(self) -> str:
        """A few lines a person reads first: the cover that changes, and why."""
        lines = [f"scenario: {self.scenario}"]
        lines += [f"  - {c}" for c in self.changes]
        for row in self.by_priority.itertuples():
            lines.append(
                f"{row.priority:<8} covered {row.base_covered:>5} -> {row.scenario_covered:>5} "
                f"units ({row.delta_covered:+d}); demand {row.base_demand} -> "
                f"{row.scenario_demand}; uncovered {row.base_uncovered} -> "
                f"{row.scenario_uncovered}"
            )
        f = self.figures
        lines.append(
            f"handovers {f['handovers']['base']} -> {f['handovers']['scenario']}; "
            f"cost {f['cost']['base']:.2f} -> {f['cost']['scenario']:.2f}; "
            f"base bookings kept {f['kept_units']} units, moved {f['moved_units']}"
        )
        appear = self.gaps_appear
        lines.append(
            f"gaps that appear: {len(appear)} rows, {int(appear['units'].sum())} units; "
            f"that disappear: {len(self.gaps_disappear)} rows, "
            f"{int(self.gaps_disappear['units'].sum())} units"
        )
        if len(appear):
            worst = (
                appear.groupby(["operator_id", "role", "priority"], as_index=False)
                .agg(units=("units", "sum"), weeks=("week", "nunique"), reason=("reason", "first"))
                .assign(rank=lambda d: d["priority"].map(PRIORITIES.index))
                .sort_values(["rank", "units"], ascending=[True, False])
                .head(5)
            )
            lines.append("most exposed:")
            lines += [
                f"  {r.operator_id} {r.role} ({r.priority}): {r.units} units in "
                f"{r.weeks} weeks, e.g. {r.reason}"
                for r in worst.itertuples()
            ]
        return "\n".join(lines)


def _units(plan: Plan, key) -> tuple[dict, dict]:
    covered: dict = defaultdict(int)
    uncovered: dict = defaultdict(int)
    for a in plan.assignments:
        covered[key(a)] += a.units
    for u in plan.uncovered:
        uncovered[key(u)] += u.units
    return covered, uncovered


def _cover_frame(base: Plan, scenario: Plan, name: str, key, keys) -> pd.DataFrame:
    base_cov, base_unc = _units(base, key)
    scen_cov, scen_unc = _units(scenario, key)
    rows = []
    for k in keys(set(base_cov) | set(base_unc) | set(scen_cov) | set(scen_unc)):
        b_dem, s_dem = base_cov[k] + base_unc[k], scen_cov[k] + scen_unc[k]
        rows.append(
            {
                name: k,
                "base_demand": b_dem,
                "base_covered": base_cov[k],
                "base_uncovered": base_unc[k],
                "scenario_demand": s_dem,
                "scenario_covered": scen_cov[k],
                "scenario_uncovered": scen_unc[k],
                "delta_covered": scen_cov[k] - base_cov[k],
                "delta_uncovered": scen_unc[k] - base_unc[k],
                "base_cover_pct": _pct(base_cov[k], b_dem),
                "scenario_cover_pct": _pct(scen_cov[k], s_dem),
            }
        )
    columns = [
        name,
        "base_demand",
        "base_covered",
        "base_uncovered",
        "scenario_demand",
        "scenario_covered",
        "scenario_uncovered",
        "delta_covered",
        "delta_uncovered",
        "base_cover_pct",
        "scenario_cover_pct",
    ]
    return pd.DataFrame(rows, columns=columns)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def _gap_changes(worse: Plan, better: Plan) -> pd.DataFrame:
    """Uncovered units in `worse` beyond those in `better`, per demand and week, with reasons."""
    before = {(u.demand_id, u.week): u.units for u in better.uncovered}
    rows = []
    for u in worse.uncovered:
        extra = u.units - before.get((u.demand_id, u.week), 0)
        if extra > 0:
            rows.append(
                [
                    u.demand_id,
                    u.operator_id,
                    u.role,
                    u.week.isoformat(),
                    u.priority,
                    extra,
                    u.reason,
                ]
            )
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS)
    rank = frame["priority"].map(PRIORITIES.index)
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "week", "operator_id", "role"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def compare_plans(
    base: Plan, scenario: Plan, *, name: str = "scenario", changes: tuple[str, ...] = ()
) -> Comparison:
    if (base.start, base.weeks) != (scenario.start, scenario.weeks):
        raise ValueError("the base and scenario plans must cover the same weeks")

    # assignments carry no priority, so cover by priority comes from the summaries
    by_priority = pd.DataFrame(
        [
            {
                "priority": p,
                "base_demand": base.summary["demand_units"][p],
                "base_covered": base.summary["covered_units"][p],
                "base_uncovered": base.summary["demand_units"][p]
                - base.summary["covered_units"][p],
                "scenario_demand": scenario.summary["demand_units"][p],
                "scenario_covered": scenario.summary["covered_units"][p],
                "scenario_uncovered": (
                    scenario.summary["demand_units"][p] - scenario.summary["covered_units"][p]
                ),
            }
            for p in PRIORITIES
        ]
    )
    by_priority["delta_covered"] = by_priority["scenario_covered"] - by_priority["base_covered"]
    by_priority["delta_uncovered"] = (
        by_priority["scenario_uncovered"] - by_priority["base_uncovered"]
    )
    by_priority["base_cover_pct"] = [
        _pct(c, d) for c, d in zip(by_priority.base_covered, by_priority.base_demand, strict=True)
    ]
    by_priority["scenario_cover_pct"] = [
        _pct(c, d)
        for c, d in zip(by_priority.scenario_covered, by_priority.scenario_demand, strict=True)
    ]
    by_role = _cover_frame(
        base, scenario, "role", lambda r: r.role, lambda ks: [r for r in ROLES if r in ks]
    )
    by_operator = _cover_frame(base, scenario, "operator_id", lambda r: r.operator_id, sorted)
    by_operator = by_operator[
        (by_operator.delta_covered != 0)
        | (by_operator.delta_uncovered != 0)
        | (by_operator.base_demand != by_operator.scenario_demand)
    ].reset_index(drop=True)
    kept = kept_by_operator(base.assignments, scenario.assignments, scenario.horizon.mondays)
    figures = {
        "start": base.start.isoformat(),
        "weeks": base.weeks,
        "status": {"base": base.status, "scenario": scenario.status},
        "handovers": {
            "base": base.summary.get("handovers", 0),
            "scenario": scenario.summary.get("handovers", 0),
        },
        "cost": {
            "base": base.summary.get("cost", 0.0),
            "scenario": scenario.summary.get("cost", 0.0),
        },
        "critical_uncovered": {
            "base": _uncovered(base, "critical"),
            "scenario": _uncovered(scenario, "critical"),
        },
        # the base plan's bookings the scenario keeps and those it moves (objective 2)
        "kept_units": sum(k.kept_units for k in kept),
        "moved_units": sum(k.moved_units for k in kept),
    }
    return Comparison(
        name,
        tuple(changes),
        by_priority,
        by_role,
        by_operator,
        _gap_changes(scenario, base),
        _gap_changes(base, scenario),
        figures,
    )


def _uncovered(plan: Plan, priority: str) -> int:
    return sum(u.units for u in plan.uncovered if u.priority == priority)


def write_comparison(
    comparison: Comparison,
    base: Plan,
    scenario: Plan,
    out: Path | str,
    extra: Mapping[str, bytes] | None = None,
) -> Path:
    """The scenario's plan files in `out`, the base plan's in `out/base`, the diffs, and
    any `extra` files (name to bytes), all or nothing (`write_folder`).

    The plan files are the contract's, as `planner plan --out` writes them; the diffs
    are read by people, so they are CSVs for Excel (UTF-8 with a BOM, `people_csv`).
    """

    def fill(folder: Path) -> None:
        fill_plan(scenario, folder)
        (folder / "base").mkdir()
        fill_plan(base, folder / "base")
        (folder / "comparison.json").write_text(
            json.dumps(comparison.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for name in ("by_priority", "by_role", "by_operator", "gaps_appear", "gaps_disappear"):
            (folder / f"{name}.csv").write_bytes(people_csv(getattr(comparison, name)))
        for name, data in (extra or {}).items():
            (folder / name).write_bytes(data)

    return write_folder(out, fill, owns=OWNED_FILES)


OWNED_FILES = (
    "plan.csv",
    "uncovered.csv",
    "summary.json",
    "base",
    "comparison.json",
    "by_priority.csv",
    "by_role.csv",
    "by_operator.csv",
    "gaps_appear.csv",
    "gaps_disappear.csv",
    "rota_loss.json",
)
"""What a scenario folder holds: a later run replaces all of it, so a rota loss of an
earlier run with `--rota` does not stay next to a comparison made without."""
