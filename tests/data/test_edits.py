"""Concurrent editing: each saved row names the version it was loaded at; a stale save is
refused naming the row, and nobody's change is lost."""

from __future__ import annotations

import pandas as pd
import pytest

from planner import services
from planner.accounts.access import AccessDenied, Actor
from planner.data.edits import RowChange, StaleEdit, row_changes
from tests.data.test_dataset import GOOD, write_files

ANNA = Actor(username="anna", role="manager")
BORIS = Actor(username="boris", role="manager")
OP1 = Actor(username="op1", role="operator", operator_id="OP1")
STAFF = ["staff_id", "operator_id", "role", "fte", "name", "joined_on", "left_on"]


@pytest.fixture
def stored(engine, tmp_path):
    services.import_dataset(actor=ANNA, source=write_files(tmp_path / "ds", GOOD), engine=engine)
    return engine


def edit(table: str, versions, position: int, **cells) -> RowChange:
    row_id, version = versions[table][position]
    return RowChange(table, row_id, version, cells, position + 2)


def staff_cells(dataset, position: int, **changes) -> dict[str, str]:
    member = dataset.staff[position]
    cells = {c: "" if getattr(member, c) is None else str(getattr(member, c)) for c in STAFF}
    return {**cells, **changes}


def test_two_edits_of_the_same_row_one_wins_the_other_is_told(stored):
    dataset, anna_sees = services.stored_rows(actor=ANNA, engine=stored)
    _, boris_sees = services.stored_rows(actor=BORIS, engine=stored)
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[edit("staff", anna_sees, 0, **staff_cells(dataset, 0, name="Анна Первая"))],
    )
    with pytest.raises(StaleEdit, match=r"staff\.csv line 2 \(S1\) was changed by someone else"):
        services.save_changes(
            actor=BORIS,
            engine=stored,
            changes=[
                edit("staff", boris_sees, 1, **staff_cells(dataset, 1, fte="0.5")),
                edit("staff", boris_sees, 0, **staff_cells(dataset, 0, fte="0.8")),
            ],
        )
    after = services.stored_dataset(actor=ANNA, engine=stored)
    assert (after.staff[0].name, after.staff[0].fte) == ("Анна Первая", 1.0)
    assert after.staff[1].fte == 1.0  # all or nothing: Boris's other row waits too
    # Boris reloads and redoes his edit: both changes are kept
    reloaded, boris_sees = services.stored_rows(actor=BORIS, engine=stored)
    services.save_changes(
        actor=BORIS,
        engine=stored,
        changes=[edit("staff", boris_sees, 0, **staff_cells(reloaded, 0, fte="0.8"))],
    )
    final = services.stored_dataset(actor=ANNA, engine=stored)
    assert (final.staff[0].name, final.staff[0].fte) == ("Анна Первая", 0.8)


def test_edits_of_different_rows_both_stay(stored):
    dataset, anna_sees = services.stored_rows(actor=ANNA, engine=stored)
    _, boris_sees = services.stored_rows(actor=BORIS, engine=stored)
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[edit("staff", anna_sees, 0, **staff_cells(dataset, 0, name="Анна"))],
    )
    services.save_changes(
        actor=BORIS,
        engine=stored,
        changes=[edit("staff", boris_sees, 2, **staff_cells(dataset, 2, name="Борис"))],
    )
    final = services.stored_dataset(actor=ANNA, engine=stored)
    assert [m.name for m in final.staff[:3]] == ["Анна", "Петров Илья", "Борис"]


def test_editing_a_row_someone_deleted_is_refused(stored):
    _, anna_sees = services.stored_rows(actor=ANNA, engine=stored)
    _, boris_sees = services.stored_rows(actor=BORIS, engine=stored)
    row_id, version = anna_sees["absences"][0]
    services.save_changes(
        actor=ANNA, engine=stored, changes=[RowChange("absences", row_id, version, None, 2)]
    )
    with pytest.raises(StaleEdit, match="deleted by someone else"):
        services.save_changes(
            actor=BORIS,
            engine=stored,
            changes=[
                edit(
                    "absences",
                    boris_sees,
                    0,
                    staff_id="S2",
                    start="2027-01-11",
                    end="2027-01-12",
                    kind="vacation",
                )
            ],
        )
    assert services.stored_dataset(actor=ANNA, engine=stored).absences == ()


