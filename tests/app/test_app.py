"""The app's screens, run headless with Streamlit's AppTest against a throwaway database.

The database is seeded with the demo data and a short plan before the first
screen runs, so `ensure_demo` finds data and the tests stay fast.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planner import reports, services
from planner.accounts.access import LOCAL_ADMIN, Actor
from planner.data.plan_files import plan_frame
from tests.builders import REPO_ROOT

APP = REPO_ROOT / "app.py"
PAGES = [
    "app_pages/overview.py",
    "app_pages/timeline.py",
    "app_pages/request.py",
    "app_pages/runs.py",
    "app_pages/data.py",
    "app_pages/audit.py",
    "app_pages/rota.py",
]
OPERATOR_PAGES = ["app_pages/timeline.py", "app_pages/request.py", "app_pages/support.py"]
SEED_WEEKS = 8

MANAGER = Actor(username="test-manager", role="manager")
ADMIN = Actor(username="test-admin", role="admin")
OP0003 = Actor(username="op0003", role="operator", operator_id="OP0003")
OP0012 = Actor(username="op0012", role="operator", operator_id="OP0012")


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh SQLite database holding the demo data and one short plan."""
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'planner.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_DATABASE_URL", url)
        seed_database(url)
        yield url


def seed_database(url: str) -> None:
    """The demo data, a plan of its first weeks and the demo accounts, in the database at `url`."""
    engine = services.get_engine(url)
    dataset = services.import_dataset(actor=MANAGER, source=services.DEMO_DATASET, engine=engine)
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=services.DEMO_START, weeks=SEED_WEEKS, time_limit=10
    )
    services.record_plan(
        actor=MANAGER, plan=plan, time_limit=10, engine=engine, note="seeded by the tests"
    )
    services.ensure_demo_accounts(engine=engine)


def logged_in(database: str, username: str = "manager") -> AppTest:
    """The app with `username` (a demo account) logged in, first page run."""
    password = next(p for u, p, _, _ in services.DEMO_ACCOUNTS if u == username)
    token, _ = services.login(
        username=username, password=password, engine=services.get_engine(database)
    )
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app(database: str) -> AppTest:
    return logged_in(database)


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app: AppTest, page: str) -> None:
    open_page(app, page)
    assert app.title[0].value


@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_every_operator_page_runs(database: str, page: str) -> None:
    at = logged_in(database, "op0012")
    open_page(at, page)
    assert at.title[0].value


def test_overview_shows_figures_and_both_heatmaps(app: AppTest) -> None:
    open_page(app, PAGES[0])
    labels = [m.label for m in app.metric]
    assert {
        "Covered",
        "Of the proven optimum",
        "Uncovered FTE-weeks",
        "Handovers",
        "Cost",
        "Specialists' utilisation",
    } <= set(labels)
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    assert "2027-W01, 4 Jan" in charts[0].proto.spec


def test_overview_heatmaps_show_the_holidays_as_holidays(app: AppTest) -> None:
    """The demo plans on the production calendar: the New Year week has no working days."""
    open_page(app, PAGES[0])
    coverage, utilisation = (chart.proto.spec for chart in app.get("plotly_chart"))
    for spec in (coverage, utilisation):
        assert "2027-W01, 4 Jan \\u00b7 0d" in spec  # the spec is JSON with non-ASCII escaped
        assert "no working days (New Year holidays, 7 Jan Christmas)" in spec
        assert '"text":"holidays"' in spec
    assert "working days" in texts(app.caption)


def test_timeline_filters_by_operator(app: AppTest, database: str) -> None:
    plan = services.latest_plan(actor=MANAGER, engine=services.get_engine(database))[1]
    operator = plan.assignments[0].operator_id
    open_page(app, PAGES[1])
    app.multiselect(key="timeline_operators").set_value([operator]).run()
    app.radio(key="timeline_view").set_value("By operator").run()
    assert not app.exception
    spec = app.get("plotly_chart")[0].proto.spec
    assert operator in spec
    others = {a.operator_id for a in plan.assignments} - {operator}
    assert not any(f'"{other} ' in spec for other in others)


def test_timeline_pages_its_rows_with_the_uncovered_first(app: AppTest) -> None:
    open_page(app, PAGES[1])
    pages = app.selectbox(key="timeline_page")
    assert len(pages.options) >= 2
    assert "(uncovered first)" in pages.options[0]
    first = app.get("plotly_chart")[0].proto.spec
    pages.set_value(2).run()
    assert not app.exception
    second = app.get("plotly_chart")[0].proto.spec
    assert '"Uncovered ' in first
    assert '"Uncovered ' not in second


