"""The Request screen's answer: names beside ids in every column, FTE figures as the quote asks."""

from datetime import date

from planner.domain.records import Request
from planner.quotes.quote import Quote, QuoteGap
from planner.reports.reasons import named_reason as name_specialists
from planner.reports.request import quote_reasons, quote_weeks, request_alternatives
from tests.builders import dataset, specialist

MONDAY = date(2027, 1, 4)


def _people():
    return dataset(
        specialists=[specialist("SP003", name="Морозов Павел"), specialist("SP13", name="Ким Анна")]
    )


def test_reasons_name_specialists_beside_their_ids():
    data = _people()
    text = "eligible SP003, SP13 fully booked (SP003 on critical cover at OP1)"
    assert name_specialists(text, data) == (
        "eligible Морозов Павел (SP003), Ким Анна (SP13) fully booked "
        "(Морозов Павел (SP003) on critical cover at OP1)"
    )
    assert name_specialists(name_specialists(text, data), data) == name_specialists(text, data)
    assert name_specialists("SP0031 is someone else", data) == "SP0031 is someone else"


def test_the_week_table_shows_names_in_why_not():
    quote = Quote(
        demand_units=10,
        covered_units=0,
        weekly_demand={MONDAY: 10},
        assignments=(),
        uncovered=(QuoteGap(MONDAY, 10, "SP003 on vacation"),),
    )
    weeks = quote_weeks(quote, _people())
    assert weeks["Why not"].tolist() == ["Морозов Павел (SP003) on vacation"]
    assert quote_reasons(quote, _people()) == ["2027-W01, 4 Jan: Морозов Павел (SP003) on vacation"]


def test_half_the_fte_asks_for_exactly_half_and_says_how_it_is_booked():
    request = Request("quote", "OP1", "technical", MONDAY, date(2027, 1, 15), 0.5, (), 1, "normal")
    label, half = next(o for o in request_alternatives(request) if o[0].startswith("Half"))
    assert half.fte == 0.25
    assert label.startswith("Half the FTE (0.25 instead of 0.5")
    assert "0.3 FTE in a five-day week" in label  # ceil(2 * 0.25 * 5) = 3 half-days
    whole = Request("quote", "OP1", "technical", MONDAY, date(2027, 1, 15), 1.0, (), 1, "normal")
    label, half = next(o for o in request_alternatives(whole) if o[0].startswith("Half"))
    assert label == "Half the FTE (0.5 instead of 1)"
