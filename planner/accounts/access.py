"""Who may do what, and what each user may see: the one place that decides it.

Every service function takes the acting user as `actor=` and asks this module
before it reads or writes. For a new service function, one line decides:

    require_role(actor, MANAGER)               # the vendor's work: managers and admins
    require_operator(actor, request.operator_id)   # a write an operator user may make
                                                   # for its own operator only
    dataset = scope_dataset(dataset, actor)    # a read: each user sees its own part
                                               # (`services.stored_dataset` does this)

An operator user is bound to one operator: it sees that operator's requirements,
staff, absences and requests, of the plan only the cover given to it (specialists'
names, weeks and units, never their rates or other clients), and of the rota only the
duty of the specialists who can answer for it and its own SLA gaps.
Rows of other operators behave as if they did not exist, so guessing an id
tells nothing. Managers see everything; admins may also manage users.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from planner.accounts.roles import ACCOUNT_ROLES, ADMIN, MANAGER, OPERATOR
from planner.domain.demand import demand_sources
from planner.domain.records import PRIORITIES, Dataset
from planner.planning.plan import Plan
from planner.quotes.quote import Quote, QuoteGap
from planner.rota.records import Rota, can_answer_for

_INCLUDES = {ADMIN: {ADMIN, MANAGER}, MANAGER: {MANAGER}, OPERATOR: {OPERATOR}}
"""What each role may do besides its own: an admin runs the vendor's installation, so
whatever a manager may do, an admin may too."""

ANOTHER_CLIENT = "another client"


class AccessDenied(Exception):
    """The acting user may not do this; the message says so in plain words."""


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service function runs."""

    username: str
    role: str
    operator_id: str | None = None
    user_id: int | None = None

    def __post_init__(self) -> None:
        if self.role not in ACCOUNT_ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if (self.role == OPERATOR) != (self.operator_id is not None):
            raise ValueError("an operator user, and only one, is bound to an operator")

    def may(self, role: str) -> bool:
        return role in _INCLUDES[self.role]


def local_admin() -> Actor:
    """The command line: whoever can run it on the server already holds the database,
    so it acts as an administrator, recorded in the audit trail as `cli:<login>`."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        login = "unknown"
    return Actor(username=f"cli:{login}", role=ADMIN)


LOCAL_ADMIN = local_admin()


def require_role(actor: Actor, role: str) -> Actor:
    """Refuse unless `actor` has `role` (an admin has a manager's rights too)."""
    if not isinstance(actor, Actor):
        raise AccessDenied("no acting user: log in first")
    if not actor.may(role):
        raise AccessDenied(
            f"{actor.username} ({actor.role}) may not do this: it needs the {role} role"
        )
    return actor


def operator_scope(actor: Actor) -> str | None:
    """The one operator `actor` is limited to, or None for everything."""
    require_known(actor)
    return actor.operator_id


def require_known(actor: Actor) -> Actor:
    if not isinstance(actor, Actor):
        raise AccessDenied("no acting user: log in first")
    return actor


def sees_operator(actor: Actor, operator_id: str | None) -> bool:
    scope = operator_scope(actor)
    return scope is None or operator_id == scope


def require_operator(actor: Actor, operator_id: str | None, what: str = "operator") -> None:
    """Refuse a read or write of another operator's row, worded like an unknown id."""
    if not sees_operator(actor, operator_id):
        raise AccessDenied(f"no {what} {operator_id!r}")


# --------------------------------------------------------------------------- scoping data


def scope_dataset(dataset: Dataset, actor: Actor, specialist_ids: Iterable[str] = ()) -> Dataset:
    """What `actor` may see of `dataset`: all of it, or one operator's part.

    An operator user gets its operator, requirements, staff, their absences and its
    requests; of the vendor's specialists only those in `specialist_ids` (the ones
    covering it), with no rate and no time off, and of its history and pins only the
    rows of those specialists, so that what it sees is a valid dataset of its own; of
    `calendar.csv` the rows that apply to it (for everyone, or for its region). The
    rate reads 0 here and is left blank in its files (`hidden_columns`).
    """
    scope = operator_scope(actor)
    if scope is None:
        return dataset
    staff = tuple(s for s in dataset.staff if s.operator_id == scope)
    staff_ids = {s.staff_id for s in staff}
    requests = tuple(r for r in dataset.requests if r.operator_id == scope)
    own_demands = demand_ids_of(dataset, scope)
    regions = {None, *(o.region for o in dataset.operators if o.operator_id == scope)}
    shown = set(specialist_ids)
    return Dataset(
        operators=tuple(o for o in dataset.operators if o.operator_id == scope),
        requirements=tuple(r for r in dataset.requirements if r.operator_id == scope),
        staff=staff,
        absences=tuple(a for a in dataset.absences if a.staff_id in staff_ids),
        specialists=tuple(
            replace(s, cost_per_hour=0.0) for s in dataset.specialists if s.specialist_id in shown
        ),
        specialist_absences=(),
        requests=requests,
        history=tuple(
            h for h in dataset.history if h.operator_id == scope and h.specialist_id in shown
        ),
        calendar=tuple(row for row in dataset.calendar if row.region in regions),
        pinned=tuple(
            p for p in dataset.pinned if p.demand_id in own_demands and p.specialist_id in shown
        ),
    )


HIDDEN_FROM_OPERATORS = {"specialists": ("cost_per_hour",)}
"""Columns an operator user's files leave blank: `scope_dataset` zeroes them, and a 0 in
an export would read as a real rate."""


def hidden_columns(actor: Actor) -> dict[str, tuple[str, ...]]:
    """The columns of each table that `actor`'s exports leave blank."""
    return {} if operator_scope(actor) is None else dict(HIDDEN_FROM_OPERATORS)


def demand_ids_of(dataset: Dataset, operator_id: str) -> set[str]:
    """Every demand id that belongs to `operator_id`: its gaps and its requests."""
    return {
        demand_id
        for demand_id, source in demand_sources(dataset).items()
        if source.operator_id == operator_id
    }


def redact(text: str, dataset: Dataset, actor: Actor) -> str:
    """`text` with every other operator's id and name replaced by "another client"."""
    scope = operator_scope(actor)
    if scope is None:
        return text
    others = [o for o in dataset.operators if o.operator_id != scope]
    own_names = {o.name for o in dataset.operators if o.operator_id == scope}
    hidden = ({o.operator_id for o in others} | {o.name for o in others if o.name}) - own_names
    if not hidden:
        return text
    words = sorted(hidden, key=len, reverse=True)  # the longest first: OP0012 before OP001
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words))
    return pattern.sub(ANOTHER_CLIENT, text)


