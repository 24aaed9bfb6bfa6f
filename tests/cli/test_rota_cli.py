"""`planner rota`, `planner oncall` and `planner plan --rota` as a user runs them: exit codes,
messages, the files written or left alone, and cover planned around the rota's duty."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from tests.cli.test_cli import run
from tests.data.test_dataset import write_files

# One 24x7 client that takes only an answer from someone at work (20 min), one specialist
# in Moscow with 16 duty hours a week: the rota spends them at work, reserving
# ceil(0.5 * 16 / 4) = 2 of its 10 cover units in the week of 11 January 2027.
TINY = {
    "operators.csv": "operator_id,name,timezone,sla,response_minutes,incident_level\n"
    "OP1,Альфа,Europe/Moscow,24x7,20,1\n",
    "requirements.csv": "operator_id,role,min_fte\nOP1,technical,1\n",
    "staff.csv": "staff_id,operator_id,role,fte\nS1,OP1,subscriber,1\n",
    "specialists.csv": "specialist_id,name,roles,timezone,max_duty_hours\n"
    "SP1,Орлов Олег,technical:3,Europe/Moscow,16\n",
}
WEEK = ["--start", "2027-01-11", "--weeks", "1"]
ROTA_FILES = ["ics", "reservations.csv", "rota.csv", "rota_summary.json", "sla_gaps.csv"]


def rota_run(dataset: Path, out: Path):
    return run("rota", str(dataset), *WEEK, "--time-limit", "2", "--out", str(out))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_files(tmp_path_factory.mktemp("tiny") / "ds", TINY)


@pytest.fixture(scope="module")
def written(tiny, tmp_path_factory):
    out = tmp_path_factory.mktemp("rota") / "rota"
    return out, rota_run(tiny, out)


def test_rota_writes_every_file(written):
    out, result = written
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OPTIMAL: covered 16 of 168 promised hours (bound 16)")
    assert sorted(p.name for p in out.iterdir()) == ROTA_FILES
    shifts = pd.read_csv(out / "rota.csv", dtype=str)
    assert list(shifts.columns) == [
        "specialist_id",
        "start",
        "end",
        "hours",
        "at_work_hours",
        "off_work_hours",
    ]
    assert shifts["hours"].astype(int).sum() == 16
    assert (shifts["at_work_hours"].astype(int) == shifts["hours"].astype(int)).all()
    assert shifts["start"].str.fullmatch(r"2027-01-1\dT\d\d:00Z").all()
    gaps = pd.read_csv(out / "sla_gaps.csv", dtype=str)
    assert list(gaps.columns) == ["operator_id", "start", "end", "hours", "reason"]
    assert gaps["hours"].astype(int).sum() == 168 - 16
    assert (out / "reservations.csv").read_text() == "specialist_id,week,units\nSP1,2027-01-11,2\n"
    summary = json.loads((out / "rota_summary.json").read_text(encoding="utf-8"))
    for key in (
        "status",
        "promised_hours",
        "covered_hours",
        "bound_hours",
        "uncovered_hours",
        "max_off_work_hours",
        "reserved_units",
        "shifts",
        "solve_seconds",
        "dropped_pins",
        "params",
    ):
        assert key in summary, key
    assert summary["params"]["start"] == "2027-01-11"
    assert [p.name for p in (out / "ics").iterdir()] == ["SP1.ics"]
    events = Calendar.from_ical((out / "ics" / "SP1.ics").read_bytes()).walk("VEVENT")
    assert len(events) == len(shifts)


def test_rota_on_bad_input_exits_2_naming_file_row_column_and_leaves_out_alone(tmp_path):
    broken = {
        **TINY,
        "specialists.csv": "specialist_id,name,roles,timezone,max_duty_hours,oncall\n"
        "SP1,Орлов Олег,technical:3,Europe/Moscow,-1,maybe\n",
    }
    out = tmp_path / "rota"
    out.mkdir()
    (out / "rota.csv").write_text("kept\n")
    result = rota_run(write_files(tmp_path / "ds", broken), out)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "specialists.csv:2: column max_duty_hours: -1 must be a whole number >= 0",
        "specialists.csv:2: column oncall: 'maybe' is not yes or no",
    ]
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["rota.csv"]
    assert (out / "rota.csv").read_text() == "kept\n"


def test_rota_refuses_a_start_that_is_not_a_monday(tiny, tmp_path):
    result = run(
        "rota", str(tiny), "--start", "2027-01-12", "--weeks", "1", "--out", str(tmp_path / "r")
    )
    assert result.returncode == 2
    assert "Monday" in result.stdout + result.stderr
    assert not (tmp_path / "r").exists()


def test_oncall_says_who_answers_and_the_next_handovers(tiny, written):
    out, _ = written
    shifts = pd.read_csv(out / "rota.csv", dtype=str)
    start = shifts["start"][0]
    result = run("oncall", str(tiny), "--rota", str(out), "--operator", "OP1", "--at", start)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Альфа (OP1) at {start[:10]} {start[11:16]} UTC (")
    assert lines[0].endswith("Europe/Moscow): promised, answer within 20 min")
    assert lines[1] == "  Орлов Олег (SP1), at work: answers in 15 min"
    end = shifts["end"][0]
    assert lines[2] == f"  from {end[:10]} {end[11:16]} UTC: nobody  <- gap"


def test_oncall_json(tiny, written):
    out, _ = written
    start = pd.read_csv(out / "rota.csv", dtype=str)["start"][0]
    result = run(
        "oncall", str(tiny), "--rota", str(out), "--operator", "OP1", "--at", start, "--json"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["at"] == start
    assert answer["promised"] is True
    assert answer["covered"] is True
    assert answer["on_duty"] == [
        {
            "specialist_id": "SP1",
            "name": "Орлов Олег",
            "answers_in_minutes": 15,
            "at_work": True,
            "in_time": True,
        }
    ]
    assert answer["next_handovers"][0]["specialist_ids"] == []


def test_oncall_refuses_an_unknown_operator(tiny, written):
    out, _ = written
    result = run("oncall", str(tiny), "--rota", str(out), "--operator", "OP9")
    assert result.returncode == 2
    assert "OP9" in result.stdout + result.stderr


def test_plan_with_the_rota_plans_cover_around_its_reservations(tiny, written, tmp_path):
    out, _ = written
    without = run("plan", str(tiny), *WEEK, "--out", str(tmp_path / "free"), "--time-limit", "5")
    assert without.returncode == 0, without.stderr
    result = run(
        "plan",
        str(tiny),
        *WEEK,
        "--rota",
        str(out),
        "--out",
        str(tmp_path / "p"),
        "--time-limit",
        "5",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "p" / "summary.json").read_text(encoding="utf-8"))
    assert summary["rota_reserved_units"] == 2
    assert summary["rota_reservations"] == [
        {"specialist_id": "SP1", "week": "2027-01-11", "units": 2}
    ]
    plan = pd.read_csv(tmp_path / "p" / "plan.csv")
    free = pd.read_csv(tmp_path / "free" / "plan.csv")
    assert free[["specialist_id", "week", "units"]].values.tolist() == [["SP1", "2027-01-11", 10]]
    assert plan[["specialist_id", "week", "units"]].values.tolist() == [["SP1", "2027-01-11", 8]]


def test_plan_with_a_broken_reservations_file_exits_2_naming_file_row_column(
    tiny, written, tmp_path
):
    out, _ = written
    broken = tmp_path / "rota"
    broken.mkdir()
    for name in ("rota.csv", "sla_gaps.csv", "rota_summary.json"):
        (broken / name).write_bytes((out / name).read_bytes())
    (broken / "reservations.csv").write_text(
        "specialist_id,week,units\nSP1,2027-01-12,1\nSP1,2027-01-11,x\n"
    )
    result = run("plan", str(tiny), *WEEK, "--rota", str(broken), "--out", str(tmp_path / "p"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "reservations.csv:2: column week: 2027-01-12 is not a Monday",
        "reservations.csv:3: column units: 'x' is not a whole number >= 0",
    ]
    assert not (tmp_path / "p").exists()


def test_plan_with_a_reservation_of_an_unknown_specialist_exits_2(tiny, tmp_path):
    broken = tmp_path / "rota"
    broken.mkdir()
    (broken / "reservations.csv").write_text("specialist_id,week,units\nSP9,2027-01-11,1\n")
    result = run("plan", str(tiny), *WEEK, "--rota", str(broken), "--out", str(tmp_path / "p"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "reservations.csv:2: column specialist_id: unknown specialist 'SP9'"
    ]


def test_plan_with_the_rota_reports_every_problem_of_reservations_csv(tiny, tmp_path):
    broken = tmp_path / "rota"
    broken.mkdir()
    (broken / "reservations.csv").write_text(
        "specialist_id,week,units\nSP9,2027-01-11,1\nSP1,2027-01-12,1\n"
    )
    result = run("plan", str(tiny), *WEEK, "--rota", str(broken), "--out", str(tmp_path / "p"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "reservations.csv:2: column specialist_id: unknown specialist 'SP9'",
        "reservations.csv:3: column week: 2027-01-12 is not a Monday",
    ]
