"""Re-planning from the command line: `--baseline`, what it keeps and moves, and the same
command giving the same files."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from tests.cli.test_cli import DEMO, run
from tests.data.test_dataset import GOOD, write_files

DEMO_PLAN = ("--start", "2027-01-11", "--weeks", "6", "--time-limit", "10")


def summary_without_timings(folder: Path) -> dict:
    summary = json.loads((folder / "summary.json").read_text())
    summary.pop("solve_seconds")
    for stage in summary["stages"]:
        stage.pop("seconds")
    return summary


def booked(folder: Path) -> Counter:
    units: Counter = Counter()
    for row in pd.read_csv(folder / "plan.csv", dtype=str).itertuples():
        units[(row.operator_id, row.demand_id, row.specialist_id, row.week)] += int(row.units)
    return units


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("replan") / "first"
    result = run("plan", str(DEMO), *DEMO_PLAN, "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    return out


def test_the_same_command_on_the_same_data_gives_the_same_files(demo_plan, tmp_path):
    again = tmp_path / "again"
    result = run("plan", str(DEMO), *DEMO_PLAN, "--out", str(again), "-q")
    assert result.returncode == 0, result.stderr
    summary = summary_without_timings(demo_plan)
    assert all(
        stage["status"] in ("OPTIMAL", "FEASIBLE", "HEURISTIC") for stage in summary["stages"]
    )
    for name in ("plan.csv", "uncovered.csv"):
        assert (again / name).read_bytes() == (demo_plan / name).read_bytes(), name
    assert summary_without_timings(again) == summary


def test_a_filed_request_moves_only_what_it_displaces(demo_plan, tmp_path):
    data = shutil.copytree(DEMO, tmp_path / "data")
    with (data / "requests.csv").open("a", encoding="utf-8") as requests:
        requests.write("RQ900,OP0012,technical,2027-01-18,2027-02-12,1,,1,high\n")
    out = tmp_path / "replan"
    result = run(
        "plan", str(data), *DEMO_PLAN, "--out", str(out), "--baseline", str(demo_plan), "-q"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    before, after = booked(demo_plan), booked(out)
    kept = sum(min(units, after[key]) for key, units in before.items())
    assert summary["baseline_units"] == sum(before.values())
    assert (summary["kept_units"], summary["moved_units"]) == (kept, sum(before.values()) - kept)
    # the most any plan of optimal cover can keep, and proven so
    stability = next(s for s in summary["stages"] if s["name"] == "stability")
    assert stability["status"] == "OPTIMAL"
    assert stability["objective"] == stability["bound"] == kept
    assert "RQ900" in {key[1].removeprefix("req:") for key in after}
    # far fewer moves than a fresh plan, which reshuffles freely
    fresh = tmp_path / "fresh"
    assert run("plan", str(data), *DEMO_PLAN, "--out", str(fresh), "-q").returncode == 0
    fresh_kept = sum(min(units, booked(fresh)[key]) for key, units in before.items())
    assert summary["moved_units"] < sum(before.values()) - fresh_kept
    assert f"kept {kept} of {sum(before.values())} baseline units" in result.stdout


def test_a_bad_baseline_names_its_row_and_column_and_writes_nothing(tmp_path):
    data = write_files(tmp_path / "ds", GOOD)
    baseline = tmp_path / "old"
    baseline.mkdir()
    (baseline / "plan.csv").write_text(
        "demand_id,operator_id,role,week,specialist_id,units,fte\n"
        "gap:OP1:technical,OP1,technical,2027-01-04,SP1,5,0.5\n"
        "gap:OP1:technical,OP1,technical,2027-01-04,SP1,five,0.5\n"
        "gap:OP1:technical,OP1,technical,04.13.2027,SP1,5,0.5\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    two_weeks = ("plan", str(data), "--start", "2027-01-04", "--weeks", "2", "--out", str(out))
    result = run(*two_weeks, "--baseline", str(baseline))
    assert result.returncode == 2
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    assert any(line.startswith("plan.csv:3: column units:") for line in lines), lines
    assert any(line.startswith("plan.csv:4: column week:") for line in lines), lines
    assert not out.exists()
    missing = run(*two_weeks, "--baseline", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "no plan.csv" in missing.stdout + missing.stderr
