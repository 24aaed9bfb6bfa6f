"""The cover model: each hard rule, the lexicographic objective, pins, and random datasets.

Every plan produced here is also checked by `planner.validation`, which knows
nothing about the solver.
"""

from __future__ import annotations

import itertools
import math
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.domain.calendar import Horizon
from planner.domain.demand import build_demands
from planner.planning.pipeline import make_plan
from planner.planning.plan import Plan
from planner.planning.validation import Booking, check_plan, plan_figures
from planner.rules.capacity import specialist_capacity
from planner.rules.timezone_reach import within_tz_gap
from planner.solver import SolveConfig
from planner.solver.instance import build_instance
from tests.builders import (
    MONDAY,
    REPO_ROOT,
    Absence,
    HistoryEntry,
    Pin,
    Request,
    SpecialistAbsence,
    dataset,
    day,
    operator,
    requirement,
    specialist,
    staff,
)

ONE_WEEK = Horizon(MONDAY, 1)
FAST = SolveConfig(time_limit=20, workers=2, stage_work=1.0)


def plan_of(data, horizon=ONE_WEEK, max_tz_gap=4.0) -> Plan:
    plan = make_plan(data, horizon, max_tz_gap=max_tz_gap, config=FAST)
    violations = check_plan(
        data,
        horizon,
        bookings(plan),
        max_tz_gap=max_tz_gap,
        dropped_pins=[
            (p["specialist_id"], p["demand_id"], date.fromisoformat(p["week"]))
            for p in plan.summary["dropped_pins"]
        ],
    )
    assert violations == []
    return plan


def bookings(plan: Plan) -> list[Booking]:
    return [
        Booking(a.demand_id, a.week, a.specialist_id, a.units, a.operator_id, a.role, a.fte)
        for a in plan.assignments
    ]


def cover(plan: Plan) -> dict[str, int]:
    return plan.summary["covered_units"]


def units_by(plan: Plan) -> dict[tuple[str, str], int]:
    return {(a.specialist_id, a.demand_id): a.units for a in plan.assignments}


# --------------------------------------------------------------------------- rule 1


def test_rule1_specialist_needs_the_role_at_the_level():
    data = dataset(
        requirements=[requirement(role="finance", min_level=3)],
        specialists=[specialist("SP1", roles="finance:2"), specialist("SP2", roles="technical:3")],
    )
    plan = plan_of(data)
    assert plan.assignments == ()
    assert plan.uncovered[0].reason == "no specialist has finance level >= 3"


def test_rule1_specialist_needs_every_skill():
    data = dataset(
        requirements=[requirement(skills=("oracle", "mediation"))],
        specialists=[
            specialist("SP1", skills=["oracle"]),
            specialist("SP2", skills=["oracle", "mediation"]),
        ],
    )
    plan = plan_of(data)
    assert units_by(plan) == {("SP2", "gap:OP1:technical"): 10}


def test_rule1_reason_names_the_missing_skill():
    data = dataset(
        requirements=[requirement(role="finance", min_level=2, skills=("1c-integration",))],
        specialists=[specialist("SP1", roles="finance:3", skills=["invoicing"])],
    )
    (row,) = plan_of(data).uncovered
    assert row.reason == "no specialist has finance level >= 2 with skill 1c-integration"


# --------------------------------------------------------------------------- rule 2


def test_rule2_time_zone_gap_at_most_four_hours_by_default():
    data = dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],  # UTC+12
        requirements=[requirement()],
        specialists=[
            specialist("SP1", tz="Asia/Novosibirsk"),  # +7: 5 h
            specialist("SP2", tz="Asia/Yakutsk"),
        ],
    )  # +9: 3 h
    assert units_by(plan_of(data)) == {("SP2", "gap:OP1:technical"): 10}


def test_rule2_reason_when_nobody_is_near_enough():
    data = dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],
        requirements=[requirement()],
        specialists=[specialist("SP1", tz="Europe/Moscow")],
    )
    (row,) = plan_of(data).uncovered
    assert row.reason.startswith("no eligible specialist within 4 h of Asia/Kamchatka")
    assert "SP1 in Europe/Moscow 9 h away" in row.reason


def test_rule2_max_tz_gap_is_a_parameter():
    data = dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],
        requirements=[requirement()],
        specialists=[specialist("SP1", tz="Europe/Moscow")],
    )
    assert cover(plan_of(data, max_tz_gap=9))["normal"] == 10


