"""What a user can do: check, import, export, plan, quote, what-if, manage accounts, read the
audit trail. The CLI and the app call only this.

One module per area: `datasets`, `planning`, `rota_runs`, `quotes`, `whatif`, `users`,
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

Nothing is imported until it is first used (PEP 562's module `__getattr__`): `planner
--help` then loads only the light words of `basics`, not pandas, the solver or the
database, and answers at once. Each name's home is in `_HOMES`; the first use of a name
imports its home and binds all of the home's names here.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner import reports
    from planner.reports import whatif as whatif_reports
    from planner.services.audit import (
        audit_trail,
        data_version,
    )
    from planner.services.basics import (
        ACCOUNT_ROLES,
        ADMIN,
        DATE_FORMS,
        DEFAULT_CALENDAR,
        DEFAULT_MAX_TZ_GAP,
        DEMO_START,
        DEMO_WEEKS,
        MANAGER,
        OPERATOR,
        PLAN_TIME_LIMIT,
        PRIORITIES,
        ROLES,
        SCREEN_TIME_LIMIT,
        DatabaseBusy,
        DatasetError,
        Problem,
        check_output_folder,
        parse_day,
    )
    from planner.services.database import (
        new_migration,
        upgrade_database,
    )
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
        baseline_of,
        confirm_plan_run,
        confirmed_weeks,
        latest_plan,
        make_horizon,
        plan_cover,
        plan_runs,
        read_baseline,
        record_plan,
        release_pins,
        stored_plan,
        without_pins,
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
    from planner.services.rota import (
        ROTA_TIME_LIMIT,
        Rota,
        RotaParams,
        check_rota,
        plan_rota,
        read_rota,
        read_rota_reservations,
        rota_calendars,
        rota_params,
        who_is_on_call,
        write_rota,
    )
    from planner.services.rota_runs import (
        confirm_rota_run,
        confirmed_rota_reservations,
        latest_rota,
        record_rota,
        rota_names,
        rota_runs,
        stored_rota,
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
    from planner.services.vocabulary import (
        AUDIT_ACTIONS,
        AUDIT_LOGINS,
        EDITABLE,
        LOCAL_ADMIN,
        WEEKDAYS_CALENDAR,
        AccessDenied,
        AccountError,
        Actor,
        Dataset,
        DemandScales,
        LoginFailed,
        OperatorLeaves,
        Plan,
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
        people_csv,
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
        whatif_rota_loss,
        write_simulation,
        write_whatif,
    )

# the home of every name, by its module under planner.services
_HOMES: dict[str, tuple[str, ...]] = {
    "basics": (
        "ACCOUNT_ROLES",
        "ADMIN",
        "DATE_FORMS",
        "DEFAULT_CALENDAR",
        "DEFAULT_MAX_TZ_GAP",
        "DEMO_START",
        "DEMO_WEEKS",
        "MANAGER",
        "OPERATOR",
        "PLAN_TIME_LIMIT",
        "PRIORITIES",
        "ROLES",
        "SCREEN_TIME_LIMIT",
        "DatabaseBusy",
        "DatasetError",
        "Problem",
        "check_output_folder",
        "parse_day",
    ),
    "audit": ("audit_trail", "data_version"),
    "database": (
        "new_migration",
        "upgrade_database",
    ),
    "datasets": (
        "calendar_warnings",
        "check_dataset",
        "check_frames",
        "check_uploads",
        "dataset_workbook",
        "export_dataset",
        "has_stored_dataset",
        "import_dataset",
        "load_dataset",
        "save_changes",
        "save_dataset",
        "stored_dataset",
        "stored_rows",
    ),
    "demo": (
        "DEMO_ACCOUNTS",
        "DEMO_DATASET",
        "DEMO_SEEDER",
        "ensure_demo",
        "ensure_demo_accounts",
    ),
    "planning": (
        "baseline_of",
        "confirm_plan_run",
        "confirmed_weeks",
        "latest_plan",
        "make_horizon",
        "plan_cover",
        "plan_runs",
        "read_baseline",
        "record_plan",
        "release_pins",
        "stored_plan",
        "without_pins",
    ),
    "quotes": (
        "answer_request",
        "bookings_from_folder",
        "bookings_of",
        "file_request",
        "new_request",
        "prepare_quotes",
        "quote",
        "quote_against",
        "request_skills",
    ),
    "rota": (
        "ROTA_TIME_LIMIT",
        "Rota",
        "RotaParams",
        "check_rota",
        "plan_rota",
        "read_rota",
        "read_rota_reservations",
        "rota_calendars",
        "rota_params",
        "who_is_on_call",
        "write_rota",
    ),
    "rota_runs": (
        "confirm_rota_run",
        "confirmed_rota_reservations",
        "latest_rota",
        "record_rota",
        "rota_names",
        "rota_runs",
        "stored_rota",
    ),
    "users": (
        "LOGIN_COOKIE_NAME",
        "add_user",
        "disable_user",
        "has_users",
        "list_users",
        "login",
        "login_cookie",
        "login_single_sign_on",
        "logout",
        "restore_login",
        "session_actor",
    ),
    "vocabulary": (
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
    ),
    "whatif": (
        "advise_staffing",
        "apply_scenario",
        "delete_scenario",
        "make_assumptions",
        "open_scenario_upload",
        "read_scenario_file",
        "save_scenario",
        "scenario_file_text",
        "scenario_names",
        "simulate_turnover",
        "stored_scenario",
        "whatif",
        "whatif_rota_loss",
        "write_simulation",
        "write_whatif",
    ),
}
_HOME = {name: f"planner.services.{home}" for home, names in _HOMES.items() for name in names}
# The report builders (tables and charts) draw with plotly, which the command line never needs.
_REPORT_MODULES = {"reports": "planner.reports", "whatif_reports": "planner.reports.whatif"}


def __getattr__(name: str) -> Any:
    if name in _REPORT_MODULES:
        module = importlib.import_module(_REPORT_MODULES[name])
        globals()[name] = module
        return module
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = importlib.import_module(_HOME[name])
    for each in _HOMES[_HOME[name].removeprefix("planner.services.")]:
        globals()[each] = getattr(home, each)
    return globals()[name]


class _Services(ModuleType):
    """Importing a submodule binds it on its package: `planner.services.whatif`, the module,
    would then hide `services.whatif`, the function. The function of that name wins."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _HOME.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Services

