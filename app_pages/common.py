"""What every screen shares: the engine, the logged-in user, cached reads of the stored data
(as that user may see it), labels, messages.

Reads are cached with `st.cache_data` and cleared by `data_changed()` after any
write, so every page sees the same dataset and latest plan without asking the
database on each rerun.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import services
from planner.services import MANAGER, Actor, Dataset, Plan, Problem, Rota, reports

log = logging.getLogger("cover_planner.app")

RUNS_PAGE = "app_pages/runs.py"
ROTA_PAGE = "app_pages/rota.py"


@st.cache_resource(show_spinner=False)
def engine():
    """The engine for the database `PLANNER_DATABASE_URL` names (SQLite file by default)."""
    return services.get_engine()


@st.cache_resource(show_spinner=False)
def seed_demo() -> bool:
    """Load the demo data and plan it when the database is empty; once per process."""
    return services.ensure_demo(engine=engine())


def run_safely(run: Callable[[], object]) -> None:
    """Run a page; an error in it is one sentence with a reference for the user, and
    the traceback (SQL, the database host, file paths) goes only to the server's log
    under that reference. Streamlit's own reruns and stops pass through."""
    try:
        run()
    except services.DatabaseBusy as busy:
        st.warning(f"{str(busy)[:1].upper()}{str(busy)[1:]}.", icon=":material/hourglass:")
    except Exception:
        reference = secrets.token_hex(4)
        log.exception("page failed, reference %s", reference)
        st.error(
            f"Something went wrong on this screen and nothing was changed by it (reference "
            f"{reference}). Reload the page to try again; if it keeps happening, give the "
            "reference to your administrator, who finds the details in the server log.",
            icon=":material/error:",
        )


# --------------------------------------------------------------------------- who is logged in

TOKEN_KEY = "auth_token"
COOKIE_KEY = "login_cookie"
"""The token the browser's login cookie was last made for, and the cookie."""
COOKIE_TRIED_KEY = "login_cookie_tried"
"""Set once this browser session has looked at the cookie it arrived with."""
COOKIE_FORGET_KEY = "login_cookie_forget"
"""Set after a logout or a refused cookie: the login page deletes the cookie."""


def single_sign_on() -> bool:
    """Whether an OpenID Connect provider is configured (`[auth]` in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _single_sign_on_token() -> str | None:
    """A session for the user the OpenID Connect provider logged in, once per browser
    session (a refusal is not retried on every rerun)."""
    if not single_sign_on() or st.session_state.get("login_refused") or not st.user.is_logged_in:
        return None
    try:
        token, _ = services.login_single_sign_on(
            email=str(st.user.get("email") or ""), engine=engine()
        )
    except services.LoginFailed as refusal:
        st.session_state["login_refused"] = True
        st.session_state["login_flash"] = f"Not logged in: {refusal}"
        return None
    st.session_state[TOKEN_KEY] = token
    return token


def _cookie_token() -> str | None:
    """The session of the login cookie the browser came with (a reloaded tab), once per
    browser session; a cookie the services refuse is deleted from the browser."""
    if st.session_state.get(COOKIE_TRIED_KEY):
        return None
    st.session_state[COOKIE_TRIED_KEY] = True
    restored = services.restore_login(cookies=st.context.cookies, engine=engine())
    if restored is None:
        st.session_state[COOKIE_FORGET_KEY] = services.LOGIN_COOKIE_NAME in st.context.cookies
        return None
    token, _ = restored
    st.session_state[TOKEN_KEY] = token
    return token


def _set_cookie_in_browser(cookie: str) -> None:
    """Streamlit reads cookies but cannot set them, so a line of script does it. `Secure`
    is added when the page is served over https; `SameSite=Strict` keeps the cookie off
    requests that other sites start."""
    st.html(
        "<script>document.cookie = "
        f"{json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def remember_login() -> None:
    """Have the browser keep the login cookie of this session, so a reload stays logged in."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return
    remembered = st.session_state.get(COOKIE_KEY)
    if remembered is None or remembered[0] != token:
        cookie = services.login_cookie(token=token, engine=engine())
        if cookie is None:
            return
        remembered = (token, cookie)
        st.session_state[COOKIE_KEY] = remembered
    st.session_state.pop(COOKIE_FORGET_KEY, None)
    cookie = remembered[1]
    _set_cookie_in_browser(
        f"{cookie.name}={cookie.value}; Path=/; Max-Age={cookie.max_age}; SameSite=Strict"
    )


def forget_login() -> None:
    """Delete the login cookie from the browser after a logout or a refused cookie."""
    if st.session_state.get(COOKIE_FORGET_KEY):
        _set_cookie_in_browser(f"{services.LOGIN_COOKIE_NAME}=; Path=/; Max-Age=0; SameSite=Strict")


