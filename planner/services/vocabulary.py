"""The words the app and the command line speak: records, roles, constants, errors, change
kinds and file writers defined below the services.

The light ones (roles, defaults, problems, dates) are in `basics`. They are re-exported
here (and from `planner.services`) so that screens and commands
import nothing of `planner` but the services, and the layers only point down.
"""

from __future__ import annotations

from planner.accounts.access import LOCAL_ADMIN, AccessDenied, Actor
from planner.accounts.audit import ACTIONS as AUDIT_ACTIONS
from planner.accounts.audit import LOGIN_ACTIONS as AUDIT_LOGINS
from planner.accounts.logins import AccountError, LoginFailed
from planner.data.db import get_engine
from planner.data.edits import EDITABLE, RowChange, StaleEdit, row_changes
from planner.data.exports import people_csv
from planner.data.plan_files import write_plan
from planner.data.write import dataset_frames
from planner.domain.production_calendar import WEEKDAYS as WEEKDAYS_CALENDAR
from planner.domain.records import Dataset
from planner.planning.plan import Plan
from planner.solver.model import Progress
from planner.whatif.advise import parse_target
from planner.whatif.changes import (
    DemandScales,
    OperatorLeaves,
    RequirementChanges,
    SpecialistJoins,
    SpecialistLeave,
    SpecialistLeaves,
    StaffAbsent,
    StaffLeaves,
)
from planner.whatif.scenario import Scenario
from planner.whatif.simulate import parse_rates

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_LOGINS",
    "EDITABLE",
    "LOCAL_ADMIN",
    "WEEKDAYS_CALENDAR",
    "AccessDenied",
    "AccountError",
    "Actor",
    "Dataset",
    "DemandScales",
    "LoginFailed",
    "OperatorLeaves",
    "Plan",
    "Progress",
    "RequirementChanges",
    "RowChange",
    "Scenario",
    "SpecialistJoins",
    "SpecialistLeave",
    "SpecialistLeaves",
    "StaffAbsent",
    "StaffLeaves",
    "StaleEdit",
    "dataset_frames",
    "get_engine",
    "parse_rates",
    "parse_target",
    "people_csv",
    "row_changes",
    "write_plan",
]