# the same names as the TYPE_CHECKING imports above and `_HOMES` (a test holds them equal)
__all__ = [
    "ACCOUNT_ROLES",
    "ADMIN",
    "AUDIT_ACTIONS",
    "AUDIT_LOGINS",
    "DATE_FORMS",
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
    "ROTA_TIME_LIMIT",
    "SCREEN_TIME_LIMIT",
    "WEEKDAYS_CALENDAR",
    "AccessDenied",
    "AccountError",
    "Actor",
    "DatabaseBusy",
    "Dataset",
    "DatasetError",
    "DemandScales",
    "LoginFailed",
    "OperatorLeaves",
    "Plan",
    "Problem",
    "Progress",
    "RequirementChanges",
    "Rota",
    "RotaParams",
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
    "baseline_of",
    "bookings_from_folder",
    "bookings_of",
    "calendar_warnings",
    "check_dataset",
    "check_frames",
    "check_output_folder",
    "check_rota",
    "check_uploads",
    "confirm_plan_run",
    "confirm_rota_run",
    "confirmed_rota_reservations",
    "confirmed_weeks",
    "data_version",
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
    "latest_rota",
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
    "parse_day",
    "parse_rates",
    "parse_target",
    "people_csv",
    "plan_cover",
    "plan_rota",
    "plan_runs",
    "prepare_quotes",
    "quote",
    "quote_against",
    "read_baseline",
    "read_rota",
    "read_rota_reservations",
    "read_scenario_file",
    "record_plan",
    "record_rota",
    "release_pins",
    "reports",
    "request_skills",
    "restore_login",
    "rota_calendars",
    "rota_names",
    "rota_params",
    "rota_runs",
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
    "stored_rota",
    "stored_rows",
    "stored_scenario",
    "upgrade_database",
    "whatif",
    "whatif_reports",
    "whatif_rota_loss",
    "who_is_on_call",
    "without_pins",
    "write_plan",
    "write_rota",
    "write_simulation",
    "write_whatif",
]
