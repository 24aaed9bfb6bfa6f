"""The run comparison reads like a report: no float noise, money written whole."""

from datetime import date, timedelta

from planner.planning.plan import Assignment, Plan
from planner.reports.runs import compare_by_party, compare_figures
from tests.builders import dataset, operator, specialist

MONDAY = date(2027, 1, 4)


def _plan(units: list[int], cost: float) -> Plan:
    rows = tuple(
        Assignment("OP1:finance", "OP1", "finance", MONDAY + timedelta(weeks=k), "SP1", u)
        for k, u in enumerate(units)
    )
    return Plan(MONDAY, len(units) or 1, 3.0, rows, (), {"cost": cost, "handovers": 1234})


def test_figures_are_written_without_float_noise_and_money_whole():
    before, after = _plan([1, 2, 55], 18349000), _plan([], 15000000)
    frame = compare_figures(before, after).set_index("Figure")
    cost = frame.loc["Cost"].str.replace("\u202f", " ").str.replace("\u00a0", " ")
    assert cost.tolist() == ["18 349 000 ₽", "15 000 000 ₽", "-3 349 000 ₽"]
    assert frame.loc["Handovers"].tolist() == ["1\u202f234", "1\u202f234", "0"]
    assert all(len(text) < 16 for text in frame.to_numpy().ravel())


def test_who_is_affected_sums_fte_weeks_to_one_decimal():
    data = dataset(operators=[operator("OP1")], specialists=[specialist("SP1")])
    frame = compare_by_party(_plan([1, 2], 0), _plan([], 0), data)  # 0.1 + 0.2 in floats
    assert str(float(frame["FTE-weeks before"].iloc[0])) == "0.3"
    assert str(float(frame["Change (FTE-weeks)"].iloc[0])) == "-0.3"
