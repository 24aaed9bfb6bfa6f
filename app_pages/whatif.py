"""What-if: build a scenario from the stored data, compare it with the base plan, sample
turnover risk, and ask for hiring and training advice."""

from datetime import timedelta

import streamlit as st

from app_pages import common
from planner import services
from planner.services import MANAGER, PRIORITIES, ROLES, Scenario, whatif_reports

KINDS = {
    "A specialist leaves": "specialist_leaves",
    "A specialist takes long leave": "specialist_leave",
    "A new specialist joins": "specialist_joins",
    "An operator's staff member leaves": "staff_leaves",
    "An operator's staff member is away": "staff_absent",
    "A client leaves": "operator_leaves",
    "A requirement changes": "requirement_changes",
    "Demand grows or shrinks": "demand_scales",
}

st.title("What-if")
st.caption("Lay changes over the stored data and see what they do to the cover: a leaver, "
           "a long absence, a new hire, a lost client. Then sample many possible futures "
           "and ask how many people to hire, and whom to train.")

actor = common.require_actor(MANAGER)
dataset = common.stored_dataset()
latest = common.latest_plan()
default_start = latest[1].start if latest else services.DEMO_START
default_weeks = latest[1].weeks if latest else services.DEMO_WEEKS
changes: list = st.session_state.setdefault("whatif_changes", [])
# a scenario loaded on the last run fills the name fields before they are drawn
pending = st.session_state.pop("whatif_pending", None)
if pending is not None:
    changes[:] = list(pending.changes)
    st.session_state["whatif_name"] = pending.name
    st.session_state["whatif_description"] = pending.description
st.session_state.setdefault("whatif_name", "my scenario")

specialists = {s.specialist_id: f"{s.specialist_id} — {s.name} "
               f"({';'.join(f'{r}:{lv}' for r, lv in s.roles)}, {s.timezone})"
               for s in dataset.specialists}
staff = {m.staff_id: f"{m.staff_id} — {m.operator_id} {m.role}, {m.name or ''}"
         for m in dataset.staff}
operators = {o.operator_id: f"{o.operator_id} — {o.name} ({o.timezone})"
             for o in dataset.operators}
timezones = sorted({o.timezone for o in dataset.operators}
                   | {s.timezone for s in dataset.specialists})
skills = sorted({k for s in dataset.specialists for k in s.skills}
                | {k for r in dataset.requirements for k in r.skills})

scenario_tab, risk_tab, advice_tab = st.tabs(["Scenario against the base plan",
                                              "Turnover risk", "Hiring and training advice"])