# --------------------------------------------------------------------------- rule 3


def test_rule3_capacity_limits_a_specialists_week():
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[requirement("OP1"), requirement("OP2")],
        specialists=[specialist("SP1", capacity_fte=0.6)],
    )
    plan = plan_of(data)
    assert sum(a.units for a in plan.assignments) == 6


def test_rule3_time_off_removes_capacity():
    data = dataset(
        requirements=[requirement()],
        specialists=[specialist("SP1")],
        specialist_absences=[SpecialistAbsence("SP1", day(0), day(2), "vacation")],
    )
    plan = plan_of(data)
    assert cover(plan)["normal"] == 4
    assert plan.uncovered[0].reason == (
        "eligible SP1 fully booked (SP1 already on this client's normal cover)"
    )


def test_rule3_unavailable_specialist_reason():
    data = dataset(
        requirements=[requirement()],
        specialists=[specialist("SP1")],
        specialist_absences=[SpecialistAbsence("SP1", day(0), day(4), "sick")],
    )
    (row,) = plan_of(data).uncovered
    assert row.reason == "eligible specialists unavailable that week: SP1 on sick"


def test_rule3_max_clients_limits_distinct_operators():
    ops = [operator(f"OP{i}") for i in range(1, 4)]
    data = dataset(
        operators=ops,
        requirements=[requirement(o.operator_id, min_fte=0.2) for o in ops],
        specialists=[specialist("SP1", max_clients=2)],
    )
    plan = plan_of(data)
    assert len({a.operator_id for a in plan.assignments}) == 2
    assert "already at their client limit" in plan.uncovered[0].reason


def test_rule3_two_demands_of_one_operator_count_as_one_client():
    data = dataset(
        requirements=[
            requirement(role="finance", min_fte=0.3),
            requirement(role="technical", min_fte=0.3),
        ],
        specialists=[specialist("SP1", max_clients=1)],
    )
    assert sum(cover(plan_of(data)).values()) == 6


# --------------------------------------------------------------------------- rule 4


def test_rule4_no_more_cover_than_the_demand():
    data = dataset(
        requirements=[requirement(min_fte=0.3)], specialists=[specialist("SP1"), specialist("SP2")]
    )
    plan = plan_of(data)
    assert sum(a.units for a in plan.assignments) == 3
    assert plan.uncovered == ()


# --------------------------------------------------------------------------- rule 5


def test_rule5_pins_are_kept_even_when_worse():
    # SP2 is dearer and has no history, but a pin keeps it on the job
    data = dataset(
        requirements=[requirement()],
        specialists=[specialist("SP1", cost_per_hour=1000), specialist("SP2", cost_per_hour=3000)],
        pinned=[Pin("SP2", "gap:OP1:technical", MONDAY, 4)],
    )
    plan = plan_of(data)
    assert units_by(plan)[("SP2", "gap:OP1:technical")] == 4
    assert cover(plan)["normal"] == 10
    assert plan.summary["dropped_pins"] == []


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        (Pin("SP1", "gap:OP1:technical", date(2027, 2, 1), 4), "outside the plan"),
        (Pin("SP1", "gap:OP1:finance", MONDAY, 4), "needs no cover in week"),
        (Pin("SP1", "gap:OP1:technical", MONDAY, 12), "has capacity 10 units"),
        (Pin("SP2", "gap:OP1:technical", MONDAY, 4), "lacks skill oracle"),
    ],
)
def test_rule5_pins_that_break_a_rule_are_dropped_with_a_reason(pin, reason):
    data = dataset(
        requirements=[requirement(min_fte=2, skills=("oracle",))],
        specialists=[specialist("SP1", skills=["oracle"]), specialist("SP2")],
        pinned=[pin],
    )
    plan = plan_of(data)
    (dropped,) = plan.summary["dropped_pins"]
    assert reason in dropped["reason"]
    assert dropped["specialist_id"] == pin.specialist_id


def test_rule5_second_pin_over_capacity_is_dropped_first_kept():
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[requirement("OP1"), requirement("OP2")],
        specialists=[specialist("SP1")],
        pinned=[
            Pin("SP1", "gap:OP2:technical", MONDAY, 7),
            Pin("SP1", "gap:OP1:technical", MONDAY, 7),
        ],
    )
    plan = plan_of(data)
    assert units_by(plan)[("SP1", "gap:OP2:technical")] == 7
    assert [p["demand_id"] for p in plan.summary["dropped_pins"]] == ["gap:OP1:technical"]


