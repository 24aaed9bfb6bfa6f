"""One way to write a figure: money, FTE-weeks, counts, shares, changes."""

import pytest

from planner.reports.format import (
    count,
    fte_weeks_text,
    money,
    number,
    percent,
    plural,
    signed,
)


def test_money_groups_digits_with_no_break_spaces_like_the_overview():
    assert money(18349000) == "18\u202f349\u202f000\u00a0₽"
    assert money(18349000.4).replace("\u202f", " ").replace("\u00a0", " ") == "18 349 000 ₽"
    assert money(0) == "0\u00a0₽"


@pytest.mark.parametrize(
    ("value", "text"),
    [(-5.799999999999997, "-5.8"), (12.0, "12"), (0.30000000000000004, "0.3"), (-0.01, "0")],
)
def test_number_has_one_decimal_at_most_and_no_float_noise(value, text):
    assert number(value) == text


def test_counts_and_large_numbers_group_thousands():
    assert count(12480) == "12\u202f480"
    assert number(1234.56) == "1\u202f234.6"


def test_fte_weeks_singular_only_for_exactly_one():
    assert fte_weeks_text(10) == "1 FTE-week"
    assert fte_weeks_text(20) == "2 FTE-weeks"
    assert fte_weeks_text(5) == "0.5 FTE-weeks"
    assert plural(1, "hire") == "1 hire"
    assert plural(0, "hire") == "0 hires"


def test_shares_and_changes():
    assert percent(0.954) == "95%"
    assert percent(None) == ""
    assert signed(1.5) == "+1.5"
    assert signed(-5.799999999999997) == "-5.8"
    assert signed(0.0) == "0"