def current_actor() -> Actor | None:
    """The logged-in user, checked against the database on every run: a session that
    expired, was closed or whose user was disabled logs the browser out at once."""
    token = st.session_state.get(TOKEN_KEY) or _cookie_token() or _single_sign_on_token()
    if not token:
        return None
    actor = services.session_actor(token=token, engine=engine())
    if actor is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state[COOKIE_FORGET_KEY] = True
        st.session_state["login_flash"] = "Your session has ended: please log in again."
    return actor


def require_actor(role: str | None = None) -> Actor:
    """The logged-in user, or stop the page; with `role`, also stop anyone without it.

    Pages call this first, but it is a convenience: the services refuse on their own.
    """
    actor = current_actor()
    if actor is None:
        st.warning("Please log in.", icon=":material/lock:")
        st.stop()
    if role is not None and not actor.may(role):
        st.error("This page is not available to your account.", icon=":material/block:")
        st.stop()
    return actor


def actor() -> Actor:
    return require_actor()


def log_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        services.logout(token=token, engine=engine())
    st.session_state.clear()
    st.session_state[COOKIE_TRIED_KEY] = True  # the cookie this tab came with is spent
    st.session_state[COOKIE_FORGET_KEY] = True
    st.cache_data.clear()
    if single_sign_on() and st.user.is_logged_in:
        st.logout()


# --------------------------------------------------------------------------- cached reads
# Every cached read takes the actor as an argument, so one user's answer is never
# served to another, and the data version, so that a change made anywhere else (another
# browser, `planner import` on the server) is seen on the next rerun, not some day.

VERSION_KEY = "db_version"
MOVED_KEY = "db_moved_on"


def check_data_version() -> None:
    """Read the database's data version once per run (app.py calls this first); when it
    moved since this browser's last run, pages that keep their own copy (the Data page's
    editors) are told by `data_moved_on`."""
    version = services.data_version(engine=engine())
    previous = st.session_state.get(VERSION_KEY)
    st.session_state[VERSION_KEY] = version
    if previous is not None and previous != version:
        st.session_state[MOVED_KEY] = True


def data_version() -> str:
    if VERSION_KEY not in st.session_state:
        check_data_version()
    return st.session_state[VERSION_KEY]


def data_moved_on() -> bool:
    """Whether the stored data changed since this session last looked (once: the answer
    is reset by asking)."""
    return bool(st.session_state.pop(MOVED_KEY, False))


