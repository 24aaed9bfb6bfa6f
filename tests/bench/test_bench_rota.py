"""The rota benchmark: its hand-made rotation obeys the rules, and the script prints the
rotation and the planner side by side, both accepted by the validator."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from bench.rotation import legal_duty, rotation_duty, rotation_pool
from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.pipeline import rota_from_duty
from planner.rota.records import RotaParams
from planner.rota.validation import check_rota
from tests.builders import MONDAY, REPO_ROOT, dataset, operator, specialist

ONE_WEEK = RotaParams(MONDAY, 1)


def test_legal_duty_drops_the_hours_that_break_a_rule():
    row = np.zeros(ONE_WEEK.hours, dtype=bool)
    row[10:30] = True  # 20 h: past the longest shift
    row[31:45] = True  # 1 h after it: too little rest, and away in hour 40
    row[100:102] = True  # 2 h: too short
    row[120:168] = True  # past the weekly cap
    available = np.ones(ONE_WEEK.hours, dtype=bool)
    available[40] = False
    kept = legal_duty(row, available, ONE_WEEK, max_duty_hours=24)
    # 10-22: the longest shift; 33-40: 11 h of rest, up to the absence, and 41-45 too soon
    # after it; 100-102 dropped; 120-125: the 5 h the cap of 24 leaves
    assert rules.runs(kept) == [(10, 22), (33, 40), (120, 125)]
    assert rules.duty_problems(kept, available, ONE_WEEK, 24) == []


def test_the_rotation_leaves_out_who_answers_nobody_and_passes_the_validator():
    data = dataset(
        operators=[operator("OP1", sla="24x7", incident_level=2)],
        specialists=[
            specialist("SP1", "technical:3", max_duty_hours=40),
            specialist("SP2", "technical:1"),  # below every operator's level
            specialist("SP3", "technical:2", max_duty_hours=24),
            specialist("SP4", "technical:3", oncall=False),
        ],
    )
    grid = RotaGrid(data, ONE_WEEK)
    assert [grid.specialists[s].specialist_id for s in rotation_pool(grid)] == ["SP1", "SP3"]
    on = rotation_duty(grid)
    assert not on[grid.index["SP2"]].any()
    assert on.sum(axis=1).tolist() == [40, 0, 24]
    assert check_rota(data, rota_from_duty(grid, on)) == []


def test_the_script_prints_both_methods_valid_and_writes_them(tmp_path):
    """Run as people run it, in its own process: its cases run in spawned processes, which
    re-import the `__main__` of whoever started them."""
    written = tmp_path / "rota.txt"
    argv = ["--sizes", "S", "--weeks", "1", "--time-limit", "3", "--write", str(written)]
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_rota", *argv],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout
    rows = [line.split() for line in printed.splitlines() if line.startswith("S        1 ")]
    assert [row[2] for row in rows] == ["rotation", "planner"]
    assert all(row[-1] == "valid" for row in rows)
    covered, bound = int(rows[0][4]), int(rows[1][5])
    assert 0 < covered <= bound
    assert "target 10 s" in printed
    assert written.read_text(encoding="utf-8") in printed
