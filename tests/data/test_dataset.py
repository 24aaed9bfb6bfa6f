"""Reading datasets: every kind of bad input is refused with file, row and column."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planner.data.problems import DatasetError
from planner.data.validate import calendar_warnings, check_dataset, load_dataset
from planner.data.write import write_dataset, write_workbook
from planner.domain.records import CalendarDay, RotaPin
from tests.builders import REPO_ROOT

GOOD = {
    "operators.csv": "operator_id,name,timezone,sla,response_minutes,region\n"
    "OP1,Сибирь Телеком,Asia/Novosibirsk,24x7,60,Новосибирская область\n"
    "OP2,Волга-Онлайн,Europe/Samara,,,\n",
    "requirements.csv": "operator_id,role,min_fte,skills,min_level,priority\n"
    "OP1,finance,1,invoicing;1c-integration,2,high\n"
    "OP1,technical,2,,,critical\n"
    "OP2,subscriber,0.5,,,\n",
    "staff.csv": "staff_id,operator_id,role,fte,name,joined_on,left_on\n"
    "S1,OP1,finance,1,Иванова Анна,,2027-03-12\n"
    "S2,OP1,technical,1,Петров Илья,,\n"
    "S3,OP1,technical,1,,2027-02-01,\n"
    "S4,OP2,subscriber,0.5,,,\n",
    "absences.csv": "staff_id,start,end,kind\nS2,2027-01-11,2027-01-15,vacation\n",
    "specialists.csv": "specialist_id,name,roles,timezone,skills,capacity_fte,max_clients,"
    "cost_per_hour,joined_on,left_on\n"
    "SP1,Орлов Олег,technical:3;finance:1,Asia/Novosibirsk,oracle;linux,1,3,"
    "2500,,\n"
    "SP2,Белова Ирина,finance:3,Europe/Moscow,invoicing;1c-integration,0.5,"
    "2,1800.5,,\n",
    "specialist_absences.csv": "specialist_id,start,end,kind\nSP1,2027-07-05,2027-07-16,vacation\n",
    "requests.csv": "request_id,operator_id,role,start,end,fte,skills,min_level,priority\n"
    "RQ1,OP2,finance,2027-02-01,2027-02-12,0.5,,,normal\n",
    "history.csv": "specialist_id,operator_id\nSP1,OP1\n",
    "pinned.csv": "specialist_id,demand_id,week,units\nSP2,gap:OP1:finance,2027-03-15,5\n",
    "rota_pinned.csv": "specialist_id,start,end\nSP1,2027-01-04T18:00Z,2027-01-05T02:00Z\n",
}


SPECIALISTS_ONCALL = (
    "specialist_id,name,roles,timezone,oncall,standby_response_minutes,max_duty_hours\n"
)


ROTA_PINNED = "specialist_id,start,end\n"


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is None:
            continue
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def problems_of(tmp_path: Path, **changes: str | None) -> list[str]:
    files = dict(GOOD)
    for name, text in changes.items():
        key = f"{name}.csv"
        if text is None:
            files.pop(key)
        else:
            files[key] = text
    _, problems = check_dataset(write_files(tmp_path / "ds", files))
    return [str(p) for p in problems]


def test_good_dataset_reads_with_defaults(tmp_path):
    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    op2 = data.operator("OP2")
    assert (op2.sla, op2.response_minutes, op2.region) == ("8x5", 240, None)
    finance = data.requirements[0]
    assert finance.skills == ("invoicing", "1c-integration")
    assert data.requirements[1].min_level == 1
    assert data.requirements[2].priority == "normal"
    assert data.specialist("SP1").roles == (("technical", 3), ("finance", 1))
    assert data.specialist("SP2").cost_per_hour == 1800.5
    assert data.pinned[0].units == 5
    assert data.rota_pinned == (
        RotaPin("SP1", datetime(2027, 1, 4, 18, tzinfo=UTC), datetime(2027, 1, 5, 2, tzinfo=UTC)),
    )


def test_optional_files_may_be_absent(tmp_path):
    assert (
        problems_of(
            tmp_path,
            absences=None,
            specialist_absences=None,
            requests=None,
            history=None,
            pinned=None,
            rota_pinned=None,
        )
        == []
    )


def test_missing_required_file(tmp_path):
    assert problems_of(
        tmp_path,
        specialists=None,
        history=None,
        pinned=None,
        specialist_absences=None,
        rota_pinned=None,
    ) == ["specialists.csv: required file is missing"]


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        (
            "staff",
            "staff_id,operator_id,role,name\nS1,OP1,finance,x\n",
            "staff.csv:1: column fte: required column is missing",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte,ftee\nS1,OP1,finance,1,1\n",
            "staff.csv:1: column ftee: unknown column",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,finance,1\nS2,OP1,finance,-1\n",
            "staff.csv:3: column fte: -1 is out of range: must be > 0 and <= 1",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,finance,0\n",
            "staff.csv:2: column fte: 0 is out of range",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,finance,1.5\n",
            "staff.csv:2: column fte: 1.5 is out of range",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,finance,one\n",
            "staff.csv:2: column fte: 'one' is not a number",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,,1\n",
            "staff.csv:2: column role: a value is required",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,Finance,1\n",
            "staff.csv:2: column role: 'Finance' is not one of subscriber, finance, technical",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP9,finance,1\n",
            "staff.csv:2: column operator_id: 'OP9' is not in operators.csv",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte\nS1,OP1,finance,1\nS1,OP1,technical,1\n",
            "staff.csv:3: column staff_id: duplicate: staff_id S1 is already on line 2",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte,joined_on\nS1,OP1,finance,1,2027-02-30\n",
            "staff.csv:2: column joined_on: '2027-02-30' is not a date in the form YYYY-MM-DD or "
            "DD.MM.YYYY",
        ),
        (
            "staff",
            "staff_id,operator_id,role,fte,joined_on,left_on\n"
            "S1,OP1,finance,1,2027-03-01,2027-02-01\n",
            "staff.csv:2: column left_on: 2027-02-01 is before joined_on 2027-03-01",
        ),
        (
            "operators",
            "operator_id,name,timezone\nOP1,A,Asia/Novosibirsk\nOP2,B,Mars/Olympus\n",
            "operators.csv:3: column timezone: 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            "operators",
            "operator_id,name,timezone,sla\nOP1,A,Asia/Omsk,24/7\nOP2,B,Asia/Omsk,\n",
            "operators.csv:2: column sla: '24/7' is not one of 24x7, 8x5",
        ),
        (
            "operators",
            "operator_id,name,timezone,response_minutes\nOP1,A,Asia/Omsk,0\nOP2,B,Asia/Omsk,\n",
            "operators.csv:2: column response_minutes: 0 must be a whole number >= 1",
        ),
        (
            "requirements",
            "operator_id,role,min_fte\nOP1,finance,1\nOP1,finance,2\n",
            "requirements.csv:3: column role: duplicate: operator_id OP1 and role finance is "
            "already on line 2",
        ),
        (
            "requirements",
            "operator_id,role,min_fte,min_level\nOP1,finance,1,4\n",
            "requirements.csv:2: column min_level: '4' is not a level",
        ),
        (
            "requirements",
            "operator_id,role,min_fte,priority\nOP1,finance,1,urgent\n",
            "requirements.csv:2: column priority: 'urgent' is not one of critical, high, normal",
        ),
        (
            "requirements",
            "operator_id,role,min_fte\nOP1,finance,-0.5\n",
            "requirements.csv:2: column min_fte: -0.5 must be >= 0",
        ),
        (
            "absences",
            "staff_id,start,end,kind\nS1,2027-01-10,2027-01-05,vacation\n",
            "absences.csv:2: column end: 2027-01-05 is before start 2027-01-10",
        ),
        (
            "absences",
            "staff_id,start,end,kind\nS1,2027-01-04,2027-01-05,holiday\n",
            "absences.csv:2: column kind: 'holiday' is not one of vacation, sick, leave, "
            "training, other",
        ),
        (
            "absences",
            "staff_id,start,end\nS9,2027-01-04,2027-01-05\n",
            "absences.csv:2: column staff_id: 'S9' is not in staff.csv",
        ),
        (
            "absences",
            "staff_id,start,end\nS1,31.02.2027,2027-01-05\n",
            "absences.csv:2: column start: '31.02.2027' is not a date in the form YYYY-MM-DD or "
            "DD.MM.YYYY",
        ),
        (
            "absences",
            "staff_id,start,end\nS1,2027-01-04,2027-13-01\n",
            "absences.csv:2: column end: '2027-13-01' is not a date in the form YYYY-MM-DD or "
            "DD.MM.YYYY",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone\nSP1,A,technical,Asia/Omsk\n"
            "SP2,B,finance:3,Europe/Moscow\n",
            "specialists.csv:2: column roles: 'technical' needs a level",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone\nSP1,A,technical:3;technical:2,"
            "Asia/Omsk\nSP2,B,finance:3,Europe/Moscow\n",
            "specialists.csv:2: column roles: role technical is listed twice",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone\nSP1,A,billing:3,Asia/Omsk\n"
            "SP2,B,finance:3,Europe/Moscow\n",
            "specialists.csv:2: column roles: 'billing' is not a role",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone\nSP1,A,technical:5,Asia/Omsk\n"
            "SP2,B,finance:3,Europe/Moscow\n",
            "specialists.csv:2: column roles: 'technical:5': '5' is not a level",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone,capacity_fte\n"
            "SP1,A,technical:3,Asia/Omsk,1.2\nSP2,B,finance:3,Europe/Moscow,\n",
            "specialists.csv:2: column capacity_fte: 1.2 is out of range",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone,max_clients\n"
            "SP1,A,technical:3,Asia/Omsk,0\nSP2,B,finance:3,Europe/Moscow,\n",
            "specialists.csv:2: column max_clients: 0 must be a whole number >= 1",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone,max_clients\n"
            "SP1,A,technical:3,Asia/Omsk,2.5\nSP2,B,finance:3,Europe/Moscow,\n",
            "specialists.csv:2: column max_clients: '2.5' is not a whole number",
        ),
        (
            "specialists",
            "specialist_id,name,roles,timezone,cost_per_hour\n"
            "SP1,A,technical:3,Asia/Omsk,-5\nSP2,B,finance:3,Europe/Moscow,\n",
            "specialists.csv:2: column cost_per_hour: -5 must be >= 0",
        ),
        (
            "requests",
            "request_id,operator_id,role,start,end,fte\nRQ1,OP1,finance,2027-01-04,2027-01-08,0\n",
            "requests.csv:2: column fte: 0 must be > 0",
        ),
        (
            "requests",
            "request_id,operator_id,role,start,end\nRQ1,OP1,finance,2027-01-04,2027-01-08\n",
            "requests.csv:1: column fte: required column is missing",
        ),
        (
            "history",
            "specialist_id,operator_id\nSP7,OP1\n",
            "history.csv:2: column specialist_id: 'SP7' is not in specialists.csv",
        ),
        (
            "pinned",
            "specialist_id,demand_id,week,units\nSP1,gap:OP1:finance,2027-03-16,5\n",
            "pinned.csv:2: column week: 2027-03-16 is a Tuesday, not a Monday",
        ),
        (
            "pinned",
            "specialist_id,demand_id,week,units\nSP1,gap:OP1:finance,2027-03-15,0\n",
            "pinned.csv:2: column units: 0 must be a whole number >= 1",
        ),
        (
            "calendar",
            "date,working,region,note\n2027-06-11,no,,\n2027-08-30,maybe,,\n",
            "calendar.csv:3: column working: 'maybe' is not yes or no",
        ),
        (
            "calendar",
            "date,working,region\n2027-08-30,no,Татарстан\n2027-08-30,yes,Татарстан\n",
            "calendar.csv:3: column region: duplicate: date 2027-08-30 and region Татарстан "
            "is already on line 2",
        ),
        (
            "calendar",
            "date,working\n2027-06-11,no\n2027-06-11,no\n",
            "calendar.csv:3: column region: duplicate: date 2027-06-11 and region (empty)",
        ),
        (
            "calendar",
            "date,working\n2027-06-31,no\n",
            "calendar.csv:2: column date: '2027-06-31' is not a date",
        ),
        (
            "operators",
            "operator_id,name,timezone,incident_level\nOP1,a,Europe/Moscow,2\n"
            "OP2,b,Europe/Moscow,4\n",
            "operators.csv:3: column incident_level: '4' is not a level",
        ),
        (
            "specialists",
            SPECIALISTS_ONCALL + "SP1,a,technical:3,Europe/Moscow,perhaps,,\n"
            "SP2,b,finance:3,Europe/Moscow,,,\n",
            "specialists.csv:2: column oncall: 'perhaps' is not yes or no",
        ),
        (
            "specialists",
            SPECIALISTS_ONCALL + "SP1,a,technical:3,Europe/Moscow,yes,0,\n"
            "SP2,b,finance:3,Europe/Moscow,,,\n",
            "specialists.csv:2: column standby_response_minutes: 0 must be a whole number >= 1",
        ),
        (
            "specialists",
            SPECIALISTS_ONCALL + "SP1,a,technical:3,Europe/Moscow,no,,\n"
            "SP2,b,finance:3,Europe/Moscow,,,-1\n",
            "specialists.csv:3: column max_duty_hours: -1 must be a whole number >= 0",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04T06:00Z,2027-01-04T10:00Z\n"
            "SP1,2027-01-04 06:00,2027-01-04T10:00Z\n",
            "rota_pinned.csv:3: column start: '2027-01-04 06:00' is not a UTC time like "
            "2027-01-04T06:00Z",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04,2027-01-04T10:00Z\n",
            "rota_pinned.csv:2: column start: '2027-01-04' is not a UTC time like",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04T06:00Z,2027-01-04T10:30Z\n",
            "rota_pinned.csv:2: column end: '2027-01-04T10:30Z' is not a whole hour",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04T06:00Z,2027-02-30T10:00Z\n",
            "rota_pinned.csv:2: column end: '2027-02-30T10:00Z' is not a UTC time like",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04T06:00Z,2027-01-04T06:00Z\n",
            "rota_pinned.csv:2: column end: 2027-01-04T06:00Z is not after start "
            "2027-01-04T06:00Z (end is exclusive)",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,2027-01-04T06:00Z,2027-01-04T02:00Z\n",
            "rota_pinned.csv:2: column end: 2027-01-04T02:00Z is not after start",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP9,2027-01-04T06:00Z,2027-01-04T10:00Z\n",
            "rota_pinned.csv:2: column specialist_id: 'SP9' is not in specialists.csv",
        ),
        (
            "rota_pinned",
            "specialist_id,start\nSP1,2027-01-04T06:00Z\n",
            "rota_pinned.csv:1: column end: required column is missing",
        ),
        (
            "rota_pinned",
            ROTA_PINNED + "SP1,,2027-01-04T10:00Z\n",
            "rota_pinned.csv:2: column start: a value is required",
        ),
    ],
)
def test_bad_input_names_file_row_and_column(tmp_path, table, text, expected):
    problems = problems_of(tmp_path, **{table: text})
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_in_every_file_is_reported(tmp_path):
    problems = problems_of(
        tmp_path,
        staff="staff_id,operator_id,role,fte\nS1,OP1,finance,2\nS2,OP1,boss,1\n",
        specialists="specialist_id,name,roles,timezone\nSP1,,technical:3,Asia/Omsk\n"
        "SP2,B,finance:3,Nowhere\n",
    )
    assert problems[:2] == [
        "staff.csv:2: column fte: 2 is out of range: must be > 0 and <= 1",
        "staff.csv:3: column role: 'boss' is not one of subscriber, finance, technical",
    ]
    assert "specialists.csv:2: column name: a value is required" in problems
    assert any(p.startswith("specialists.csv:3: column timezone:") for p in problems)


def test_a_bad_row_does_not_also_break_references_to_it(tmp_path):
    # S2 has a bad fte; the absence of S2 must not be reported as a dangling reference
    problems = problems_of(
        tmp_path,
        staff="staff_id,operator_id,role,fte\nS1,OP1,finance,1\nS2,OP1,technical,x\n",
        absences="staff_id,start,end\nS2,2027-01-04,2027-01-05\n",
    )
    assert problems == ["staff.csv:3: column fte: 'x' is not a number"]


def test_russian_excel_csv_is_accepted(tmp_path):
    """Windows-1251, semicolons and decimal commas, as Excel saves CSV on a Russian PC."""
    files = dict(GOOD)
    files["staff.csv"] = (
        "staff_id;operator_id;role;fte;name;joined_on;left_on\r\n"
        "S1;OP1;finance;1;Иванова Анна;;2027-03-12\r\n"
        "S2;OP1;technical;0,5;Петров Илья;;\r\n"
        "S3;OP1;technical;1;;2027-02-01;\r\n"
        "S4;OP2;subscriber;0,5;;;\r\n"
    ).encode("cp1251")
    files["operators.csv"] = ("\ufeff" + GOOD["operators.csv"]).encode("utf-8")
    data = load_dataset(write_files(tmp_path / "ds", files))
    assert data.staff[0].name == "Иванова Анна"
    assert data.staff[1].fte == 0.5
    assert data.operator("OP1").name == "Сибирь Телеком"


def russian_dates(text: str) -> str:
    """Every ISO date of a file as Excel on a Russian-locale PC saves it back: 07.04.2027."""
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3.\2.\1", text)


def test_russian_dates_read_like_iso_dates(tmp_path):
    # the rota's UTC times have one form only (2027-01-04T06:00Z): they stay as they are
    russian = {
        name: text if name == "rota_pinned.csv" else russian_dates(text)
        for name, text in GOOD.items()
    }
    assert russian["pinned.csv"].endswith(",15.03.2027,5\n")
    data = load_dataset(write_files(tmp_path / "ru", russian))
    assert data == load_dataset(write_files(tmp_path / "iso", GOOD))


def test_russian_dates_typed_as_text_in_a_workbook_are_accepted(tmp_path):
    """Our workbooks hold real dates; a user who types `07.04.2027` as text gets the same."""
    from datetime import datetime

    from openpyxl import load_workbook

    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    retyped = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.value = f"{cell.value:%d.%m.%Y}"
                    retyped += 1
    workbook.save(book)
    assert retyped >= 8
    assert load_dataset(book) == data


def test_an_impossible_russian_date_in_a_workbook_names_sheet_row_and_both_forms(tmp_path):
    from openpyxl import load_workbook

    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    workbook["staff"]["G2"] = "31.02.2027"  # left_on of S1
    workbook.save(book)
    with pytest.raises(DatasetError) as error:
        load_dataset(book)
    assert [str(p) for p in error.value.problems] == [
        "dataset.xlsx[staff]:2: column left_on: '31.02.2027' is not a date in the form "
        "YYYY-MM-DD or DD.MM.YYYY"
    ]


def test_quoted_decimal_comma_in_a_comma_separated_file(tmp_path):
    files = dict(GOOD)
    files["staff.csv"] = GOOD["staff.csv"].replace(
        "S4,OP2,subscriber,0.5", 'S4,OP2,subscriber,"0,5"'
    )
    assert load_dataset(write_files(tmp_path / "ds", files)).staff[3].fte == 0.5


def test_blank_lines_are_skipped_but_rows_keep_their_line_numbers(tmp_path):
    problems = problems_of(
        tmp_path, staff="staff_id,operator_id,role,fte\n\nS1,OP1,finance,1\n,,,\nS2,OP1,x,1\n"
    )
    assert problems == [
        "staff.csv:5: column role: 'x' is not one of subscriber, finance, technical"
    ]


def test_written_dataset_reads_back_identically(tmp_path):
    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    write_dataset(data, tmp_path / "copy")
    assert load_dataset(tmp_path / "copy") == data


def test_workbook_reads_like_the_csv_folder(tmp_path):
    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    assert load_dataset(book) == data


def test_a_rota_time_with_an_offset_reads_as_the_utc_moment_it_names(tmp_path):
    files = {
        **GOOD,
        "rota_pinned.csv": ROTA_PINNED + "SP1,2027-01-04T09:00+03:00,2027-01-04T10:00Z\n",
    }
    (pin,) = load_dataset(write_files(tmp_path / "ds", files)).rota_pinned
    assert pin.start == datetime(2027, 1, 4, 6, tzinfo=UTC)
    assert pin.start.utcoffset().total_seconds() == 0


def test_rota_pins_are_written_back_in_the_contract_s_utc_form(tmp_path):
    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    write_dataset(data, tmp_path / "copy")
    text = (tmp_path / "copy" / "rota_pinned.csv").read_text(encoding="utf-8-sig")
    assert text == GOOD["rota_pinned.csv"]

    from openpyxl import load_workbook

    sheet = load_workbook(write_workbook(data, tmp_path / "dataset.xlsx"))["rota_pinned"]
    assert [c.value for c in sheet[2]] == ["SP1", "2027-01-04T18:00Z", "2027-01-05T02:00Z"]


def test_a_workbook_datetime_in_a_rota_column_is_taken_as_utc(tmp_path):
    """Excel keeps no zone: a typed date and time in `rota_pinned` is the UTC hour it shows."""
    from openpyxl import load_workbook

    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    workbook["rota_pinned"]["B2"] = datetime(2027, 1, 4, 18)
    workbook["rota_pinned"]["C2"] = datetime(2027, 1, 5)  # midnight: still a time, not a date
    workbook.save(book)
    (pin,) = load_dataset(book).rota_pinned
    assert (pin.start, pin.end) == (
        datetime(2027, 1, 4, 18, tzinfo=UTC),
        datetime(2027, 1, 5, tzinfo=UTC),
    )
    workbook["rota_pinned"]["C2"] = datetime(2027, 1, 5, 2, 30)
    workbook.save(book)
    with pytest.raises(DatasetError) as error:
        load_dataset(book)
    assert [str(p) for p in error.value.problems] == [
        "dataset.xlsx[rota_pinned]:2: column end: '2027-01-05T02:30Z' is not a whole hour"
    ]


def test_workbook_problems_name_the_sheet_and_row(tmp_path):
    from openpyxl import load_workbook

    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    workbook["staff"]["D3"] = 7  # fte of S2
    workbook.save(book)
    with pytest.raises(DatasetError) as error:
        load_dataset(book)
    assert [str(p) for p in error.value.problems] == [
        "dataset.xlsx[staff]:3: column fte: 7 is out of range: must be > 0 and <= 1"
    ]


def test_workbook_dates_and_numbers_typed_by_excel_are_accepted(tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    data = load_dataset(write_files(tmp_path / "ds", GOOD))
    book = write_workbook(data, tmp_path / "dataset.xlsx")
    workbook = load_workbook(book)
    workbook["staff"]["G2"] = datetime(2027, 3, 12)
    workbook["staff"]["D2"] = 1.0
    workbook.save(book)
    assert load_dataset(book) == data


def test_not_a_dataset(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    _, problems = check_dataset(tmp_path / "notes.txt")
    assert "a dataset is a folder of CSV files or an .xlsx workbook" in str(problems[0])
    _, problems = check_dataset(tmp_path / "missing")
    assert "no such folder or workbook" in str(problems[0])


def test_demo_dataset_is_valid():
    data = load_dataset(REPO_ROOT / "data" / "demo")
    assert len(data.operators) >= 30
    assert len(data.specialists) >= 10


def test_a_calendar_row_of_nobody_s_region_is_a_warning_not_an_error(tmp_path):
    calendar = (
        "date,working,region,note\n"
        "2027-06-11,no,,\n"
        "2027-08-30,no,Новосибирская область,\n"
        "2027-08-31,no,Татарстан,День республики\n"
    )
    dataset = load_dataset(write_files(tmp_path / "ds", {**GOOD, "calendar.csv": calendar}))
    assert len(dataset.calendar) == 3
    assert [str(p) for p in calendar_warnings(dataset)] == [
        "calendar.csv:4: column region: region 'Татарстан' matches no operator or "
        "specialist: the row changes nobody's working days"
    ]


def test_a_specialist_s_region_counts_for_the_calendar(tmp_path):
    dataset = load_dataset(write_files(tmp_path / "ds", GOOD))
    dataset = replace(
        dataset,
        specialists=(replace(dataset.specialists[0], region="Татарстан"),),
        calendar=(CalendarDay(date(2027, 8, 30), False, "Татарстан"),),
    )
    assert calendar_warnings(dataset) == []
