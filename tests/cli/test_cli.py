"""The `planner` command as a user runs it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.data.validate import load_dataset
from planner.domain.calendar import Horizon
from planner.domain.production_calendar import calendar_for
from planner.planning.validation import Booking, check_plan
from tests.builders import REPO_ROOT
from tests.data.test_dataset import GOOD, russian_dates, write_files

ROOT = REPO_ROOT
DEMO = ROOT / "data" / "demo"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture
def good(tmp_path) -> Path:
    return write_files(tmp_path / "ds", GOOD)


@pytest.fixture
def db_env(tmp_path) -> dict:
    return {"PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'planner.db'}"}


def test_validate_good_dataset(good):
    result = run("validate", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 operators, 3 requirements, 4 staff")


def test_validate_reports_every_problem_and_exits_2(tmp_path):
    files = dict(GOOD)
    files["staff.csv"] = "staff_id,operator_id,role,fte\nS1,OP1,finance,-1\nS2,OP1,finance,\n"
    files["absences.csv"] = "staff_id,start,end\nS1,2027-01-05,2027-01-04\n"
    result = run("validate", str(write_files(tmp_path / "ds", files)))
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "staff.csv:2: column fte: -1 is out of range: must be > 0 and <= 1",
        "staff.csv:3: column fte: a value is required",
        "absences.csv:2: column end: 2027-01-04 is before start 2027-01-05",
    ]
    assert "Traceback" not in result.stderr


UNMATCHED_CALENDAR = (
    "date,working,region,note\n2027-06-11,no,,\n2027-08-30,no,Татарстан,День республики\n"
)
UNMATCHED_WARNING = (
    "warning: calendar.csv:3: column region: region 'Татарстан' matches no operator or "
    "specialist: the row changes nobody's working days"
)


def test_validate_warns_of_a_calendar_region_of_nobody_and_exits_0(tmp_path):
    files = {**GOOD, "calendar.csv": UNMATCHED_CALENDAR}
    result = run("validate", str(write_files(tmp_path / "ds", files)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert "2 calendar days" in result.stdout
    assert result.stderr.splitlines() == [UNMATCHED_WARNING]


def test_import_warns_of_a_calendar_region_of_nobody_and_imports(tmp_path, db_env):
    files = {**GOOD, "calendar.csv": UNMATCHED_CALENDAR}
    result = run("import", str(write_files(tmp_path / "ds", files)), env=db_env)
    assert result.returncode == 0, result.stderr
    assert UNMATCHED_WARNING in result.stderr.splitlines()
    assert run("export", str(tmp_path / "after"), env=db_env).returncode == 0
    assert len(load_dataset(tmp_path / "after").calendar) == 2


def test_plan_writes_the_contracts_files(good, tmp_path):
    out = tmp_path / "plan"
    result = run(
        "plan",
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "12",
        "--out",
        str(out),
        "--time-limit",
        "20",
    )
    assert result.returncode == 0, result.stderr
    for name in ("plan.csv", "uncovered.csv", "summary.json"):  # for programs: no BOM
        assert (out / name).read_bytes()[:1] in (b"d", b"{"), name
    plan = pd.read_csv(out / "plan.csv")
    uncovered = pd.read_csv(out / "uncovered.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert list(plan.columns) == [
        "demand_id",
        "operator_id",
        "role",
        "week",
        "specialist_id",
        "units",
        "fte",
    ]
    assert list(uncovered.columns) == [
        "demand_id",
        "operator_id",
        "role",
        "week",
        "priority",
        "units",
        "reason",
    ]
    assert summary["status"] == "OPTIMAL"
    for key in ("demand_units", "covered_units", "bound_units"):
        assert set(summary[key]) == {"critical", "high", "normal"}
    assert {"handovers", "cost", "solve_seconds", "dropped_pins"} <= set(summary)
    assert (plan["fte"] == plan["units"] / 10).all()
    assert uncovered["reason"].str.len().min() > 10
    data = load_dataset(good)
    bookings = [
        Booking(r.demand_id, pd.Timestamp(r.week).date(), r.specialist_id, int(r.units))
        for r in plan.itertuples()
    ]
    dropped = [
        (p["specialist_id"], p["demand_id"], pd.Timestamp(p["week"]).date())
        for p in summary["dropped_pins"]
    ]
    assert (
        check_plan(
            data, Horizon(pd.Timestamp("2027-01-04").date(), 12), bookings, dropped_pins=dropped
        )
        == []
    )


def test_plan_of_bad_data_writes_nothing(tmp_path):
    files = dict(GOOD)
    files["operators.csv"] = "operator_id,name,timezone\nOP1,A,Asia/Nowhere\nOP2,B,Europe/Moscow\n"
    out = tmp_path / "plan"
    result = run(
        "plan",
        str(write_files(tmp_path / "ds", files)),
        "--start",
        "2027-01-04",
        "--weeks",
        "4",
        "--out",
        str(out),
    )
    assert result.returncode == 2
    assert (
        "operators.csv:2: column timezone: 'Asia/Nowhere' is not an IANA time zone" in result.stderr
    )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "ds"]


def test_plan_start_must_be_a_monday(good, tmp_path):
    result = run(
        "plan", str(good), "--start", "2027-01-05", "--weeks", "4", "--out", str(tmp_path / "plan")
    )
    assert result.returncode == 2
    assert "Tuesday" in result.stderr
    assert not (tmp_path / "plan").exists()


def test_dates_as_a_russian_excel_writes_them_are_accepted(tmp_path):
    # the rota's UTC times have one form only (2027-01-04T06:00Z): they stay as they are
    files = {
        name: text if name == "rota_pinned.csv" else russian_dates(text)
        for name, text in GOOD.items()
    }
    good = write_files(tmp_path / "ru", files)
    assert run("validate", str(good)).returncode == 0
    out = tmp_path / "plan"
    result = run(
        "plan", str(good), "--start", "04.01.2027", "--weeks", "2", "--out", str(out), "-q",
        "--time-limit", "5",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["start"] == "2027-01-04"


def test_a_date_option_that_is_no_date_names_both_forms(good, tmp_path):
    result = run(
        "plan", str(good), "--start", "31.02.2027", "--weeks", "2", "--out", str(tmp_path / "p")
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "--start: '31.02.2027' is not a date in the form YYYY-MM-DD or DD.MM.YYYY"
    )


def test_quote_against_a_written_plan(good, tmp_path):
    out = tmp_path / "plan"
    assert (
        run(
            "plan", str(good), "--start", "2027-01-04", "--weeks", "8", "--out", str(out)
        ).returncode
        == 0
    )
    result = run(
        "quote",
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "8",
        "--operator",
        "OP1",
        "--role",
        "finance",
        "--from",
        "2027-01-05",
        "--to",
        "2027-01-20",
        "--fte",
        "0.5",
        "--skills",
        "invoicing",
        "--plan",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    # 0.5 FTE on working days: none in the New Year week, 5 and then 3 (the calendar's)
    assert answer["demand_units"] == 0 + 5 + 3
    assert answer["covered_units"] == sum(a["units"] for a in answer["assignments"])
    covered_weeks = {a["week"] for a in answer["assignments"]}
    assert all(set(a) == {"week", "specialist_id", "units"} for a in answer["assignments"])
    assert all(u["reason"] for u in answer["uncovered"])
    assert covered_weeks <= {"2027-01-11", "2027-01-18"}

    shuffled = run(
        "quote",
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "8",
        "--operator",
        "OP1",
        "--role",
        "finance",
        "--from",
        "2027-01-05",
        "--to",
        "2027-01-20",
        "--fte",
        "0.5",
        "--skills",
        "invoicing",
        "--plan",
        str(out),
        "--reshuffle",
    )
    assert shuffled.returncode == 0, shuffled.stderr
    reshuffled = json.loads(shuffled.stdout)
    assert reshuffled["covered_units"] >= answer["covered_units"]
    assert all(
        set(m) == {"week", "demand_id", "operator_id", "from_specialist", "to_specialist", "units"}
        for m in reshuffled.get("moves", [])
    )


def test_quote_with_an_unknown_operator_exits_2(good):
    result = run(
        "quote",
        str(good),
        "--start",
        "2027-01-04",
        "--weeks",
        "4",
        "--operator",
        "OP9",
        "--role",
        "finance",
        "--from",
        "2027-01-05",
        "--to",
        "2027-01-20",
        "--fte",
        "0.5",
    )
    assert result.returncode == 2
    assert "--operator: 'OP9' is not in operators.csv" in result.stderr


def test_import_export_round_trip(good, tmp_path, db_env):
    assert run("import", str(good), env=db_env).returncode == 0
    exported = tmp_path / "exported"
    result = run("export", str(exported), env=db_env)
    assert result.returncode == 0, result.stderr
    files = sorted(exported.iterdir())
    assert files
    assert all(path.read_bytes().startswith(b"\xef\xbb\xbf") for path in files)  # for Excel
    assert load_dataset(exported) == load_dataset(good)
    assert run("validate", str(exported)).returncode == 0


def test_import_of_bad_data_changes_nothing(good, tmp_path, db_env):
    assert run("import", str(good), env=db_env).returncode == 0
    files = dict(GOOD)
    files["staff.csv"] = GOOD["staff.csv"] + "S9,OP1,finance,7,,,\n"
    result = run("import", str(write_files(tmp_path / "bad", files)), env=db_env)
    assert result.returncode == 2
    assert "staff.csv:6: column fte" in result.stderr
    assert run("export", str(tmp_path / "after"), env=db_env).returncode == 0
    assert load_dataset(tmp_path / "after") == load_dataset(good)


def test_plan_from_the_database_stores_the_run(good, db_env):
    assert run("import", str(good), env=db_env).returncode == 0
    result = run("plan", "--db", "--start", "2027-01-04", "--weeks", "4", env=db_env)
    assert result.returncode == 0, result.stderr
    assert "stored as plan run 1" in result.stdout


@pytest.mark.slow
def test_demo_plan_is_valid_and_explained(tmp_path):
    out = tmp_path / "demo-plan"
    result = run(
        "plan",
        str(DEMO),
        "--start",
        "2027-01-04",
        "--weeks",
        "26",
        "--out",
        str(out),
        "--time-limit",
        "60",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "OPTIMAL"
    plan = pd.read_csv(out / "plan.csv")
    data = load_dataset(DEMO)
    bookings = [
        Booking(r.demand_id, pd.Timestamp(r.week).date(), r.specialist_id, int(r.units))
        for r in plan.itertuples()
    ]
    horizon = Horizon(pd.Timestamp("2027-01-04").date(), 26, calendar_for("ru", data.calendar))
    assert check_plan(data, horizon, bookings) == []
    uncovered = pd.read_csv(out / "uncovered.csv")
    assert len(uncovered) > 0
    assert uncovered["reason"].notna().all()