def test_a_bad_value_saves_nothing_and_names_the_problem(stored):
    dataset, versions = services.stored_rows(actor=ANNA, engine=stored)
    with pytest.raises(services.DatasetError, match=r"staff\.csv:3: column fte"):
        services.save_changes(
            actor=ANNA,
            engine=stored,
            changes=[
                edit("staff", versions, 0, **staff_cells(dataset, 0, name="Новое имя")),
                edit("staff", versions, 1, **staff_cells(dataset, 1, fte="-1")),
            ],
        )
    assert services.stored_dataset(actor=ANNA, engine=stored) == dataset


def test_an_operator_user_edits_its_own_rows_only(stored):
    dataset, mine = services.stored_rows(actor=OP1, engine=stored)
    assert [m.staff_id for m in dataset.staff] == ["S1", "S2", "S3"]
    assert len(mine["staff"]) == 3
    assert mine["specialists"] == []
    services.save_changes(
        actor=OP1,
        engine=stored,
        changes=[
            edit("staff", mine, 0, **staff_cells(dataset, 0, name="Своя")),
            RowChange(
                "absences",
                None,
                None,
                {"staff_id": "S3", "start": "2027-03-01", "end": "2027-03-02", "kind": "sick"},
                3,
            ),
        ],
    )
    full, every = services.stored_rows(actor=ANNA, engine=stored)
    assert full.staff[0].name == "Своя"
    assert full.absences[-1].staff_id == "S3"
    their_row = every["staff"][3]  # S4 of OP2, its id guessed
    # deleting another operator's row reads like deleting a row that is not there
    with pytest.raises(StaleEdit, match="line 5 was deleted by someone else"):
        services.save_changes(
            actor=OP1, engine=stored, changes=[RowChange("staff", *their_row, None, 5)]
        )
    attempts = [
        RowChange("staff", *their_row, staff_cells(full, 3, name="Чужая"), 5),
        RowChange("staff", None, None, staff_cells(full, 0, staff_id="S9", operator_id="OP2"), 6),
        RowChange(
            "absences",
            None,
            None,
            {"staff_id": "S4", "start": "2027-03-01", "end": "2027-03-02", "kind": "sick"},
            4,
        ),
        edit("staff", mine, 0, **staff_cells(full, 0, operator_id="OP2")),
        RowChange("specialists", *every["specialists"][0], None, 2),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            services.save_changes(actor=OP1, engine=stored, changes=[attempt])
    assert services.stored_dataset(actor=ANNA, engine=stored) == full


def test_every_saved_row_is_on_the_audit_trail(stored):
    dataset, versions = services.stored_rows(actor=ANNA, engine=stored)
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[
            edit("staff", versions, 0, **staff_cells(dataset, 0, name="Новое имя")),
            RowChange("absences", *versions["absences"][0], None, 2),
            RowChange(
                "requests",
                None,
                None,
                {
                    "request_id": "RQ7",
                    "operator_id": "OP1",
                    "role": "finance",
                    "start": "2027-02-01",
                    "end": "2027-02-05",
                    "fte": "0.5",
                    "skills": "",
                    "min_level": "",
                    "priority": "",
                },
                3,
            ),
        ],
    )
    trail = services.audit_trail(actor=ANNA, username="anna", engine=stored)
    recent = {(e.action, e.entity, e.entity_id) for e in trail[:3]}
    assert recent == {
        ("edit", "staff", "S1"),
        ("delete", "absences", "S2"),
        ("add", "requests", "RQ7"),
    }
    edited = next(e for e in trail if e.action == "edit" and e.entity == "staff")
    assert (edited.before["name"], edited.after["name"]) == ("Иванова Анна", "Новое имя")


