"""Quotes: check a new request, answer it against a plan's bookings (or a stored run's),
and file it so the next plan includes it.

Operator users ask through `answer_request` and `file_request`, which keep the
vendor's data on the server and answer in words that never name another client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.accounts import audit
from planner.accounts.access import (
    MANAGER,
    AccessDenied,
    Actor,
    require_known,
    require_operator,
    require_role,
    scope_quote,
)
from planner.data import storage
from planner.data.db import Engine, session_scope, snapshot_scope
from planner.data.edits import RowChange
from planner.data.plan_files import read_plan_assignments
from planner.data.problems import DatasetError, Problem
from planner.data.schema import SPECS, CellError, parse_level, parse_skills
from planner.data.write import table_rows
from planner.domain.defaults import DEFAULT_CALENDAR, DEFAULT_MAX_TZ_GAP, PLAN_TIME_LIMIT
from planner.domain.demand import demand_sources
from planner.domain.records import PRIORITIES, ROLES, Dataset
from planner.domain.records import Request as DatasetRequest
from planner.planning.plan import Plan
from planner.quotes.quote import Booking, Quote, QuoteBasis, quote_basis, quote_request
from planner.services._common import engine_or_default, no_plan_run, option_problem
from planner.services.datasets import validated_with
from planner.services.planning import make_horizon, plan_cover

__all__ = [
    "answer_request",
    "bookings_from_folder",
    "bookings_of",
    "file_request",
    "new_request",
    "prepare_quotes",
    "quote",
    "quote_against",
    "request_skills",
]


def new_request(
    *,
    dataset: Dataset,
    operator_id: str,
    role: str,
    start: date,
    end: date,
    fte: float,
    skills: str | Sequence[str] = "",
    min_level: int | str = 1,
    priority: str = "normal",
    request_id: str = "quote",
) -> DatasetRequest:
    """A request checked like a `requests.csv` row; problems name the option at fault."""
    problems: list[Problem] = []
    if operator_id not in {o.operator_id for o in dataset.operators}:
        problems.append(option_problem("--operator", f"{operator_id!r} is not in operators.csv"))
    if role not in ROLES:
        problems.append(option_problem("--role", f"{role!r} is not one of {', '.join(ROLES)}"))
    if priority not in PRIORITIES:
        problems.append(
            option_problem("--priority", f"{priority!r} is not one of {', '.join(PRIORITIES)}")
        )
    if end < start:
        problems.append(option_problem("--to", f"{end} is before --from {start}"))
    if not fte > 0:
        problems.append(option_problem("--fte", f"{fte} must be > 0"))
    try:
        level = parse_level(str(min_level))
    except CellError as error:
        problems.append(option_problem("--min-level", str(error)))
        level = 1
    skill_list = parse_skills(skills if isinstance(skills, str) else ";".join(skills))
    if problems:
        raise DatasetError(problems)
    return DatasetRequest(
        request_id, operator_id, role, start, end, fte, skill_list, level, priority
    )


def bookings_of(plan: Plan) -> list[Booking]:
    return [
        Booking(a.specialist_id, a.operator_id, a.week, a.units, a.demand_id)
        for a in plan.assignments
    ]


def bookings_from_folder(folder: Path | str, dataset: Dataset) -> list[Booking]:
    """The bookings of a plan folder's plan.csv; rows without an operator get the one
    their demand belongs to."""
    rows, problems = read_plan_assignments(folder)
    if problems:
        raise DatasetError(problems)
    sources = demand_sources(dataset)

    def operator_of(demand_id: str) -> str:
        source = sources.get(demand_id)
        return source.operator_id if source else ""

    return [
        Booking(
            r.specialist_id, r.operator_id or operator_of(r.demand_id), r.week, r.units, r.demand_id
        )
        for r in rows
    ]


def quote(
    *,
    actor: Actor,
    dataset: Dataset,
    start: date,
    weeks: int,
    request: DatasetRequest,
    bookings: Sequence[Booking] | None = None,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    time_limit: float = PLAN_TIME_LIMIT,
    reshuffle: bool = False,
    calendar: str = DEFAULT_CALENDAR,
) -> Quote:
    """Answer `request` against `bookings` (a plan's), or against a fresh plan when None.

    With `reshuffle`, weeks the free capacity cannot cover also try handing
    existing bookings to other qualified specialists; the answer lists the moves.
    The caller holds the whole dataset, so this is for managers; operator users
    ask through `answer_request`, which keeps the vendor's data on the server.
    """
    require_role(actor, MANAGER)
    if bookings is None:
        plan = plan_cover(
            actor=actor,
            dataset=dataset,
            start=start,
            weeks=weeks,
            max_tz_gap=max_tz_gap,
            time_limit=time_limit,
            calendar=calendar,
        )
        bookings = bookings_of(plan)
    horizon = make_horizon(start, weeks, dataset, calendar)
    basis = quote_basis(dataset, horizon, bookings, max_tz_gap=max_tz_gap)
    return quote_request(basis, request, reshuffle=reshuffle)


def prepare_quotes(*, dataset: Dataset, plan: Plan) -> QuoteBasis:
    """Everything quotes against `plan` share; keep it to answer many requests fast."""
    return quote_basis(dataset, plan.horizon, bookings_of(plan), max_tz_gap=plan.max_tz_gap)


def quote_against(*, basis: QuoteBasis, request: DatasetRequest, reshuffle: bool = False) -> Quote:
    """Answer `request` against a prepared plan (see `prepare_quotes`)."""
    return quote_request(basis, request, reshuffle=reshuffle)


def request_skills(*, actor: Actor, engine: Engine | None = None) -> list[str]:
    """Skills a request may ask for: those some specialist has (only those can ever be
    covered). Skill names only, so operator users get them too."""
    require_known(actor)
    with session_scope(engine_or_default(engine)) as session:
        dataset = storage.read_dataset(session=session)
    return sorted({skill for s in dataset.specialists for skill in s.skills})


def answer_request(
    *,
    actor: Actor,
    run_id: int,
    request: DatasetRequest,
    alternatives: Sequence[tuple[str, DatasetRequest]] = (),
    reshuffle: bool = False,
    engine: Engine | None = None,
) -> tuple[Quote, list[tuple[str, Quote]]]:
    """Quote `request` (and each alternative) against a stored plan run, keeping its
    bookings. An operator user may ask only for its own operator and reads reasons
    that never name another client. A reshuffle moves other clients' bookings, so
    only managers may ask for one."""
    for candidate in (request, *(option for _, option in alternatives)):
        require_operator(actor, candidate.operator_id)
    if reshuffle:
        require_role(actor, MANAGER)
    with snapshot_scope(engine_or_default(engine)) as session:
        dataset = storage.read_dataset(session=session)
        plan = storage.read_plan_run(session=session, run_id=run_id)
    if plan is None:
        raise no_plan_run(run_id)
    basis = quote_basis(dataset, plan.horizon, bookings_of(plan), max_tz_gap=plan.max_tz_gap)

    def answer(candidate: DatasetRequest) -> Quote:
        return scope_quote(quote_request(basis, candidate, reshuffle=reshuffle), actor, dataset)

    return answer(request), [(label, answer(option)) for label, option in alternatives]


def file_request(*, actor: Actor, request: DatasetRequest, engine: Engine | None = None) -> str:
    """Store a request (from the request screen) so that the next plan includes it.

    An operator user may file requests for its own operator only. The request is
    checked like a `requests.csv` row of an import, with the stored dataset around it
    (role, fte, dates, skills, level), and nothing is stored while a problem remains
    (`DatasetError`, located as `requests.csv: column COL: ...`).
    """
    require_operator(actor, request.operator_id)
    with session_scope(engine_or_default(engine)) as session:
        if request.operator_id not in storage.operator_ids(session=session):
            raise AccessDenied(f"no operator {request.operator_id!r}")
        taken = storage.request_ids(session=session)
        request_id = request.request_id
        if request_id in taken or request_id == "quote":
            number = len(taken) + 1
            while f"RQ{number:03d}" in taken:
                number += 1
            request_id = f"RQ{number:03d}"
        filed = replace(request, request_id=request_id)
        current = storage.read_dataset(session=session)
        rows = {"requests": storage.dataset_rows(session=session, table="requests")}
        cells = dict(
            zip(
                [c.name for c in SPECS["requests"].columns],
                next(table_rows(Dataset(requests=(filed,)), "requests")),
                strict=True,
            )
        )
        validated_with(actor, current, rows, [RowChange("requests", None, None, cells)])
        storage.add_request(session=session, request=filed)
        audit.record(
            session=session,
            actor=actor,
            action="file request",
            entity="requests",
            entity_id=request_id,
            operator_id=request.operator_id,
            after=filed,
        )
    return request_id
