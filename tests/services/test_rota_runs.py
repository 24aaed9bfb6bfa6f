"""Rota runs through the services: who may record, read and confirm them, what an operator
user sees of one, and what confirming leaves for later rotas and plans."""

from __future__ import annotations

import pytest

from planner import services
from planner.accounts.access import AccessDenied, Actor
from planner.domain.records import RotaPin
from tests.data.test_dataset import GOOD, write_files
from tests.data.test_rota_storage import hour, tiny_rota

MANAGER = Actor(username="boss", role="manager")
OP1 = Actor(username="op1", role="operator", operator_id="OP1")
OP2 = Actor(username="op2", role="operator", operator_id="OP2")

# OP2 wants a senior with oracle: SP1 answers for both operators, SP3 (a middle) for OP1
# only, SP2 (finance) for nobody.
ROTA_FILES = {
    **GOOD,
    "operators.csv": "operator_id,name,timezone,sla,response_minutes,incident_level,"
    "incident_skills\n"
    "OP1,Сибирь Телеком,Asia/Novosibirsk,24x7,60,2,\n"
    "OP2,Волга-Онлайн,Europe/Samara,8x5,240,3,oracle\n",
    "specialists.csv": GOOD["specialists.csv"] + "SP3,Котов Пётр,technical:2,Europe/Moscow,,,,,,\n",
}


@pytest.fixture
def stored(engine, tmp_path):
    """The rota data imported, and the tiny rota kept as a run: its id and the rota."""
    services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", ROTA_FILES), engine=engine
    )
    rota = tiny_rota()
    return services.record_rota(actor=MANAGER, rota=rota, note="first", engine=engine), rota


def test_a_recorded_rota_reads_back_whole_for_a_manager(engine, stored):
    run_id, rota = stored
    assert services.stored_rota(actor=MANAGER, run_id=run_id, engine=engine) == rota
    assert services.latest_rota(actor=MANAGER, engine=engine) == (run_id, rota)
    (run,) = services.rota_runs(actor=MANAGER, engine=engine)
    assert (run.id, run.note, run.created_by, run.confirmed) == (run_id, "first", "boss", False)
    (entry,) = services.audit_trail(actor=MANAGER, action="plan", engine=engine)
    assert (entry.entity, entry.entity_id, entry.after["shifts"]) == ("rota_run", str(run_id), 2)


def test_an_operator_user_sees_only_the_duty_that_serves_it(engine, stored):
    run_id, _ = stored
    own = services.stored_rota(actor=OP1, run_id=run_id, engine=engine)
    assert [s.specialist_id for s in own.shifts] == ["SP1", "SP3"]
    (gap,) = own.gaps
    assert gap.operator_id == "OP1"
    assert gap.reason == "SP1 rests after the night; SP3 is busy with another client"
    assert own.reservations == ()
    assert set(own.summary) == {"status", "start", "weeks", "uncovered_hours"}
    assert own.summary["uncovered_hours"] == 25

    other = services.stored_rota(actor=OP2, run_id=run_id, engine=engine)
    assert [s.specialist_id for s in other.shifts] == ["SP1"]
    assert [g.operator_id for g in other.gaps] == ["OP2"]
    assert services.latest_rota(actor=OP2, engine=engine) == (run_id, other)


def test_an_unknown_run_is_unknown(engine, stored):
    run_id, _ = stored
    assert services.stored_rota(actor=MANAGER, run_id=run_id + 1, engine=engine) is None
    assert services.stored_rota(actor=OP1, run_id=run_id + 1, engine=engine) is None
    with pytest.raises(services.DatasetError, match=f"no rota run {run_id + 1}"):
        services.confirm_rota_run(actor=MANAGER, run_id=run_id + 1, engine=engine)


def test_no_rota_before_the_first(engine):
    assert services.latest_rota(actor=MANAGER, engine=engine) is None
    assert services.confirmed_rota_reservations(actor=MANAGER, engine=engine) == ()


def test_confirming_makes_the_shifts_the_duty_later_rotas_keep(engine, stored):
    run_id, rota = stored
    before = services.stored_dataset(actor=MANAGER, engine=engine).rota_pinned
    assert services.confirmed_rota_reservations(actor=MANAGER, engine=engine) == ()

    assert services.confirm_rota_run(actor=MANAGER, run_id=run_id, engine=engine) == 2

    assert services.stored_dataset(actor=MANAGER, engine=engine).rota_pinned == (
        RotaPin("SP1", hour(0), hour(8)),
        RotaPin("SP3", hour(33), hour(41)),
    )
    assert services.confirmed_rota_reservations(actor=MANAGER, engine=engine) == (rota.reservations)
    (run,) = services.rota_runs(actor=MANAGER, engine=engine)
    assert (run.confirmed, run.confirmed_by) == (True, "boss")
    (entry,) = services.audit_trail(actor=MANAGER, action="confirm", engine=engine)
    assert (entry.entity, entry.entity_id) == ("rota_run", str(run_id))
    assert len(entry.before["rota_pinned"]) == len(before) == 1
    assert entry.after["rota_pinned"][0]["start"] == "2027-01-04T00:00:00+00:00"
    with pytest.raises(services.DatasetError, match=f"rota run {run_id} is already confirmed"):
        services.confirm_rota_run(actor=MANAGER, run_id=run_id, engine=engine)


def test_only_managers_keep_list_and_confirm_rota_runs(engine, stored):
    run_id, rota = stored
    for call in (
        lambda: services.record_rota(actor=OP1, rota=rota, engine=engine),
        lambda: services.rota_runs(actor=OP1, engine=engine),
        lambda: services.confirm_rota_run(actor=OP1, run_id=run_id, engine=engine),
        lambda: services.confirmed_rota_reservations(actor=OP1, engine=engine),
    ):
        with pytest.raises(AccessDenied, match="needs the manager role"):
            call()
    assert len(services.rota_runs(actor=MANAGER, engine=engine)) == 1