# --------------------------------------------------------------------------- objective order


def test_one_critical_unit_beats_any_amount_of_lower_priority_cover():
    # SP1 can give 10 units: 1 critical unit at OP1 or 10 normal units at OP2 (max 1 client)
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", min_fte=0.1, priority="critical"),
            requirement("OP2", min_fte=1, priority="normal"),
        ],
        specialists=[specialist("SP1", max_clients=1)],
    )
    plan = plan_of(data)
    assert cover(plan) == {"critical": 1, "high": 0, "normal": 0}


def test_high_before_normal():
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", min_fte=0.5, priority="high"),
            requirement("OP2", min_fte=1, priority="normal"),
        ],
        specialists=[specialist("SP1", max_clients=1)],
    )
    assert cover(plan_of(data)) == {"critical": 0, "high": 5, "normal": 0}


def test_fewest_handovers_keeps_one_specialist_across_weeks():
    horizon = Horizon(MONDAY, 3)
    data = dataset(
        requirements=[requirement(min_fte=0.5)],
        specialists=[specialist(f"SP{i}", capacity_fte=0.5) for i in range(1, 4)],
    )
    plan = plan_of(data, horizon)
    assert plan.summary["handovers"] == 1
    assert len({a.specialist_id for a in plan.assignments}) == 1


def test_familiarity_then_cost_break_ties():
    data = dataset(
        requirements=[requirement(min_fte=0.5)],
        specialists=[
            specialist("SP1", cost_per_hour=500),
            specialist("SP2", cost_per_hour=3000),
            specialist("SP3", cost_per_hour=100),
        ],
        history=[HistoryEntry("SP2", "OP1")],
    )
    plan = plan_of(data)
    assert units_by(plan) == {("SP2", "gap:OP1:technical"): 5}
    assert plan.summary["familiar_units"] == 5


def test_cheapest_when_nobody_is_familiar():
    data = dataset(
        requirements=[requirement(min_fte=0.5)],
        specialists=[specialist("SP1", cost_per_hour=500), specialist("SP2", cost_per_hour=100)],
    )
    plan = plan_of(data)
    assert units_by(plan) == {("SP2", "gap:OP1:technical"): 5}
    assert plan.summary["cost"] == 5 * 4 * 100


def test_summary_figures_match_an_independent_count():
    horizon = Horizon(MONDAY, 4)
    data = dataset(
        operators=[operator("OP1"), operator("OP2", "Asia/Novosibirsk")],
        requirements=[
            requirement("OP1", priority="critical"),
            requirement("OP2", "finance", 1, priority="high"),
        ],
        staff_members=[staff("S1", "OP1"), staff("S2", "OP2", "finance")],
        specialists=[
            specialist("SP1", cost_per_hour=1200.5),
            specialist("SP2", tz="Asia/Omsk", capacity_fte=0.5),
        ],
        specialist_absences=[SpecialistAbsence("SP1", day(7), day(11))],
        requests=[Request("R1", "OP2", "technical", day(0), day(20), 0.5)],
        history=[HistoryEntry("SP2", "OP2")],
    )
    plan = plan_of(data, horizon)
    figures = plan_figures(data, horizon, bookings(plan))
    assert figures.covered == plan.summary["covered_units"]
    assert figures.demand == plan.summary["demand_units"]
    assert figures.handovers == plan.summary["handovers"]
    assert figures.familiar_units == plan.summary["familiar_units"]
    assert figures.cost == plan.summary["cost"]
    assert plan.summary["status"] == "OPTIMAL"
    assert plan.summary["bound_units"] == plan.summary["covered_units"]
    uncovered = sum(u.units for u in plan.uncovered)
    assert uncovered == sum(figures.demand.values()) - sum(figures.covered.values())


