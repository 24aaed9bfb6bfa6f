"""Base against scenario: figures, gaps that appear and disappear, files, CLI and storage."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.whatif.changes import SpecialistLeaves, StaffLeaves
from planner.whatif.compare import compare_plans, write_comparison
from planner.whatif.scenario import Scenario, write_scenario
from tests.builders import MONDAY, dataset, day, operator, requirement, specialist, staff
from tests.cli.test_cli import run
from tests.data.test_dataset import write_files

WEEKS = 3


def two_clients():
    """OP1 (critical) and OP2 (normal) lose their technical person from week 2: 20 units each.

    SP1 (capacity 1.0) covers OP1; SP2 (capacity 0.5) covers half of OP2.
    """
    return dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[requirement("OP1", priority="critical"), requirement("OP2")],
        staff_members=[staff("S1", "OP1", left_on=day(6)), staff("S2", "OP2", left_on=day(6))],
        specialists=[
            specialist("SP1", max_clients=1),
            specialist("SP2", capacity_fte=0.5, max_clients=1),
        ],
    )


SP1_LEAVES = Scenario("SP1 leaves", "", (SpecialistLeaves("SP1", day(14)),))


def test_comparison_counts_what_changes():
    _, _, comparison = services.whatif(
        actor=LOCAL_ADMIN,
        dataset=two_clients(),
        scenario=SP1_LEAVES,
        start=MONDAY,
        weeks=WEEKS,
        workers=1,
        time_limit=10,
    )
    rows = comparison.by_priority.set_index("priority")
    # base: OP1 20/20 critical, OP2 10/20 normal. Without SP1 in week 3, SP2 moves to OP1.
    assert rows.loc["critical", ["base_covered", "scenario_covered", "delta_covered"]].tolist() == [
        20,
        15,
        -5,
    ]
    assert rows.loc["normal", ["base_covered", "scenario_covered"]].tolist() == [10, 5]
    appear = comparison.gaps_appear
    assert appear[["demand_id", "week", "units"]].values.tolist() == [
        ["gap:OP1:technical", "2027-01-18", 5],
        ["gap:OP2:technical", "2027-01-18", 5],
    ]
    assert appear["reason"].str.len().min() > 10
    assert comparison.gaps_disappear.empty
    by_operator = comparison.by_operator.set_index("operator_id")
    assert by_operator.loc["OP1", "scenario_cover_pct"] == 75.0
    assert comparison.figures["critical_uncovered"] == {"base": 0, "scenario": 5}
    assert "SP1 leaves on 2027-01-18" in comparison.headline()


def test_a_change_for_the_better_makes_gaps_disappear():
    base = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=two_clients(),
        start=MONDAY,
        weeks=WEEKS,
        workers=1,
        secondary=False,
    )
    better = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=SP1_LEAVES.apply(two_clients()),
        start=MONDAY,
        weeks=WEEKS,
        workers=1,
        secondary=False,
    )
    reverse = compare_plans(better, base)
    assert reverse.gaps_disappear["units"].sum() == 10
    assert reverse.gaps_appear.empty
    with pytest.raises(ValueError, match="same weeks"):
        compare_plans(
            base,
            services.plan_cover(
                actor=LOCAL_ADMIN,
                dataset=two_clients(),
                start=MONDAY,
                weeks=2,
                workers=1,
                secondary=False,
            ),
        )


def test_written_comparison_holds_both_plans_and_the_diffs(tmp_path):
    base, changed, comparison = services.whatif(
        actor=LOCAL_ADMIN,
        dataset=two_clients(),
        scenario=SP1_LEAVES,
        start=MONDAY,
        weeks=WEEKS,
        workers=1,
        time_limit=10,
        secondary=False,
    )
    out = write_comparison(comparison, base, changed, tmp_path / "wi")
    names = {p.name for p in out.iterdir()}
    assert {
        "plan.csv",
        "uncovered.csv",
        "summary.json",
        "base",
        "comparison.json",
        "by_priority.csv",
        "gaps_appear.csv",
        "gaps_disappear.csv",
    } <= names
    assert json.loads((out / "summary.json").read_text())["covered_units"]["critical"] == 15
    assert (
        json.loads((out / "base" / "summary.json").read_text())["covered_units"]["critical"] == 20
    )
    saved = json.loads((out / "comparison.json").read_text())
    assert saved["by_priority"][0]["delta_covered"] == -5
    assert len(pd.read_csv(out / "gaps_appear.csv")) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["wi"]  # no staging left behind


GOOD_FILES = {
    "operators.csv": "operator_id,name,timezone\nOP1,A,Europe/Moscow\n",
    "requirements.csv": "operator_id,role,min_fte,priority\nOP1,technical,1.0,critical\n",
    "staff.csv": "staff_id,operator_id,role,fte,left_on\nS1,OP1,technical,1.0,2027-01-10\n",
    "specialists.csv": "specialist_id,name,roles,timezone\nSP1,B,technical:2,Europe/Moscow\n",
}


def test_cli_whatif_writes_files_and_prints_a_summary(tmp_path):
    data = write_files(tmp_path / "ds", GOOD_FILES)
    scenario = write_scenario(SP1_LEAVES, tmp_path / "leaves.yaml")
    out = tmp_path / "out"
    result = run(
        "whatif",
        str(data),
        "--scenario",
        str(scenario),
        "--start",
        "2027-01-04",
        "--weeks",
        "3",
        "--out",
        str(out),
        "--time-limit",
        "10",
    )
    assert result.returncode == 0, result.stderr
    assert "critical covered    20 ->    10 units (-10)" in result.stdout
    assert (out / "base" / "plan.csv").is_file()
    # the scenario is re-planned against the base plan: what moves is what the leaver forces
    assert "base bookings kept 10 units, moved 10" in result.stdout
    comparison = json.loads((out / "comparison.json").read_text())
    assert (comparison["kept_units"], comparison["moved_units"]) == (10, 10)
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["baseline_units"], summary["kept_units"], summary["moved_units"]) == (
        20,
        10,
        10,
    )


def test_cli_whatif_with_an_unknown_id_exits_2_and_writes_nothing(tmp_path):
    data = write_files(tmp_path / "ds", GOOD_FILES)
    bad = Scenario("bad", "", (StaffLeaves("S1", day(3)), StaffLeaves("S7", day(7))))
    scenario = write_scenario(bad, tmp_path / "bad.toml")
    out = tmp_path / "out"
    result = run(
        "whatif",
        str(data),
        "--scenario",
        str(scenario),
        "--start",
        "2027-01-04",
        "--weeks",
        "3",
        "--out",
        str(out),
    )
    assert result.returncode == 2
    assert "bad.toml:2: column staff_id: 'S7' is not in staff.csv" in result.stderr
    assert not out.exists()


def test_scenarios_are_stored_by_name(engine):
    services.save_scenario(actor=LOCAL_ADMIN, scenario=SP1_LEAVES, engine=engine)
    other = Scenario("OP1 grows", "more", (StaffLeaves("S1", day(3)),))
    services.save_scenario(actor=LOCAL_ADMIN, scenario=other, engine=engine)
    assert services.scenario_names(actor=LOCAL_ADMIN, engine=engine) == ["OP1 grows", "SP1 leaves"]
    stored = services.stored_scenario(actor=LOCAL_ADMIN, name="SP1 leaves", engine=engine)
    assert stored == SP1_LEAVES
    changed = Scenario("SP1 leaves", "later", (SpecialistLeaves("SP1", day(21)),))
    services.save_scenario(actor=LOCAL_ADMIN, scenario=changed, engine=engine)
    assert services.stored_scenario(actor=LOCAL_ADMIN, name="SP1 leaves", engine=engine) == changed
    assert services.delete_scenario(actor=LOCAL_ADMIN, name="OP1 grows", engine=engine)
    assert not services.delete_scenario(actor=LOCAL_ADMIN, name="OP1 grows", engine=engine)
    assert services.scenario_names(actor=LOCAL_ADMIN, engine=engine) == ["SP1 leaves"]
    assert services.stored_scenario(actor=LOCAL_ADMIN, name="nope", engine=engine) is None
