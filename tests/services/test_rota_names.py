"""The names of those on duty in a rota run, as each user may see the run: an operator user
learns the names of the specialists on duty for it, and no one else's."""

from __future__ import annotations

from planner import services
from tests.services.test_rota_runs import MANAGER, OP1, OP2, stored

__all__ = ["stored"]


def test_a_manager_gets_every_name_on_duty(engine, stored):
    run_id, _ = stored
    names = services.rota_names(actor=MANAGER, run_id=run_id, engine=engine)
    assert names == {"SP1": "Орлов Олег", "SP3": "Котов Пётр"}


def test_an_operator_user_gets_only_the_names_on_duty_for_it(engine, stored):
    run_id, _ = stored
    assert services.rota_names(actor=OP1, run_id=run_id, engine=engine) == {
        "SP1": "Орлов Олег",
        "SP3": "Котов Пётр",
    }
    assert services.rota_names(actor=OP2, run_id=run_id, engine=engine) == {"SP1": "Орлов Олег"}


def test_no_run_no_names(engine, stored):
    assert services.rota_names(actor=MANAGER, run_id=999, engine=engine) == {}