def test_time_limit_too_short_still_gives_a_valid_plan_and_honest_status():
    ops = [operator(f"OP{i}") for i in range(30)]
    data = dataset(
        operators=ops,
        requirements=[
            requirement(o.operator_id, r, 1) for o in ops for r in ("finance", "technical")
        ],
        specialists=[specialist(f"SP{i}", max_clients=2) for i in range(10)],
    )
    horizon = Horizon(MONDAY, 2)
    plan = make_plan(data, horizon, config=SolveConfig(time_limit=0.1, workers=1))
    assert check_plan(data, horizon, bookings(plan)) == []
    if plan.summary["status"] == "OPTIMAL":
        assert plan.summary["bound_units"] == plan.summary["covered_units"]
    else:
        bound, covered = plan.summary["bound_units"], plan.summary["covered_units"]
        assert all(bound[p] >= covered[p] for p in bound)


# --------------------------------------------------------------------------- brute force

ZONES = ("Europe/Moscow", "Asia/Novosibirsk", "Asia/Kamchatka")
ROLE_NAMES = ("finance", "technical")


@st.composite
def tiny_datasets(draw):
    """1-2 operators, 1-3 demands, 1-3 specialists, 1-2 weeks: small enough to enumerate.

    Demands are small next to capacity, so several specialists could do a job and
    handovers, familiarity and cost all get ties to break.
    """
    weeks = draw(st.integers(1, 2))
    ops = [operator(f"OP{i}", draw(st.sampled_from(ZONES))) for i in range(draw(st.integers(1, 2)))]
    slots = draw(
        st.lists(
            st.tuples(st.sampled_from(ops), st.sampled_from(ROLE_NAMES)),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    requirements, members = [], []
    for op, role in slots:
        requirements.append(
            requirement(
                op.operator_id,
                role,
                draw(st.sampled_from([0.1, 0.2, 0.3])),
                skills=tuple(draw(st.lists(st.sampled_from(["oracle", "1c"]), max_size=1))),
                min_level=draw(st.integers(1, 2)),
                priority=draw(st.sampled_from(["critical", "high", "normal"])),
            )
        )
        if draw(st.booleans()):
            members.append(
                staff(
                    f"S{len(members)}",
                    op.operator_id,
                    role,
                    0.1,
                    left_on=draw(st.sampled_from([None, day(1)])),
                )
            )
    specs = []
    for i in range(draw(st.integers(1, 3))):
        roles = draw(st.lists(st.sampled_from(ROLE_NAMES), min_size=1, max_size=2, unique=True))
        specs.append(
            specialist(
                f"SP{i}",
                ";".join(f"{r}:{draw(st.integers(1, 3))}" for r in roles),
                tz=draw(st.sampled_from(ZONES)),
                skills=draw(st.lists(st.sampled_from(["oracle", "1c"]), max_size=2, unique=True)),
                capacity_fte=draw(st.sampled_from([0.1, 0.2, 0.3, 0.5])),
                max_clients=draw(st.integers(1, 2)),
                cost_per_hour=draw(st.sampled_from([0, 100, 250, 400])),
                left_on=draw(st.sampled_from([None, None, day(2), day(8)])),
            )
        )
    history = [
        HistoryEntry(s.specialist_id, o.operator_id)
        for s in specs
        for o in ops
        if draw(st.integers(0, 3)) == 0
    ]
    return dataset(
        operators=ops,
        requirements=requirements,
        staff_members=members,
        specialists=specs,
        history=history,
    ), Horizon(MONDAY, weeks)


def week_plans(data, horizon: Horizon, w: int):
    """Every valid assignment of one week, enumerated from the contract's rules alone."""
    monday = horizon.mondays[w]
    demands = [d for d in build_demands(data, horizon) if d.units[w] > 0]
    capacity = specialist_capacity(data, horizon)
    tz = {o.operator_id: o.timezone for o in data.operators}
    triples = []
    for spec in data.specialists:
        for d in demands:
            if (
                spec.level(d.role) >= d.min_level
                and set(d.skills) <= set(spec.skills)
                and within_tz_gap(spec.timezone, tz[d.operator_id], monday, 4)
                and capacity[spec.specialist_id][w] > 0
            ):
                triples.append((spec, d))
    ranges = [range(min(capacity[s.specialist_id][w], d.units[w]) + 1) for s, d in triples]
    assume(math.prod(len(r) for r in ranges) <= 20_000)
    for values in itertools.product(*ranges):
        used, filled, served = {}, {}, {}
        ok = True
        for (spec, d), units in zip(triples, values, strict=True):
            if not units:
                continue
            used[spec.specialist_id] = used.get(spec.specialist_id, 0) + units
            filled[d.demand_id] = filled.get(d.demand_id, 0) + units
            served.setdefault(spec.specialist_id, set()).add(d.operator_id)
        for spec in data.specialists:
            sid = spec.specialist_id
            if used.get(sid, 0) > capacity[sid][w] or len(served.get(sid, ())) > spec.max_clients:
                ok = False
        if ok and all(filled.get(d.demand_id, 0) <= d.units[w] for d in demands):
            yield [
                Booking(d.demand_id, monday, s.specialist_id, u)
                for (s, d), u in zip(triples, values, strict=True)
                if u
            ]


def brute_force_optimum(data, horizon: Horizon):
    """The best plan's objective tuple, by enumerating every valid plan."""

    def week_key(rows):
        figures = plan_figures(data, horizon, rows)
        return tuple(figures.covered[p] for p in ("critical", "high", "normal"))

    best_weeks = []
    for w in range(horizon.weeks):
        options = list(week_plans(data, horizon, w))
        best = max(week_key(o) for o in options)
        best_weeks.append([o for o in options if week_key(o) == best])
    best = None
    for combination in itertools.product(*best_weeks):
        rows = [b for week in combination for b in week]
        f = plan_figures(data, horizon, rows)
        key = (
            f.covered["critical"],
            f.covered["high"],
            f.covered["normal"],
            -f.handovers,
            f.familiar_units,
            -f.cost,
        )
        best = key if best is None else max(best, key)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_datasets())
def test_random_tiny_plans_are_valid_and_match_brute_force(case):
    data, horizon = case
    plan = plan_of(data, horizon)
    f = plan_figures(data, horizon, bookings(plan))
    got = (
        f.covered["critical"],
        f.covered["high"],
        f.covered["normal"],
        -f.handovers,
        f.familiar_units,
        -f.cost,
    )
    assert plan.summary["status"] == "OPTIMAL"
    assert got == brute_force_optimum(data, horizon)


@st.composite
def small_datasets(draw):
    """Bigger than enumerable: checked for validity and internal consistency only."""
    n_ops = draw(st.integers(1, 6))
    ops = [operator(f"OP{i}", draw(st.sampled_from(ZONES))) for i in range(n_ops)]
    requirements = [
        requirement(
            o.operator_id,
            r,
            draw(st.sampled_from([0.5, 1, 2])),
            min_level=draw(st.integers(1, 3)),
            priority=draw(st.sampled_from(["critical", "high", "normal"])),
        )
        for o in ops
        for r in ROLE_NAMES
        if draw(st.booleans())
    ]
    specs = [
        specialist(
            f"SP{i}",
            ";".join(f"{r}:{draw(st.integers(1, 3))}" for r in ROLE_NAMES),
            tz=draw(st.sampled_from(ZONES)),
            capacity_fte=draw(st.sampled_from([0.5, 1.0])),
            max_clients=draw(st.integers(1, 3)),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    pins = [
        Pin(
            draw(st.sampled_from(specs)).specialist_id,
            f"gap:{draw(st.sampled_from(ops)).operator_id}:{draw(st.sampled_from(ROLE_NAMES))}",
            MONDAY,
            draw(st.integers(1, 12)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return dataset(operators=ops, requirements=requirements, specialists=specs, pinned=pins)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_datasets())
def test_random_small_plans_obey_every_rule(data):
    horizon = Horizon(MONDAY, 2)
    plan = plan_of(data, horizon)
    s = plan.summary
    for p in ("critical", "high", "normal"):
        assert s["covered_units"][p] <= s["bound_units"][p] <= s["demand_units"][p]
    assert sum(u.units for u in plan.uncovered) == (
        sum(s["demand_units"].values()) - sum(s["covered_units"].values())
    )
    assert all(u.reason for u in plan.uncovered)


def test_instance_has_variables_only_for_eligible_triples():
    data = dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],
        requirements=[requirement()],
        specialists=[specialist("SP1"), specialist("SP2", tz="Asia/Magadan")],
    )
    instance = build_instance(data, ONE_WEEK)
    assert instance.eligible == (((1, 0),),)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_datasets())
def test_week_flow_is_a_valid_start_and_a_true_bound(data):
    from planner.solver.flow import solve_week_flow
    from planner.solver.objectives import tier_weights

    horizon = Horizon(MONDAY, 1)
    instance = build_instance(data, horizon)
    tier_demand = [row[0] for row in instance.tier_demand()]
    flow = solve_week_flow(instance, 0, tier_demand)
    rows = [
        Booking(instance.demands[d].demand_id, MONDAY, instance.specialists[s].specialist_id, u)
        for (s, d, _), u in flow.assignment.items()
    ]
    dropped = [(p.specialist_id, p.demand_id, p.week) for p in instance.dropped_pins]
    assert check_plan(data, horizon, rows, dropped_pins=dropped) == []
    plan = plan_of(data, horizon)
    weights = tier_weights(tier_demand)
    optimum = sum(
        weights[i] * plan.summary["covered_units"][p]
        for i, p in enumerate(("critical", "high", "normal"))
    )
    assert flow.value <= optimum <= flow.bound


def test_a_week_cut_short_is_never_claimed_optimal(monkeypatch):
    """A solver that stops without a solution (UNKNOWN) proves nothing about the week."""
    from ortools.sat.python import cp_model

    import planner.solver.weeks as weeks_module
    from planner.solver import cpsat
    from planner.solver.flow import WeekFlow, solve_week_flow

    ops = [operator(f"OP{i}") for i in range(3)]
    data = dataset(
        operators=ops,
        requirements=[requirement(o.operator_id) for o in ops],
        specialists=[specialist("SP1", max_clients=1), specialist("SP2")],
    )
    instance = build_instance(data, ONE_WEEK)

    def weak_flow(instance, w, tier_demand, deadline=None, one_at_a_time=(False, True)):
        real = solve_week_flow(instance, w, tier_demand)
        return WeekFlow(real.bound, {}, 0)  # a start far below the bound

    class GivesUp(cp_model.CpSolver):
        def solve(self, model, callback=None):
            return cp_model.UNKNOWN

    monkeypatch.setattr(weeks_module, "solve_week_flow", weak_flow)
    monkeypatch.setattr(cpsat, "new_solver", lambda time_limit, **limits: GivesUp())
    solver = weeks_module.WeekSolver(instance)
    start = solver.flow(0, deadline=float("inf"))
    assert not start.optimal
    for first_try in (True, False):
        week = solver.search(0, time.monotonic() + 5.0, start, first_try=first_try)
        assert not week.optimal
        assert week.bound[2] >= 20


def _one_client_week():
    """SP1 (both roles, one client at most) and SP2 (technical) for OP1 technical and OP2
    finance, 0.6 FTE each and critical: the instance and the two demands' indices."""
    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", "technical", min_fte=0.6, priority="critical"),
            requirement("OP2", "finance", min_fte=0.6, priority="critical"),
        ],
        specialists=[
            specialist("SP1", "technical:3;finance:3", max_clients=1),
            specialist("SP2", "technical:3"),
        ],
    )
    instance = build_instance(data, ONE_WEEK)
    op1, op2 = (
        next(d for d, demand in enumerate(instance.demands) if demand.operator_id == op)
        for op in ("OP1", "OP2")
    )
    return instance, op1, op2


