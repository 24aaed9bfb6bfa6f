"""Scenario changes on tiny datasets, with the demand and cover counted by hand.

The horizon is three weeks from Monday 2027-01-04 (`day(7)` is the second
Monday, `day(14)` the third). One unit is 0.1 FTE for a week.
"""

from __future__ import annotations

import pytest

from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.data.problems import DatasetError
from planner.domain.records import Request
from planner.whatif.changes import (
    DemandScales,
    NewRequirement,
    NewStaff,
    OperatorJoins,
    OperatorLeaves,
    RequirementChanges,
    SpecialistJoins,
    SpecialistLeave,
    SpecialistLeaves,
    StaffAbsent,
    StaffJoins,
    StaffLeaves,
)
from planner.whatif.scenario import (
    Scenario,
    parse_scenario,
    read_scenario,
    scenario_text,
    write_scenario,
)
from tests.builders import MONDAY, dataset, day, requirement, specialist, staff

WEEKS = 3


def cover(data) -> tuple[dict, dict]:
    """Demand and covered units by priority of a cover-only plan."""
    plan = services.plan_cover(
        actor=LOCAL_ADMIN,
        dataset=data,
        start=MONDAY,
        weeks=WEEKS,
        secondary=False,
        workers=1,
        time_limit=10,
        calendar="none",  # the hand-made cases count five working days a week
    )
    return plan.summary["demand_units"], plan.summary["covered_units"]


def staffed(**kw):
    """OP1 needs 1.0 technical FTE (critical) and has S1 at 1.0: no gap; SP1 can cover."""
    return dataset(
        requirements=[requirement(priority="critical", **kw)],
        staff_members=[staff("S1")],
        specialists=[specialist("SP1")],
    )


def apply(data, *changes):
    return Scenario("test", "", tuple(changes)).apply(data, source="test.yaml")


def test_staff_leaves_opens_a_gap_from_that_day():
    demand, covered = cover(apply(staffed(), StaffLeaves("S1", day(7))))
    assert demand["critical"] == 20  # weeks 2 and 3, 10 units each
    assert covered["critical"] == 20
    assert apply(staffed(), StaffLeaves("S1", day(7))).staff[0].left_on == day(6)


def test_specialist_leaves_from_that_day():
    data = apply(staffed(), StaffLeaves("S1", day(7)), SpecialistLeaves("SP1", day(14)))
    demand, covered = cover(data)
    assert (demand["critical"], covered["critical"]) == (20, 10)


def test_specialist_leave_takes_their_weeks_away():
    data = apply(staffed(), StaffLeaves("S1", day(7)), SpecialistLeave("SP1", day(7), day(11)))
    demand, covered = cover(data)
    assert (demand["critical"], covered["critical"]) == (20, 10)
    assert data.specialist_absences[-1].kind == "leave"


def test_specialist_joins_from_a_date_with_the_given_roles_and_skills():
    base = dataset(
        requirements=[requirement(skills=("oracle",), min_level=2)],
        specialists=[specialist("SP1", skills=("linux",))],
    )
    assert cover(base)[1]["normal"] == 0
    hire = SpecialistJoins(
        "NEW", (("technical", 2),), "Europe/Moscow", skills=("oracle",), on=day(7)
    )
    demand, covered = cover(apply(base, hire))
    assert (demand["normal"], covered["normal"]) == (30, 20)


def test_a_hire_in_a_region_works_by_that_regions_calendar():
    """A newcomer in Bashkortostan is off on its Republic Day (a calendar.csv line)."""
    from dataclasses import replace
    from datetime import date

    from planner.domain.calendar import Horizon
    from planner.domain.production_calendar import calendar_for
    from planner.domain.records import CalendarDay
    from planner.rules.capacity import specialist_capacity

    republic = "Республика Башкортостан"
    base = replace(
        dataset(requirements=[requirement()]),
        calendar=(CalendarDay(date(2027, 10, 11), False, republic, "День Республики"),),
    )
    week = Horizon(date(2027, 10, 11), 1, calendar_for("ru", base.calendar))
    local = SpecialistJoins("NEW", (("technical", 2),), "Asia/Yekaterinburg", region=republic)
    elsewhere = SpecialistJoins("FAR", (("technical", 2),), "Asia/Yekaterinburg")
    changed = apply(apply(base, local), elsewhere)
    capacity = specialist_capacity(changed, week)
    assert list(capacity["NEW"]) == [8]  # four working days
    assert list(capacity["FAR"]) == [10]


def test_staff_absent_two_days_is_four_units():
    demand, _ = cover(apply(staffed(), StaffAbsent("S1", day(0), day(1))))
    assert demand["critical"] == 4  # 1 - 3/5 = 0.4 FTE in week 1


def test_staff_joins_closes_a_gap():
    data = dataset(requirements=[requirement(min_fte=2.0)], staff_members=[staff("S1")])
    assert cover(data)[0]["normal"] == 30
    demand, _ = cover(apply(data, StaffJoins("S2", "OP1", "technical", 1.0, day(7))))
    assert demand["normal"] == 10


def test_operator_leaves_stops_its_gaps_and_requests():
    data = dataset(
        requirements=[requirement()],
        specialists=[specialist("SP1")],
        requests=[Request("R1", "OP1", "finance", day(0), day(18), 0.5)],
    )
    assert cover(data)[0]["normal"] == 30 + 15
    changed = apply(data, OperatorLeaves("OP1", day(7)))
    assert cover(changed)[0]["normal"] == 10 + 5
    assert changed.requests[0].end == day(6)


