"""Request cover: can the vendor take on one more request, by whom, and if not, what instead.

The answer comes at once from the latest plan with every booking of it kept:
only the capacity it leaves free is offered.
"""

from datetime import timedelta

import streamlit as st

from app_pages import common
from planner import services
from planner.services import MANAGER, PRIORITIES, ROLES, reports

OPTION_NAMES = {
    "--operator": "Operator",
    "--role": "Role",
    "--to": "To",
    "--fte": "FTE",
    "--min-level": "Min level",
    "--priority": "Priority",
}

actor = common.require_actor()
st.title("Request cover")

run_id, plan, dataset = common.require_plan()
horizon_end = plan.horizon.end
st.caption(
    f"Answered from plan run #{run_id}, keeping all its bookings: "
    f"{common.week_label(plan.start)} to {common.week_label(plan.horizon.mondays[-1])}."
)
pins = reports.pins_note(dataset.pinned)
if pins:
    st.caption(f"{pins} Their time is never offered, and they never move.")

with st.form("request_form"):
    operator_column, role_column, priority_column = st.columns([3, 1, 1])
    operator_id = operator_column.selectbox(
        "Operator",
        [o.operator_id for o in dataset.operators],
        key="request_operator",
        format_func=lambda op: reports.operator_label(dataset, op),
    )
    role = role_column.selectbox("Role", ROLES, key="request_role")
    priority = priority_column.selectbox("Priority", PRIORITIES, index=2, key="request_priority")
    start_column, end_column, fte_column, level_column = st.columns(4)
    default_start = min(plan.start + timedelta(weeks=2), horizon_end)
    start = start_column.date_input(
        "From",
        value=default_start,
        min_value=plan.start,
        max_value=horizon_end,
        format="YYYY-MM-DD",
        key="request_start",
    )
    end = end_column.date_input(
        "To (inclusive)",
        value=min(default_start + timedelta(days=11), horizon_end),
        min_value=plan.start,
        max_value=horizon_end,
        format="YYYY-MM-DD",
        key="request_end",
    )
    fte = fte_column.number_input(
        "FTE", min_value=0.05, max_value=5.0, value=0.5, step=0.05, format="%.2f", key="request_fte"
    )
    min_level = level_column.selectbox(
        "Min level",
        [1, 2, 3],
        key="request_min_level",
        format_func=lambda level: f"{level} ({reports.LEVEL_NAMES[level]})",
    )
    skills = st.multiselect(
        "Skills the specialist must have", common.request_skills(), key="request_skills"
    )
    reshuffle = False
    if actor.may(MANAGER):  # moving bookings touches other clients: managers only
        reshuffle = st.checkbox(
            "If free time is short, try moving existing bookings to other qualified specialists",
            key="request_reshuffle",
            help="Nobody's cover shrinks: a booking "
            "only moves to someone else who may do that work; confirmed bookings never move.",
        )
    asked = st.form_submit_button(
        "Ask for cover", type="primary", key="request_submit", icon=":material/search:"
    )

if asked:
    try:
        request = services.new_request(
            dataset=dataset,
            operator_id=operator_id,
            role=role,
            start=start,
            end=end,
            fte=float(fte),
            skills=skills,
            min_level=min_level,
            priority=priority,
        )
    except services.DatasetError as error:
        st.session_state.pop("request_answer", None)
        common.show_problems(
            [
                f"{OPTION_NAMES.get(p.file, p.file)}: {p.message.replace('--from', 'From')}"
                for p in error.problems
            ],
            "The request cannot be answered",
        )
    else:
        with st.spinner("Looking for free capacity..."):
            answer, alternatives = services.answer_request(
                actor=actor,
                run_id=run_id,
                request=request,
                alternatives=reports.request_alternatives(request),
                reshuffle=reshuffle,
                engine=common.engine(),
            )
        st.session_state["request_answer"] = {
            "run_id": run_id,
            "request": request,
            "quote": answer,
            "alternatives": alternatives,
            "filed": None,
        }