def test_neighbourhood_search_recovers_a_week_the_repair_left_short():
    """SP1 may serve one client; keeping OP1 leaves OP2 bare, though SP2 could take OP1."""
    from planner.solver.neighbourhood import improve_by_neighbourhoods

    instance, op1, op2 = _one_client_week()
    short = {(0, op1, 0): 6}  # the repair's choice: SP1 keeps OP1
    week = improve_by_neighbourhoods(instance, 0, [12, 0, 0], short, deadline=time.monotonic() + 10)
    assert week.value == week.bound
    assert week.assignment == {(0, op2, 0): 6, (1, op1, 0): 6}


def test_continuity_keeps_last_weeks_person_on_and_the_cover_per_tier():
    """Weeks solved apart put SP2 on OP1 in week 2; the re-route keeps SP1, who did week 1."""
    from planner.solver.continuity import keep_people_on

    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", "technical", min_fte=0.5, priority="high"),
            requirement("OP2", "technical", min_fte=0.5, priority="high"),
        ],
        specialists=[
            specialist("SP1", "technical:3", capacity_fte=0.5),
            specialist("SP2", "technical:3", capacity_fte=0.5),
        ],
    )
    instance = build_instance(data, Horizon(MONDAY, 2))
    op1, op2 = (
        next(d for d, demand in enumerate(instance.demands) if demand.operator_id == op)
        for op in ("OP1", "OP2")
    )
    week_two = {(1, op1, 1): 5, (0, op2, 1): 5}  # swapped against week one
    routed = keep_people_on(
        instance,
        1,
        week_two,
        open_pairs={(0, op1), (1, op2)},
        carried={0: {0}, 1: {1}},
        run_length={},
    )
    assert routed == {(0, op1, 1): 5, (1, op2, 1): 5}


