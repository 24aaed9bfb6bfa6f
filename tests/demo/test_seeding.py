"""The demo's first start: seeded only into a database with neither data nor users, and
finished on the next start when the first one was killed between its steps."""

from __future__ import annotations

from planner import services
from planner.services import LOCAL_ADMIN
from planner.services.demo import DEMO_DATASET, DEMO_SEEDER

QUICK = 5.0  # seconds for the first plan: its cover is proven well within it
ROTA_QUICK = 1.0  # seconds for the first rota: any valid rota will do here


def test_an_empty_database_gets_the_demo(engine):
    assert services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)
    assert services.has_users(engine=engine)
    assert services.latest_plan(actor=DEMO_SEEDER, engine=engine) is not None
    assert services.latest_rota(actor=DEMO_SEEDER, engine=engine) is not None
    assert not services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)


def test_a_start_killed_after_the_import_is_finished_on_the_next(engine):
    services.import_dataset(actor=DEMO_SEEDER, source=DEMO_DATASET, engine=engine)
    assert services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)
    assert services.latest_plan(actor=DEMO_SEEDER, engine=engine) is not None
    logged_in = services.login(username="manager", password="manager-demo-1", engine=engine)
    assert logged_in is not None


def test_a_start_killed_after_the_first_plan_adds_the_rota_and_the_accounts(engine):
    dataset = services.import_dataset(actor=DEMO_SEEDER, source=DEMO_DATASET, engine=engine)
    plan = services.plan_cover(
        actor=DEMO_SEEDER, dataset=dataset, start=services.DEMO_START, weeks=2, time_limit=QUICK
    )
    services.record_plan(actor=DEMO_SEEDER, plan=plan, time_limit=QUICK, engine=engine)
    assert services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)
    assert len(services.plan_runs(actor=DEMO_SEEDER, engine=engine)) == 1
    assert len(services.rota_runs(actor=DEMO_SEEDER, engine=engine)) == 1
    assert services.has_users(engine=engine)


def test_a_database_with_users_never_gets_the_demo(engine):
    services.add_user(
        actor=LOCAL_ADMIN,
        username="boss",
        password="a long password",
        role="admin",
        engine=engine,
    )
    assert not services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)
    assert not services.has_stored_dataset(actor=DEMO_SEEDER, engine=engine)
    assert [u["username"] for u in services.list_users(actor=DEMO_SEEDER, engine=engine)] == [
        "boss"
    ]


def test_data_of_its_own_without_users_gets_no_demo_accounts(engine):
    services.import_dataset(actor=LOCAL_ADMIN, source=DEMO_DATASET, engine=engine)
    assert not services.ensure_demo(engine=engine, time_limit=QUICK, rota_time_limit=ROTA_QUICK)
    assert not services.has_users(engine=engine)