def scope_plan(plan: Plan, actor: Actor, dataset: Dataset) -> Plan:
    """What `actor` may see of a plan: all of it, or the cover of its own operator.

    `dataset` is the full dataset the plan was made from, to recognise (and hide)
    other operators named in the reasons. The summary keeps only figures about the
    operator itself: no vendor totals, bounds or cost.
    """
    scope = operator_scope(actor)
    if scope is None:
        return plan
    assignments = tuple(a for a in plan.assignments if a.operator_id == scope)
    uncovered = tuple(
        replace(u, reason=redact(u.reason, dataset, actor))
        for u in plan.uncovered
        if u.operator_id == scope
    )
    sources = demand_sources(dataset)
    covered = dict.fromkeys(PRIORITIES, 0)
    for a in assignments:
        source = sources.get(a.demand_id)
        covered[source.priority if source else "normal"] += a.units
    missing = dict.fromkeys(PRIORITIES, 0)
    for u in uncovered:
        missing[u.priority] += u.units
    own_demands = set(demand_ids_of(dataset, scope))
    summary = {
        "status": plan.status,
        "start": plan.start.isoformat(),
        "weeks": plan.weeks,
        "demand_units": {p: covered[p] + missing[p] for p in PRIORITIES},
        "covered_units": covered,
        "uncovered_units": missing,
        "dropped_pins": [
            {**p, "reason": redact(str(p.get("reason", "")), dataset, actor)}
            for p in plan.summary.get("dropped_pins", [])
            if p.get("demand_id") in own_demands
        ],
    }
    return Plan(
        plan.start, plan.weeks, plan.max_tz_gap, assignments, uncovered, summary, plan.calendar
    )


def scope_rota(rota: Rota, actor: Actor, dataset: Dataset) -> Rota:
    """What `actor` may see of a rota: all of it, or the duty that serves its own operator.

    An operator user sees the shifts of the specialists who can answer for its operator
    (whoever else they also answer for), its own SLA gaps with reasons that name no other
    client, and no reservations (the vendor's cover capacity). The summary keeps only
    figures about the operator itself: the status, the grid and its own uncovered hours.
    `dataset` is the full dataset the rota was made from.
    """
    scope = operator_scope(actor)
    if scope is None:
        return rota
    own = [o for o in dataset.operators if o.operator_id == scope]
    answering = {s.specialist_id for s in dataset.specialists for o in own if can_answer_for(s, o)}
    gaps = tuple(
        replace(g, reason=redact(g.reason, dataset, actor))
        for g in rota.gaps
        if g.operator_id == scope
    )
    summary = {
        "status": rota.status,
        "start": rota.params.start.isoformat(),
        "weeks": rota.params.weeks,
        "uncovered_hours": sum(g.hours for g in gaps),
    }
    return Rota(
        rota.params,
        tuple(s for s in rota.shifts if s.specialist_id in answering),
        gaps,
        (),
        summary,
    )


def scope_quote(quote: Quote, actor: Actor, dataset: Dataset) -> Quote:
    """A quote as `actor` may read it: reasons never name another client."""
    if operator_scope(actor) is None:
        return quote
    return replace(
        quote,
        uncovered=tuple(
            QuoteGap(g.week, g.units, redact(g.reason, dataset, actor)) for g in quote.uncovered
        ),
    )
