"""Rota: run the on-call rota with live progress, keep and confirm runs, and read one: its
figures, the week of duty by specialist, the SLA by operator, the gaps and why, fairness,
and every specialist's calendar."""

import streamlit as st

from app_pages import common
from planner import services
from planner.services import MANAGER, reports

st.title("On-call rota")
actor = common.require_actor(MANAGER)

flash = st.session_state.pop("rota_flash", None)
if flash:
    st.success(flash, icon=":material/push_pin:")

dataset = common.stored_dataset()
latest = common.latest_rota()
previous = latest[1].params if latest else None

with st.form("rota_form"):
    st.markdown(
        "**Run the rota** on the stored data: who is on duty when, so that every promised "
        "hour of incident support has someone qualified to answer in time. Confirmed duty "
        "stays as it is."
    )
    start_column, weeks_column, limit_column = st.columns(3)
    start = start_column.date_input(
        "Start (a Monday)",
        value=previous.start if previous else services.DEMO_START,
        format="YYYY-MM-DD",
        key="rota_start",
    )
    weeks = weeks_column.number_input(
        "Weeks",
        min_value=1,
        max_value=13,
        value=previous.weeks if previous else 1,
        key="rota_weeks",
    )
    time_limit = limit_column.number_input(
        "Time limit (seconds)",
        min_value=1.0,
        max_value=3600.0,
        value=services.SCREEN_TIME_LIMIT,
        step=5.0,
        key="rota_time_limit",
    )
    submitted = st.form_submit_button(
        "Run the rota", type="primary", key="rota_submit", icon=":material/play_arrow:"
    )

if submitted:
    bar = st.progress(0.0, text="Preparing the rota model...")

    def show_progress(event) -> None:
        bar.progress(reports.rota_progress_fraction(event), text=reports.rota_progress_text(event))

    try:
        rota = services.plan_rota(
            actor=actor,
            dataset=dataset,
            params=services.rota_params(start=start, weeks=int(weeks)),
            time_limit=float(time_limit),
            progress=show_progress,
        )
    except services.DatasetError as error:
        bar.empty()
        common.show_problems(error.problems, "The rota did not run")
    else:
        bar.empty()
        head = reports.rota_headline(rota)
        seconds = reports.number(rota.summary.get("solve_seconds", 0))
        run_id = services.record_rota(actor=actor, rota=rota, engine=common.engine())
        common.data_changed()
        st.session_state["rota_run"] = run_id  # the picker shows the new run
        st.session_state["rota_flash"] = (
            f"Rota run #{run_id} recorded ({rota.status.lower()}): covered "
            f"{reports.count(head.covered_hours)} of {reports.count(head.promised_hours)} "
            "promised hours "
            f"({reports.percent(head.share_of_promised)}), {reports.count(head.gaps)} gaps, "
            f"{reports.count(head.shifts)} shifts, in {seconds} s."
        )
        st.rerun()

# --------------------------------------------------------------------------- which run

runs = common.rota_runs()
if not runs:
    st.info("No rota has been run yet: choose a start Monday and the weeks above.")
    st.stop()
with st.expander(f"Rota runs ({len(runs)})", expanded=False):
    st.dataframe(
        reports.rota_runs_frame(runs),
        hide_index=True,
        width="stretch",
        column_config={
            "Run": st.column_config.NumberColumn(width=45),
            "Created": st.column_config.TextColumn(width=135),
            "Confirmed": st.column_config.CheckboxColumn(width=80),
            "Weeks": st.column_config.NumberColumn(width=55),
            "Covered share": st.column_config.ProgressColumn(
                format="%.0f%%", min_value=0, max_value=100
            ),
        },
    )
by_id = {r.id: r for r in runs}
pick_column, confirm_column = st.columns([3, 1], vertical_alignment="bottom")
run_id = int(
    pick_column.selectbox(
        "Rota run shown",
        list(by_id),
        key="rota_run",
        format_func=lambda run: reports.rota_run_label(by_id[run]),
    )
)
chosen = by_id[run_id]
if chosen.confirmed:
    confirm_column.caption(
        f"Confirmed by {common.escape_markdown(chosen.confirmed_by or 'someone')}"
    )
elif confirm_column.button("Confirm this rota", key="rota_confirm", icon=":material/push_pin:"):
    try:
        pinned = services.confirm_rota_run(actor=actor, run_id=run_id, engine=common.engine())
    except services.DatasetError as error:
        common.show_problems(error.problems, "Nothing was confirmed")
    else:
        common.data_changed()
        st.session_state["rota_flash"] = (
            f"Rota run #{run_id} confirmed: its {reports.count(pinned)} shifts are now the "
            "confirmed duty of its weeks. Every later rota keeps them, and plans take its "
            "cover reservations off the specialists' capacity."
        )
        st.rerun()
rota = common.stored_rota(run_id)
assert rota is not None

st.caption(reports.rota_caption(rota, run_id))

# --------------------------------------------------------------------------- figures

