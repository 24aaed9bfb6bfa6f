"""The production calendar as a user meets it on the command line.

The default plans on the Russian production calendar with the dataset's
`calendar.csv`; `--calendar none` is the Monday-to-Friday grid; a year the
planner does not know warns on standard error and in `summary.json`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pandas as pd
import pytest

from planner.data.validate import load_dataset
from planner.domain.calendar import Horizon, capacity_units
from planner.domain.demand import build_demands
from planner.domain.production_calendar import calendar_for
from planner.rules.capacity import specialist_capacity
from tests.cli.test_cli import DEMO, run
from tests.data.test_dataset import GOOD, write_files

NEW_YEAR_WEEK = "2027-01-04"
WOMENS_DAY_WEEK = "2027-03-08"


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory):
    """The done-when command of the calendar issue, run once for the module."""
    out = tmp_path_factory.mktemp("demo") / "plan"
    result = run(
        "plan", str(DEMO), "--start", "2027-01-04", "--weeks", "26", "--out", str(out), "-q"
    )
    assert result.returncode == 0, result.stderr
    return out


def test_the_demo_books_nothing_in_the_new_year_week(demo_plan):
    plan = pd.read_csv(demo_plan / "plan.csv", dtype=str)
    uncovered = pd.read_csv(demo_plan / "uncovered.csv", dtype=str)
    assert NEW_YEAR_WEEK not in set(plan["week"])
    assert NEW_YEAR_WEEK not in set(uncovered["week"])  # no working days: no gap at all


def test_the_demo_books_a_four_day_week_around_8_march(demo_plan):
    plan = pd.read_csv(demo_plan / "plan.csv", dtype={"units": int})
    week = plan[plan["week"] == WOMENS_DAY_WEEK]
    assert not week.empty
    dataset = load_dataset(DEMO)
    for specialist_id, units in week.groupby("specialist_id")["units"].sum().items():
        spec = dataset.specialist(specialist_id)
        assert units <= capacity_units(spec.capacity_fte, 4), specialist_id


def test_the_demo_plans_figures_follow_the_contracts_formulas(demo_plan):
    """Rules are checked in test_cli's demo test; here the summary against the formulas."""
    dataset = load_dataset(DEMO)
    horizon = Horizon(date(2027, 1, 4), 26, calendar_for("ru", dataset.calendar))
    summary = json.loads((demo_plan / "summary.json").read_text())
    demand: dict[str, int] = defaultdict(int)
    for d in build_demands(dataset, horizon):
        demand[d.priority] += d.total_units
    assert summary["demand_units"] == {p: demand[p] for p in ("critical", "high", "normal")}
    assert summary["calendar"]["name"] == "ru"
    assert summary["calendar"]["years_known"] == [2027]
    assert summary["calendar"]["warnings"] == []
    capacity = specialist_capacity(dataset, horizon)
    assert all(weeks[0] == 0 for weeks in capacity.values())  # nobody works 4-8 January


def test_calendar_none_gives_the_monday_to_friday_grid(good, tmp_path):
    ru, none = tmp_path / "ru", tmp_path / "none"
    common = ("--start", "2027-01-04", "--weeks", "4", "-q")
    assert run("plan", str(good), *common, "--out", str(ru)).returncode == 0
    assert run("plan", str(good), *common, "--out", str(none), "--calendar", "none").returncode == 0
    ru_summary = json.loads((ru / "summary.json").read_text())
    none_summary = json.loads((none / "summary.json").read_text())
    assert none_summary["calendar"] == {
        "name": "none",
        "years_known": [],
        "overrides": 0,
        "warnings": [],
    }
    # OP1 technical needs 2 FTE with one person: 10 units a five-day week, none on holidays
    weeks = pd.read_csv(none / "uncovered.csv")
    assert "2027-01-04" in set(weeks["week"]) | set(pd.read_csv(none / "plan.csv")["week"])
    assert sum(ru_summary["demand_units"].values()) < sum(none_summary["demand_units"].values())


def test_an_unknown_year_warns_on_stderr_and_in_the_summary(good, tmp_path):
    out = tmp_path / "plan"
    result = run(
        "plan", str(good), "--start", "2035-01-01", "--weeks", "2", "--out", str(out), "-q"
    )
    assert result.returncode == 0, result.stderr
    assert "warning: the production calendar of 2035 is not known" in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["calendar"]["years_known"] == []
    assert summary["calendar"]["warnings"][0].startswith("the production calendar of 2035")


def test_a_calendar_line_changes_the_plan(tmp_path):
    """A regional holiday in calendar.csv takes away that operator's demand on that day."""
    files = dict(GOOD)
    files["calendar.csv"] = (
        "date,working,region,note\n2027-01-12,no,Новосибирская область,regional day off\n"
    )
    folder = write_files(tmp_path / "ds", files)
    plain = write_files(tmp_path / "plain", GOOD)
    args = ("--start", "2027-01-11", "--weeks", "1", "-q")
    assert run("plan", str(folder), *args, "--out", str(tmp_path / "a")).returncode == 0
    assert run("plan", str(plain), *args, "--out", str(tmp_path / "b")).returncode == 0
    with_line = json.loads((tmp_path / "a" / "summary.json").read_text())
    without = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert with_line["calendar"]["overrides"] == 1
    # OP1 (that region) technical: 2 FTE, S2 on vacation, S3 not yet joined: 2*2*5 = 20
    # units on five days, 16 on four; finance 1 FTE present all week: no gap either way
    assert without["demand_units"]["critical"] == 20
    assert with_line["demand_units"]["critical"] == 16


def test_a_quote_counts_the_requests_working_days_only(good):
    args = (
        "quote",
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "3",
        "--operator",
        "OP2",
        "--role",
        "finance",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-15",
        "--fte",
        "1",
        "--time-limit",
        "10",
    )
    ru = run(*args)
    none = run(*args, "--calendar", "none")
    assert ru.returncode == 0, ru.stderr
    assert none.returncode == 0, none.stderr
    assert json.loads(ru.stdout)["demand_units"] == 10  # only 11-15 January are working days
    assert json.loads(none.stdout)["demand_units"] == 20


@pytest.mark.parametrize("command", ["plan", "whatif", "simulate", "advise", "quote"])
def test_an_unknown_calendar_is_refused_on_every_planning_command(command, good, tmp_path):
    extra = {
        "plan": ["--out", str(tmp_path / "p")],
        "whatif": ["--scenario", str(tmp_path / "s.yaml")],
        "simulate": [],
        "advise": [],
        "quote": [
            *("--operator", "OP1", "--role", "finance"),
            *("--from", "2027-01-11", "--to", "2027-01-15", "--fte", "1"),
        ],
    }[command]
    (tmp_path / "s.yaml").write_text("name: x\nchanges: []\n")
    result = run(
        command,
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "2",
        *extra,
        "--calendar",
        "gregorian",
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--calendar: 'gregorian' is not a calendar: use ru or none" in result.stderr


@pytest.fixture
def good(tmp_path):
    return write_files(tmp_path / "ds", GOOD)
