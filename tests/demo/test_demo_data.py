"""The demo generator keeps the dataset contract (DATA_FORMAT.md) and is reproducible.

Every other test, the benchmarks and the committed `data/demo/` rely on these datasets,
so a broken reference or a changed byte here would surface far away and confusingly.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.demo.generator import (
    COLUMNS,
    PRESETS,
    ROLES,
    UTC_OFFSET_HOURS,
    Tables,
    generate,
    write_dataset,
)
from tests.builders import REPO_ROOT

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DEMO_FOLDER = REPO_ROOT / "data" / "demo"


@cache
def tables_of(preset_name: str) -> Tables:
    return generate(PRESETS[preset_name])


def parse_date(cell: str) -> date:
    assert ISO_DATE.fullmatch(cell), f"{cell!r} is not an ISO date"
    return date.fromisoformat(cell)


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    preset = PRESETS["demo"]
    write_dataset(generate(preset), tmp_path / "first")
    write_dataset(generate(preset), tmp_path / "second")
    names = sorted(path.name for path in (tmp_path / "first").iterdir())
    assert names == sorted(f"{stem}.csv" for stem in COLUMNS)
    for name in names:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_another_seed_gives_another_dataset() -> None:
    assert generate(PRESETS["demo"]) != generate(PRESETS["S"])


def test_committed_demo_is_what_the_generator_writes(tmp_path: Path) -> None:
    if not DEMO_FOLDER.is_dir():
        pytest.skip("data/demo has not been generated")
    write_dataset(tables_of("demo"), tmp_path)
    for path in sorted(tmp_path.iterdir()):
        assert (DEMO_FOLDER / path.name).read_bytes() == path.read_bytes(), (
            f"data/demo/{path.name} is stale: run python -m planner.demo"
        )


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_ids_are_unique_and_references_exist(preset_name: str) -> None:
    tables = tables_of(preset_name)
    ids = {}
    for stem, column in [
        ("operators", "operator_id"),
        ("staff", "staff_id"),
        ("specialists", "specialist_id"),
        ("requests", "request_id"),
    ]:
        values = [row[column] for row in tables[stem]]
        assert all(values), f"{stem}: empty {column}"
        assert len(set(values)) == len(values), f"{stem}: duplicate {column}"
        ids[column] = set(values)
    references = [
        ("requirements", "operator_id"),
        ("staff", "operator_id"),
        ("absences", "staff_id"),
        ("specialist_absences", "specialist_id"),
        ("requests", "operator_id"),
        ("history", "specialist_id"),
        ("history", "operator_id"),
    ]
    for stem, column in references:
        missing = {row[column] for row in tables[stem]} - ids[column]
        assert not missing, f"{stem}.{column} refers to unknown {sorted(missing)[:3]}"
    pairs = [(row["specialist_id"], row["operator_id"]) for row in tables["history"]]
    assert len(set(pairs)) == len(pairs)


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_one_requirement_per_operator_and_role(preset_name: str) -> None:
    tables = tables_of(preset_name)
    keys = Counter((row["operator_id"], row["role"]) for row in tables["requirements"])
    expected = {(row["operator_id"], role) for row in tables["operators"] for role in ROLES}
    assert set(keys) == expected
    assert set(keys.values()) == {1}


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_dates_are_iso_and_periods_run_forward(preset_name: str) -> None:
    tables = tables_of(preset_name)
    for stem in ("absences", "specialist_absences", "requests"):
        for row in tables[stem]:
            assert parse_date(row["end"]) >= parse_date(row["start"]), f"{stem}: {row}"
    for stem in ("staff", "specialists"):
        for row in tables[stem]:
            joined = parse_date(row["joined_on"]) if row["joined_on"] else None
            left = parse_date(row["left_on"]) if row["left_on"] else None
            assert joined is None or left is None or joined <= left, f"{stem}: {row}"


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_values_are_within_the_contract(preset_name: str) -> None:
    tables = tables_of(preset_name)
    assert all(set(row) == set(COLUMNS[stem]) for stem, rows in tables.items() for row in rows)
    assert all(row["role"] in ROLES and 0 < float(row["fte"]) <= 1 for row in tables["staff"])
    for row in tables["requirements"]:
        assert float(row["min_fte"]) >= 0
        assert row["min_level"] in {"1", "2", "3"}
        assert row["priority"] in {"critical", "high", "normal"}
    for row in tables["requests"]:
        assert 0 < float(row["fte"]) <= 1
        assert row["role"] in ROLES
    for row in tables["specialists"]:
        roles = [item.split(":") for item in row["roles"].split(";")]
        assert len({role for role, _ in roles}) == len(roles)
        assert all(role in ROLES and level in {"1", "2", "3"} for role, level in roles)
        assert 0 < float(row["capacity_fte"]) <= 1
        assert int(row["max_clients"]) >= 1
        assert float(row["cost_per_hour"]) >= 0
    for row in tables["operators"]:
        assert row["sla"] in {"24x7", "8x5"}
        assert int(row["response_minutes"]) > 0


def test_fixed_utc_offsets_match_tzdata() -> None:
    """The generator's offset table must agree with the zones the planner will read."""
    year_start = PRESETS["demo"].year_start
    for zone, hours in UTC_OFFSET_HOURS.items():
        for day in (year_start, year_start + timedelta(weeks=26)):
            moment = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("UTC"))
            offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
            assert offset == timedelta(hours=hours), zone
