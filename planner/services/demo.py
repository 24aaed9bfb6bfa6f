"""The demo: seed an empty database with the demo data, a first plan and the demo's
accounts, so the app has something to show on its first start."""

from __future__ import annotations

from pathlib import Path

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import ADMIN, MANAGER, OPERATOR, Actor
from planner.data.db import Engine, session_scope
from planner.domain.defaults import DEMO_START, DEMO_TIME_LIMIT, DEMO_WEEKS
from planner.services._common import engine_or_default
from planner.services.datasets import has_stored_dataset, import_dataset
from planner.services.planning import plan_cover, record_plan
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
    progress: ProgressCallback | None = None,
) -> bool:
    """Seed an empty database with the demo data, a first plan and the demo accounts;
    True if it did."""
    engine = engine_or_default(engine)
    if has_stored_dataset(actor=DEMO_SEEDER, engine=engine):
        return False
    dataset = import_dataset(actor=DEMO_SEEDER, source=DEMO_DATASET, engine=engine)
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
    ensure_demo_accounts(engine=engine)
    return True


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