def new_change(kind: str):
    """The form for one change kind; returns the change when it is submitted."""
    with st.form(f"whatif_add_{kind}", clear_on_submit=False):
        day = default_start + timedelta(weeks=max(1, default_weeks // 3))
        change = None
        if kind in ("specialist_leaves", "specialist_leave"):
            who = st.selectbox("Specialist", list(specialists), format_func=specialists.get,
                               key=f"whatif_{kind}_specialist")
        if kind in ("staff_leaves", "staff_absent"):
            member = st.selectbox("Staff member", list(staff), format_func=staff.get,
                                  key=f"whatif_{kind}_staff")
        if kind in ("specialist_leaves", "staff_leaves", "operator_leaves"):
            on = st.date_input("Gone from", value=day, format="YYYY-MM-DD",
                               key=f"whatif_{kind}_on")
        if kind in ("specialist_leave", "staff_absent"):
            left, right = st.columns(2)
            start = left.date_input("From", value=day, format="YYYY-MM-DD",
                                    key=f"whatif_{kind}_start")
            end = right.date_input("To (inclusive)", value=day + timedelta(weeks=8, days=-3),
                                   format="YYYY-MM-DD", key=f"whatif_{kind}_end")
        if kind in ("operator_leaves", "requirement_changes"):
            operator = st.selectbox("Client", list(operators), format_func=operators.get,
                                    key=f"whatif_{kind}_operator")
        if kind == "specialist_joins":
            left, middle, right = st.columns(3)
            new_id = left.text_input("Id", value=f"NEW{len(changes) + 1}",
                                     key="whatif_join_id")
            role = middle.selectbox("Role", ROLES, index=2, key="whatif_join_role")
            level = right.selectbox("Level", (1, 2, 3), index=1, key="whatif_join_level")
            chosen = st.multiselect("Skills", skills, key="whatif_join_skills")
            left, middle, right = st.columns(3)
            zone = left.selectbox("Time zone", timezones,
                                  index=timezones.index("Europe/Moscow")
                                  if "Europe/Moscow" in timezones else 0, key="whatif_join_tz")
            capacity = middle.number_input("Capacity (FTE)", 0.1, 1.0, 1.0, 0.1,
                                           key="whatif_join_capacity")
            cost = right.number_input("Cost per hour", 0.0, value=2500.0, step=100.0,
                                      key="whatif_join_cost")
            joins = st.date_input("Joins on", value=default_start, format="YYYY-MM-DD",
                                  key="whatif_join_on")
        if kind == "requirement_changes":
            left, middle, right = st.columns(3)
            role = left.selectbox("Role", ROLES, key="whatif_req_role")
            min_fte = middle.number_input("Min FTE", 0.0, 20.0, 1.0, 0.5,
                                          key="whatif_req_fte")
            priority = right.selectbox("Priority", ("unchanged", *PRIORITIES),
                                       key="whatif_req_priority")
        if kind == "demand_scales":
            left, middle, right = st.columns(3)
            factor = left.number_input("Factor", 0.0, 5.0, 1.2, 0.05, key="whatif_scale_factor")
            role = middle.selectbox("Role", ("all roles", *ROLES), key="whatif_scale_role")
            operator = right.selectbox("Client", ("all clients", *operators),
                                       key="whatif_scale_operator")
        if st.form_submit_button("Add the change", icon=":material/add:",
                                 key=f"whatif_add_{kind}_submit"):
            change = {
                "specialist_leaves": lambda: services.SpecialistLeaves(who, on),
                "specialist_leave": lambda: services.SpecialistLeave(who, start, end),
                "specialist_joins": lambda: services.SpecialistJoins(
                    new_id.strip(), ((role, int(level)),), zone, skills=tuple(chosen),
                    capacity_fte=float(capacity), cost_per_hour=float(cost), on=joins),
                "staff_leaves": lambda: services.StaffLeaves(member, on),
                "staff_absent": lambda: services.StaffAbsent(member, start, end),
                "operator_leaves": lambda: services.OperatorLeaves(operator, on),
                "requirement_changes": lambda: services.RequirementChanges(
                    operator, role, min_fte=float(min_fte),
                    priority=None if priority == "unchanged" else priority),
                "demand_scales": lambda: services.DemandScales(
                    float(factor), None if role == "all roles" else role,
                    None if operator == "all clients" else operator),
            }[kind]()
        return change


def current_scenario() -> Scenario:
    return Scenario(st.session_state.get("whatif_name") or "my scenario",
                              st.session_state.get("whatif_description") or "", tuple(changes))


def load_into_page(loaded: Scenario) -> None:
    st.session_state["whatif_pending"] = loaded


# --------------------------------------------------------------------------- scenario tab

with scenario_tab:
    build, stored = st.columns([3, 2])
    with build:
        st.subheader("Build a scenario")
        st.text_input("Name", key="whatif_name")
        st.text_input("Description", key="whatif_description")
        label = st.selectbox("Change", list(KINDS), key="whatif_kind")
        added = new_change(KINDS[label])
        if added is not None:
            changes.append(added)
    with stored:
        st.subheader("Saved scenarios")
        names = services.scenario_names(actor=actor, engine=common.engine())
        pick = st.selectbox("Scenario", names, index=None, placeholder="choose one",
                            key="whatif_saved")
        load_column, delete_column = st.columns(2)
        if load_column.button("Load", disabled=pick is None, key="whatif_load",
                              icon=":material/folder_open:"):
            found = services.stored_scenario(actor=actor, name=pick, engine=common.engine())
            if found is not None:
                load_into_page(found)
                st.rerun()
        if delete_column.button("Delete", disabled=pick is None, key="whatif_delete",
                                icon=":material/delete:"):
            services.delete_scenario(actor=actor, name=pick, engine=common.engine())
            st.rerun()
        upload = st.file_uploader("Or open a scenario file", type=["yaml", "yml", "toml",
                                                                   "json"],
                                  key="whatif_upload")
        if upload is not None and st.button("Open the file", key="whatif_open_file"):
            try:
                load_into_page(services.open_scenario_upload(name=upload.name,
                                                             content=upload.getvalue()))
                st.rerun()
            except services.DatasetError as error:
                common.show_problems(error.problems, "The scenario file was not opened")

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
    if actions[2].button("Save", disabled=not changes, key="whatif_save",
                         icon=":material/save:"):
        services.save_scenario(actor=actor, scenario=current_scenario(), engine=common.engine())
        st.toast(f"Saved scenario {current_scenario().name!r}")
    actions[3].download_button("Download YAML",
                               services.scenario_file_text(scenario=current_scenario(),
                                                           suffix=".yaml"),
                               file_name="scenario.yaml", disabled=not changes,
                               key="whatif_download")

    with st.form("whatif_compare_form"):
        st.markdown("**Plan the base data and the scenario over the same weeks**")
        left, middle, right, last = st.columns(4)
        start = left.date_input("Start (a Monday)", value=default_start, format="YYYY-MM-DD",
                                key="whatif_start")
        weeks = middle.number_input("Weeks", 1, 104, default_weeks, key="whatif_weeks")
        limit = right.number_input("Time limit (s)", 1.0, 600.0, 30.0, 5.0,
                                   key="whatif_time_limit")
        full = last.checkbox("Handovers and cost too", value=True, key="whatif_full",
                             help="Off: cover only, in a fraction of the time; handovers "
                                  "and cost are then not optimised.")
        compare = st.form_submit_button("Compare", type="primary", disabled=not changes,
                                        icon=":material/compare_arrows:",
                                        key="whatif_compare")
    if compare:
        bar = st.progress(0.0, text="Planning the base data, then the scenario...")

        def show(event) -> None:
            bar.progress(min(1.0, event.done / max(event.total, 1)),
                         text=f"{event.stage}: {event.done} of {event.total}")

        try:
            result = services.whatif(actor=actor, dataset=dataset, scenario=current_scenario(),
                                     start=start, weeks=int(weeks), time_limit=float(limit),
                                     secondary=bool(full), progress=show)
        except services.DatasetError as error:
            bar.empty()
            common.show_problems(error.problems, "The scenario was not planned")
        else:
            bar.empty()
            st.session_state["whatif_result"] = result[2]

    comparison = st.session_state.get("whatif_result")
    if comparison is not None:
        st.subheader(f"Base against “{comparison.scenario}”")
        metrics = st.columns(5)
        for column, row in zip(metrics, comparison.by_priority.itertuples(), strict=False):
            column.metric(f"{row.priority.capitalize()} cover",
                          f"{row.scenario_cover_pct:g}%",
                          f"{row.scenario_cover_pct - row.base_cover_pct:+.1f} pts",
                          help=f"base {row.base_covered}/{row.base_demand}, scenario "
                               f"{row.scenario_covered}/{row.scenario_demand} units")
        figures = comparison.figures
        metrics[3].metric("Handovers", figures["handovers"]["scenario"],
                          figures["handovers"]["scenario"] - figures["handovers"]["base"],
                          delta_color="inverse")
        metrics[4].metric("Cost", f"{figures['cost']['scenario']:,.0f}",
                          f"{figures['cost']['scenario'] - figures['cost']['base']:+,.0f}",
                          delta_color="inverse")
        left, right = st.columns(2)
        left.plotly_chart(whatif_reports.cover_bars(comparison, "priority"),
                          key="whatif_bars_priority")
        right.plotly_chart(whatif_reports.cover_bars(comparison, "role"),
                           key="whatif_bars_role")
        st.plotly_chart(whatif_reports.gaps_heatmap(comparison), key="whatif_gaps")
        appear = comparison.gaps_appear
        st.markdown(f"**Gaps that appear**: {len(appear)} rows, {int(appear.units.sum())} "
                    f"units; **that disappear**: {len(comparison.gaps_disappear)} rows, "
                    f"{int(comparison.gaps_disappear.units.sum())} units.")
        st.dataframe(appear, hide_index=True, key="whatif_appear_table")
        with st.expander("Cover by client (only clients that change)"):
            st.dataframe(comparison.by_operator, hide_index=True)

# --------------------------------------------------------------------------- risk tab

with risk_tab:
    with st.form("whatif_risk_form"):
        st.markdown("**Sample futures**: operators' people resign at these annual rates and "
                    "are replaced after a delay, people fall sick, the vendor's own "
                    "specialists leave. Each future is planned for cover.")
        cols = st.columns(4)
        runs = cols[0].number_input("Futures", 1, 500, 20, key="whatif_runs")
        seed = cols[1].number_input("Seed", 0, 10**9, 1, key="whatif_seed")
        vendor = cols[2].number_input("Vendor attrition / year", 0.0, 0.9, 0.10, 0.05,
                                      key="whatif_vendor")
        sick = cols[3].number_input("Extra sick spells / person-year", 0.0, 10.0, 0.5, 0.5,
                                    key="whatif_sick")
        cols = st.columns(4)
        rates = {role: cols[k].number_input(f"{role.capitalize()} attrition / year", 0.0, 0.9,
                                            0.15, 0.01, key=f"whatif_rate_{role}")
                 for k, role in enumerate(ROLES)}
        refill = cols[3].slider("Refill delay (weeks)", 0, 26, (4, 12), key="whatif_refill")
        simulate = st.form_submit_button("Simulate", type="primary", icon=":material/casino:",
                                         key="whatif_simulate")
    if simulate:
        bar = st.progress(0.0, text="Sampling futures...")

        def show_runs(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"{done} of {total} futures planned")

        st.session_state["whatif_simulation"] = services.simulate_turnover(
            actor=actor, dataset=dataset, start=st.session_state.get("whatif_start", default_start),
            weeks=int(st.session_state.get("whatif_weeks", default_weeks)), runs=int(runs),
            seed=int(seed), attrition=rates, refill_weeks=tuple(refill),
            sick_episodes=float(sick), vendor_attrition=float(vendor), workers=1,
            progress=show_runs)
        bar.empty()
    simulation = st.session_state.get("whatif_simulation")
    if simulation is not None:
        left, right = st.columns(2)
        left.metric("Chance some critical demand goes uncovered",
                    f"{100 * simulation.p_critical_gap:.0f}%")
        right.metric("Chance of more uncovered critical demand than the base plan",
                     f"{100 * simulation.p_critical_worse:.0f}%")
        st.dataframe(whatif_reports.percentile_table(simulation), hide_index=True,
                     key="whatif_percentiles")
        left, right = st.columns(2)
        left.plotly_chart(whatif_reports.cover_distribution(simulation), key="whatif_box")
        right.plotly_chart(whatif_reports.critical_histogram(simulation), key="whatif_hist")
        st.plotly_chart(whatif_reports.exposed_bars(simulation), key="whatif_exposed")
        st.dataframe(simulation.exposed, hide_index=True)

# --------------------------------------------------------------------------- advice tab

with advice_tab:
    with st.form("whatif_advice_form"):
        st.markdown("**Hires and training** that reach a cover target in a bad future. Every "
                    "recommendation is measured by planning the sampled futures with it.")
        cols = st.columns(4)
        role_choice = cols[0].selectbox("Role", ("all roles", *ROLES), index=3,
                                        key="whatif_advice_role")
        critical = cols[1].number_input("Critical target %", 0.0, 100.0, 100.0, 1.0,
                                        key="whatif_target_critical")
        high = cols[2].number_input("High target %", 0.0, 100.0, 95.0, 1.0,
                                    key="whatif_target_high")
        percentile = cols[3].number_input("In the P.. future", 50, 100, 90, 5,
                                          key="whatif_percentile")
        cols = st.columns(4)
        advice_start = cols[0].date_input("Start (a Monday)", value=default_start,
                                          format="YYYY-MM-DD", key="whatif_advice_start")
        advice_weeks = cols[1].number_input("Weeks", 1, 104, min(default_weeks, 13),
                                            key="whatif_advice_weeks")
        futures = cols[2].number_input("Futures", 1, 100, 10, key="whatif_advice_futures")
        max_hires = cols[3].number_input("Most hires", 0, 20, 5, key="whatif_max_hires")
        ask = st.form_submit_button("Advise", type="primary", icon=":material/lightbulb:",
                                    key="whatif_advise")
    if ask:
        status = st.status("Searching for hires...", expanded=False)

        def show_step(message: str) -> None:
            status.update(label=message)

        try:
            st.session_state["whatif_advice"] = services.advise_staffing(
                actor=actor, dataset=dataset, start=advice_start, weeks=int(advice_weeks),
                futures=int(futures), seed=int(st.session_state.get("whatif_seed", 1)),
                target={"critical": critical / 100, "high": high / 100},
                percentile=int(percentile),
                role=None if role_choice == "all roles" else role_choice,
                max_hires=int(max_hires), progress=show_step)
            status.update(label="Advice ready", state="complete")
        except services.DatasetError as error:
            status.update(label="No advice", state="error")
            common.show_problems(error.problems, "The advice did not run")
    answer = st.session_state.get("whatif_advice")
    if answer is not None:
        reading = ", ".join(f"{p} {100 * answer.with_hires.percentile_cover[p]:.1f}%"
                            for p in PRIORITIES)
        before = ", ".join(f"{p} {100 * answer.start.percentile_cover[p]:.1f}%"
                           for p in PRIORITIES)
        (st.success if answer.target_met else st.warning)(
            f"**{len(answer.hires)} hire(s)** {'reach' if answer.target_met else 'do not reach'}"
            f" the target in the P{answer.percentile} future of {answer.futures}: "
            f"{before} → {reading}.")
        st.plotly_chart(whatif_reports.advice_bars(answer), key="whatif_advice_chart")
        st.dataframe(answer.frame(), hide_index=True, key="whatif_advice_table")
        for note in answer.notes:
            st.caption(note)
