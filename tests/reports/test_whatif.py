"""What-if figures and tables as people read them: human headers, FTE-weeks, every week shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import pytest

from planner.reports import whatif as report
from planner.whatif.advise import advise
from planner.whatif.compare import GAP_COLUMNS, Comparison
from planner.whatif.simulate import Assumptions, simulate
from tests.builders import MONDAY, dataset, operator, specialist
from tests.whatif.test_simulate import RISKY, SETTINGS, clients, understaffed

RAW_NAME = re.compile(r"^[a-z]+(_[a-z]+)+$")  # `demand_id`, `share_of_runs`, ...


def _gaps(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _comparison(weeks: int = 6) -> Comparison:
    week = [(MONDAY + timedelta(weeks=k)).isoformat() for k in range(weeks)]
    appear = _gaps(
        [
            ("OP1:technical", "OP1", "technical", week[1], "critical", 5, "nobody free"),
            ("OP2:finance", "OP2", "finance", week[4], "normal", 3, "too far"),
        ]
    )
    cover = pd.DataFrame(
        [
            {
                "operator_id": "OP1",
                "base_demand": 20,
                "base_covered": 20,
                "base_uncovered": 0,
                "scenario_demand": 20,
                "scenario_covered": 15,
                "scenario_uncovered": 5,
                "delta_covered": -5,
                "delta_uncovered": 5,
                "base_cover_pct": 100.0,
                "scenario_cover_pct": 75.0,
            }
        ]
    )
    figures = {"start": MONDAY.isoformat(), "weeks": weeks, "cost": {}, "handovers": {}}
    return Comparison("test", (), cover, cover, cover, appear, _gaps([]), figures)


def test_gaps_heatmap_has_a_column_for_every_week_of_the_horizon():
    figure = report.gaps_heatmap(_comparison(weeks=6))
    heatmap = figure.data[0]
    assert len(heatmap.x) == 6  # gaps in weeks 2 and 5 only; the other four stay empty
    assert heatmap.x[0].startswith("2027-W")
    filled = [[z == z for z in row] for row in heatmap.z]  # NaN != NaN: an empty cell
    assert filled == [
        [False, True, False, False, False, False],
        [False, False, False, False, True, False],
    ]
    assert heatmap.z[0][1] == pytest.approx(0.5)  # 5 units as FTE-weeks


def _assert_human(frame: pd.DataFrame) -> None:
    raw = [c for c in frame.columns if RAW_NAME.match(str(c))]
    assert not raw, f"raw field names as headers: {raw}"


def test_comparison_tables_have_human_headers_and_fte_weeks():
    comparison = _comparison()
    gaps = report.gaps_table(comparison.gaps_appear)
    _assert_human(gaps)
    assert list(gaps.columns) == [
        "Week",
        "Client",
        "Role",
        "Priority",
        "Demand",
        "FTE-weeks",
        "Why",
    ]
    assert gaps["FTE-weeks"].tolist() == [0.5, 0.3]
    named = report.gaps_table(
        _gaps([("OP1:technical", "OP1", "technical", MONDAY.isoformat(), "high", 2, "SP1 away")]),
        dataset(operators=[operator("OP1", name="Связь")], specialists=[specialist("SP1")]),
    )
    assert named.loc[0, "Client"] == "OP1 — Связь"
    assert named.loc[0, "Demand"] == "OP1 technical"
    assert named.loc[0, "Why"] == "Специалист SP1 (SP1) away"
    clients_table = report.clients_table(comparison)
    _assert_human(clients_table)
    assert clients_table.loc[0, "Change in cover (FTE-weeks)"] == -0.5
    assert clients_table.loc[0, "Scenario cover"] == 0.75


def test_simulation_tables_say_futures_and_shares():
    simulation = simulate(clients(), SETTINGS, runs=4, seed=5, assumptions=RISKY)
    exposed = report.exposed_table(simulation)
    _assert_human(exposed)
    assert list(exposed.columns)[:3] == ["Client", "Futures exposed", "Share of futures"]
    assert exposed["Share of futures"].between(0, 100).all()
    percentiles = report.percentile_table(simulation)
    _assert_human(percentiles)
    assert list(percentiles.columns) == [
        "Priority",
        "Base plan",
        "Bad future (P10)",
        "Middle future (P50)",
        "Good future (P90)",
    ]
    assert (percentiles["Bad future (P10)"] <= percentiles["Good future (P90)"]).all()
    assert "bad future (P10)" in simulation.headline()
    assert len(simulation.exposed)  # OP2 is short in some futures
    assert "mean 2.6 FTE-weeks" in simulation.headline()
    assert " units" not in simulation.headline()


def test_advice_reads_its_percentile_as_the_simulations_bad_future():
    risky = Assumptions(
        attrition={"technical": 0.9}, refill_weeks=(3, 6), sick_episodes=1.0, vendor_attrition=0.0
    )
    answer = advise(
        understaffed(),
        SETTINGS,
        futures=4,
        seed=4,
        assumptions=risky,
        target={"critical": 1.0},
        percentile=90,
    )
    table = report.advice_table(answer)
    _assert_human(table)
    assert list(table.columns) == [
        "Action",
        "Recommendation",
        "Critical gain",
        "High gain",
        "Normal gain",
        "Why",
    ]
    meaning = "P10 of cover: reached in 90% of futures"
    assert meaning in report.advice_headline(answer)
    assert meaning in answer.headline()
    assert "bad future" in report.advice_bars(answer).layout.title.text