def test_worker_processes_plan_the_same_cover_as_threads():
    """Big instances solve their weeks on forked processes; the cover must not change."""

    from planner.data.validate import load_dataset
    from planner.solver.model import CoverModel

    data = load_dataset(REPO_ROOT / "data" / "demo")
    instance = build_instance(data, Horizon(date(2027, 1, 4), 8))
    solutions = [
        CoverModel(
            instance, SolveConfig(time_limit=20, workers=2, secondary=False, processes=processes)
        ).solve()
        for processes in (False, True)
    ]
    threads, processes = solutions
    assert processes.coverage_optimal
    assert threads.coverage_optimal
    assert processes.covered == threads.covered == processes.bound
    horizon = Horizon(date(2027, 1, 4), 8)
    rows = [
        Booking(
            instance.demands[d].demand_id,
            horizon.mondays[w],
            instance.specialists[s].specialist_id,
            u,
        )
        for (s, d, w), u in processes.assignment.items()
    ]
    dropped = [(p.specialist_id, p.demand_id, p.week) for p in instance.dropped_pins]
    assert check_plan(data, horizon, rows, dropped_pins=dropped) == []


def test_sweep_moves_an_early_week_onto_the_pair_a_later_week_needs():
    """Week 2 must put SP1 on OP1 (SP2 is busy with OP2, which only SP2 can do); the
    sweep moves week 1 from SP2 to SP1 as well, one handover fewer, cover unchanged."""
    from planner.solver.continuity import handovers, run_lengths, sweep_both_ways

    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", "technical", min_fte=0.5, priority="high"),
            requirement("OP2", "finance", min_fte=0.5, priority="high"),
        ],
        staff_members=[staff("ST1", "OP2", "finance", fte=0.5)],
        absences=[Absence("ST1", day(7), day(11))],
        specialists=[
            specialist("SP1", "technical:3", capacity_fte=0.5),
            specialist("SP2", "technical:3;finance:3", capacity_fte=0.5),
        ],
    )
    instance = build_instance(data, Horizon(MONDAY, 2))
    op1, op2 = (
        next(d for d, demand in enumerate(instance.demands) if demand.operator_id == op)
        for op in ("OP1", "OP2")
    )
    start = {(1, op1, 0): 5, (0, op1, 1): 5, (1, op2, 1): 5}
    swept = sweep_both_ways(instance, start, run_lengths(instance))
    assert swept == {(0, op1, 0): 5, (0, op1, 1): 5, (1, op2, 1): 5}
    assert handovers(swept) == handovers(start) - 1