def test_an_operator_user_has_no_view_toggle_and_no_operator_filter(database: str) -> None:
    at = logged_in(database, "op0003")
    open_page(at, PAGES[1])
    assert at.title[0].value == "Our cover"
    assert not [radio for radio in at.radio if radio.key == "timeline_view"]
    assert not [box for box in at.multiselect if box.key == "timeline_operators"]
    assert [box.label for box in at.multiselect] == ["Role", "Priority", "Specialist"]


def test_timeline_marks_the_weeks_that_are_not_five_working_days(app: AppTest) -> None:
    """The demo plans on the production calendar: its first week is the New Year holidays."""
    open_page(app, PAGES[1])
    notes = texts(app.caption)
    assert "2027-W01, 4 Jan: no working days (New Year holidays, 7 Jan Christmas)" in notes
    assert "2027-W07, 15 Feb: 6 working days (20 Feb working Saturday)" in notes
    spec = app.get("plotly_chart")[0].proto.spec
    assert "no working days" in spec
    assert "4 Jan \\u00b7 0d" in spec  # the spec is JSON with its non-ASCII escaped


def test_plan_downloads_read_back_as_the_plan_files(database: str) -> None:
    plan = services.latest_plan(actor=MANAGER, engine=services.get_engine(database))[1]
    dataset = services.stored_dataset(actor=MANAGER, engine=services.get_engine(database))
    sheets = pd.read_excel(io.BytesIO(reports.plan_workbook(plan, dataset)), sheet_name=None)
    assert list(sheets) == ["plan", "uncovered", "summary"]
    assert len(sheets["plan"]) == len(plan.assignments)
    assert sheets["plan"]["units"].sum() == sum(a.units for a in plan.assignments)
    csv = pd.read_csv(io.BytesIO(reports.plan_csv(plan)), dtype=str)
    assert csv.equals(plan_frame(plan).astype(str))
    uncovered = pd.read_csv(io.BytesIO(reports.uncovered_csv(plan)))
    assert list(uncovered.columns)[-1] == "reason"


