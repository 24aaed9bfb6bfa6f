"""The demo: seed an empty database with the demo data, a first plan and the demo's
accounts, so the app has something to show on its first start (and finish that after an
interrupted one)."""

from __future__ import annotations

from pathlib import Path

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import ADMIN, MANAGER, OPERATOR, Actor
from planner.data.db import Engine, session_scope
from planner.domain.defaults import (
    DEMO_ROTA_START,
    DEMO_ROTA_TIME_LIMIT,
    DEMO_ROTA_WEEKS,
    DEMO_START,
    DEMO_TIME_LIMIT,
    DEMO_WEEKS,
)
from planner.services._common import engine_or_default
from planner.services.audit import audit_trail
from planner.services.datasets import has_stored_dataset, import_dataset, stored_dataset
from planner.services.planning import latest_plan, plan_cover, record_plan
from planner.services.rota import plan_rota, rota_params
from planner.services.rota_runs import latest_rota, record_rota
from planner.services.users import has_users
from planner.solver.model import ProgressCallback

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_DATASET",
    "DEMO_SEEDER",
    "ensure_demo",
    "ensure_demo_accounts",
]

DEMO_DATASET = Path(__file__).resolve().parents[2] / "data" / "demo"

DEMO_ACCOUNTS = (
    ("admin", "admin-demo-1", ADMIN, None),
    ("manager", "manager-demo-1", MANAGER, None),
    ("op0003", "op0003-demo-1", OPERATOR, "OP0003"),
    ("op0012", "op0012-demo-1", OPERATOR, "OP0012"),
)
"""(username, password, role, operator) of the demo's accounts, documented in the README.
Only `ensure_demo` creates them, and only in a database it has just seeded."""

DEMO_SEEDER = Actor(username="demo-seed", role=ADMIN)


def ensure_demo(
    *,
    engine: Engine | None = None,
    time_limit: float = DEMO_TIME_LIMIT,
    rota_time_limit: float = DEMO_ROTA_TIME_LIMIT,
    progress: ProgressCallback | None = None,
) -> bool:
    """Seed the demo data, a first plan, a first on-call rota and the demo accounts into a
    database that has neither data nor users, or finish a seeding that was cut short; True
    if it seeded.

    The demo's passwords are published, so its accounts never go into a database with
    users or data of its own. Each step (import, first plan, first rota, accounts) commits
    on its own: a first start killed between them leaves the seeder's import and no users,
    and the next start carries on from the step that is missing.
    """
    engine = engine_or_default(engine)
    if has_users(engine=engine):
        return False
    if not has_stored_dataset(actor=DEMO_SEEDER, engine=engine):
        dataset = import_dataset(actor=DEMO_SEEDER, source=DEMO_DATASET, engine=engine)
    elif _imported_by_the_seeder(engine):
        dataset = stored_dataset(actor=DEMO_SEEDER, engine=engine)
    else:
        return False
    if latest_plan(actor=DEMO_SEEDER, engine=engine) is None:
        plan = plan_cover(
            actor=DEMO_SEEDER,
            dataset=dataset,
            start=DEMO_START,
            weeks=DEMO_WEEKS,
            time_limit=time_limit,
            progress=progress,
        )
        record_plan(
            actor=DEMO_SEEDER,
            plan=plan,
            time_limit=time_limit,
            engine=engine,
            note="first plan of the demo",
        )
    if latest_rota(actor=DEMO_SEEDER, engine=engine) is None:
        rota = plan_rota(
            actor=DEMO_SEEDER,
            dataset=dataset,
            params=rota_params(start=DEMO_ROTA_START, weeks=DEMO_ROTA_WEEKS),
            time_limit=rota_time_limit,
        )
        record_rota(actor=DEMO_SEEDER, rota=rota, engine=engine, note="first rota of the demo")
    ensure_demo_accounts(engine=engine)
    return True


def _imported_by_the_seeder(engine: Engine) -> bool:
    """Whether the stored data is the demo seeder's own import: a seeding cut short."""
    newest = audit_trail(actor=DEMO_SEEDER, action="import", engine=engine, limit=1)
    return bool(newest) and newest[0].username == DEMO_SEEDER.username


def ensure_demo_accounts(*, engine: Engine | None = None) -> None:
    """The demo's accounts, each created unless a user of that name exists."""
    with session_scope(engine_or_default(engine)) as session:
        for username, password, role, operator_id in DEMO_ACCOUNTS:
            if accounts.find_user(session=session, username=username) is None:
                accounts.new_user(
                    session=session,
                    username=username,
                    password=password,
                    role=role,
                    operator_id=operator_id,
                )
                audit.record(
                    session=session,
                    actor=DEMO_SEEDER,
                    action="user add",
                    entity="user",
                    entity_id=username,
                    operator_id=operator_id,
                    after={"username": username, "role": role, "operator_id": operator_id},
                )
