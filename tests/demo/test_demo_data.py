"""The demo generator keeps the dataset contract (DATA_FORMAT.md) and is reproducible.

Every other test, the benchmarks and the committed `data/demo/` rely on these datasets,
so a broken reference or a changed byte here would surface far away and confusingly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.data.validate import load_dataset
from planner.demo.generator import (
    COLUMNS,
    INCIDENT_CRAFTS,
    PRESETS,
    REGIONS,
    REPUBLIC_HOLIDAYS,
    ROLES,
    SKILLS,
    UTC_OFFSET_HOURS,
    Tables,
    generate,
    write_dataset,
)
from planner.domain.production_calendar import calendar_for
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


def test_the_demo_calendar_holds_the_republics_days_off_of_its_year() -> None:
    data = load_dataset(DEMO_FOLDER)
    regions = {o.region for o in data.operators} | {s.region for s in data.specialists}
    assert {row.region for row in data.calendar} <= regions
    # Татарстан's День Конституции, Saturday 6 November 2027, is a day off anyway: no line.
    assert {(row.date.isoformat(), row.region) for row in data.calendar} == {
        ("2027-03-10", "Республика Башкортостан"),
        ("2027-03-10", "Республика Татарстан"),
        ("2027-05-17", "Республика Башкортостан"),
        ("2027-05-17", "Республика Татарстан"),
        ("2027-08-30", "Республика Татарстан"),
        ("2027-10-11", "Республика Башкортостан"),
        ("2027-12-24", "Республика Башкортостан"),
    }
    assert not any(row.working for row in data.calendar)
    feasts = [row for row in data.calendar if "байрам" in row.note]
    assert feasts
    assert all("указ" in row.note for row in feasts)


def test_a_bashkortostan_client_works_a_day_less_in_the_week_of_republic_day() -> None:
    data = load_dataset(DEMO_FOLDER)
    calendar = calendar_for("ru", data.calendar)
    monday = date(2027, 10, 11)
    ufa = next(o for o in data.operators if o.region == "Республика Башкортостан")
    moscow = next(o for o in data.operators if o.region == "Москва")
    assert len(calendar.working_days(monday, ufa.region)) == 4
    assert len(calendar.working_days(monday, moscow.region)) == 5
    kazan = next(s for s in data.specialists if s.region == "Республика Татарстан")
    assert not calendar.is_working(date(2027, 8, 30), kazan.region)
    assert calendar.is_working(date(2027, 8, 30), "Москва")


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_every_preset_has_its_republics_and_their_days_off(preset_name: str) -> None:
    tables = tables_of(preset_name)
    preset = PRESETS[preset_name]
    for name in REPUBLIC_HOLIDAYS:
        assert any(row["region"] == name for row in tables["specialists"]), name
    names = {region.name for region in REGIONS}
    assert {row["region"] for row in tables["calendar"]} <= set(REPUBLIC_HOLIDAYS) <= names
    for row in tables["calendar"]:
        day = parse_date(row["date"])
        assert preset.year_start <= day <= preset.year_end
        assert day.weekday() < 5


def test_a_year_without_its_feast_dates_stops_the_generator() -> None:
    with pytest.raises(ValueError, match="2028"):
        generate(replace(PRESETS["S"], year_start=date(2028, 1, 3)))


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_incident_terms_follow_the_contract_an_operator_signed(preset_name: str) -> None:
    operators = tables_of(preset_name)["operators"]
    technical = {skill for skill, _ in SKILLS["technical"]}
    round_the_clock = [row for row in operators if row["sla"] == "24x7"]
    office_hours = [row for row in operators if row["sla"] == "8x5"]
    assert {int(r["response_minutes"]) for r in round_the_clock} <= {30, 45, 60}
    assert {int(r["response_minutes"]) for r in office_hours} <= {120, 240, 480}
    for row in operators:
        skills = list(filter(None, row["incident_skills"].split(";")))
        assert len(skills) <= 1
        crafts = set(skills) & set(INCIDENT_CRAFTS)
        # A senior is asked for exactly when a rare craft is, and by its own contract.
        assert (row["incident_level"] == "3") == bool(crafts), row
        assert all(INCIDENT_CRAFTS[craft] == row["sla"] for craft in crafts), row
        assert set(skills) <= technical | set(INCIDENT_CRAFTS)
    assert {r["incident_level"] for r in round_the_clock} == {"2", "3"}
    assert {r["incident_level"] for r in office_hours} == {"1", "2", "3"}
    # Most ask a middle engineer; a few a senior.
    levels = Counter(row["incident_level"] for row in operators)
    assert levels["2"] > len(operators) / 2
    assert 0 < levels["3"] <= len(operators) / 10


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_a_few_on_call_seniors_know_the_rare_crafts_and_no_cover_asks_them(
    preset_name: str,
) -> None:
    tables = tables_of(preset_name)
    for craft in INCIDENT_CRAFTS:
        holders = [row for row in tables["specialists"] if craft in row["skills"].split(";")]
        assert holders, craft
        assert len(holders) <= len(tables["specialists"]) / 10 + 1, craft
        assert all("technical:3" in row["roles"] and row["oncall"] == "yes" for row in holders)
    for stem in ("requirements", "requests"):
        asked = {skill for row in tables[stem] for skill in row["skills"].split(";")}
        assert not asked & set(INCIDENT_CRAFTS), stem


def test_the_demo_has_a_rare_craft_with_a_single_qualified_engineer() -> None:
    """The gap whose reason is "the only one qualified is on vacation"."""
    specialists = tables_of("demo")["specialists"]
    holders = [
        sum(craft in row["skills"].split(";") for row in specialists) for craft in INCIDENT_CRAFTS
    ]
    assert 1 in holders


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_oncall_terms_vary_as_a_bench_does(preset_name: str) -> None:
    specialists = tables_of(preset_name)["specialists"]
    for row in specialists:
        region = next(r for r in REGIONS if r.name == row["region"])
        assert region.timezone == row["timezone"]
        if row["oncall"] == "yes":
            assert "technical:" in row["roles"]
        assert row["standby_response_minutes"] in {"15", "20", "30", "45"}
        hours = int(row["max_duty_hours"])
        assert 0 <= hours <= 48 * float(row["capacity_fte"])
        assert hours % 4 == 0
    engineers = [row for row in specialists if "technical:" in row["roles"]]
    on_call = [row for row in engineers if row["oncall"] == "yes"]
    assert any(row["oncall"] == "no" for row in specialists)
    assert len(on_call) >= len(engineers) / 2
    assert len({row["standby_response_minutes"] for row in on_call}) >= 2
    # A night call can meet a 30-minute promise: most answer from home within half an hour.
    quick = [row for row in on_call if int(row["standby_response_minutes"]) <= 30]
    assert len(quick) >= 0.75 * len(on_call)
    # Someone on call in the far east answers Moscow's night at the desk.
    assert any(UTC_OFFSET_HOURS[row["timezone"]] >= 10 for row in on_call)
    assert len({row["max_duty_hours"] for row in specialists}) >= 2
