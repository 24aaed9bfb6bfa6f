"""Dates as people type them: the contract's one rule for a date in text.

A dataset cell, a scenario file, a command-line option and a plan folder all read dates
here, so the forms accepted and the wording of a refusal are the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date

DATE_FORMS = "YYYY-MM-DD or DD.MM.YYYY"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# what Excel writes for a date on a Russian-locale PC (a CSV saved back, a text cell)
_RUSSIAN = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def parse_day(text: str) -> date:
    """A date in either form; `ValueError` names both, and an impossible day
    (31.02.2027, 2027-13-01) is refused like a malformed one."""
    try:
        if iso := _ISO.fullmatch(text):
            year, month, day = iso.groups()
        elif russian := _RUSSIAN.fullmatch(text):
            day, month, year = russian.groups()
        else:
            raise ValueError
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the form {DATE_FORMS}") from None