def test_row_changes_finds_edits_additions_and_deletions():
    original = pd.DataFrame(
        {"staff_id": ["S1", "S2", "S3"], "fte": ["1", "0.5", "1"]},
        index=pd.Index([2, 3, 4]),
        dtype="string",
    )
    edited = original.drop(index=[3]).copy()
    edited.loc[4, "fte"] = "0.8"
    edited.loc[5] = ["S4", "1"]
    edited.loc[6] = [None, None]  # an empty row the editor left behind
    changes = row_changes("staff", original, edited, [(10, 1), (11, 3), (12, 1)])
    assert changes == [
        RowChange("staff", 11, 3, None, 3),
        RowChange("staff", 12, 1, {"staff_id": "S3", "fte": "0.8"}, 4),
        RowChange("staff", None, None, {"staff_id": "S4", "fte": "1"}, 5),
    ]


def calendar_row(date: str, working: str, region: str = "", note: str = "") -> dict[str, str]:
    return {"date": date, "working": working, "region": region, "note": note}


def test_a_manager_adds_edits_and_deletes_calendar_rows(stored):
    warnings = services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[
            RowChange("calendar", None, None, calendar_row("2027-06-11", "no"), 2),
            RowChange(
                "calendar", None, None, calendar_row("2027-08-30", "no", "Татарстан", "День"), 3
            ),
        ],
    )
    assert [str(w) for w in warnings] == [
        "calendar.csv:3: column region: region 'Татарстан' matches no operator or "
        "specialist: the row changes nobody's working days"
    ]
    dataset, versions = services.stored_rows(actor=ANNA, engine=stored)
    assert [(d.date.isoformat(), d.working, d.region) for d in dataset.calendar] == [
        ("2027-06-11", False, None),
        ("2027-08-30", False, "Татарстан"),
    ]
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[
            edit("calendar", versions, 0, **calendar_row("2027-06-11", "yes", note="back")),
            RowChange("calendar", *versions["calendar"][1], None, 3),
        ],
    )
    after = services.stored_dataset(actor=ANNA, engine=stored)
    assert [(d.working, d.note) for d in after.calendar] == [(True, "back")]
    trail = services.audit_trail(actor=ANNA, username="anna", action="edit", engine=stored)
    assert trail[0].entity == "calendar"
    assert trail[0].operator_id is None


def test_a_duplicate_calendar_row_saves_nothing(stored):
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[RowChange("calendar", None, None, calendar_row("2027-06-11", "no"), 2)],
    )
    before = services.stored_dataset(actor=ANNA, engine=stored)
    with pytest.raises(services.DatasetError) as refused:
        services.save_changes(
            actor=ANNA,
            engine=stored,
            changes=[RowChange("calendar", None, None, calendar_row("2027-06-11", "yes"), 3)],
        )
    assert [str(p) for p in refused.value.problems] == [
        "calendar.csv:3: column region: duplicate: date 2027-06-11 and region (empty) is "
        "already on line 2"
    ]
    assert services.stored_dataset(actor=ANNA, engine=stored) == before


def test_an_operator_user_sees_the_calendar_rows_for_it_but_changes_none(stored):
    services.save_changes(
        actor=ANNA,
        engine=stored,
        changes=[
            RowChange("calendar", None, None, calendar_row("2027-06-11", "no"), 2),
            RowChange(
                "calendar", None, None, calendar_row("2027-08-30", "no", "Новосибирская область"), 3
            ),
            RowChange("calendar", None, None, calendar_row("2027-08-31", "no", "Татарстан"), 4),
        ],
    )
    full, every = services.stored_rows(actor=ANNA, engine=stored)
    dataset, mine = services.stored_rows(actor=OP1, engine=stored)
    assert [d.region for d in dataset.calendar] == [None, "Новосибирская область"]
    assert mine["calendar"] == []
    attempts = [
        RowChange("calendar", None, None, calendar_row("2027-06-14", "no"), 5),
        RowChange("calendar", *every["calendar"][0], calendar_row("2027-06-11", "yes"), 2),
        RowChange("calendar", *every["calendar"][1], None, 3),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied, match="may not change calendar"):
            services.save_changes(actor=OP1, engine=stored, changes=[attempt])
    assert services.stored_dataset(actor=ANNA, engine=stored) == full
