"""Reasons as people read them on screen: specialists by name, with the id beside it.

The planner writes a reason with ids (`eligible SP003 fully booked ...`), and
`uncovered.csv` keeps it so, machine-stable; a screen shows
`eligible Морозов Павел (SP003) fully booked ...` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from planner.domain.records import Dataset
from planner.reports.format import specialist_names


def reason_namer(dataset: Dataset) -> Callable[[str], str]:
    """A function that names the dataset's specialists in a reason; built once per screen."""
    return names_namer(specialist_names(dataset))


def names_namer(known: Mapping[str, str]) -> Callable[[str], str]:
    """A function that names the specialists of `known` (id to name) in a reason."""
    names = {sp: name for sp, name in known.items() if name and name != sp}
    if not names:
        return str
    # the longest id first, so SP10 is never read as SP1 followed by 0
    ids = "|".join(re.escape(sp) for sp in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({ids})(?![\w-])")

    def named(reason: str) -> str:
        def one(match: re.Match[str]) -> str:
            start, end = match.span()
            if reason[start - 1 : start] == "(" and reason[end : end + 1] == ")":
                return match[0]  # `name (SP003)` already: a reason named twice reads the same
            return f"{names[match[1]]} ({match[1]})"

        return pattern.sub(one, reason)

    return named


def named_reason(reason: str, dataset: Dataset) -> str:
    """`reason` with every specialist of `dataset` it mentions named: `Морозов Павел (SP003)`."""
    return reason_namer(dataset)(reason)