answer = st.session_state.get("request_answer")
if answer is not None:
    request, quote = answer["request"], answer["quote"]
    verdict = reports.quote_verdict(quote)
    asked_for = common.escape_markdown(
        f"{reports.operator_label(dataset, request.operator_id)}, {request.role}, "
        f"{reports.number(request.fte, 3)} FTE from {request.start} to {request.end}"
    )
    covered = reports.number(reports.fte_weeks(quote.covered_units))
    demand = reports.fte_weeks_text(quote.demand_units)
    if verdict == "full":
        st.success(
            f"**Fully coverable**: {covered} of {demand}. {asked_for}.",
            icon=":material/check_circle:",
        )
    elif verdict == "partial":
        st.warning(
            f"**Partly coverable**: {covered} of {demand} "
            f"({quote.covered_units / quote.demand_units:.0%}). {asked_for}.",
            icon=":material/warning:",
        )
    elif verdict == "none":
        st.error(
            f"**Not coverable** with the capacity the plan leaves free: 0 of {demand}. "
            f"{asked_for}.",
            icon=":material/block:",
        )
    else:
        st.info(f"The request has no working day inside the plan's weeks. {asked_for}.")
    if answer["run_id"] != run_id:
        st.caption(
            f"This answer was computed against plan run #{answer['run_id']}; ask again "
            "to use the latest plan."
        )

    people = reports.quote_specialists(quote, dataset)
    if people:
        st.markdown("**By whom:** " + common.escape_markdown(", ".join(people)))
    st.dataframe(
        reports.quote_weeks(quote, dataset),
        hide_index=True,
        width="stretch",
        column_config={
            "Week": st.column_config.TextColumn(width=120),
            "Needed (FTE)": st.column_config.NumberColumn(width=100),
            "Covered (FTE)": st.column_config.NumberColumn(width=105),
            "By whom": st.column_config.TextColumn(width=250),
            "Not covered (FTE)": st.column_config.NumberColumn(width=130),
            "Why not": st.column_config.TextColumn(width="large"),
        },
    )
    reasons = reports.quote_reasons(quote, dataset)
    if reasons:
        with st.expander("Why not, in full", expanded=True):
            st.markdown("\n".join(f"- {common.escape_markdown(r)}" for r in reasons))

    if quote.moves:
        st.markdown(f"**To make room, {reports.plural(len(quote.moves), 'booking')} would move:**")
        st.dataframe(reports.moves_frame(quote.moves, dataset), hide_index=True, width="stretch")

    if verdict != "full":
        st.subheader("Best alternatives")
        st.dataframe(
            reports.alternatives_frame(answer["alternatives"]),
            hide_index=True,
            width="stretch",
            column_config={
                "Alternative": st.column_config.TextColumn(width="large"),
                "Covered share": st.column_config.ProgressColumn(
                    format="%d%%", min_value=0, max_value=100
                ),
            },
        )

    filed = answer["filed"]
    if st.button(
        "File this request",
        key="request_file",
        disabled=filed is not None,
        icon=":material/note_add:",
        help="Store it with the dataset's requests; the "
        "next plan run covers it together with everything else.",
    ):
        filed = services.file_request(actor=actor, request=request, engine=common.engine())
        answer["filed"] = filed
        common.data_changed()
    if filed is not None:
        st.success(
            f"Filed as request **{common.escape_markdown(filed)}**. Re-plan to include it: "
            "the current plan does not know about it yet.",
            icon=":material/task_alt:",
        )
        if actor.operator_id is None:
            st.page_link(
                common.RUNS_PAGE,
                label="Re-plan on the Plan runs page",
                icon=":material/play_circle:",
            )

st.subheader("Requests on file")
st.dataframe(
    reports.requests_status(plan, common.stored_dataset()), hide_index=True, width="stretch"
)
