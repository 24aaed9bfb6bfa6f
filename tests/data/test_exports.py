"""Exports open as text in a spreadsheet, never as a formula; upload names are never paths."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner import reports
from planner.data.exports import safe_cell
from planner.data.plan_files import write_plan
from planner.data.read import raw_from_uploads
from planner.data.schema import SPECS
from planner.data.validate import check_dataset, load_dataset
from planner.data.write import write_dataset, write_workbook
from planner.domain.records import Dataset
from planner.planning.plan import Assignment, Plan, Uncovered
from planner.whatif.compare import compare_plans, write_comparison
from tests.builders import REPO_ROOT
from tests.data.test_dataset import GOOD, write_files

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
        b"\xef\xbb\xbfdemand_id,operator_id,role,week,specialist_id,units,fte\n"
        b"gap:OP1:finance,OP1,finance,2027-01-04,SP1,5,0.5\n"
    )
    assert (
        next(csv.reader(io.StringIO(reports.uncovered_csv(plan).decode().splitlines()[1])))[-1]
        == "'" + EVIL
    )
    sheet = load_workbook(io.BytesIO(reports.plan_workbook(plan, Dataset())))["uncovered"]
    assert sheet["H1"].value == "reason"
    assert sheet["H2"].data_type == "s"
    assert sheet["H2"].value == "'" + EVIL


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


# --------------------------------------------------------------------------- files for people

BOM = b"\xef\xbb\xbf"
WEEK = date(2027, 1, 4)


def tiny_plan() -> Plan:
    """One booking of Орлов Олег at OP1 and one uncovered week, both on 4 January 2027."""
    return Plan(
        WEEK,
        1,
        4.0,
        (Assignment("gap:OP1:finance", "OP1", "finance", WEEK, "SP1", 5),),
        (Uncovered("gap:OP1:finance", "OP1", "finance", WEEK, "high", 2, "нет свободных"),),
        {
            "status": "OPTIMAL",
            "demand_units": {"critical": 0, "high": 7, "normal": 0},
            "covered_units": {"critical": 0, "high": 5, "normal": 0},
        },
    )


def test_every_csv_for_people_starts_with_a_bom(tmp_path):
    written = write_dataset(load_dataset(DEMO), tmp_path / "dataset")
    assert written
    assert all(path.read_bytes().startswith(BOM) for path in written)
    assert reports.plan_csv(tiny_plan()).startswith(BOM)
    assert reports.uncovered_csv(tiny_plan()).startswith(BOM)
    out = write_comparison(
        compare_plans(tiny_plan(), tiny_plan()), tiny_plan(), tiny_plan(), tmp_path / "whatif"
    )
    diffs = ["by_priority", "by_role", "by_operator", "gaps_appear", "gaps_disappear"]
    assert all((out / f"{name}.csv").read_bytes().startswith(BOM) for name in diffs)


def test_plan_files_for_programs_keep_plain_utf8(tmp_path):
    out = write_plan(tiny_plan(), tmp_path / "plan")
    for name in ("plan.csv", "uncovered.csv", "summary.json"):
        assert not (out / name).read_bytes().startswith(BOM), name
    assert "нет свободных" in (out / "uncovered.csv").read_text(encoding="utf-8")


def test_an_exported_folder_with_its_bom_imports_again(tmp_path):
    dataset = load_dataset(DEMO)
    write_dataset(dataset, tmp_path / "dataset")
    loaded, problems = check_dataset(tmp_path / "dataset")
    assert problems == []
    assert loaded == dataset


def test_the_dataset_workbook_holds_numbers_and_dates_and_still_validates(tmp_path):
    dataset = load_dataset(DEMO)
    book = write_workbook(dataset, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    staff = workbook["staff"]
    header = [cell.value for cell in staff[1]]
    assert header == [c.name for c in SPECS["staff"].columns]  # no extra columns
    fte = [row[header.index("fte")] for row in staff.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, int | float) for value in fte)
    joined = [
        cell for cell in staff[get_column_letter(header.index("joined_on") + 1)][1:] if cell.value
    ]
    assert joined
    assert all(isinstance(cell.value, datetime) for cell in joined)
    assert {cell.number_format for cell in joined} == {"DD.MM.YYYY"}
    calendar = workbook["calendar"]
    assert {row[1] for row in calendar.iter_rows(min_row=2, values_only=True)} <= {"yes", "no"}
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold, sheet.title
        assert sheet.column_dimensions["A"].width >= len(str(sheet["A1"].value)), sheet.title
    names = workbook["specialists"]["B"]
    assert workbook["specialists"].column_dimensions["B"].width >= max(len(c.value) for c in names)
    loaded, problems = check_dataset(book)
    assert problems == []
    assert loaded == dataset


def test_the_plan_workbook_puts_names_beside_ids_and_keeps_numbers(tmp_path):
    dataset = load_dataset(write_files(tmp_path / "ds", GOOD))
    workbook = load_workbook(io.BytesIO(reports.plan_workbook(tiny_plan(), dataset)))
    plan = workbook["plan"]
    header = [cell.value for cell in plan[1]]
    assert header == [
        "demand_id",
        "operator_id",
        "operator",
        "role",
        "week",
        "specialist_id",
        "specialist",
        "units",
        "fte",
    ]
    row = [cell.value for cell in plan[2]]
    assert row[2] == dataset.operator("OP1").name
    assert row[6] == "Орлов Олег"
    assert row[4] == datetime(2027, 1, 4)
    assert plan["E2"].number_format == "DD.MM.YYYY"
    assert (row[7], row[8]) == (5, 0.5)
    assert isinstance(row[7], int)
    uncovered = workbook["uncovered"]
    assert [c.value for c in uncovered[1]][:3] == ["demand_id", "operator_id", "operator"]
    assert uncovered["C2"].value == dataset.operator("OP1").name
    summary = {row[0]: row[1] for row in workbook["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Covered units, high"] == 5  # figures named for people, numbers typed
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
    assert plan.column_dimensions["A"].width >= len("gap:OP1:finance")


def _libreoffice(tmp_path, source, *options):
    """`source` opened and saved as .xlsx by headless LibreOffice, with its own profile so
    that runs beside each other do not share one."""
    profile = (tmp_path / "lo-profile").as_uri()
    out = tmp_path / "lo"
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", *options]
    command += ["--convert-to", "xlsx", "--outdir", str(out), str(source)]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return load_workbook(out / (source.stem + ".xlsx"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_cyrillic_numbers_and_dates_from_the_exports(tmp_path):
    dataset = load_dataset(write_files(tmp_path / "ds", GOOD))
    write_dataset(dataset, tmp_path / "csv")
    # UTF-8, as Excel reads a file with a BOM; the BOM itself must not reach the header.
    sheet = _libreoffice(
        tmp_path, tmp_path / "csv" / "specialists.csv", "--infilter=CSV:44,34,76"
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "specialist_id"
    assert rows[1][:2] == ("SP1", "Орлов Олег")
    assert rows[2][rows[0].index("capacity_fte")] == 0.5
    assert rows[2][rows[0].index("cost_per_hour")] == 1800.5

    book = write_workbook(dataset, tmp_path / "dataset.xlsx")
    staff = _libreoffice(tmp_path, book)["staff"]
    rows = list(staff.iter_rows(values_only=True))
    assert rows[1][rows[0].index("name")] == "Иванова Анна"
    assert rows[1][rows[0].index("left_on")] == datetime(2027, 3, 12)
    assert rows[1][rows[0].index("fte")] == 1
    assert sum(row[rows[0].index("fte")] for row in rows[1:]) == 3.5


def test_a_control_character_in_a_name_does_not_break_the_workbook(tmp_path):
    from planner import services
    from planner.accounts.access import Actor

    dataset = load_dataset(DEMO)
    bell = replace(dataset.staff[0], name="Анна\x07 Иванова")
    dataset = replace(dataset, staff=(bell, *dataset.staff[1:]))
    path = services.dataset_workbook(
        actor=Actor(username="boss", role="manager"), dataset=dataset, path=tmp_path / "b.xlsx"
    )
    names = [row[4] for row in load_workbook(path)["staff"].iter_rows(min_row=2, values_only=True)]
    assert names[0] == "Анна\ufffd Иванова"
