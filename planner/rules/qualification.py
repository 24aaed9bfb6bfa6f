"""Rule 1, qualification: the demand's role at a level of at least `min_level`, and every skill.

The model needs no constraint for it: eligibility in `planner.solver.instance` asks
`qualified_mask`, so a specialist who is not qualified gets no variable for the demand.
A demand, a requirement and a request all ask the same three things, so every
function here takes any of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from planner.domain.records import Specialist


class Asks(Protocol):
    """What a demand (or the requirement or request behind it) asks of a specialist."""

    @property
    def role(self) -> str: ...

    @property
    def min_level(self) -> int: ...

    @property
    def skills(self) -> tuple[str, ...]: ...


def is_qualified(specialist: Specialist, demand: Asks) -> bool:
    """The rule itself: the role at a sufficient level and every skill the demand asks for."""
    return specialist.level(demand.role) >= demand.min_level and set(demand.skills) <= set(
        specialist.skills
    )


def qualified_mask(specialists: Sequence[Specialist], demands: Sequence[Asks]) -> np.ndarray:
    """`[s, d]`: whether specialist `s` is qualified for demand `d`, as one boolean array.

    Eligibility combines it with the other masks by array operations, so the
    question is asked once per (specialist, demand) and never per week.
    """
    return np.array(
        [[is_qualified(spec, demand) for demand in demands] for spec in specialists], dtype=bool
    ).reshape(len(specialists), len(demands))


def check(specialist: Specialist, demand: Asks) -> list[str]:
    """What the validator says of a booking that breaks the rule: level and skills apart."""
    broken = []
    level = specialist.level(demand.role)
    if level < demand.min_level:
        broken.append(f"rule 1: {demand.role} level {level} < {demand.min_level}")
    missing = set(demand.skills) - set(specialist.skills)
    if missing:
        broken.append(f"rule 1: lacks skills {sorted(missing)}")
    return broken


def pin_reason(specialist: Specialist, demand: Asks) -> str | None:
    """Why a pin of this specialist to this demand is dropped, or None when it qualifies."""
    level = specialist.level(demand.role)
    if level < demand.min_level:
        return (
            f"{specialist.specialist_id} has {demand.role} level {level}, "
            f"needs >= {demand.min_level}"
        )
    missing = sorted(set(demand.skills) - set(specialist.skills))
    if missing:
        return f"{specialist.specialist_id} lacks skill {', '.join(missing)}"
    return None


def not_qualified_reason(specialists: Iterable[Specialist], demand: Asks) -> str:
    """Why nobody can cover a demand: the most fundamental lack first (the role, then the level)."""
    specialists = list(specialists)
    wanted = f"{demand.role} level >= {demand.min_level}"
    skills = f" with skill {', '.join(demand.skills)}" if demand.skills else ""
    if not any(s.level(demand.role) for s in specialists):
        return f"no specialist has the {demand.role} role"
    if demand.skills and not any(s.level(demand.role) >= demand.min_level for s in specialists):
        return f"no specialist has {wanted} (needed with skill {', '.join(demand.skills)})"
    return f"no specialist has {wanted}{skills}"
