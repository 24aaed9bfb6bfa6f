"""Plan runs: run the planner with live progress, keep the history, confirm a run, compare two."""

import streamlit as st

from app_pages import common
from planner import services
from planner.services import MANAGER, reports

st.title("Plan runs")
actor = common.require_actor(MANAGER)

flash = st.session_state.pop("runs_flash", None)
if flash:
    st.success(flash, icon=":material/push_pin:")

latest = common.latest_plan()
previous = latest[1] if latest else None

with st.form("runs_form"):
    st.markdown("**Run the planner** on the stored data (confirmed bookings stay as they are).")
    start_column, weeks_column, tz_column, limit_column = st.columns(4)
    start = start_column.date_input(
        "Start (a Monday)",
        value=previous.start if previous else services.DEMO_START,
        format="YYYY-MM-DD",
        key="runs_start",
    )
    weeks = weeks_column.number_input(
        "Weeks",
        min_value=1,
        max_value=104,
        value=previous.weeks if previous else services.DEMO_WEEKS,
        key="runs_weeks",
    )
    max_tz_gap = tz_column.number_input(
        "Max time-zone gap (hours)",
        min_value=0.0,
        max_value=24.0,
        step=0.5,
        value=float(previous.max_tz_gap) if previous else services.DEFAULT_MAX_TZ_GAP,
        key="runs_max_tz_gap",
    )
    time_limit = limit_column.number_input(
        "Time limit (seconds)",
        min_value=1.0,
        max_value=3600.0,
        value=services.SCREEN_TIME_LIMIT,
        step=5.0,
        key="runs_time_limit",
    )
    calendars = {
        "ru": "Russian production calendar (with calendar.csv)",
        "none": "Monday to Friday, every week",
    }
    previous_calendar = (previous.summary.get("calendar") or {}).get("name") if previous else None
    calendar = st.radio(
        "Working days",
        list(calendars),
        index=list(calendars).index(previous_calendar or services.DEFAULT_CALENDAR),
        format_func=calendars.__getitem__,
        horizontal=True,
        key="runs_calendar",
    )
    submitted = st.form_submit_button(
        "Run the planner", type="primary", key="runs_submit", icon=":material/play_arrow:"
    )

if submitted:
    bar = st.progress(0.0, text="Preparing the model...")

    def show_progress(event) -> None:
        bar.progress(reports.progress_fraction(event), text=reports.progress_text(event))

    try:
        plan = services.plan_cover(
            actor=actor,
            dataset=common.stored_dataset(),
            start=start,
            weeks=int(weeks),
            max_tz_gap=float(max_tz_gap),
            time_limit=float(time_limit),
            progress=show_progress,
            calendar=calendar,
        )
    except services.DatasetError as error:
        bar.empty()
        common.show_problems(error.problems, "The planner did not run")
    else:
        run_id = services.record_plan(
            actor=actor, plan=plan, time_limit=float(time_limit), engine=common.engine()
        )
        common.data_changed()
        bar.empty()
        # point the pickers at the new run: confirm it, or compare it with the one before
        if latest is not None:
            st.session_state["runs_compare_before"] = latest[0]
            st.session_state["runs_compare_after"] = run_id
        st.session_state["runs_confirm_run"] = run_id
        st.session_state["runs_last"] = run_id

if "runs_last" in st.session_state:
    run_id = st.session_state["runs_last"]
    plan = common.stored_plan(run_id)
    if plan is not None:
        head = reports.headline(plan, common.stored_dataset())
        st.success(
            f"Run #{run_id} recorded ({plan.status.lower()}): covered "
            f"{reports.fte_weeks(head.covered_units):g} of "
            f"{reports.fte_weeks(head.demand_units):g} FTE-weeks, "
            f"{head.share_of_bound or 1:.0%} of the proven optimum, {head.handovers} handovers, "
            f"in {plan.summary.get('solve_seconds', 0):g} s.",
            icon=":material/task_alt:",
        )
        for warning in (plan.summary.get("calendar") or {}).get("warnings", []):
            st.warning(f"Working days: {warning}.", icon=":material/event_busy:")
        dropped = plan.summary.get("dropped_pins") or []
        if dropped:
            common.show_problems(
                [
                    f"{p['specialist_id']} on {p['demand_id']} in week {p['week']}: {p['reason']}"
                    for p in dropped
                ],
                "Confirmed bookings dropped because they break a rule today",
            )

