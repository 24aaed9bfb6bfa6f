"""The scenario being built on the what-if page: the form that adds each kind of change, the
list of changes kept in session state, and what every tab starts from (who asks, the
stored data, the weeks of the latest plan)."""

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from planner import services
from planner.services import PRIORITIES, ROLES, Actor, Dataset, Scenario

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


@dataclass(frozen=True)
class WhatIfBase:
    """What the page's tabs share: the manager asking, the stored data, and the weeks the
    forms start from (the latest plan's, or the demo's before the first plan)."""

    actor: Actor
    dataset: Dataset
    start: date
    weeks: int


def changes_in_progress() -> list:
    """The scenario's changes, kept across reruns; a scenario loaded on the last run fills
    them and the name fields before those are drawn."""
    changes: list = st.session_state.setdefault("whatif_changes", [])
    pending = st.session_state.pop("whatif_pending", None)
    if pending is not None:
        changes[:] = list(pending.changes)
        st.session_state["whatif_name"] = pending.name
        st.session_state["whatif_description"] = pending.description
    st.session_state.setdefault("whatif_name", "my scenario")
    return changes


def _choices(
    dataset: Dataset,
) -> tuple[dict[str, str], dict[str, str], dict[str, str], list[str], list[str]]:
    """Labels of the specialists, staff members and clients a change can name, and the time
    zones and skills a new specialist can have."""
    specialists = {
        s.specialist_id: f"{s.specialist_id} — {s.name} "
        f"({';'.join(f'{r}:{lv}' for r, lv in s.roles)}, {s.timezone})"
        for s in dataset.specialists
    }
    staff = {
        m.staff_id: f"{m.staff_id} — {m.operator_id} {m.role}, {m.name or ''}"
        for m in dataset.staff
    }
    operators = {
        o.operator_id: f"{o.operator_id} — {o.name} ({o.timezone})" for o in dataset.operators
    }
    timezones = sorted(
        {o.timezone for o in dataset.operators} | {s.timezone for s in dataset.specialists}
    )
    skills = sorted(
        {k for s in dataset.specialists for k in s.skills}
        | {k for r in dataset.requirements for k in r.skills}
    )
    return specialists, staff, operators, timezones, skills


def new_change(kind: str, base: WhatIfBase, changes: list):
    """The form for one change kind; returns the change when it is submitted."""
    default_start, default_weeks = base.start, base.weeks
    specialists, staff, operators, timezones, skills = _choices(base.dataset)
    with st.form(f"whatif_add_{kind}", clear_on_submit=False):
        day = default_start + timedelta(weeks=max(1, default_weeks // 3))
        change = None
        if kind in ("specialist_leaves", "specialist_leave"):
            who = st.selectbox(
                "Specialist",
                list(specialists),
                format_func=specialists.get,
                key=f"whatif_{kind}_specialist",
            )
        if kind in ("staff_leaves", "staff_absent"):
            member = st.selectbox(
                "Staff member", list(staff), format_func=staff.get, key=f"whatif_{kind}_staff"
            )
        if kind in ("specialist_leaves", "staff_leaves", "operator_leaves"):
            on = st.date_input("Gone from", value=day, format="YYYY-MM-DD", key=f"whatif_{kind}_on")
        if kind in ("specialist_leave", "staff_absent"):
            left, right = st.columns(2)
            start = left.date_input(
                "From", value=day, format="YYYY-MM-DD", key=f"whatif_{kind}_start"
            )
            end = right.date_input(
                "To (inclusive)",
                value=day + timedelta(weeks=8, days=-3),
                format="YYYY-MM-DD",
                key=f"whatif_{kind}_end",
            )
        if kind in ("operator_leaves", "requirement_changes"):
            operator = st.selectbox(
                "Client", list(operators), format_func=operators.get, key=f"whatif_{kind}_operator"
            )
        if kind == "specialist_joins":
            left, middle, right = st.columns(3)
            new_id = left.text_input("Id", value=f"NEW{len(changes) + 1}", key="whatif_join_id")
            role = middle.selectbox("Role", ROLES, index=2, key="whatif_join_role")
            level = right.selectbox("Level", (1, 2, 3), index=1, key="whatif_join_level")
            chosen = st.multiselect("Skills", skills, key="whatif_join_skills")
            left, middle, right = st.columns(3)
            zone = left.selectbox(
                "Time zone",
                timezones,
                index=timezones.index("Europe/Moscow") if "Europe/Moscow" in timezones else 0,
                key="whatif_join_tz",
            )
            capacity = middle.number_input(
                "Capacity (FTE)", 0.1, 1.0, 1.0, 0.1, key="whatif_join_capacity"
            )
            cost = right.number_input(
                "Cost per hour", 0.0, value=2500.0, step=100.0, key="whatif_join_cost"
            )
            joins = st.date_input(
                "Joins on", value=default_start, format="YYYY-MM-DD", key="whatif_join_on"
            )
        if kind == "requirement_changes":
            left, middle, right = st.columns(3)
            role = left.selectbox("Role", ROLES, key="whatif_req_role")
            min_fte = middle.number_input("Min FTE", 0.0, 20.0, 1.0, 0.5, key="whatif_req_fte")
            priority = right.selectbox(
                "Priority", ("unchanged", *PRIORITIES), key="whatif_req_priority"
            )
        if kind == "demand_scales":
            left, middle, right = st.columns(3)
            factor = left.number_input("Factor", 0.0, 5.0, 1.2, 0.05, key="whatif_scale_factor")
            role = middle.selectbox("Role", ("all roles", *ROLES), key="whatif_scale_role")
            operator = right.selectbox(
                "Client", ("all clients", *operators), key="whatif_scale_operator"
            )
        if st.form_submit_button(
            "Add the change", icon=":material/add:", key=f"whatif_add_{kind}_submit"
        ):
            change = {
                "specialist_leaves": lambda: services.SpecialistLeaves(who, on),
                "specialist_leave": lambda: services.SpecialistLeave(who, start, end),
                "specialist_joins": lambda: services.SpecialistJoins(
                    new_id.strip(),
                    ((role, int(level)),),
                    zone,
                    skills=tuple(chosen),
                    capacity_fte=float(capacity),
                    cost_per_hour=float(cost),
                    on=joins,
                ),
                "staff_leaves": lambda: services.StaffLeaves(member, on),
                "staff_absent": lambda: services.StaffAbsent(member, start, end),
                "operator_leaves": lambda: services.OperatorLeaves(operator, on),
                "requirement_changes": lambda: services.RequirementChanges(
                    operator,
                    role,
                    min_fte=float(min_fte),
                    priority=None if priority == "unchanged" else priority,
                ),
                "demand_scales": lambda: services.DemandScales(
                    float(factor),
                    None if role == "all roles" else role,
                    None if operator == "all clients" else operator,
                ),
            }[kind]()
        return change


def current_scenario(changes: list) -> Scenario:
    return Scenario(
        st.session_state.get("whatif_name") or "my scenario",
        st.session_state.get("whatif_description") or "",
        tuple(changes),
    )


def load_into_page(loaded: Scenario) -> None:
    st.session_state["whatif_pending"] = loaded