def test_units_move_to_the_familiar_specialist_among_the_pairs_in_use():
    """SP1 knows OP1 and SP2 knows OP2, but each gives half of both: after the move each
    covers its own client, with no new pair and the same cover."""
    from planner.solver.continuity import familiar_and_cheap

    data = dataset(
        operators=[operator("OP1"), operator("OP2")],
        requirements=[
            requirement("OP1", "technical", min_fte=1.0, priority="high"),
            requirement("OP2", "technical", min_fte=1.0, priority="high"),
        ],
        specialists=[specialist("SP1", "technical:3"), specialist("SP2", "technical:3")],
        history=[HistoryEntry("SP1", "OP1"), HistoryEntry("SP2", "OP2")],
    )
    instance = build_instance(data, ONE_WEEK)
    op1, op2 = (
        next(d for d, demand in enumerate(instance.demands) if demand.operator_id == op)
        for op in ("OP1", "OP2")
    )
    mixed = {(0, op1, 0): 5, (0, op2, 0): 5, (1, op1, 0): 5, (1, op2, 0): 5}
    assert familiar_and_cheap(instance, mixed) == {(0, op1, 0): 10, (1, op2, 0): 10}


def test_a_week_too_big_for_the_reach_search_goes_to_the_neighbourhood_search(monkeypatch):
    """When the reach search would not fit the week's time, the neighbourhood search runs,
    and a week it brings to the flow bound is proven all the same."""
    import planner.solver.weeks as weeks_module

    instance, op1, _ = _one_client_week()
    solver = weeks_module.WeekSolver(instance)
    start = solver.flow(0, deadline=float("inf"))
    short = weeks_module.WeekCover(
        0, {(0, op1, 0): 6}, (6, 0, 0), (12, 0, 0), False, 0.0, start.upper
    )
    monkeypatch.setattr(weeks_module, "_TRIPLES_REACHED_PER_SECOND", 1e-6)
    monkeypatch.setattr(weeks_module.WeekSolver, "_model", _no_whole_week_model)
    week = solver.search(0, time.monotonic() + 10, short)
    assert week.optimal
    assert week.covered == (12, 0, 0)


