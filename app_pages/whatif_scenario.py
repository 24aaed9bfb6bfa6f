"""What-if, first tab: build a scenario (or load a saved one or a file), save it, and plan it
against the base data over the same weeks."""

import streamlit as st

from app_pages import common
from app_pages.whatif_changes import (
    KINDS,
    WhatIfBase,
    current_scenario,
    load_into_page,
    new_change,
)
from planner import services
from planner.services import reports, whatif_reports


def show(base: WhatIfBase, changes: list) -> None:
    """The scenario tab; `changes` is the scenario's list in session state."""
    build, stored = st.columns([3, 2])
    with build:
        _build(base, changes)
    with stored:
        _saved_scenarios(base)
    _change_list(base, changes)
    start, weeks, limit, full, compare = _compare_form(base, changes)
    if compare:
        _compare(base, changes, start, weeks, limit, full)
    comparison = st.session_state.get("whatif_result")
    if comparison is not None:
        _comparison(comparison, base.dataset)


def _build(base: WhatIfBase, changes: list) -> None:
    st.subheader("Build a scenario")
    st.text_input("Name", key="whatif_name")
    st.text_input("Description", key="whatif_description")
    label = st.selectbox("Change", list(KINDS), key="whatif_kind")
    added = new_change(KINDS[label], base, changes)
    if added is not None:
        changes.append(added)


def _saved_scenarios(base: WhatIfBase) -> None:
    actor = base.actor
    st.subheader("Saved scenarios")
    names = services.scenario_names(actor=actor, engine=common.engine())
    pick = st.selectbox("Scenario", names, index=None, placeholder="choose one", key="whatif_saved")
    load_column, delete_column = st.columns(2)
    if load_column.button(
        "Load", disabled=pick is None, key="whatif_load", icon=":material/folder_open:"
    ):
        found = services.stored_scenario(actor=actor, name=pick, engine=common.engine())
        if found is not None:
            load_into_page(found)
            st.rerun()
    if delete_column.button(
        "Delete", disabled=pick is None, key="whatif_delete", icon=":material/delete:"
    ):
        services.delete_scenario(actor=actor, name=pick, engine=common.engine())
        st.rerun()
    upload = st.file_uploader(
        "Or open a scenario file", type=["yaml", "yml", "toml", "json"], key="whatif_upload"
    )
    if upload is not None and st.button("Open the file", key="whatif_open_file"):
        try:
            load_into_page(
                services.open_scenario_upload(name=upload.name, content=upload.getvalue())
            )
            st.rerun()
        except services.DatasetError as error:
            common.show_problems(error.problems, "The scenario file was not opened")


def _change_list(base: WhatIfBase, changes: list) -> None:
    actor = base.actor
    st.markdown("**Changes in this scenario**")
    if changes:
        for number, change in enumerate(changes, start=1):
            st.markdown(f"{number}. {common.escape_markdown(change.describe())}")
    else:
        st.caption("No changes yet: add one above, load a saved scenario or open a file.")
    actions = st.columns(4)
    if actions[0].button("Remove the last", disabled=not changes, key="whatif_pop"):
        changes.pop()
        st.rerun()
    if actions[1].button("Clear", disabled=not changes, key="whatif_clear"):
        changes.clear()
        st.rerun()
    if actions[2].button("Save", disabled=not changes, key="whatif_save", icon=":material/save:"):
        services.save_scenario(
            actor=actor, scenario=current_scenario(changes), engine=common.engine()
        )
        st.toast(f"Saved scenario {current_scenario(changes).name!r}")
    actions[3].download_button(
        "Download YAML",
        services.scenario_file_text(scenario=current_scenario(changes), suffix=".yaml"),
        file_name="scenario.yaml",
        disabled=not changes,
        key="whatif_download",
    )


def _compare_form(base: WhatIfBase, changes: list) -> tuple:
    """The form's values: start, weeks, time limit, full plan, and whether it was sent."""
    default_start, default_weeks = base.start, base.weeks
    with st.form("whatif_compare_form"):
        st.markdown("**Plan the base data and the scenario over the same weeks**")
        left, middle, right, last = st.columns(4)
        start = left.date_input(
            "Start (a Monday)", value=default_start, format="YYYY-MM-DD", key="whatif_start"
        )
        weeks = middle.number_input("Weeks", 1, 104, default_weeks, key="whatif_weeks")
        limit = right.number_input(
            "Time limit (s)", 1.0, 600.0, services.SCREEN_TIME_LIMIT, 5.0, key="whatif_time_limit"
        )
        full = last.checkbox(
            "Handovers and cost too",
            value=True,
            key="whatif_full",
            help="Off: cover only, in a fraction of the time; handovers "
            "and cost are then not optimised.",
        )
        compare = st.form_submit_button(
            "Compare",
            type="primary",
            disabled=not changes,
            icon=":material/compare_arrows:",
            key="whatif_compare",
        )
    return start, weeks, limit, full, compare


