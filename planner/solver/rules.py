"""The hard rules the cover model adds, in the order it adds them.

Each rule's constraint lives with its check, fit test and reason in `planner.rules`;
this module only says which of them the model needs and in what order, which is
the solver's business: rules 1 (qualification) and 2 (time-zone reach) hold by
construction through eligibility (see `planner.solver.instance`), and the order
fixes the model CP-SAT sees, hence the plans a seed gives.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.rules import capacity, client_limit, demand_limit, pins
from planner.solver.variables import CoverVariables

HARD_RULES = (capacity.constrain, client_limit.constrain, demand_limit.constrain, pins.constrain)


def add_hard_rules(model: cp_model.CpModel, v: CoverVariables) -> None:
    for rule in HARD_RULES:
        rule(model, v)