def _no_whole_week_model(self, *args, **kwargs):
    raise AssertionError("the reach search ran")


def test_a_week_worker_that_dies_leaves_the_rest_of_the_plan_to_threads(monkeypatch):
    """A worker process killed mid-plan (out of memory, say) must not lose the plan."""
    import os

    import planner.solver.weeks as weeks_module
    from planner.data.validate import load_dataset
    from planner.solver.model import CoverModel

    parent = os.getpid()
    real_flow = weeks_module.WeekSolver.flow

    def dies_in_a_worker(self, w, deadline):
        if os.getpid() != parent:
            os._exit(1)
        return real_flow(self, w, deadline)

    monkeypatch.setattr(weeks_module.WeekSolver, "flow", dies_in_a_worker)
    data = load_dataset(REPO_ROOT / "data" / "demo")
    instance = build_instance(data, Horizon(date(2027, 1, 4), 4))
    solution = CoverModel(
        instance, SolveConfig(time_limit=20, workers=2, secondary=False, processes=True)
    ).solve()
    assert solution.coverage_optimal
    assert solution.covered == solution.bound


def test_the_specialists_who_can_keep_last_weeks_client_are_found_one_at_a_time():
    """SP1 and SP2 both did OP1 last week and may serve one client each: both cannot
    go back (OP1 needs only 0.5 FTE), but SP1 can, and the week's cover is the same."""
    from planner.solver.continuity import keep_people_on

    ops = [operator(f"OP{i}") for i in (1, 2, 3)]
    data = dataset(
        operators=ops,
        requirements=[requirement(o.operator_id, min_fte=0.5, priority="high") for o in ops],
        specialists=[
            specialist("SP1", "technical:3", capacity_fte=0.5, max_clients=1),
            specialist("SP2", "technical:3", capacity_fte=0.5, max_clients=1),
        ],
    )
    instance = build_instance(data, Horizon(MONDAY, 2))
    op1, op2, op3 = (
        next(d for d, demand in enumerate(instance.demands) if demand.operator_id == op)
        for op in ("OP1", "OP2", "OP3")
    )
    client_op1 = instance.operator_ids.index("OP1")
    week = {(0, op2, 1): 5, (1, op3, 1): 5}
    last_week = {
        "open_pairs": {(0, op1), (1, op1)},
        "carried": {0: {client_op1}, 1: {client_op1}},
        "run_length": {},
    }
    assert keep_people_on(instance, 1, week, **last_week) == week  # the quick way only
    assert keep_people_on(instance, 1, week, **last_week, until=math.inf) == {
        (0, op1, 1): 5,
        (1, op3, 1): 5,
    }


def test_weeks_run_on_threads_where_worker_processes_cannot_start(monkeypatch):
    """Some containers have no working semaphores; planning must not fail there."""
    import planner.solver.weeks as weeks_module

    def no_semaphores(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(weeks_module, "ProcessPoolExecutor", no_semaphores)
    data = dataset(
        operators=[operator("OP1")],
        requirements=[requirement("OP1")],
        specialists=[specialist("SP1")],
    )
    instance = build_instance(data, ONE_WEEK)
    with weeks_module.WeekPool(weeks_module.WeekSolver(instance), 2, processes=True) as pool:
        week = pool.submit("flow", 0, time.monotonic() + 5).result()
    assert week.optimal
    assert week.covered == (0, 0, 10)
