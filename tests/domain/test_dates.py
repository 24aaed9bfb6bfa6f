"""Dates in text: ISO and the Russian-locale Excel form, and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.dates import parse_day


@pytest.mark.parametrize("text", ["2027-04-07", "07.04.2027"])
def test_both_forms_read_the_same_day(text):
    assert parse_day(text) == date(2027, 4, 7)


@pytest.mark.parametrize(
    "text", ["31.02.2027", "2027-13-01", "7.4.2027", "04/07/2027", "2027-4-7", "07.04.27", ""]
)
def test_anything_else_is_refused_naming_both_forms(text):
    with pytest.raises(ValueError, match=r"is not a date in the form YYYY-MM-DD or DD\.MM\.YYYY"):
        parse_day(text)