def stored_dataset() -> Dataset:
    return _stored_dataset(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _stored_dataset(who: Actor, version: str) -> Dataset:
    return services.stored_dataset(actor=who, engine=engine())


def latest_plan() -> tuple[int, Plan] | None:
    """The newest run's id and plan: what the overview, timeline and quotes answer from."""
    return _latest_plan(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _latest_plan(who: Actor, version: str) -> tuple[int, Plan] | None:
    return services.latest_plan(actor=who, engine=engine())


def stored_plan(run_id: int) -> Plan | None:
    return _stored_plan(actor(), data_version(), run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _stored_plan(who: Actor, version: str, run_id: int) -> Plan | None:
    return services.stored_plan(actor=who, run_id=run_id, engine=engine())


def plan_runs() -> pd.DataFrame:
    return _plan_runs(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _plan_runs(who: Actor, version: str) -> pd.DataFrame:
    return reports.runs_frame(services.plan_runs(actor=who, engine=engine()))


def plan_files(run_id: int) -> dict[str, bytes]:
    """A run's plan.csv, uncovered.csv and Excel workbook, built once per run and user."""
    return _plan_files(actor(), data_version(), run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _plan_files(who: Actor, version: str, run_id: int) -> dict[str, bytes]:
    plan = _stored_plan(who, version, run_id)
    assert plan is not None
    return {
        "plan": reports.plan_csv(plan),
        "uncovered": reports.uncovered_csv(plan),
        "workbook": reports.plan_workbook(plan, _stored_dataset(who, version)),
    }


# --------------------------------------------------------------------------- the rota


def latest_rota() -> tuple[int, Rota] | None:
    """The newest rota run's id and rota as this user may see it (scoped by the services)."""
    return _latest_rota(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _latest_rota(who: Actor, version: str) -> tuple[int, Rota] | None:
    return services.latest_rota(actor=who, engine=engine())


def stored_rota(run_id: int) -> Rota | None:
    return _stored_rota(actor(), data_version(), run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _stored_rota(who: Actor, version: str, run_id: int) -> Rota | None:
    return services.stored_rota(actor=who, run_id=run_id, engine=engine())


def rota_names(run_id: int) -> dict[str, str]:
    """The names of those on duty in a rota run, as this user may see it."""
    return _rota_names(actor(), data_version(), run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _rota_names(who: Actor, version: str, run_id: int) -> dict[str, str]:
    return services.rota_names(actor=who, run_id=run_id, engine=engine())


def rota_runs() -> list:
    """Every rota run (RotaRun rows), newest first."""
    return _rota_runs(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _rota_runs(who: Actor, version: str) -> list:
    return services.rota_runs(actor=who, engine=engine())


def rota_calendars(run_id: int) -> dict[str, bytes]:
    """Each specialist's `.ics` of a rota run, built once per run and user."""
    return _rota_calendars(actor(), data_version(), run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _rota_calendars(who: Actor, version: str, run_id: int) -> dict[str, bytes]:
    rota = _stored_rota(who, version, run_id)
    assert rota is not None
    return services.rota_calendars(_stored_dataset(who, version), rota)


def no_rota_yet() -> None:
    st.info(
        "There is no on-call rota yet. A manager runs one on the Rota page "
        "(start Monday, weeks, time limit).",
        icon=":material/info:",
    )
    if actor().may(MANAGER):
        st.page_link(ROTA_PAGE, label="Go to Rota", icon=":material/support_agent:")


def request_skills() -> list[str]:
    return _request_skills(actor(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _request_skills(who: Actor, version: str) -> list[str]:
    return services.request_skills(actor=who, engine=engine())


def dataset_zip() -> Callable[[], bytes]:
    """The stored dataset (what the user may see) as a zip of the contract's CSV files,
    built only when the user downloads it (see `dataset_xlsx`)."""
    who, database = actor(), engine()
    return lambda: _dataset_zip(who, database)


def _dataset_zip(who: Actor, database) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = services.export_dataset(actor=who, folder=folder, engine=database)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=Path(path).name)
    return buffer.getvalue()


def dataset_xlsx() -> Callable[[], bytes]:
    """The stored dataset (what the user may see) as one workbook, a sheet per file.

    Built only when the user clicks the download button (Streamlit calls it then), not
    on every run of the Data page: one cell the export chokes on must never block the
    page, nor the saves made on it.
    """
    who, database = actor(), engine()
    return lambda: _dataset_xlsx(who, database)


def _dataset_xlsx(who: Actor, database) -> bytes:
    dataset = services.stored_dataset(actor=who, engine=database)
    with tempfile.TemporaryDirectory() as folder:
        path = services.dataset_workbook(
            actor=who, dataset=dataset, path=Path(folder) / "dataset.xlsx"
        )
        return Path(path).read_bytes()


def data_changed() -> None:
    """Forget every cached read and take the new data version: call after this session's
    own write, so its next run neither serves old answers nor counts its own change as
    somebody else's."""
    st.cache_data.clear()
    st.session_state[VERSION_KEY] = services.data_version(engine=engine())


def today() -> date:
    return date.today()


def week_label(monday: date) -> str:
    return reports.week_label(monday)


def client_address() -> str | None:
    """The browser's IP address, for counting failed logins per source; None where the
    server does not know it (a test harness, some proxies)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def escape_markdown(text: str) -> str:
    """User data and messages shown literally: `*`, `_`, `$`, `<` are not markup here."""
    for char in "\\`*_[]<>#|~$":
        text = text.replace(char, "\\" + char)
    return text


def show_problems(problems: Iterable[Problem | str], headline: str) -> None:
    """Every problem, one per line, under a headline that says what did not happen."""
    lines = [escape_markdown(str(p)) for p in problems]
    st.error(
        f"**{headline}** ({len(lines)} problem{'s' if len(lines) != 1 else ''})\n\n"
        + "  \n".join(lines),
        icon=":material/error:",
    )


def no_plan_yet() -> None:
    st.info("There is no plan yet. Run the planner first.", icon=":material/info:")
    if actor().may(MANAGER):
        st.page_link(RUNS_PAGE, label="Go to Plan runs", icon=":material/play_circle:")


def require_plan() -> tuple[int, Plan, Dataset]:
    """The latest run, its plan and the stored data; stops the page with a hint if none."""
    latest = latest_plan()
    if latest is None:
        no_plan_yet()
        st.stop()
    run_id, plan = latest
    return run_id, plan, stored_dataset()


def plan_caption(run_id: int, plan: Plan) -> str:
    last = plan.horizon.mondays[-1]
    working_days = (
        "Monday to Friday"
        if plan.calendar.name == services.WEEKDAYS_CALENDAR
        else "Russian production calendar"
    )
    return (
        f"Plan run #{run_id} · {plan.weeks} weeks from {week_label(plan.start)} to "
        f"{week_label(last)} · {plan.status.lower()} · max time-zone gap "
        f"{plan.max_tz_gap:g} h · {working_days}"
    )
