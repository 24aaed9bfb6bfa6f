"""Exports open as text in a spreadsheet, never as a formula; upload names are never paths."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from planner import reports
from planner.data.exports import safe_cell
from planner.data.read import raw_from_uploads
from planner.data.validate import load_dataset
from planner.data.write import write_dataset, write_workbook
from planner.planning.plan import Assignment, Plan, Uncovered
from tests.builders import REPO_ROOT

DEMO = REPO_ROOT / "data" / "demo"
EVIL = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", [EVIL, "+7 999", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["OP0001", "Арбат Связь", "-1.5", "+2", "1e3", "", 3, -1.0, None])
def test_everything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


def evil_dataset():
    dataset = load_dataset(DEMO)
    first = replace(dataset.operators[0], name=EVIL)
    return replace(dataset, operators=(first, *dataset.operators[1:]))


def test_an_operator_named_like_a_formula_exports_as_text(tmp_path):
    dataset = evil_dataset()
    folder = tmp_path / "csv"
    write_dataset(dataset, folder)
    with (folder / "operators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][1] == "'" + EVIL
    write_workbook(dataset, tmp_path / "book.xlsx")
    cell = load_workbook(tmp_path / "book.xlsx")["operators"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + EVIL


def test_plan_files_neutralise_formulas_and_keep_normal_ids_unchanged():
    week = date(2027, 1, 4)
    plan = Plan(
        week,
        1,
        4.0,
        (Assignment("gap:OP1:finance", "OP1", "finance", week, "SP1", 5),),
        (Uncovered("gap:OP1:finance", "OP1", "finance", week, "high", 2, EVIL),),
        {"status": "OPTIMAL"},
    )
    assert reports.plan_csv(plan) == (
        b"demand_id,operator_id,role,week,specialist_id,units,fte\n"
        b"gap:OP1:finance,OP1,finance,2027-01-04,SP1,5,0.5\n"
    )
    assert (
        next(csv.reader(io.StringIO(reports.uncovered_csv(plan).decode().splitlines()[1])))[-1]
        == "'" + EVIL
    )
    sheet = load_workbook(io.BytesIO(reports.plan_workbook(plan)))["uncovered"]
    assert sheet["G2"].data_type == "s"
    assert sheet["G2"].value == "'" + EVIL


def test_an_uploaded_file_name_is_never_used_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workbook = tmp_path / "book.xlsx"
    write_workbook(load_dataset(DEMO), workbook)
    name = "../../escape/" + "x" * 10 + ".xlsx"
    tables, problems = raw_from_uploads({name: workbook.read_bytes()})
    assert not problems
    assert "operators" in tables
    assert not (tmp_path.parent / "escape").exists()
    assert not any(tmp_path.rglob("x*.xlsx"))