head = reports.rota_headline(rota)
top = st.columns(3)
bottom = st.columns(3)
top[0].metric(
    "Promised hours covered",
    reports.percent(head.share_of_promised),
    help=f"{reports.hours_text(head.covered_hours)} of {reports.hours_text(head.promised_hours)} "
    "operator-hours promised by the clients' SLAs have someone on duty who can answer in time.",
    border=True,
)
top[1].metric(
    "Of the proven bound",
    reports.percent(head.share_of_bound),
    help=f"Covered against {reports.hours_text(head.bound_hours)}, the most any rota can cover "
    "with these specialists as proven by the solver; 100% means no better rota exists.",
    border=True,
)
top[2].metric(
    "Gaps",
    reports.count(head.gaps),
    help=f"{reports.hours_text(head.gap_hours)} promised and uncovered, in runs of hours per "
    "client; each has a reason below.",
    border=True,
)
bottom[0].metric(
    "Shifts", reports.count(head.shifts), help="Runs of consecutive on-duty hours.", border=True
)
bottom[1].metric(
    "Most off-work hours",
    reports.hours_text(head.max_off_work_hours),
    help="The most duty anyone has on evenings, nights, weekends and holidays: the fairness "
    "the rota keeps as small as it can.",
    border=True,
)
bottom[2].metric(
    "Cover time reserved",
    reports.hours_text(head.reserved_hours),
    help="Cover work the rota takes from the specialists' plan weeks: duty while at work "
    "leaves less time for cover.",
    border=True,
)
dropped = rota.summary.get("dropped_pins") or []
if dropped:
    common.show_problems(
        [f"{p['specialist_id']} {p['start']}-{p['end']}: {p['reason']}" for p in dropped],
        "Confirmed duty dropped because it breaks a rule today",
    )

# --------------------------------------------------------------------------- the week

week_column, zone_column = st.columns(2)
week = week_column.selectbox(
    "Week",
    reports.rota_weeks(rota),
    key="rota_week",
    format_func=lambda k: reports.rota_week_label(rota, k),
)
zone = zone_column.selectbox("Shown in", reports.rota_zones(dataset), key="rota_zone")
week = week if week is not None and week < rota.params.weeks else 0
st.plotly_chart(reports.duty_heatmap(dataset, rota, week, zone), width="stretch", key="rota_duty")
st.caption(
    "Blue: on duty at work (answers within the active response time); amber: on standby, "
    "off work (answers within the specialist's standby time). Hover a cell for the hour."
)
st.plotly_chart(reports.sla_heatmap(dataset, rota, week, zone), width="stretch", key="rota_sla")
st.caption("Clients with the most gap hours this week first.")

st.subheader("Gaps and why")
gaps = reports.gaps_frame(dataset, rota)
if gaps.empty:
    st.success("Every promised hour has someone on duty who can answer in time.")
else:
    st.dataframe(
        gaps,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(gaps)),
        column_config={
            "Operator": st.column_config.TextColumn(width=210),
            "Start (UTC)": st.column_config.TextColumn(width=145),
            "End (UTC)": st.column_config.TextColumn(width=145),
            "Start (local)": st.column_config.TextColumn(width=145),
            "End (local)": st.column_config.TextColumn(width=145),
            "Zone": st.column_config.TextColumn(width=130),
            "Hours": st.column_config.NumberColumn(width=60),
            "Reason": st.column_config.TextColumn(
                width=700, help="Hover a cell for the whole sentence"
            ),
        },
    )

st.subheader("Fairness")
st.caption(
    "Duty per specialist over the rota, the most off-work hours first. Night: 22:00-06:00, "
    "weekend: Saturday and Sunday, both in the specialist's own time."
)
st.dataframe(
    reports.fairness_frame(dataset, rota),
    hide_index=True,
    width="stretch",
    column_config={
        "Specialist": st.column_config.TextColumn(width=280),
        "Zone": st.column_config.TextColumn(width=140),
    },
)

st.subheader("Calendars")
calendars = common.rota_calendars(run_id)
if not calendars:
    st.info("Nobody is on duty in this rota, so there is no calendar to send.")
else:
    st.caption(
        "Each specialist's shifts as an iCalendar file for their phone, one event per shift."
    )
    who_column, one_column, all_column = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen_specialist = who_column.selectbox(
        "Specialist",
        reports.calendar_choices(dataset, calendars),
        key="rota_calendar_specialist",
        format_func=lambda sid: reports.specialist_name_and_id(dataset, sid),
    )
    chosen_specialist = (
        chosen_specialist if chosen_specialist in calendars else next(iter(calendars))
    )
    one_column.download_button(
        f"{chosen_specialist}.ics",
        calendars[chosen_specialist],
        file_name=f"{chosen_specialist}.ics",
        mime="text/calendar",
        icon=":material/download:",
        on_click="ignore",
        key="rota_download_ics",
    )
    all_column.download_button(
        "All calendars (zip)",
        reports.calendars_zip(calendars),
        file_name=f"rota-calendars-run-{run_id}.zip",
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="rota_download_zip",
    )
