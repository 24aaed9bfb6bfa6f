"""Rota runs in the database, on SQLite and on PostgreSQL: a rota reads back exactly (its
times as UTC moments), and confirming a run makes its shifts the confirmed duty of its
horizon and its reservations the confirmed ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from planner.data import storage
from planner.data.db import session_scope
from planner.data.models import RotaRun, RotaShiftRow
from planner.data.validate import load_dataset
from planner.domain.records import RotaPin
from planner.rota.records import Reservation, Rota, RotaParams, Shift, SlaGap
from tests.data.test_dataset import GOOD, write_files

PARAMS = RotaParams(date(2027, 1, 4), 1, min_rest_hours=10, work_hours=(8, 17))


def hour(h: int) -> datetime:
    return PARAMS.moment(h)


def tiny_rota(params: RotaParams = PARAMS) -> Rota:
    """Two shifts, two SLA gaps and one reservation, as the solver would hand them over."""
    at = params.moment
    return Rota(
        params,
        (Shift("SP1", at(0), at(8), 0, 8), Shift("SP3", at(33), at(41), 8, 0)),
        (
            SlaGap("OP1", at(8), at(33), "SP1 rests after the night; SP3 is busy with OP2"),
            SlaGap("OP2", at(41), at(45), "no on-call specialist has technical:3 and oracle"),
        ),
        (Reservation("SP3", params.start, 1),),
        {
            "status": "OPTIMAL",
            "promised_hours": 177,
            "covered_hours": 148,
            "bound_hours": 148,
            "uncovered_hours": 29,
            "dropped_pins": [],
            "params": params.as_dict(),
        },
    )


@pytest.fixture
def session(engine, tmp_path):
    """A session on a database holding the test dataset (its rota pins included)."""
    dataset = load_dataset(write_files(tmp_path / "ds", GOOD))
    with session_scope(engine) as session:
        storage.replace_dataset(session=session, dataset=dataset)
        yield session


def pins(session) -> tuple[RotaPin, ...]:
    return storage.read_dataset(session=session).rota_pinned


def test_a_rota_reads_back_as_it_was_saved(session):
    rota = tiny_rota()
    run = storage.save_rota_run(session=session, rota=rota, created_by="boss", note="first")
    session.commit()
    session.expire_all()
    assert storage.read_rota_run(session=session, run_id=run.id) == rota
    back = storage.read_rota_run(session=session, run_id=run.id)
    assert all(s.start.utcoffset() == timedelta(0) for s in back.shifts)
    assert back.params == PARAMS  # rebuilt from the summary's params
    (listed,) = storage.list_rota_runs(session=session)
    assert (listed.status, listed.promised_hours, listed.covered_hours) == ("OPTIMAL", 177, 148)
    assert (listed.created_by, listed.note, listed.confirmed) == ("boss", "first", False)
    assert storage.read_rota_run(session=session, run_id=run.id + 1) is None


def test_a_time_in_another_zone_is_kept_as_its_utc_moment(session):
    """SQLite stores a moment's wall clock: a +03:00 time must go in as its UTC hour."""
    moscow = timezone(timedelta(hours=3))
    shift = Shift("SP1", datetime(2027, 1, 4, 9, tzinfo=moscow), hour(10), 4, 0)
    rota = tiny_rota()
    rota = Rota(rota.params, (shift,), (), (), rota.summary)
    run = storage.save_rota_run(session=session, rota=rota)
    session.commit()
    session.expire_all()
    (back,) = storage.read_rota_run(session=session, run_id=run.id).shifts
    assert back.start == hour(6)
    assert back.start.tzinfo == UTC


def test_newest_run_first(session):
    first = storage.save_rota_run(session=session, rota=tiny_rota())
    second = storage.save_rota_run(session=session, rota=tiny_rota())
    assert [r.id for r in storage.list_rota_runs(session=session)] == [second.id, first.id]
    assert storage.newest_rota_run_id(session=session) == second.id


def test_no_reservations_before_a_run_is_confirmed(session):
    storage.save_rota_run(session=session, rota=tiny_rota())
    assert storage.confirmed_rota_reservations(session=session) == ()


def test_confirming_replaces_the_duty_of_the_horizon_only(session):
    """The dataset's pin (2027-01-04 18:00 to 02:00) lies inside the horizon and goes; a pin
    before the horizon stays; one that runs into it keeps its part before, which joins the
    run's shift of the same specialist that starts at the grid's first hour."""
    inside = pins(session)
    before = RotaPin("SP2", hour(-30), hour(-24))
    into = RotaPin("SP1", hour(-4), hour(2))
    dataset = replace(storage.read_dataset(session=session), rota_pinned=(*inside, before, into))
    storage.replace_dataset(session=session, dataset=dataset)
    rota = tiny_rota()
    run = storage.save_rota_run(session=session, rota=rota)
    replaced, written = storage.confirm_rota_run(
        session=session,
        run=run,
        rota=rota,
        confirmed_by="boss",
        confirmed_at=datetime(2027, 1, 1, 12, tzinfo=UTC),
    )
    assert replaced == [*inside, into]
    assert written == [RotaPin("SP1", hour(-4), hour(8)), RotaPin("SP3", hour(33), hour(41))]
    assert pins(session) == (before, *written)
    assert (run.confirmed, run.confirmed_by) == (True, "boss")
    assert storage.confirmed_rota_reservations(session=session) == rota.reservations


def test_the_newest_confirmed_run_gives_the_reservations(session):
    first, second = tiny_rota(), tiny_rota(RotaParams(date(2027, 1, 11), 1))
    for rota in (first, second):
        run = storage.save_rota_run(session=session, rota=rota)
        storage.confirm_rota_run(
            session=session, run=run, rota=rota, confirmed_by="boss", confirmed_at=hour(0)
        )
    storage.save_rota_run(session=session, rota=tiny_rota())  # newer, not confirmed
    assert storage.confirmed_rota_reservations(session=session) == second.reservations
    assert [p.start for p in pins(session)] == [
        hour(0),
        hour(33),
        hour(168),
        hour(168 + 33),
    ]


def test_a_confirmed_run_and_its_rows_stay_as_they_are(engine):
    rota = tiny_rota()
    with session_scope(engine) as session:
        run = storage.save_rota_run(session=session, rota=rota)
        storage.confirm_rota_run(
            session=session, run=run, rota=rota, confirmed_by="boss", confirmed_at=hour(0)
        )
        run_id = run.id
    refused = f"rota run {run_id} is confirmed and cannot change"
    with (
        pytest.raises(storage.ConfirmedRunChanged, match=refused),
        session_scope(engine) as session,
    ):
        session.get(RotaRun, run_id).note = "changed afterwards"
    with (
        pytest.raises(storage.ConfirmedRunChanged, match=refused),
        session_scope(engine) as session,
    ):
        session.delete(session.exec(select(RotaShiftRow)).first())
    with (
        pytest.raises(storage.ConfirmedRunChanged, match=refused),
        session_scope(engine) as session,
    ):
        session.delete(session.get(RotaRun, run_id))
    with session_scope(engine) as session:
        assert storage.read_rota_run(session=session, run_id=run_id) == rota
