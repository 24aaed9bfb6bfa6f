"""A plan folder read back to quote against: its weeks in either date form."""

from __future__ import annotations

from datetime import date

from planner.data.plan_files import read_plan_assignments

HEADER = "demand_id,operator_id,role,week,specialist_id,units,fte\n"


def test_a_plan_saved_back_by_a_russian_excel_reads_its_weeks(tmp_path):
    (tmp_path / "plan.csv").write_text(
        HEADER + "gap:OP1:finance,OP1,finance,15.03.2027,SP1,5,0.5\n"
        "gap:OP1:finance,OP1,finance,2027-03-22,SP1,5,0.5\n",
        encoding="utf-8",
    )
    rows, problems = read_plan_assignments(tmp_path)
    assert problems == []
    assert [row.week for row in rows] == [date(2027, 3, 15), date(2027, 3, 22)]


def test_a_bad_week_names_the_line_and_both_forms(tmp_path):
    (tmp_path / "plan.csv").write_text(
        HEADER + "gap:OP1:finance,OP1,finance,2027-13-01,SP1,5,0.5\n", encoding="utf-8"
    )
    rows, problems = read_plan_assignments(tmp_path)
    assert rows == []
    assert [str(p) for p in problems] == [
        "plan.csv:2: column week: '2027-13-01' is not a date in the form YYYY-MM-DD or DD.MM.YYYY"
    ]
