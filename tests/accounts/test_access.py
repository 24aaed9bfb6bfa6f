"""Tenant isolation below the UI: an operator user sees and changes only its own operator,
whatever service it calls and whatever ids it guesses. Managers see everything."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from planner import services
from planner.accounts.access import AccessDenied, Actor, hidden_columns, scope_dataset
from planner.data.validate import check_dataset, load_dataset
from planner.data.write import write_dataset
from planner.whatif.changes import DemandScales
from planner.whatif.scenario import Scenario
from tests.data.test_dataset import GOOD, write_files

MANAGER = Actor(username="boss", role="manager")
ADMIN = Actor(username="root", role="admin")
OP1 = Actor(username="op1", role="operator", operator_id="OP1")
OP2 = Actor(username="op2", role="operator", operator_id="OP2")
OP2_WORDS = ("OP2", "Волга-Онлайн", "S4", "RQ1", "2500", "1800.5")
START = date(2027, 1, 4)
OP1_GROWS = Scenario("OP1 grows", "", (DemandScales(1.5, operator_id="OP1"),))


@pytest.fixture
def world(engine, tmp_path):
    """Two operators' data and one recorded plan."""
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=START, weeks=8, time_limit=10, secondary=False
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    return engine, dataset, plan, run_id


def test_an_operator_user_reads_only_its_own_rows(world):
    engine, full, _, _ = world
    own = services.stored_dataset(actor=OP1, engine=engine)
    assert [o.operator_id for o in own.operators] == ["OP1"]
    assert {r.operator_id for r in own.requirements} == {"OP1"}
    assert {s.staff_id for s in own.staff} == {"S1", "S2", "S3"}
    assert {a.staff_id for a in own.absences} <= {"S1", "S2", "S3"}
    assert own.requests == ()
    assert own.specialist_absences == ()
    assert all(s.cost_per_hour == 0 for s in own.specialists)
    assert not any(word in repr(own) for word in OP2_WORDS)
    assert services.stored_dataset(actor=MANAGER, engine=engine) == full


def test_an_operator_user_sees_only_the_cover_planned_for_it(world):
    engine, _, plan, run_id = world
    assert {a.operator_id for a in plan.assignments} | {u.operator_id for u in plan.uncovered} == {
        "OP1",
        "OP2",
    }
    for seen in (
        services.stored_plan(actor=OP1, run_id=run_id, engine=engine),
        services.latest_plan(actor=OP1, engine=engine)[1],
    ):
        assert {a.operator_id for a in seen.assignments} <= {"OP1"}
        assert {u.operator_id for u in seen.uncovered} == {"OP1"}
        assert "cost" not in seen.summary
        assert "bound_units" not in seen.summary
        assert not any(word in repr(seen) for word in OP2_WORDS)
        assert sum(a.units for a in seen.assignments) == sum(
            a.units for a in plan.assignments if a.operator_id == "OP1"
        )
    assert services.stored_plan(actor=MANAGER, run_id=run_id, engine=engine) == plan


def test_an_operator_user_exports_only_its_own_data(world, tmp_path):
    engine, *_ = world
    written = services.export_dataset(actor=OP1, folder=tmp_path / "out", engine=engine)
    text = "".join(path.read_text(encoding="utf-8") for path in written)
    assert "OP1" in text
    assert not any(word in text for word in OP2_WORDS)


