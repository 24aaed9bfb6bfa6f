"""Hostile dataset files: each one refused with a located problem, quickly, never a crash.

The files are built here at test time (a workbook is written small, then its XML patched), so
the corpus stays a few kilobytes. Every case goes through `planner validate`, as a user runs
it, and through `services.check_uploads`, the app's upload path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from planner import services
from planner.data.schema import TABLE_NAMES
from planner.data.validate import load_dataset
from planner.data.write import write_workbook
from tests.builders import REPO_ROOT
from tests.data.test_dataset import GOOD, write_files

STAFF_HEADER = "staff_id,operator_id,role,fte,name,joined_on,left_on\n"
SPECIALISTS_HEADER = "specialist_id,name,roles,timezone,max_clients,cost_per_hour\n"
OTHER_SPECIALIST = "SP2,Белова Ирина,finance:3,Europe/Moscow,2,1800.5\n"


def planner(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        timeout=30,  # a hang is a failure, not a stuck test run
    )


def with_staff_row(row: str) -> dict[str, str | bytes]:
    return {**GOOD, "staff.csv": STAFF_HEADER + "S1,OP1,finance,1,Иванова Анна,,\n" + row}


def with_specialist(row: str) -> dict[str, str | bytes]:
    return {**GOOD, "specialists.csv": SPECIALISTS_HEADER + row + OTHER_SPECIALIST}


def workbook(folder: Path, patch: Callable[[dict[str, bytes]], None] | None = None) -> Path:
    """The good dataset as `book.xlsx`, its zip parts then changed by `patch`."""
    folder.mkdir(parents=True, exist_ok=True)
    good = load_dataset(write_files(folder / "good", GOOD))
    path = write_workbook(good, folder / "book.xlsx")
    if patch is None:
        return path
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    patch(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def sheet_part(table: str) -> str:
    return f"xl/worksheets/sheet{TABLE_NAMES.index(table) + 1}.xml"


def stray_cell_at_the_last_row(parts: dict[str, bytes]) -> None:
    """`<dimension>` claims the whole sheet and one cell stands in row 1048576."""
    xml = parts[sheet_part("absences")]
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    stray = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    parts[sheet_part("absences")] = xml.replace(b"</sheetData>", stray + b"</sheetData>")


def stray_cell_far_right(parts: dict[str, bytes]) -> None:
    xml = parts[sheet_part("absences")]
    stray = b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    parts[sheet_part("absences")] = xml.replace(b"</row>", stray, 2).replace(stray, b"</row>", 1)


def stale_dimension(parts: dict[str, bytes]) -> None:
    """`<dimension>` says the staff sheet ends at its first data row."""
    xml = parts[sheet_part("staff")]
    parts[sheet_part("staff")] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"', xml)


def extra_sheet(title: str, *, hidden: bool) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        from openpyxl import load_workbook

        path = workbook(folder)
        book = load_workbook(path)
        sheet = book.create_sheet(title)
        sheet.append(["staff_id", "operator_id", "role", "fte"])
        sheet.append(["X1", "OP1", "finance", 1])
        if hidden:
            sheet.sheet_state = "hidden"
        book.save(path)
        return path

    return build


def huge_name(parts: dict[str, bytes]) -> None:
    """A name of 200,000 characters (openpyxl itself writes at most 32,767)."""
    xml = parts[sheet_part("staff")]
    cell = b'<c r="E2" t="inlineStr"><is><t>' + "Я".encode() * 200_000 + b"</t></is></c>"
    parts[sheet_part("staff")] = re.sub(rb'<c r="E2"[^>]*>.*?</c>', lambda _: cell, xml, count=1)


def oversized_csv(folder: Path) -> Path:
    """A staff.csv of 50 MB and one byte (sparse: no disk is used); never read."""
    files = write_files(folder / "ds", GOOD)
    with open(files / "staff.csv", "r+b") as handle:
        handle.truncate(50_000_001)
    return files


def mixed_encoding() -> dict[str, str | bytes]:
    lines = [
        STAFF_HEADER,
        "S1,OP1,finance,1,Иванова Анна,,\n",
        "S2,OP1,technical,1,Петров Илья,,\n",
    ]
    return {
        **GOOD,
        "staff.csv": b"".join(
            [line.encode("cp1251" if n == 2 else "utf-8") for n, line in enumerate(lines)]
            + [b"S3,OP1,technical,1,,,\nS4,OP2,subscriber,0.5,,,\n"]
        ),
    }


# name -> (build the dataset in a folder, the problem it must give)
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "nul byte": (
        lambda d: write_files(d / "ds", with_staff_row("S2,OP1,technical,1,Пет\x00ров,,\n")),
        "staff.csv:3: column name: 'Пет\\x00ров' holds the control character U+0000",
    ),
    "tab inside text": (
        lambda d: write_files(d / "ds", with_staff_row("S2,OP1,technical,1,Петров\tИлья,,\n")),
        "staff.csv:3: column name: 'Петров\\tИлья' holds the control character U+0009",
    ),
    "cell over 131,072 characters": (
        lambda d: write_files(d / "ds", with_staff_row(f"S2,OP1,technical,1,{'Я' * 200_000},,\n")),
        "staff.csv:3: column name: text of 200,000 characters: at most 1,000 allowed",
    ),
    "identifier of 65 characters": (
        lambda d: write_files(d / "ds", with_staff_row(f"{'S' * 65},OP1,technical,1,,,\n")),
        "staff.csv:3: column staff_id: text of 65 characters: at most 64 allowed",
    ),
    "integer beyond 64 bits": (
        lambda d: write_files(
            d / "ds", with_specialist(f"SP1,Орлов,technical:3,Asia/Omsk,{2**70},0\n")
        ),
        "specialists.csv:2: column max_clients: '1180591620717411303424' is too large: numbers "
        "are at most 1,000,000",
    ),
    "cost_per_hour 1e15": (
        lambda d: write_files(
            d / "ds", with_specialist("SP1,Орлов,technical:3,Asia/Omsk,3,1e15\n")
        ),
        "specialists.csv:2: column cost_per_hour: '1e15' is too large",
    ),
    "min_fte of two million": (
        lambda d: write_files(
            d / "ds",
            {**GOOD, "requirements.csv": "operator_id,role,min_fte\nOP1,finance,2000000\n"},
        ),
        "requirements.csv:2: column min_fte: '2000000' is too large",
    ),
    "time zone Europe, a folder": (
        lambda d: write_files(d / "ds", with_specialist("SP1,Орлов,technical:3,Europe,3,0\n")),
        "specialists.csv:2: column timezone: 'Europe' is not an IANA time zone",
    ),
    "time zone ../etc": (
        lambda d: write_files(
            d / "ds", with_specialist("SP1,Орлов,technical:3,../etc/passwd,3,0\n")
        ),
        "specialists.csv:2: column timezone: '../etc/passwd' is not an IANA time zone",
    ),
    "one Windows-1251 line in a UTF-8 file": (
        lambda d: write_files(d / "ds", mixed_encoding()),
        "staff.csv:3: this line is not UTF-8 text while the rest of the file is",
    ),
    "a file over 50 MB": (
        oversized_csv,
        "staff.csv: the file is 50,000,001 bytes: at most 50,000,000 are read",
    ),
    "dimension of the whole sheet, a cell in row 1048576": (
        lambda d: workbook(d, stray_cell_at_the_last_row),
        "book.xlsx[absences]:200001: more than 200,000 rows",
    ),
    "a cell in column XFD": (
        lambda d: workbook(d, stray_cell_far_right),
        "book.xlsx[absences]:2: a cell beyond column 100",
    ),
    "a hidden sheet": (
        extra_sheet("Staff.csv", hidden=True),
        "book.xlsx[Staff.csv]: sheet Staff.csv is hidden: unhide it or delete it",
    ),
    "two sheets for one file": (
        extra_sheet("Staff.csv", hidden=False),
        "book.xlsx[Staff.csv]: sheets staff and Staff.csv are both staff: keep one",
    ),
    "a huge cell in a workbook": (
        lambda d: workbook(d, huge_name),
        "book.xlsx[staff]:2: column name: text of 200,000 characters: at most 1,000 allowed",
    ),
}


def uploads(source: Path) -> dict[str, bytes]:
    if source.is_file():
        return {source.name: source.read_bytes()}
    return {path.name: path.read_bytes() for path in source.iterdir()}


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses_a_hostile_file_with_a_located_problem(tmp_path, case):
    build, expected = CASES[case]
    result = planner("validate", str(build(tmp_path)))
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) < 300  # no cell repeated


@pytest.mark.parametrize("case", CASES)
def test_the_upload_path_refuses_a_hostile_file_alike(tmp_path, case):
    build, expected = CASES[case]
    dataset, problems = services.check_uploads(files=uploads(build(tmp_path)))
    assert dataset is None
    assert any(str(p).startswith(expected) for p in problems), problems


def test_a_stale_dimension_loses_no_row(tmp_path):
    """openpyxl's read-only mode trusts `<dimension>`: the sheet would end at row 2."""
    data = load_dataset(workbook(tmp_path, stale_dimension))
    assert [s.staff_id for s in data.staff] == ["S1", "S2", "S3", "S4"]


def test_import_of_a_nul_byte_never_reaches_the_database(tmp_path):
    env = {"PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'planner.db'}"}
    good = write_files(tmp_path / "good", GOOD)
    assert planner("import", str(good), env=env).returncode == 0
    build, expected = CASES["nul byte"]
    result = planner("import", str(build(tmp_path)), env=env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert planner("export", str(tmp_path / "after"), env=env).returncode == 0
    assert load_dataset(tmp_path / "after") == load_dataset(good)


def test_a_windows_1251_file_still_reads(tmp_path):
    """The whole file in Windows-1251, as Russian Excel saves it, is not a mixed file."""
    lines = STAFF_HEADER + "S1,OP1,finance,1,«Иванова» Анна,,\nS2,OP1,technical,1,,,\n"
    lines += "S3,OP1,technical,1,,,\nS4,OP2,subscriber,0.5,,,\n"
    data = load_dataset(write_files(tmp_path / "ds", {**GOOD, "staff.csv": lines.encode("cp1251")}))
    assert data.staff[0].name == "«Иванова» Анна"
