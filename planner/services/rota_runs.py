"""Keeping on-call rotas: record a rota as a rota run, read runs back as an actor may see
them, and confirm a run so that its duty becomes the `rota_pinned` every later rota keeps
and its reservations the ones plans from the database take from the specialists' weeks."""

from __future__ import annotations

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import MANAGER, Actor, operator_scope, require_role, scope_rota
from planner.data import storage
from planner.data.db import Engine, session_scope, snapshot_scope
from planner.data.models import RotaRun
from planner.rota.records import Reservation, Rota
from planner.services._common import engine_or_default, no_rota_run, refused

__all__ = [
    "confirm_rota_run",
    "confirmed_rota_reservations",
    "latest_rota",
    "record_rota",
    "rota_names",
    "rota_runs",
    "stored_rota",
]


def record_rota(
    *, actor: Actor, rota: Rota, note: str | None = None, engine: Engine | None = None
) -> int:
    """Keep a rota in the database as a rota run; returns its id."""
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.save_rota_run(
            session=session, rota=rota, created_by=actor.username, note=note
        )
        assert run.id is not None
        audit.record(
            session=session,
            actor=actor,
            action="plan",
            entity="rota_run",
            entity_id=str(run.id),
            after={
                "start": rota.params.start,
                "weeks": rota.params.weeks,
                "status": run.status,
                "promised_hours": run.promised_hours,
                "covered_hours": run.covered_hours,
                "shifts": len(rota.shifts),
                "note": note,
            },
        )
        return run.id


def rota_runs(*, actor: Actor, engine: Engine | None = None) -> list[RotaRun]:
    """Every rota run, newest first: the vendor's figures, so for managers only."""
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        runs = storage.list_rota_runs(session=session)
        session.expunge_all()
        return runs


def stored_rota(*, actor: Actor, run_id: int, engine: Engine | None = None) -> Rota | None:
    """A rota run as `actor` may see it (an operator user: the duty that serves it and its
    own SLA gaps), or None when there is no such run."""
    with snapshot_scope(engine_or_default(engine)) as session:
        rota = storage.read_rota_run(session=session, run_id=run_id)
        if rota is None or operator_scope(actor) is None:
            return rota
        dataset = storage.read_dataset(session=session)
    return scope_rota(rota, actor, dataset)


def latest_rota(*, actor: Actor, engine: Engine | None = None) -> tuple[int, Rota] | None:
    """The newest rota run and its rota as `actor` may see it, or None before the first."""
    with session_scope(engine_or_default(engine)) as session:
        newest = storage.newest_rota_run_id(session=session)
    if newest is None:
        return None
    rota = stored_rota(actor=actor, run_id=newest, engine=engine)
    assert rota is not None
    return newest, rota


def confirm_rota_run(*, actor: Actor, run_id: int, engine: Engine | None = None) -> int:
    """Confirm a rota run: its shifts replace the confirmed duty (`rota_pinned`) of its
    horizon, which every later rota keeps, and its reservations become the ones plans
    from the database use. Returns how many pins the horizon now holds from it.

    A confirmed run is a promise to the specialists on duty and stays as it is; it is
    confirmed once (a newer run confirms the horizon again). The trail keeps the pins
    it replaced and the pins it wrote.
    """
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.rota_run(session=session, run_id=run_id)
        if run is None:
            raise no_rota_run(run_id)
        if run.confirmed:
            raise refused(
                "rota run",
                f"rota run {run_id} is already confirmed (by {run.confirmed_by or 'someone'}): "
                "a newer run confirms its weeks again",
            )
        rota = storage.read_rota_run(session=session, run_id=run_id)
        assert rota is not None
        replaced, pinned = storage.confirm_rota_run(
            session=session,
            run=run,
            rota=rota,
            confirmed_by=actor.username,
            confirmed_at=accounts.now_utc(),
        )
        audit.record(
            session=session,
            actor=actor,
            action="confirm",
            entity="rota_run",
            entity_id=str(run_id),
            before={"rota_pinned": replaced},
            after={"rota_pinned": pinned},
        )
        return len(pinned)


def confirmed_rota_reservations(
    *, actor: Actor, engine: Engine | None = None
) -> tuple[Reservation, ...]:
    """The cover units the newest confirmed rota takes from the specialists' weeks (none
    before the first confirmation): what a plan from the database leaves for duty."""
    require_role(actor, MANAGER)
    with snapshot_scope(engine_or_default(engine)) as session:
        return storage.confirmed_rota_reservations(session=session)


def rota_names(*, actor: Actor, run_id: int, engine: Engine | None = None) -> dict[str, str]:
    """The names of the specialists on duty in a rota run as `actor` may see the run, by id.

    An operator user's dataset names only the specialists of its plan cover; this names
    those on duty for it too (and nobody else: it reads the run scoped, not a rota the
    caller hands in)."""
    rota = stored_rota(actor=actor, run_id=run_id, engine=engine)
    if rota is None:
        return {}
    on_duty = {shift.specialist_id for shift in rota.shifts}
    with snapshot_scope(engine_or_default(engine)) as session:
        dataset = storage.read_dataset(session=session)
    return {s.specialist_id: s.name for s in dataset.specialists if s.specialist_id in on_duty}