def _compare(base: WhatIfBase, changes: list, start, weeks, limit, full) -> None:
    actor, dataset = base.actor, base.dataset
    bar = st.progress(0.0, text="Planning the base data, then the scenario...")

    def report(event) -> None:
        bar.progress(
            min(1.0, event.done / max(event.total, 1)),
            text=f"{event.stage}: {event.done} of {event.total}",
        )

    try:
        result = services.whatif(
            actor=actor,
            dataset=dataset,
            scenario=current_scenario(changes),
            start=start,
            weeks=int(weeks),
            time_limit=float(limit),
            secondary=bool(full),
            progress=report,
        )
    except services.DatasetError as error:
        bar.empty()
        common.show_problems(error.problems, "The scenario was not planned")
    else:
        bar.empty()
        st.session_state["whatif_result"] = result[2]


def _comparison(comparison, dataset) -> None:
    st.subheader(f"Base against “{comparison.scenario}”")
    metrics = st.columns(5)
    for column, row in zip(metrics, comparison.by_priority.itertuples(), strict=False):
        column.metric(
            f"{row.priority.capitalize()} cover",
            f"{reports.number(row.scenario_cover_pct)}%",
            f"{reports.signed(row.scenario_cover_pct - row.base_cover_pct)} pts",
            help=f"Base {reports.fte_weeks_text(row.base_covered)} covered of "
            f"{reports.number(reports.fte_weeks(row.base_demand))}, scenario "
            f"{reports.fte_weeks_text(row.scenario_covered)} of "
            f"{reports.number(reports.fte_weeks(row.scenario_demand))}.",
        )
    figures = comparison.figures
    handovers = figures["handovers"]
    metrics[3].metric(
        "Handovers",
        reports.count(handovers["scenario"]),
        reports.signed(handovers["scenario"] - handovers["base"], 0),
        delta_color="inverse",
    )
    cost = figures["cost"]
    change = cost["scenario"] - cost["base"]
    metrics[4].metric(
        "Cost",
        reports.money(cost["scenario"]),
        f"{reports.signed(change, 0)} ₽",
        delta_color="inverse",
        help=f"Base plan {reports.money(cost['base'])}: hours booked × each specialist's rate.",
    )
    left, right = st.columns(2)
    left.plotly_chart(whatif_reports.cover_bars(comparison, "priority"), key="whatif_bars_priority")
    right.plotly_chart(whatif_reports.cover_bars(comparison, "role"), key="whatif_bars_role")
    st.plotly_chart(whatif_reports.gaps_heatmap(comparison, dataset=dataset), key="whatif_gaps")
    appear, disappear = comparison.gaps_appear, comparison.gaps_disappear
    st.markdown(
        f"**Gaps that appear**: {reports.plural(len(appear), 'row')}, "
        f"{reports.fte_weeks_text(int(appear.units.sum()))}; **that disappear**: "
        f"{reports.plural(len(disappear), 'row')}, "
        f"{reports.fte_weeks_text(int(disappear.units.sum()))}."
    )
    st.dataframe(
        whatif_reports.gaps_table(appear, dataset),
        hide_index=True,
        width="stretch",
        key="whatif_appear_table",
        column_config={
            "Client": st.column_config.TextColumn(width="medium"),
            "FTE-weeks": st.column_config.NumberColumn(format="%.1f", width="small"),
            "Why": st.column_config.TextColumn(width="large"),
        },
    )
    with st.expander("Cover by client (only clients that change)"):
        st.dataframe(
            whatif_reports.clients_table(comparison, dataset),
            hide_index=True,
            width="stretch",
            key="whatif_clients_table",
            column_config={
                "Client": st.column_config.TextColumn(width="large"),
                "Base cover": st.column_config.NumberColumn(format="percent"),
                "Scenario cover": st.column_config.NumberColumn(format="percent"),
            },
        )