st.subheader("History")
runs = common.plan_runs()
if runs.empty:
    st.info("No plan has been run yet.")
    st.stop()
st.dataframe(
    runs,
    hide_index=True,
    width="stretch",
    column_config={
        "Covered share": st.column_config.ProgressColumn(format="percent"),
        "Cost": st.column_config.NumberColumn(format="%.0f ₽"),
        "Confirmed": st.column_config.CheckboxColumn(),
    },
)

run_ids = runs["Run"].tolist()
st.subheader("Confirm a run")
st.caption(
    "A confirmed run's bookings become pinned: every later plan keeps them as they are, "
    "so specialists and clients can rely on them. A confirmed run never changes."
)
confirm_column, button_column = st.columns([1, 3], vertical_alignment="bottom")
chosen = confirm_column.selectbox(
    "Run", run_ids, key="runs_confirm_run", format_func=lambda run: f"#{run}"
)
if button_column.button("Confirm this run", key="runs_confirm", icon=":material/push_pin:"):
    try:
        pinned = services.confirm_plan_run(actor=actor, run_id=int(chosen), engine=common.engine())
    except services.DatasetError as error:
        common.show_problems(error.problems, "Nothing was confirmed")
    else:
        common.data_changed()
        st.session_state["runs_flash"] = (
            f"Run #{chosen} confirmed: its {pinned} bookings are now pinned."
        )
        st.rerun()

st.subheader("Compare two runs")
if len(run_ids) < 2:
    st.info("Run the planner once more to compare two runs.")
    st.stop()
st.session_state.setdefault("runs_compare_before", run_ids[1])
st.session_state.setdefault("runs_compare_after", run_ids[0])
before_column, after_column = st.columns(2)
before_id = before_column.selectbox(
    "Before", run_ids, key="runs_compare_before", format_func=lambda run: f"#{run}"
)
after_id = after_column.selectbox(
    "After", run_ids, key="runs_compare_after", format_func=lambda run: f"#{run}"
)
before, after = common.stored_plan(int(before_id)), common.stored_plan(int(after_id))
dataset = common.stored_dataset()
st.markdown("**Figures**")
right = {"alignment": "right", "width": "small"}
figures = reports.compare_figures(before, after)
st.dataframe(
    figures,
    hide_index=True,
    width="stretch",
    height=35 * (len(figures) + 1) + 3,  # every figure in view, no scrolling inside the table
    column_config={
        "Figure": st.column_config.TextColumn(width="medium"),
        "Before": st.column_config.TextColumn(**right),
        "After": st.column_config.TextColumn(**right),
        "Change": st.column_config.TextColumn(**right),
    },
)
st.markdown(
    "**Who is affected**: assignment rows added, removed or changed, per client and specialist"
)
parties = reports.compare_by_party(before, after, dataset)
if parties.empty:
    st.info("The two runs book exactly the same cover.")
else:
    st.dataframe(
        parties,
        hide_index=True,
        width="stretch",
        column_config={
            "Client": st.column_config.TextColumn(width=175),
            "Specialist": st.column_config.TextColumn(width=185),
            "Added": st.column_config.NumberColumn(width=65),
            "Removed": st.column_config.NumberColumn(width=75),
            "Changed": st.column_config.NumberColumn(width=75),
            "FTE-weeks before": st.column_config.NumberColumn(width=120),
            "FTE-weeks after": st.column_config.NumberColumn(width=115),
            "Change (FTE-weeks)": st.column_config.NumberColumn(format="%+.1f", width=135),
        },
    )
with st.expander("Every changed assignment row"):
    st.dataframe(
        reports.compare_assignments(before, after, dataset), hide_index=True, width="stretch"
    )