def test_an_operator_users_export_is_a_valid_dataset_with_its_rates_blank(world, tmp_path):
    """The files and the workbook the app hands an operator user import on their own: no
    history of a specialist they do not list, and rates blank, never a false 0."""
    engine, *_ = world
    folder = tmp_path / "out"
    services.export_dataset(actor=OP1, folder=folder, engine=engine)
    own, problems = check_dataset(folder)
    assert problems == []
    assert own is not None
    assert own.specialists
    shown = {s.specialist_id for s in own.specialists}
    assert {h.specialist_id for h in own.history} <= shown
    with (folder / "specialists.csv").open(encoding="utf-8-sig") as handle:
        assert {row["cost_per_hour"] for row in csv.DictReader(handle)} == {""}
    book = services.dataset_workbook(
        actor=OP1,
        dataset=services.stored_dataset(actor=OP1, engine=engine),
        path=tmp_path / "own.xlsx",
    )
    assert check_dataset(book)[1] == []
    sheet = load_workbook(book)["specialists"]
    header = [cell.value for cell in sheet[1]]
    rates = [
        row[header.index("cost_per_hour")] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert rates
    assert set(rates) == {None}


def test_an_operator_sees_history_and_pins_only_of_the_specialists_it_is_shown(tmp_path):
    full = load_dataset(write_files(tmp_path / "ds", GOOD))
    assert [(h.specialist_id, h.operator_id) for h in full.history] == [("SP1", "OP1")]
    own = scope_dataset(full, OP1, {"SP2"})
    assert own.history == ()
    assert [p.specialist_id for p in own.pinned] == ["SP2"]
    assert scope_dataset(full, OP1, {"SP1"}).pinned == ()
    write_dataset(own, tmp_path / "own", blank=hidden_columns(OP1))
    assert check_dataset(tmp_path / "own")[1] == []
    assert hidden_columns(MANAGER) == {}


REFUSED = {
    "import_dataset": lambda e, a, w: services.import_dataset(
        actor=a, source=write_files(w / "x", GOOD), engine=e
    ),
    "save_dataset": lambda e, a, w: services.save_dataset(
        actor=a, dataset=services.stored_dataset(actor=a, engine=e), engine=e
    ),
    "plan_cover": lambda e, a, w: services.plan_cover(
        actor=a, dataset=services.stored_dataset(actor=a, engine=e), start=START, weeks=1
    ),
    "record_plan": lambda e, a, w: services.record_plan(
        actor=a, plan=services.latest_plan(actor=a, engine=e)[1], time_limit=1, engine=e
    ),
    "plan_runs": lambda e, a, w: services.plan_runs(actor=a, engine=e),
    "confirm_plan_run": lambda e, a, w: services.confirm_plan_run(actor=a, run_id=1, engine=e),
    "quote": lambda e, a, w: services.quote(
        actor=a,
        dataset=services.stored_dataset(actor=a, engine=e),
        start=START,
        weeks=1,
        request=services.new_request(
            dataset=services.stored_dataset(actor=a, engine=e),
            operator_id="OP1",
            role="finance",
            start=START,
            end=START,
            fte=0.5,
        ),
        bookings=[],
    ),
    "add_user": lambda e, a, w: services.add_user(
        actor=a, username="mallory", password="long enough", role="manager", engine=e
    ),
    "list_users": lambda e, a, w: services.list_users(actor=a, engine=e),
    "disable_user": lambda e, a, w: services.disable_user(actor=a, username="op2", engine=e),
    "audit_trail": lambda e, a, w: services.audit_trail(actor=a, engine=e),
    "whatif": lambda e, a, w: services.whatif(
        actor=a,
        dataset=services.stored_dataset(actor=a, engine=e),
        scenario=OP1_GROWS,
        start=START,
        weeks=1,
        secondary=False,
    ),
    "simulate_turnover": lambda e, a, w: services.simulate_turnover(
        actor=a,
        dataset=services.stored_dataset(actor=a, engine=e),
        start=START,
        weeks=1,
        runs=1,
        seed=1,
    ),
    "advise_staffing": lambda e, a, w: services.advise_staffing(
        actor=a, dataset=services.stored_dataset(actor=a, engine=e), start=START, weeks=1
    ),
    "save_scenario": lambda e, a, w: services.save_scenario(actor=a, scenario=OP1_GROWS, engine=e),
    "scenario_names": lambda e, a, w: services.scenario_names(actor=a, engine=e),
    "stored_scenario": lambda e, a, w: services.stored_scenario(actor=a, name="x", engine=e),
    "delete_scenario": lambda e, a, w: services.delete_scenario(actor=a, name="x", engine=e),
    "answer_request with a reshuffle": lambda e, a, w: services.answer_request(
        actor=a,
        run_id=services.latest_plan(actor=a, engine=e)[0],
        reshuffle=True,
        request=services.new_request(
            dataset=services.stored_dataset(actor=a, engine=e),
            operator_id="OP1",
            role="finance",
            start=START,
            end=START,
            fte=0.5,
        ),
        engine=e,
    ),
}


@pytest.mark.parametrize("action", REFUSED)
def test_an_operator_user_is_refused_the_vendors_work(world, tmp_path, action):
    engine, *_ = world
    with pytest.raises(AccessDenied):
        REFUSED[action](engine, OP1, tmp_path)


@pytest.mark.parametrize("action", ["add_user", "list_users", "disable_user"])
def test_only_admins_manage_users(world, tmp_path, action):
    engine, *_ = world
    with pytest.raises(AccessDenied):
        REFUSED[action](engine, MANAGER, tmp_path)


def test_no_actor_is_refused_everything(world):
    engine, *_ = world
    with pytest.raises(AccessDenied):
        services.stored_dataset(actor=None, engine=engine)
    with pytest.raises(AccessDenied):
        services.plan_runs(actor=None, engine=engine)


def test_guessing_another_operators_ids_gets_nothing(world):
    engine, full, _, run_id = world
    own = services.stored_dataset(actor=OP1, engine=engine)
    # the other operator is unknown on the request form...
    with pytest.raises(services.DatasetError, match=r"'OP2' is not in operators\.csv"):
        services.new_request(
            dataset=own, operator_id="OP2", role="finance", start=START, end=START, fte=0.5
        )
    # ... and asking the services directly with its id is refused like an unknown id
    theirs = services.new_request(
        dataset=full,
        operator_id="OP2",
        role="finance",
        start=date(2027, 2, 1),
        end=date(2027, 2, 5),
        fte=0.5,
    )
    with pytest.raises(AccessDenied, match="no operator 'OP2'"):
        services.file_request(actor=OP1, request=theirs, engine=engine)
    with pytest.raises(AccessDenied, match="no operator 'OP2'"):
        services.answer_request(actor=OP1, run_id=run_id, request=theirs, engine=engine)
    with pytest.raises(AccessDenied, match="no operator 'OP3'"):
        services.file_request(actor=OP1, request=replace(theirs, operator_id="OP3"), engine=engine)
    assert services.stored_dataset(actor=MANAGER, engine=engine).requests == full.requests


def test_an_operator_user_asks_for_and_files_its_own_cover(world):
    engine, _, _, run_id = world
    own = services.stored_dataset(actor=OP1, engine=engine)
    request = services.new_request(
        dataset=own,
        operator_id="OP1",
        role="technical",
        start=date(2027, 2, 1),
        end=date(2027, 2, 12),
        fte=0.5,
    )
    quote, alternatives = services.answer_request(
        actor=OP1,
        run_id=run_id,
        request=request,
        alternatives=[("later", replace(request, start=date(2027, 2, 8)))],
        engine=engine,
    )
    assert quote.demand_units > 0
    assert len(alternatives) == 1
    assert not any(word in repr((quote, alternatives)) for word in OP2_WORDS)
    request_id = services.file_request(actor=OP1, request=request, engine=engine)
    assert request_id in {
        r.request_id for r in services.stored_dataset(actor=OP1, engine=engine).requests
    }
    assert request_id not in {
        r.request_id for r in services.stored_dataset(actor=OP2, engine=engine).requests
    }


def test_reasons_never_name_another_client(tmp_path):
    from planner.accounts.access import redact, scope_plan
    from planner.data.validate import load_dataset
    from planner.planning.plan import Plan, Uncovered

    dataset = load_dataset(write_files(tmp_path / "ds", GOOD))
    reason = "eligible SP1 fully booked (SP1 on critical cover at OP2 Волга-Онлайн; OP1 own)"
    assert redact(reason, dataset, OP1) == (
        "eligible SP1 fully booked (SP1 on critical cover at another client another client; "
        "OP1 own)"
    )
    assert redact(reason, dataset, MANAGER) == reason
    plan = Plan(
        START,
        1,
        4.0,
        (),
        (Uncovered("gap:OP1:finance", "OP1", "finance", START, "high", 3, reason),),
        {
            "dropped_pins": [
                {"demand_id": "gap:OP1:finance", "reason": "at OP2"},
                {"demand_id": "gap:OP2:subscriber", "reason": "x"},
            ]
        },
    )
    seen = scope_plan(plan, OP1, dataset)
    assert "OP2" not in repr(seen)
    assert seen.summary["dropped_pins"] == [
        {"demand_id": "gap:OP1:finance", "reason": "at another client"}
    ]


# --------------------------------------------------------------------------- side doors (issue 15)
# The services an operator user can call tell it nothing about other operators and
# store nothing an import would refuse.


def absence(staff_id: str) -> services.RowChange:
    cells = {"staff_id": staff_id, "start": "2027-03-01", "end": "2027-03-05", "kind": "sick"}
    return services.RowChange("absences", None, None, cells, 3)


def refusal(engine, change) -> str:
    with pytest.raises(AccessDenied) as refused:
        services.save_changes(actor=OP1, changes=[change], engine=engine)
    return str(refused.value)


def test_an_absence_for_a_foreign_or_unknown_staff_id_reads_the_same(world):
    engine, full, *_ = world
    foreign = refusal(engine, absence("S4"))  # S4 is OP2's
    nowhere = refusal(engine, absence("S99"))
    assert "OP2" not in foreign
    assert foreign.replace("S4", "S99") == nowhere
    assert services.stored_dataset(actor=MANAGER, engine=engine).absences == full.absences


def test_a_duplicate_id_never_confirms_another_operators_row(world):
    engine, *_ = world
    cells = {"staff_id": "S4", "operator_id": "OP1", "role": "finance", "fte": "1", "name": "x"}
    cells |= {"joined_on": "", "left_on": ""}
    with pytest.raises(services.DatasetError) as refused:
        services.save_changes(
            actor=OP1, changes=[services.RowChange("staff", None, None, cells, 4)], engine=engine
        )
    message = str(refused.value)
    assert "staff_id S4 cannot be used: choose another" in message
    assert "already" not in message
    assert "line 5" not in message


def own_request(engine):
    return services.new_request(
        dataset=services.stored_dataset(actor=OP1, engine=engine),
        operator_id="OP1",
        role="technical",
        start=date(2027, 2, 1),
        end=date(2027, 2, 12),
        fte=0.5,
    )


def test_every_alternative_is_checked_for_the_operator(world):
    engine, _, _, run_id = world
    request = own_request(engine)
    with pytest.raises(AccessDenied, match="no operator 'OP2'"):
        services.answer_request(
            actor=OP1,
            run_id=run_id,
            request=request,
            alternatives=[("theirs", replace(request, operator_id="OP2"))],
            engine=engine,
        )


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"role": "bogus-role"}, "role"),
        ({"fte": -5.0}, "fte"),
        ({"end": date(2027, 1, 25)}, "end"),
    ],
)
def test_a_filed_request_is_checked_like_an_import(world, change, column):
    engine, full, *_ = world
    with pytest.raises(services.DatasetError, match=rf"^requests\.csv: column {column}: "):
        services.file_request(
            actor=OP1, request=replace(own_request(engine), **change), engine=engine
        )
    assert services.stored_dataset(actor=MANAGER, engine=engine).requests == full.requests


def test_deleting_a_foreign_or_unknown_row_id_reads_the_same(world):
    engine, full, *_ = world
    _, rows = services.stored_rows(actor=MANAGER, engine=engine)
    foreign_id, version = rows["staff"][3]  # S4, OP2's
    messages = []
    for row_id in (foreign_id, 10_000):
        change = services.RowChange("staff", row_id, version, None, 2)
        with pytest.raises((AccessDenied, services.StaleEdit)) as refused:
            services.save_changes(actor=OP1, changes=[change], engine=engine)
        messages.append((type(refused.value), str(refused.value)))
    assert messages[0] == messages[1]
    assert services.stored_dataset(actor=MANAGER, engine=engine).staff == full.staff