def test_operator_joins_with_requirements_and_staff_from_a_date():
    joins = OperatorJoins(
        "OP2",
        "Новый",
        "Asia/Yekaterinburg",
        (NewRequirement("finance", 1.5, priority="high"),),
        (NewStaff("S9", "finance", 0.5),),
        on=day(7),
    )
    data = apply(dataset(), joins)
    assert cover(data)[0]["high"] == 20  # 1.5 - 0.5 = 1.0 FTE in weeks 2 and 3 only
    assert data.operator("OP2").timezone == "Asia/Yekaterinburg"


def test_requirement_changes_and_additions():
    data = apply(staffed(), RequirementChanges("OP1", "technical", min_fte=1.5, priority="high"))
    assert cover(data)[0] == {"critical": 0, "high": 15, "normal": 0}
    added = apply(staffed(), RequirementChanges("OP1", "finance", min_fte=0.5))
    assert cover(added)[0]["normal"] == 15


def test_demand_scales_requirements_and_requests_by_filter():
    data = dataset(
        requirements=[requirement(), requirement(role="finance", min_fte=0.5)],
        staff_members=[staff("S1"), staff("S2", role="finance", fte=0.5)],
    )
    changed = apply(data, DemandScales(2.0, role="technical"))
    assert cover(changed)[0]["normal"] == 30  # technical 2.0 - 1.0; finance unchanged
    assert changed.requirements[1].min_fte == 0.5


def test_unknown_ids_name_the_file_change_and_field():
    with pytest.raises(DatasetError) as caught:
        apply(staffed(), StaffLeaves("S1", day(7)), SpecialistLeaves("SP9", day(7)))
    assert str(caught.value) == "test.yaml:2: column specialist_id: 'SP9' is not in specialists.csv"


def test_a_result_that_breaks_a_dataset_rule_is_refused():
    hire = SpecialistJoins("SP1", (("technical", 2),), "Europe/Moscow")
    with pytest.raises(DatasetError, match=r"test\.yaml:1: column specialist_id: 'SP1' is already"):
        apply(staffed(), hire)
    new_client = OperatorJoins("OP2", "X", "Europe/Moscow", (NewRequirement("technical", -1.0),))
    with pytest.raises(DatasetError, match=r"after the changes, requirements\.csv:.*min_fte"):
        apply(staffed(), new_client)


ALL_KINDS = Scenario(
    "all kinds",
    "every change once",
    (
        SpecialistLeaves("SP1", day(7)),
        SpecialistLeave("SP1", day(1), day(2), "sick"),
        SpecialistJoins(
            "NEW",
            (("technical", 3), ("finance", 1)),
            "Asia/Omsk",
            "Новый",
            ("oracle", "linux"),
            0.8,
            2,
            1500.0,
            day(7),
        ),
        StaffLeaves("S1", day(3)),
        StaffAbsent("S1", day(0), day(1)),
        StaffJoins("S2", "OP1", "technical", 0.5, day(14), "Пётр"),
        OperatorLeaves("OP1", day(14)),
        OperatorJoins(
            "OP2",
            "Второй",
            "Europe/Moscow",
            (NewRequirement("finance", 1.0, ("invoicing",), 2, "high"),),
            (NewStaff("S9", "finance", 0.5, "Анна"),),
            "24x7",
            "Москва",
            day(7),
        ),
        RequirementChanges("OP1", "technical", min_fte=2.0, skills=("oracle",)),
        DemandScales(1.2, operator_id="OP1"),
    ),
)


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
def test_scenario_files_round_trip(tmp_path, suffix):
    path = write_scenario(ALL_KINDS, tmp_path / f"all{suffix}")
    assert read_scenario(path) == ALL_KINDS
    assert "2027-01-11" in path.read_text(encoding="utf-8")  # dates as ISO text
    assert apply(staffed(), *read_scenario(path).changes).operator("OP2").sla == "24x7"


def test_yaml_reads_as_people_write_it():
    text = """
name: SP1 leaves
changes:
  - kind: specialist_leaves
    specialist_id: SP1
    on: 2027-01-11
  - kind: specialist_joins
    specialist_id: NEW
    roles: technical:2
    timezone: Europe/Moscow
    skills: [oracle, linux]
    from: 2027-01-18
"""
    scenario = parse_scenario(text, ".yaml", source="x.yaml")
    assert scenario.changes == (
        SpecialistLeaves("SP1", day(7)),
        SpecialistJoins(
            "NEW", (("technical", 2),), "Europe/Moscow", skills=("oracle", "linux"), on=day(14)
        ),
    )
    assert "on: '2027-01-11'" in scenario_text(scenario, ".yaml").replace("'on'", "on")


def test_file_problems_name_the_change_and_field():
    text = (
        '{"name": "x", "changes": [{"kind": "staff_leaves", "staff_id": "S1", '
        '"on": "2027/01/11"}, {"kind": "hire"}]}'
    )
    with pytest.raises(DatasetError) as caught:
        parse_scenario(text, ".json", source="x.json")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == (
        "x.json:1: column on: '2027/01/11' is not a date in the form YYYY-MM-DD or DD.MM.YYYY"
    )
    assert messages[1].startswith("x.json:2: column kind: 'hire' is not a change kind")


def test_a_russian_date_in_a_scenario_file_reads_like_an_iso_one():
    text = '{"name": "x", "changes": [{"kind": "staff_leaves", "staff_id": "S1", "on": "%s"}]}'
    russian = parse_scenario(text % "11.01.2027", ".json", source="x.json")
    assert russian == parse_scenario(text % "2027-01-11", ".json", source="x.json")
    assert russian.changes[0].on.isoformat() == "2027-01-11"
