"""Rule 3b, the client limit: per specialist and week, at most `max_clients` distinct operators.

It is the one hard rule a flow cannot express, so besides the model's constraint
the heuristics (flow repair, neighbourhood search, continuity flows, quote and
reshuffle) keep it through the fit tests here: `has_room` for one more client,
`fits` for a whole set of them.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.solver.variables import CoverVariables


def has_room(clients: Collection[Hashable], operator: Hashable, limit: int) -> bool:
    """The fit test: may a specialist serving `clients` take on work for `operator`?"""
    return operator in clients or len(clients) < limit


def fits(clients: Collection[Hashable], limit: int) -> bool:
    """Does serving all of `clients` in one week keep within the client limit?"""
    return len(clients) <= limit


def link_client(
    model: cp_model.CpModel, cover: cp_model.LinearExprT, most: int, serves: cp_model.IntVar
) -> None:
    """Cover given to one client forces the `serves` flag that the limit counts.

    `most` should be the tightest big-M (what the specialist could give that client
    at most): the linear relaxation is then far stronger than with one enforcement
    per variable, which is what lets CP-SAT prove hard weeks quickly.
    """
    model.add(cover <= most * serves)


def serve_at_most(model: cp_model.CpModel, serves: Sequence[cp_model.IntVar], limit: int) -> None:
    """The limit on one specialist's `serves` flags of a week, always added."""
    model.add(sum(serves) <= limit)


def limit_clients(model: cp_model.CpModel, serves: Sequence[cp_model.IntVar], limit: int) -> None:
    """The limit on one specialist's `serves` flags, where there are more flags than it."""
    if len(serves) > limit:
        serve_at_most(model, serves, limit)


def constrain(model: cp_model.CpModel, v: CoverVariables) -> None:
    """The cover model's constraint: one linking constraint per client, one limit per week."""
    per_specialist_week: dict[tuple[int, int], list] = {}
    for (s, o, w), keys in v.by_serves.items():
        flag = v.serves(s, o, w)
        most = min(v.instance.capacity[s][w], sum(v.instance.upper(*key) for key in keys))
        link_client(model, sum(v.units(*key) for key in keys), most, flag)
        per_specialist_week.setdefault((s, w), []).append(flag)
    for (s, _week), flags in per_specialist_week.items():
        limit_clients(model, flags, v.instance.client_limit(s))


def check(
    specialist_id: str, monday: date, clients: Collection[Hashable], limit: int
) -> str | None:
    """What the validator says of a week over the client limit, or None when within it."""
    if fits(clients, limit):
        return None
    return (
        f"{specialist_id} in week {monday}: rule 3: serves {len(clients)} operators "
        f"> max_clients {limit}"
    )


def pin_reason(specialist_id: str, limit: int) -> str:
    """Why a pin that would take the specialist past the client limit is dropped."""
    return f"{specialist_id} would serve more than {limit} clients"


def at_limit_reason(ids: str) -> str:
    """Why eligible specialists with time left cannot take a demand's operator on."""
    return f"{ids} already at their client limit (max_clients) that week"
