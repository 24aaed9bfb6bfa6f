"""The overview's heatmaps on the production calendar: holidays read as holidays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.domain.calendar import Horizon
from planner.domain.production_calendar import FEDERAL, WEEKDAYS, calendar_for
from planner.domain.records import CalendarDay
from planner.planning.pipeline import make_plan
from planner.reports.format import HOLIDAY_WEEK_COLOR
from planner.reports.overview import coverage_heatmap, utilisation_heatmap
from tests.builders import MONDAY, SpecialistAbsence, dataset, operator, requirement, specialist

REGION = "Республика Татарстан"
DATA = replace(
    dataset(
        operators=[operator("OP1"), operator("OP2", region=REGION)],
        requirements=[requirement("OP1", min_fte=1.0), requirement("OP2", min_fte=0.5)],
        specialists=[specialist("SP1"), specialist("SP2", region=REGION)],
        # SP1 is away the whole of week 2: capacity 0 that is not the calendar's
        specialist_absences=[SpecialistAbsence("SP1", date(2027, 1, 11), date(2027, 1, 17))],
    ),
    calendar=(CalendarDay(date(2027, 3, 22), False, REGION, "Navruz"),),
)
NEW_YEAR, MARCH_8, NAVRUZ = 0, 9, 11  # columns


@pytest.fixture(scope="module")
def plan():
    return make_plan(DATA, Horizon(MONDAY, 12, calendar_for(FEDERAL, DATA.calendar)))


def column(figure, week: int) -> list[str]:
    return [row[week] for row in figure.data[0].text]


@pytest.mark.parametrize("heatmap", [coverage_heatmap, utilisation_heatmap])
def test_the_columns_say_their_working_days_when_not_five(plan, heatmap):
    labels = list(heatmap(plan, DATA).data[0].x)
    assert labels[NEW_YEAR] == "2027-W01, 4 Jan · 0d"
    assert labels[6:8] == ["2027-W07, 15 Feb · 6d", "2027-W08, 22 Feb · 3d"]
    assert labels[MARCH_8] == "2027-W10, 8 Mar · 4d"
    assert labels[1] == "2027-W02, 11 Jan"


@pytest.mark.parametrize("heatmap", [coverage_heatmap, utilisation_heatmap])
def test_a_week_without_working_days_is_a_dark_column_of_holidays(plan, heatmap):
    figure = heatmap(plan, DATA)
    (band,) = figure.layout.shapes
    assert (band.x0, band.x1, band.fillcolor) == (-0.5, 0.5, HOLIDAY_WEEK_COLOR)
    assert band.label.text == "holidays"
    assert all(z is None for z in (row[NEW_YEAR] for row in figure.data[0].z))
    hovers = column(figure, NEW_YEAR)
    assert all("no working days (New Year holidays, 7 Jan Christmas)" in t for t in hovers)
    assert not any("no gap" in t or "not available" in t for t in hovers)


def test_coverage_cells_say_the_operators_own_working_days(plan):
    figure = coverage_heatmap(plan, DATA)
    assert figure.data[0].y[1].startswith("OP2")
    march_8 = column(figure, MARCH_8)
    assert all("4 working days (8 Mar Women's Day)" in text for text in march_8)
    op1, op2 = column(figure, NAVRUZ)
    assert "5 working days" in op1
    assert "4 working days (22 Mar Navruz)" in op2


def test_an_absence_still_reads_not_available(plan):
    sp1, sp2 = column(utilisation_heatmap(plan, DATA), 1)
    assert sp1.endswith("not available")
    assert "5 working days" in sp2


def test_monday_to_friday_shades_nothing():
    weekdays = make_plan(DATA, Horizon(MONDAY, 12, calendar_for(WEEKDAYS)))
    for heatmap in (coverage_heatmap, utilisation_heatmap):
        figure = heatmap(weekdays, DATA)
        assert figure.layout.shapes == ()
        assert not any("·" in label for label in figure.data[0].x)


def test_a_calendar_note_is_text_not_markup():
    data = replace(DATA, calendar=(CalendarDay(date(2027, 3, 22), False, REGION, "<b>Navruz</b>"),))
    plan = make_plan(data, Horizon(MONDAY, 12, calendar_for(FEDERAL, data.calendar)))
    hover = column(coverage_heatmap(plan, data), NAVRUZ)[1]
    assert "22 Mar &lt;b&gt;Navruz&lt;/b&gt;" in hover


def test_names_in_the_heatmaps_show_escaped_not_as_html():
    data = dataset(
        operators=[operator("OP1", name='<a href="http://x">Арбат</a>')],
        requirements=[requirement("OP1", min_fte=1.0)],
        specialists=[specialist("SP1", name="<b>Анна</b>")],
    )
    plan = make_plan(data, Horizon(MONDAY, 2, calendar_for(WEEKDAYS)))
    for figure in (coverage_heatmap(plan, data), utilisation_heatmap(plan, data)):
        (trace,) = figure.data
        shown = [*trace.y, *(cell for row in trace.text for cell in row)]
        assert any("&lt;" in text for text in shown)
        assert not any("<a" in text or "<b>" in text for text in shown)
