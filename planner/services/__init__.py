"""What a user can do: check, import, export, plan, quote, what-if, manage accounts, read the
audit trail. The CLI and the app call only this.

One module per area: `datasets`, `planning`, `quotes`, `whatif`, `users`,
`audit`, `database`, `demo`; everything is re-exported here, so `services.plan_cover(...)`
reads the same wherever it is called.

Each function is keyword-only and takes plain values, so the screens and the
command line stay thin and every path goes through the same validation.

Every function that reads or changes stored data takes the acting user as
`actor=` and starts by asking `planner.accounts.access`: `require_role(actor,
MANAGER)` for the vendor's own work, or scoping what it reads to the actor's
operator (`scope_dataset`, `scope_plan`, `require_operator`). Each change writes
its `audit.record(...)` in the same transaction, through the functions of
`planner.data.storage` (no SQL here). Functions that only check values
(`load_dataset`, `make_horizon`, `new_request`, `check_uploads`, ...) touch no
stored data and take no actor.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from planner.services.audit import audit_trail
from planner.services.database import new_migration, upgrade_database
from planner.services.datasets import (
    calendar_warnings,
    check_dataset,
    check_frames,
    check_uploads,
    dataset_workbook,
    export_dataset,
    has_stored_dataset,
    import_dataset,
    load_dataset,
    save_changes,
    save_dataset,
    stored_dataset,
    stored_rows,
)
from planner.services.demo import (
    DEMO_ACCOUNTS,
    DEMO_DATASET,
    DEMO_SEEDER,
    ensure_demo,
    ensure_demo_accounts,
)
from planner.services.planning import (
    confirm_plan_run,
    latest_plan,
    make_horizon,
    plan_cover,
    plan_runs,
    record_plan,
    stored_plan,
)
from planner.services.quotes import (
    answer_request,
    bookings_from_folder,
    bookings_of,
    file_request,
    new_request,
    prepare_quotes,
    quote,
    quote_against,
    request_skills,
)
from planner.services.users import (
    LOGIN_COOKIE_NAME,
    add_user,
    disable_user,
    has_users,
    list_users,
    login,
    login_cookie,
    login_single_sign_on,
    logout,
    restore_login,
    session_actor,
)

# the UI's vocabulary: records, roles, constants, errors and change kinds from below
from planner.services.vocabulary import (
    ACCOUNT_ROLES,
    ADMIN,
    AUDIT_ACTIONS,
    DEFAULT_CALENDAR,
    DEFAULT_MAX_TZ_GAP,
    DEMO_START,
    DEMO_WEEKS,
    EDITABLE,
    LOCAL_ADMIN,
    MANAGER,
    OPERATOR,
    PLAN_TIME_LIMIT,
    PRIORITIES,
    ROLES,
    SCREEN_TIME_LIMIT,
    WEEKDAYS_CALENDAR,
    AccessDenied,
    AccountError,
    Actor,
    Dataset,
    DatasetError,
    DemandScales,
    LoginFailed,
    OperatorLeaves,
    Plan,
    Problem,
    Progress,
    RequirementChanges,
    RowChange,
    Scenario,
    SpecialistJoins,
    SpecialistLeave,
    SpecialistLeaves,
    StaffAbsent,
    StaffLeaves,
    StaleEdit,
    dataset_frames,
    get_engine,
    parse_rates,
    parse_target,
    row_changes,
    write_plan,
)
from planner.services.whatif import (
    advise_staffing,
    apply_scenario,
    delete_scenario,
    make_assumptions,
    open_scenario_upload,
    read_scenario_file,
    save_scenario,
    scenario_file_text,
    scenario_names,
    simulate_turnover,
    stored_scenario,
    whatif,
    write_whatif,
)

if TYPE_CHECKING:
    from planner import reports
    from planner.reports import whatif as whatif_reports

# The report builders (tables and charts) draw with plotly, which the command line never
# needs: they are imported on first use, so `planner --help` stays quick.
_REPORT_MODULES = {"reports": "planner.reports", "whatif_reports": "planner.reports.whatif"}


def __getattr__(name: str) -> ModuleType:
    if name in _REPORT_MODULES:
        module = importlib.import_module(_REPORT_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACCOUNT_ROLES",
    "ADMIN",
    "AUDIT_ACTIONS",
    "DEFAULT_CALENDAR",
    "DEFAULT_MAX_TZ_GAP",
    "DEMO_ACCOUNTS",
    "DEMO_DATASET",
    "DEMO_SEEDER",
    "DEMO_START",
    "DEMO_WEEKS",
    "EDITABLE",
    "LOCAL_ADMIN",
    "LOGIN_COOKIE_NAME",
    "MANAGER",
    "OPERATOR",
    "PLAN_TIME_LIMIT",
    "PRIORITIES",
    "ROLES",
    "SCREEN_TIME_LIMIT",
    "WEEKDAYS_CALENDAR",
    "AccessDenied",
    "AccountError",
    "Actor",
    "Dataset",
    "DatasetError",
    "DemandScales",
    "LoginFailed",
    "OperatorLeaves",
    "Plan",
    "Problem",
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
    "add_user",
    "advise_staffing",
    "answer_request",
    "apply_scenario",
    "audit_trail",
    "bookings_from_folder",
    "bookings_of",
    "calendar_warnings",
    "check_dataset",
    "check_frames",
    "check_uploads",
    "confirm_plan_run",
    "dataset_frames",
    "dataset_workbook",
    "delete_scenario",
    "disable_user",
    "ensure_demo",
    "ensure_demo_accounts",
    "export_dataset",
    "file_request",
    "get_engine",
    "has_stored_dataset",
    "has_users",
    "import_dataset",
    "latest_plan",
    "list_users",
    "load_dataset",
    "login",
    "login_cookie",
    "login_single_sign_on",
    "logout",
    "make_assumptions",
    "make_horizon",
    "new_migration",
    "new_request",
    "open_scenario_upload",
    "parse_rates",
    "parse_target",
    "plan_cover",
    "plan_runs",
    "prepare_quotes",
    "quote",
    "quote_against",
    "read_scenario_file",
    "record_plan",
    "reports",
    "request_skills",
    "restore_login",
    "row_changes",
    "save_changes",
    "save_dataset",
    "save_scenario",
    "scenario_file_text",
    "scenario_names",
    "session_actor",
    "simulate_turnover",
    "stored_dataset",
    "stored_plan",
    "stored_rows",
    "stored_scenario",
    "upgrade_database",
    "whatif",
    "whatif_reports",
    "write_plan",
    "write_whatif",
]