def test_data_edit_with_a_bad_value_saves_nothing(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    before = services.stored_dataset(actor=MANAGER, engine=engine).staff[0]
    open_page(app, PAGES[4])
    app.session_state["data_editor_staff"] = {
        "edited_rows": {0: {"fte": "-1"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="data_save").click().run()
    errors = texts(app.error)
    assert "Nothing was saved" in errors
    assert "staff.csv:2: column fte: -1" in errors
    assert services.stored_dataset(actor=MANAGER, engine=engine).staff[0] == before


def test_data_edit_of_a_filtered_row_is_saved(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    target = dataset.staff[3]
    open_page(app, PAGES[4])
    app.text_input(key="data_filter_staff").set_value(target.staff_id).run()
    key = f"data_editor_staff__{target.staff_id}"
    app.session_state[key] = {
        "edited_rows": {0: {"name": "Новикова Анна"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="data_save").click().run()
    assert not app.exception
    assert "Saved staff" in texts(app.success)
    saved = services.stored_dataset(actor=MANAGER, engine=engine)
    assert saved.staff[3].name == "Новикова Анна"
    assert saved.staff[3].fte == target.fte
    assert len(saved.staff) == len(dataset.staff)
    services.save_dataset(actor=MANAGER, dataset=dataset, engine=engine)  # leave the data as it was


def test_data_edits_survive_a_filter_change_and_rows_can_be_added_and_deleted(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    later = dataset.staff[5]
    open_page(app, PAGES[4])
    app.session_state["data_editor_staff"] = {
        "edited_rows": {0: {"name": "Первая Правка"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.text_input(key="data_filter_staff").set_value(later.staff_id).run()
    app.session_state[f"data_editor_staff__{later.staff_id}"] = {
        "edited_rows": {0: {"name": "Вторая Правка"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.text_input(key="data_filter_staff").set_value("").run()
    absence = dataset.absences[0]
    app.session_state["data_editor_absences"] = {
        "edited_rows": {},
        "deleted_rows": [0],
        "added_rows": [
            {
                "staff_id": later.staff_id,
                "start": "2027-03-01",
                "end": "2027-03-05",
                "kind": "training",
            }
        ],
    }
    app.run()
    assert "Unsaved changes in `staff`, `absences`" in texts(app.markdown)
    app.button(key="data_save").click().run()
    assert not app.exception
    assert not app.error, texts(app.error)
    saved = services.stored_dataset(actor=MANAGER, engine=engine)
    assert saved.staff[0].name == "Первая Правка"
    assert saved.staff[5].name == "Вторая Правка"
    assert [s.staff_id for s in saved.staff] == [s.staff_id for s in dataset.staff]
    assert absence not in saved.absences[:1]
    assert saved.absences[-1].staff_id == later.staff_id
    assert saved.absences[-1].kind == "training"
    assert len(saved.absences) == len(dataset.absences)
    services.save_dataset(actor=MANAGER, dataset=dataset, engine=engine)  # leave the data as it was


def test_request_gets_an_answer_and_can_be_filed(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    open_page(app, PAGES[2])
    app.selectbox(key="request_operator").set_value("OP0003")
    app.selectbox(key="request_role").set_value("technical")
    app.number_input(key="request_fte").set_value(0.5)
    app.button(key="request_submit").click().run()
    assert not app.exception
    verdicts = texts([*app.success, *app.warning, *app.error])
    assert "coverable" in verdicts.lower()
    weeks = app.dataframe[0].value
    assert isinstance(weeks, pd.DataFrame)
    assert weeks["Week"].str.match(r"^\d{4}-W\d\d, \d+ \w{3}$").all()

    requests_before = len(services.stored_dataset(actor=MANAGER, engine=engine).requests)
    app.button(key="request_file").click().run()
    assert "Filed as request" in texts(app.success)
    assert (
        len(services.stored_dataset(actor=MANAGER, engine=engine).requests) == requests_before + 1
    )


def test_request_with_a_reshuffle_lists_the_bookings_that_would_move(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    _, plan = services.latest_plan(actor=LOCAL_ADMIN, engine=engine)
    dataset = services.stored_dataset(actor=LOCAL_ADMIN, engine=engine)
    basis = services.prepare_quotes(dataset=dataset, plan=plan)
    start = plan.start + pd.Timedelta(weeks=2)
    wanted = None
    for op in (o.operator_id for o in dataset.operators):
        for role in ("technical", "finance", "subscriber"):
            request = services.new_request(
                dataset=dataset,
                operator_id=op,
                role=role,
                start=start,
                end=start + pd.Timedelta(days=11),
                fte=0.5,
            )
            answer = services.quote_against(basis=basis, request=request, reshuffle=True)
            if answer.moves:
                wanted = (op, role, answer)
                break
        if wanted:
            break
    assert wanted, "the demo plan should leave some request that a reshuffle helps"
    op, role, expected = wanted
    open_page(app, PAGES[2])
    app.selectbox(key="request_operator").set_value(op)
    app.selectbox(key="request_role").set_value(role)
    app.date_input(key="request_start").set_value(start)
    app.date_input(key="request_end").set_value(start + pd.Timedelta(days=11))
    app.number_input(key="request_fte").set_value(0.5)
    app.checkbox(key="request_reshuffle").check()
    app.button(key="request_submit").click().run()
    assert not app.exception
    assert f"{reports.plural(len(expected.moves), 'booking')} would move" in texts(app.markdown)
    moves = next(frame.value for frame in app.dataframe if "From" in frame.value.columns)
    assert len(moves) == len(expected.moves)


def test_request_answer_names_specialists_in_its_reasons(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    _, plan = services.latest_plan(actor=LOCAL_ADMIN, engine=engine)
    dataset = services.stored_dataset(actor=LOCAL_ADMIN, engine=engine)
    basis = services.prepare_quotes(dataset=dataset, plan=plan)
    start = plan.start + pd.Timedelta(weeks=2)
    ids = {s.specialist_id for s in dataset.specialists}
    wanted = None
    for op in (o.operator_id for o in dataset.operators):
        for role in ("technical", "finance", "subscriber"):
            request = services.new_request(
                dataset=dataset,
                operator_id=op,
                role=role,
                start=start,
                end=start + pd.Timedelta(days=11),
                fte=3.0,
            )
            answer = services.quote_against(basis=basis, request=request)
            if any(i in gap.reason for gap in answer.uncovered for i in ids):
                wanted = (op, role)
                break
        if wanted:
            break
    assert wanted, "some request in the demo should be short for a reason naming a specialist"
    open_page(app, PAGES[2])
    app.selectbox(key="request_operator").set_value(wanted[0])
    app.selectbox(key="request_role").set_value(wanted[1])
    app.date_input(key="request_start").set_value(start)
    app.date_input(key="request_end").set_value(start + pd.Timedelta(days=11))
    app.number_input(key="request_fte").set_value(3.0)
    app.button(key="request_submit").click().run()
    assert not app.exception
    reasons = " ".join(app.dataframe[0].value["Why not"])
    named = [f"{s.name} ({s.specialist_id})" for s in dataset.specialists]
    assert any(n in reasons for n in named), reasons
    bare = [i for i in ids if i in reasons.replace("(", " ").replace(")", " ").split()]
    assert all(f"({i})" in reasons for i in bare)
    assert not any(f" {i} " in f" {reasons} " for i in ids), reasons


def test_request_with_end_before_start_lists_the_problem(app: AppTest) -> None:
    open_page(app, PAGES[2])
    start = app.date_input(key="request_start").value
    app.date_input(key="request_end").set_value(start - pd.Timedelta(days=1))
    app.button(key="request_submit").click().run()
    assert "To: " in texts(app.error)


def test_run_a_plan_then_confirm_and_compare(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    runs_before = len(services.plan_runs(actor=MANAGER, engine=engine))
    open_page(app, PAGES[3])
    app.number_input(key="runs_weeks").set_value(4)
    app.number_input(key="runs_time_limit").set_value(5.0)
    app.button(key="runs_submit").click().run()
    assert not app.exception
    runs = services.plan_runs(actor=MANAGER, engine=engine)
    assert len(runs) == runs_before + 1
    assert f"Run #{runs[0].id} recorded" in texts(app.success)
    history = app.dataframe[0].value
    assert history["Run"].iloc[0] == runs[0].id

    assert app.selectbox(key="runs_confirm_run").value == runs[0].id
    app.button(key="runs_confirm").click().run()
    assert not app.exception
    assert f"Run #{runs[0].id} confirmed" in texts(app.success)
    assert services.plan_runs(actor=MANAGER, engine=engine)[0].confirmed
    assert app.selectbox(key="runs_compare_before").value == runs[1].id


def test_a_run_keeps_the_latest_runs_bookings_unless_started_from_scratch(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    open_page(app, PAGES[3])
    assert app.checkbox(key="runs_scratch").value is False
    app.number_input(key="runs_weeks").set_value(4)
    app.number_input(key="runs_time_limit").set_value(5.0)
    app.button(key="runs_submit").click().run()
    assert not app.exception
    latest_id, latest = services.latest_plan(actor=MANAGER, engine=engine)
    assert latest.summary["baseline_units"] > 0
    assert (
        latest.summary["kept_units"] + latest.summary["moved_units"]
        == (latest.summary["baseline_units"])
    )
    assert "of the latest run's" in texts(app.success)
    # the comparison picks the run before and the new one, and says what was kept
    assert app.selectbox(key="runs_compare_after").value == latest_id
    assert f"run #{latest_id} keeps" in texts(app.caption)

    app.checkbox(key="runs_scratch").check()
    app.button(key="runs_submit").click().run()
    assert not app.exception
    _, fresh = services.latest_plan(actor=MANAGER, engine=engine)
    assert fresh.summary["baseline_units"] == 0
    assert "of the latest run's" not in texts(app.success)


def test_confirm_four_weeks_of_a_run_then_release_them(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    seeded = next(
        r
        for r in services.plan_runs(actor=MANAGER, engine=engine)
        if r.note == "seeded by the tests"
    )
    plan = services.stored_plan(actor=MANAGER, run_id=seeded.id, engine=engine)
    mondays = plan.horizon.mondays
    chosen = [a for a in plan.assignments if mondays[1] <= a.week <= mondays[4]]
    open_page(app, PAGES[3])
    app.selectbox(key="runs_confirm_run").set_value(seeded.id).run()
    # the run starts after today: its first four weeks are offered
    assert app.select_slider(key=f"runs_confirm_weeks_{seeded.id}").value == (
        mondays[0],
        mondays[3],
    )
    app.select_slider(key=f"runs_confirm_weeks_{seeded.id}").set_range(mondays[1], mondays[4])
    app.button(key="runs_confirm").click().run()
    assert not app.exception, app.exception
    assert f"its {len(chosen)} bookings there are now pinned" in texts(app.success)

    def pinned_in_weeks() -> set[tuple]:
        pinned = services.stored_dataset(actor=MANAGER, engine=engine).pinned
        return {
            (p.specialist_id, p.demand_id, p.week, p.units)
            for p in pinned
            if mondays[1] <= p.week <= mondays[4]
        }

    assert pinned_in_weeks() == {(a.specialist_id, a.demand_id, a.week, a.units) for a in chosen}
    assert "confirmed bookings in weeks" in texts(app.caption)
    per_week = next(f.value for f in app.dataframe if "Bookings" in f.value.columns)
    pinned = services.stored_dataset(actor=MANAGER, engine=engine).pinned
    assert per_week["Bookings"].sum() == len(pinned)
    assert f"Run #{seeded.id} has confirmed" in texts(app.caption)
    open_page(app, PAGES[2])  # the Request screen answers around them, and says so
    assert "confirmed bookings in weeks" in texts(app.caption)
    open_page(app, PAGES[3])

    app.select_slider(key="runs_release_weeks").set_range(mondays[1], mondays[4])
    app.button(key="runs_release").click().run()
    assert not app.exception, app.exception
    assert f"Released {len(chosen)} confirmed bookings" in texts(app.success)
    assert pinned_in_weeks() == set()
    (release, *_) = services.audit_trail(actor=MANAGER, action="release", engine=engine)
    assert len(release.before["pinned"]) == len(chosen)

    # a week the run confirmed once is not confirmed from it again
    app.selectbox(key="runs_confirm_run").set_value(seeded.id).run()
    app.select_slider(key=f"runs_confirm_weeks_{seeded.id}").set_range(mondays[4], mondays[5])
    app.button(key="runs_confirm").click().run()
    assert "already confirmed for weeks" in texts(app.error)


def test_a_run_on_the_monday_to_friday_grid_is_stored_and_captioned_so(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    open_page(app, PAGES[3])
    assert app.radio(key="runs_calendar").value == "ru"  # the seeded run's calendar
    app.number_input(key="runs_weeks").set_value(2)
    app.number_input(key="runs_time_limit").set_value(5.0)
    app.radio(key="runs_calendar").set_value("none")
    app.button(key="runs_submit").click().run()
    assert not app.exception
    newest = services.latest_plan(actor=MANAGER, engine=engine)
    assert newest is not None
    assert newest[1].summary["calendar"]["name"] == "none"
    assert newest[1].calendar.name == "none"  # read back with the calendar it was planned on
    # the New Year week is a working week on this grid: the run has demand in it
    assert newest[1].summary["demand_units"]["critical"] > 0
    open_page(app, PAGES[1])
    assert "Monday to Friday" in texts(app.caption)


def test_a_non_monday_start_is_refused(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    runs_before = len(services.plan_runs(actor=MANAGER, engine=engine))
    open_page(app, PAGES[3])
    start = app.date_input(key="runs_start").value
    app.date_input(key="runs_start").set_value(start + pd.Timedelta(days=1))
    app.button(key="runs_submit").click().run()
    assert "must start on a Monday" in texts(app.error)
    assert len(services.plan_runs(actor=MANAGER, engine=engine)) == runs_before


# --------------------------------------------------------------------------- accounts


def test_without_a_session_only_the_login_page_shows(database: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cover Planner"
    at.text_input(key="login_username").set_value("manager")
    at.text_input(key="login_password").set_value("not the password")
    at.button(key="login_submit").click().run()
    assert "wrong username or password" in texts(at.error)
    assert "auth_token" not in at.session_state
    at.text_input(key="login_password").set_value("manager-demo-1")
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert at.title[0].value == "Overview"


def test_an_operator_user_sees_its_own_cover_only(database: str) -> None:
    engine = services.get_engine(database)
    at = logged_in(database, "op0012")
    assert at.title[0].value == "Our cover"
    spec = at.get("plotly_chart")[0].proto.spec
    _, own = services.latest_plan(actor=OP0012, engine=engine)
    if own.assignments or own.uncovered:  # the latest run may have had nothing for it
        assert "OP0012" in spec
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    others = [o for o in dataset.operators if o.operator_id != "OP0012"]
    shown = spec + texts(at.dataframe) + texts(at.markdown)
    assert not [o.operator_id for o in others if o.operator_id in shown]
    assert not [o.name for o in others if o.name in shown]


@pytest.mark.parametrize(
    "page", ["app_pages/runs.py", "app_pages/rota.py", "app_pages/audit.py", "app_pages/users.py"]
)
def test_a_vendor_screen_s_url_tells_an_operator_user_it_is_not_theirs(
    database: str, page: str
) -> None:
    """Its URL is known (hidden from the menu), so a link says so instead of "Page not found"."""
    at = logged_in(database, "op0012")
    at.switch_page(page).run()
    assert not at.exception
    assert "not available to your account" in texts(at.error)
    assert "Plan runs" not in texts(at.sidebar.markdown)


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/overview.py",
        "app_pages/runs.py",
        "app_pages/rota.py",
        "app_pages/audit.py",
        "app_pages/users.py",
    ],
)
def test_a_page_run_directly_still_refuses_an_operator_user(database: str, page: str) -> None:
    password = next(p for u, p, _, _ in services.DEMO_ACCOUNTS if u == "op0003")
    token, _ = services.login(
        username="op0003", password=password, engine=services.get_engine(database)
    )
    at = AppTest.from_file(str(APP.parent / page), default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert not at.exception
    assert "not available to your account" in texts(at.error)
    assert not at.dataframe


def test_disabling_a_user_ends_its_open_session(database: str) -> None:
    engine = services.get_engine(database)
    services.add_user(
        actor=ADMIN, username="shortlived", password="long enough", role="manager", engine=engine
    )
    token, _ = services.login(username="shortlived", password="long enough", engine=engine)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert at.title[0].value == "Overview"
    services.disable_user(actor=ADMIN, username="shortlived", engine=engine)
    at.run()
    assert at.title[0].value == "Cover Planner"
    assert "session has ended" in texts(at.info)


def test_the_audit_page_filters_by_operator(app: AppTest, database: str) -> None:
    open_page(app, "app_pages/audit.py")
    app.selectbox(key="audit_operator").set_value("OP0003").run()
    assert not app.exception
    dataset = services.stored_dataset(actor=MANAGER, engine=services.get_engine(database))
    name = reports.operator_label(dataset, "OP0003").split(" — ")[1]
    assert all(f"({name}" in what for what in app.dataframe[0].value["What"])
    assert set(app.dataframe[1].value["Operator"]) <= {"OP0003"}  # the raw records


def test_the_audit_page_says_what_changed_and_shows_logins_when_asked(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    dataset, versions = services.stored_rows(actor=ADMIN, engine=engine)
    position, member = next((k, s) for k, s in enumerate(dataset.staff) if s.fte == 1)
    cells = {
        c: "" if getattr(member, c) is None else str(getattr(member, c))
        for c in ("staff_id", "operator_id", "role", "fte", "name", "joined_on", "left_on")
    }
    change = services.RowChange("staff", *versions["staff"][position], {**cells, "fte": "0.5"})
    services.save_changes(actor=ADMIN, engine=engine, changes=[change])
    _, versions = services.stored_rows(actor=ADMIN, engine=engine)
    back = services.RowChange("staff", *versions["staff"][position], cells)
    services.save_changes(actor=ADMIN, engine=engine, changes=[back])
    open_page(app, "app_pages/audit.py")
    trail = app.dataframe[0].value
    edits = list(trail[trail["What"].str.startswith(f"staff {member.staff_id} ")]["Change"])
    assert edits[:2] == ["fte: 0.5 → 1", "fte: 1 → 0.5"]
    assert not {"login", "login failed"} & set(trail["Action"])
    app.checkbox(key="audit_logins").check().run()
    assert "login" in set(app.dataframe[0].value["Action"])


def test_a_stale_save_on_the_data_page_is_refused_by_name(app: AppTest, database: str) -> None:
    engine = services.get_engine(database)
    open_page(app, PAGES[4])  # the page has loaded the rows with their versions
    dataset, versions = services.stored_rows(actor=ADMIN, engine=engine)
    first = dataset.staff[0]
    cells = {
        c: "" if getattr(first, c) is None else str(getattr(first, c))
        for c in ("staff_id", "operator_id", "role", "fte", "name", "joined_on", "left_on")
    }
    services.save_changes(
        actor=ADMIN,
        engine=engine,
        changes=[
            services.RowChange(
                "staff", *versions["staff"][0], {**cells, "name": "Коллега Успел"}, 2
            )
        ],
    )
    app.session_state["data_editor_staff"] = {
        "edited_rows": {0: {"name": "Я Опоздал"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="data_save").click().run()
    assert not app.exception
    assert f"staff.csv line 2 ({first.staff_id}) was changed by someone else" in texts(app.error)
    assert services.stored_dataset(actor=ADMIN, engine=engine).staff[0].name == "Коллега Успел"
    app.button(key="data_discard").click().run()  # loads the current rows afresh
    app.session_state[f"data_editor_staff__v{app.session_state['data_version']}"] = {
        "edited_rows": {0: {"name": first.name}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="data_save").click().run()
    assert "Saved staff" in texts(app.success)
    assert services.stored_dataset(actor=ADMIN, engine=engine).staff[0] == first


def test_an_operator_user_edits_its_own_staff_on_the_data_page(database: str) -> None:
    engine = services.get_engine(database)
    at = logged_in(database, "op0003")
    at.switch_page(PAGES[4]).run()
    assert not at.exception
    own = services.stored_dataset(actor=OP0003, engine=engine)
    assert {s.operator_id for s in own.staff} == {"OP0003"}
    others = [
        s
        for s in services.stored_dataset(actor=MANAGER, engine=engine).staff
        if s.operator_id != "OP0003"
    ]
    at.session_state["data_editor_staff"] = {
        "edited_rows": {0: {"name": "Своя Сотрудница"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_save").click().run()
    assert not at.exception
    assert "Saved staff" in texts(at.success)
    saved = services.stored_dataset(actor=MANAGER, engine=engine)
    changed = next(s for s in saved.staff if s.staff_id == own.staff[0].staff_id)
    assert changed.name == "Своя Сотрудница"
    assert [s for s in saved.staff if s.operator_id != "OP0003"] == others
    trail = services.audit_trail(actor=MANAGER, username="op0003", action="edit", engine=engine)
    assert trail[0].before["name"] == own.staff[0].name


def test_an_operator_user_can_ask_and_edit_for_its_own_operator_only(database: str) -> None:
    at = logged_in(database, "op0012")
    at.switch_page(PAGES[2]).run()
    assert not at.exception
    assert at.selectbox(key="request_operator").options == ["OP0012 — Зея Нэт"]
    at.switch_page(PAGES[4]).run()
    assert not at.exception
    assert texts(at.caption).startswith("1 operators, ")
    shown = "\n".join(frame.value.to_string() for frame in at.dataframe)
    assert "OP0012" in shown
    assert "OP0005" not in shown


def working_days_shown(at: AppTest, year: int = 2027) -> int:
    return int(next(m.value for m in at.metric if m.label == f"Working days in {year}"))


def add_calendar_rows(at: AppTest, *rows: dict[str, str]) -> None:
    """Rows added in the calendar's editor (a new key after each save), then saved."""
    version = at.session_state.get("data_version", 0)
    key = f"data_editor_calendar__v{version}" if version else "data_editor_calendar"
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": list(rows),
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_calendar_tab_edits_calendar_rows_and_shows_a_region_s_days(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    region = "Республика Башкортостан"
    holiday = {"date": "2027-06-11", "working": "no", "region": region, "note": "Сабантуй"}
    demo_rows = len(dataset.calendar)  # the demo's republics' holidays
    try:
        open_page(app, PAGES[4])
        assert "Calendar" in [tab.label for tab in app.tabs]
        assert working_days_shown(app) == 247
        app.selectbox(key="data_calendar_region").set_value(region).run()
        regional = working_days_shown(app)
        assert regional < 247  # Uraza and Kurban Bayram, Republic and Constitution days
        add_calendar_rows(app, holiday, {**holiday, "region": "Атлантида", "note": ""})
        assert "Saved calendar" in texts(app.success)
        assert "region 'Атлантида' matches no operator or specialist" in texts(app.warning)
        saved = services.stored_dataset(actor=MANAGER, engine=engine).calendar
        assert [(d.date.isoformat(), d.working, d.region) for d in saved[demo_rows:]] == [
            ("2027-06-11", False, region),
            ("2027-06-11", False, "Атлантида"),
        ]
        assert working_days_shown(app) == regional - 1
        assert "Сабантуй" in "\n".join(f.value.to_string() for f in app.dataframe)
        app.selectbox(key="data_calendar_region").set_value(services.reports.NO_REGION).run()
        assert working_days_shown(app) == 247
        add_calendar_rows(app, {**holiday, "working": "yes"})
        assert f"calendar.csv:{demo_rows + 4}: column region: duplicate: date 2027-06-11 and " in (
            texts(app.error)
        )
        assert services.stored_dataset(actor=MANAGER, engine=engine).calendar == saved
        app.number_input(key="data_calendar_year").set_value(2031).run()
        assert "2031 is not known" in texts(app.warning)
    finally:
        services.save_dataset(actor=MANAGER, dataset=dataset, engine=engine)


def test_an_operator_user_sees_the_calendar_but_cannot_edit_it(database: str) -> None:
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    at = logged_in(database, "op0003")
    at.switch_page(PAGES[4]).run()
    assert not at.exception
    assert "Calendar" in [tab.label for tab in at.tabs]
    assert working_days_shown(at) == 247
    assert "data_editor_calendar" not in [editor.key for editor in at.data_editor]
    at.session_state["data_editor_calendar"] = {
        "edited_rows": {},
        "added_rows": [{"date": "2027-06-11", "working": "no", "region": "", "note": ""}],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_save").click().run()
    assert not at.exception
    assert "Nothing to save" in texts(at.info)
    assert services.stored_dataset(actor=MANAGER, engine=engine) == dataset


def test_the_new_columns_of_operators_and_specialists_are_in_their_editors(app: AppTest) -> None:
    open_page(app, PAGES[4])
    columns = {editor.key: list(editor.value.columns) for editor in app.data_editor}
    assert {"region", "incident_level", "incident_skills"} <= set(columns["data_editor_operators"])
    assert {"region", "oncall", "standby_response_minutes", "max_duty_hours"} <= set(
        columns["data_editor_specialists"]
    )
    assert columns["data_editor_calendar"] == ["date", "working", "region", "note"]
    assert "oncall: yes or no" in texts(app.caption)


def test_markdown_in_a_name_shows_literally_on_request_cover(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    engine = services.get_engine(url)
    demo = services.load_dataset(services.DEMO_DATASET)
    marked = tuple(
        replace(o, name="**x** Телеком") if o.operator_id == "OP0003" else o for o in demo.operators
    )
    dataset = replace(demo, operators=marked)
    services.save_dataset(actor=MANAGER, dataset=dataset, engine=engine)
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=services.DEMO_START, weeks=2, time_limit=5
    )
    services.record_plan(actor=MANAGER, plan=plan, time_limit=5, engine=engine)
    services.ensure_demo_accounts(engine=engine)
    st.cache_resource.clear()  # the app's engine is cached per process: this database's
    st.cache_data.clear()
    try:
        app = open_page(logged_in(url), PAGES[2])
        app.selectbox(key="request_operator").set_value("OP0003")
        app.button(key="request_submit").click().run()
        assert not app.exception
        verdict = texts([*app.success, *app.warning, *app.error, *app.info])
        assert r"\*\*x\*\* Телеком" in verdict
    finally:
        st.cache_resource.clear()  # the next test's app gets the session database again
        st.cache_data.clear()


def test_the_data_page_builds_its_exports_only_when_downloaded(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choke(**_):
        raise ValueError("an export choked on a cell")

    monkeypatch.setattr(services, "dataset_workbook", choke)
    monkeypatch.setattr(services, "export_dataset", choke)
    open_page(app, PAGES[4])
    assert app.button(key="data_save") is not None


# --------------------------------------------------------------------------- hardening


def test_a_change_made_elsewhere_is_seen_on_the_next_rerun(app: AppTest, database: str) -> None:
    """`planner import` on the server or another browser's save: the cached reads are
    keyed by the data version, so the next rerun shows the new data, not a stale copy."""
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    open_page(app, "app_pages/audit.py")
    renamed = replace(
        dataset,
        operators=tuple(
            replace(o, name="Оператор Извне") if o.operator_id == "OP0003" else o
            for o in dataset.operators
        ),
    )
    try:
        services.save_dataset(actor=LOCAL_ADMIN, dataset=renamed, engine=engine)
        app.run()
        assert any(
            "Оператор Извне" in label for label in app.selectbox(key="audit_operator").options
        )
        open_page(app, PAGES[4])
        loaded, _ = app.session_state["data_loaded"]
        assert loaded.operator("OP0003").name == "Оператор Извне"
    finally:
        services.save_dataset(actor=LOCAL_ADMIN, dataset=dataset, engine=engine)


def test_the_data_page_keeps_unsaved_edits_when_the_data_moves_on(
    app: AppTest, database: str
) -> None:
    engine = services.get_engine(database)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    open_page(app, PAGES[4])
    app.session_state["data_editor_staff"] = {
        "edited_rows": {0: {"name": "Моя Правка"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    try:
        services.save_dataset(actor=LOCAL_ADMIN, dataset=dataset, engine=engine)
        app.run()
        assert "changed since you started editing" in texts(app.warning)
        assert app.session_state["data_drafts"]["staff"].iloc[0]["name"] == "Моя Правка"
    finally:
        services.save_dataset(actor=LOCAL_ADMIN, dataset=dataset, engine=engine)


def test_an_error_on_a_screen_is_a_sentence_and_its_details_stay_in_the_log(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs):
        raise RuntimeError(
            "(psycopg.OperationalError) SELECT password_hash FROM users @ db.internal"
        )

    monkeypatch.setattr(services, "audit_trail", broken)
    with caplog.at_level("ERROR", logger="cover_planner.app"):
        open_page(app, "app_pages/audit.py")
    shown = texts(app.error)
    assert "Something went wrong on this screen" in shown
    everything = shown + texts(app.markdown) + texts(app.caption) + texts(app.warning)
    assert "db.internal" not in everything
    assert "password_hash" not in everything
    reference = shown.split("reference ")[1][:8]
    assert reference in caplog.text
    assert "db.internal" in caplog.text
    monkeypatch.setattr(
        services, "audit_trail", lambda **kwargs: (_ for _ in ()).throw(services.DatabaseBusy())
    )
    app.run()
    assert "The database is busy with another change; try again" in texts(app.warning)


def test_the_browser_gets_no_error_details_nor_unguarded_table_downloads() -> None:
    import tomllib

    from planner.cli.serve import streamlit_argv

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    argv = " ".join(streamlit_argv(8501))
    assert "--client.showErrorDetails none" in argv
    assert "--client.disableDataExport true" in argv
    assert "--client.showErrorDetails none" in (REPO_ROOT / "scripts" / "app.sh").read_text()
