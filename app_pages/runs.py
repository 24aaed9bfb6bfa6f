"""Plan runs: run the planner with live progress, keep the history, confirm weeks of a run,
release pinned weeks, compare two runs."""

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
    note = reports.pins_note(common.stored_dataset().pinned)
    if note:
        st.caption(note)
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
    scratch = st.checkbox(
        "Start from scratch",
        value=False,
        key="runs_scratch",
        help="Off: the new plan keeps the latest run's bookings wherever cover does not "
        "gain by moving them. On: plan as if there were no earlier run.",
        disabled=latest is None,
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
            reservations=services.confirmed_rota_reservations(actor=actor, engine=common.engine()),
            baseline=services.baseline_of(previous) if previous and not scratch else (),
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
        baseline_units = plan.summary.get("baseline_units") or 0
        kept = (
            f", kept {reports.number(reports.fte_weeks(plan.summary.get('kept_units', 0)), 1)} "
            f"of the latest run's {reports.number(reports.fte_weeks(baseline_units), 1)} "
            "FTE-weeks"
            if baseline_units
            else ""
        )
        st.success(
            f"Run #{run_id} recorded ({plan.status.lower()}): covered "
            f"{reports.fte_weeks(head.covered_units):g} of "
            f"{reports.fte_weeks(head.demand_units):g} FTE-weeks, "
            f"{head.share_of_bound or 1:.0%} of the proven optimum, {head.handovers} handovers"
            f"{kept}, in {plan.summary.get('solve_seconds', 0):g} s.",
            icon=":material/task_alt:",
        )
        for warning in (plan.summary.get("calendar") or {}).get("warnings", []):
            st.warning(
                f"Working days: {common.escape_markdown(str(warning))}.",
                icon=":material/event_busy:",
            )
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
    # the run's time limit and time-zone gap are in each screen's caption; here they would
    # push the cost and the note out of sight
    column_order=[c for c in runs.columns if c not in ("Time limit", "Max tz gap")],
    column_config={
        "Covered share": st.column_config.ProgressColumn(
            format="%.0f%%", min_value=0, max_value=100
        ),
        "Cost": st.column_config.TextColumn(width=120, alignment="right"),
        "Confirmed": st.column_config.CheckboxColumn(width=75),
        "Run": st.column_config.NumberColumn(width=45),
        "Created": st.column_config.TextColumn(width=135),
        "Weeks": st.column_config.NumberColumn(width=55),
        "Covered (FTE-weeks)": st.column_config.NumberColumn("Covered", width=75, help="FTE-weeks"),
        "Demand (FTE-weeks)": st.column_config.NumberColumn("Demand", width=75, help="FTE-weeks"),
        "Handovers": st.column_config.NumberColumn(width=80),
        "Solve seconds": st.column_config.NumberColumn("Solve s", width=60),
        "Time limit": st.column_config.NumberColumn("Limit s", width=60),
        "Max tz gap": st.column_config.NumberColumn("Tz gap h", width=65),
    },
)

run_ids = runs["Run"].tolist()
st.subheader("Confirm weeks of a run")
st.caption(
    "A run's bookings in the weeks you confirm become pinned: every later plan keeps them "
    "as they are, so specialists and clients can rely on them. The pins of those weeks are "
    "replaced by the run's; other weeks keep theirs. A confirmed run never changes, and "
    "each of its weeks is confirmed once; its other weeks may be confirmed later."
)
run_column, weeks_column = st.columns([1, 3])
chosen = int(
    run_column.selectbox("Run", run_ids, key="runs_confirm_run", format_func=lambda run: f"#{run}")
)
chosen_plan = common.stored_plan(chosen)
assert chosen_plan is not None
mondays = reports.run_mondays(chosen_plan.start, chosen_plan.weeks)
if len(mondays) > 1:
    first, last = weeks_column.select_slider(
        "Weeks to confirm",
        options=mondays,
        value=reports.weeks_to_confirm(chosen_plan.start, chosen_plan.weeks, common.today()),
        format_func=common.week_label,
        key=f"runs_confirm_weeks_{chosen}",
    )
else:
    first = last = mondays[0]
    weeks_column.markdown(f"Its one week: {common.week_label(first)}")
done = services.confirmed_weeks(actor=actor, run_id=chosen, engine=common.engine())
if done:
    st.caption(
        f"Run #{chosen} has confirmed "
        + ", ".join(reports.weeks_label(a, b) for a, b in done)
        + "."
    )
if st.button("Confirm these weeks", key="runs_confirm", icon=":material/push_pin:"):
    try:
        pinned = services.confirm_plan_run(
            actor=actor, run_id=chosen, first_week=first, last_week=last, engine=common.engine()
        )
    except services.DatasetError as error:
        common.show_problems(error.problems, "Nothing was confirmed")
    else:
        common.data_changed()
        st.session_state["runs_flash"] = (
            f"Run #{chosen} confirmed for {reports.weeks_label(first, last)}: "
            f"its {pinned} bookings there are now pinned."
        )
        st.rerun()

st.subheader("Pinned bookings")
pins = common.stored_dataset().pinned
if not pins:
    st.info("Nothing is confirmed: every plan may book every week afresh.")
else:
    st.caption(
        f"{reports.pins_note(pins)} Releasing weeks lets the next plan book them afresh; "
        "the audit trail keeps every booking released."
    )
    st.dataframe(reports.pins_by_week(pins), hide_index=True, width="content")
    pinned_weeks = sorted({p.week for p in pins})
    if len(pinned_weeks) > 1:
        release_first, release_last = st.select_slider(
            "Weeks to release",
            options=pinned_weeks,
            value=(pinned_weeks[0], pinned_weeks[-1]),
            format_func=common.week_label,
            key="runs_release_weeks",
        )
    else:
        release_first = release_last = pinned_weeks[0]
    if st.button("Release these weeks", key="runs_release", icon=":material/lock_open:"):
        try:
            released = services.release_pins(
                actor=actor,
                first_week=release_first,
                last_week=release_last,
                engine=common.engine(),
            )
        except services.DatasetError as error:
            common.show_problems(error.problems, "Nothing was released")
        else:
            common.data_changed()
            st.session_state.pop("runs_release_weeks", None)  # the weeks left differ now
            st.session_state["runs_flash"] = (
                f"Released {released} confirmed bookings in "
                f"{reports.weeks_label(release_first, release_last)}: "
                "the next plan may book them afresh."
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
st.markdown("**Kept and moved**: the earlier run's bookings, client by client")
st.caption(reports.kept_sentence(int(before_id), before, int(after_id), after))
kept = reports.compare_kept(before, after, dataset)
if kept.empty:
    st.info("Every booking of the earlier run stays where it was, and nothing is new.")
else:
    fte = st.column_config.NumberColumn(format="%.1f", width=130)
    st.dataframe(
        kept,
        hide_index=True,
        width="stretch",
        column_config={
            "Client": st.column_config.TextColumn(width=220),
            **dict.fromkeys(kept.columns[1:], fte),
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
