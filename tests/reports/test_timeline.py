"""The plan timeline: the weeks that are not five working days, the rows' order and pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from planner.domain.calendar import Horizon
from planner.domain.production_calendar import FEDERAL, WEEKDAYS, calendar_for
from planner.domain.records import CalendarDay
from planner.planning.pipeline import make_plan
from planner.planning.plan import Assignment, Plan, Uncovered
from planner.reports.format import (
    HOLIDAY_WEEK_COLOR,
    LONG_WEEK_COLOR,
    ROW_HEIGHT,
    SHORT_WEEK_COLOR,
)
from planner.reports.timeline import (
    gantt_figure,
    gantt_frame,
    gantt_page,
    gantt_pages,
    uncovered_csv,
    uncovered_table,
)
from tests.builders import MONDAY, dataset, operator, requirement, specialist

REGION = "Республика Татарстан"
REGIONAL_DAYS_OFF = [
    CalendarDay(date(2027, 3, 22), False, REGION, "Navruz"),
    CalendarDay(date(2027, 3, 23), False, REGION),
]
DATA = replace(
    dataset(
        operators=[operator("OP1"), operator("OP2", region=REGION)],
        requirements=[requirement("OP1", min_fte=1.0), requirement("OP2", min_fte=0.5)],
        specialists=[specialist("SP1"), specialist("SP2")],
    ),
    calendar=tuple(REGIONAL_DAYS_OFF),
)


@pytest.fixture(scope="module")
def plan():
    return make_plan(DATA, Horizon(MONDAY, 12, calendar_for(FEDERAL, DATA.calendar)))


def bands(figure) -> dict[date, tuple[str, str]]:
    return {
        pd.Timestamp(shape.x0).date(): (shape.fillcolor, shape.label.text)
        for shape in figure.layout.shapes
    }


def test_the_weeks_that_are_not_five_working_days_are_bands_behind_the_bars(plan):
    figure = gantt_figure(plan, DATA)
    assert bands(figure) == {
        date(2027, 1, 4): (HOLIDAY_WEEK_COLOR, "0d"),
        date(2027, 2, 15): (LONG_WEEK_COLOR, "6d"),
        date(2027, 2, 22): (SHORT_WEEK_COLOR, "3d"),
        date(2027, 3, 8): (SHORT_WEEK_COLOR, "4d"),
    }
    assert {shape.layer for shape in figure.layout.shapes} == {"below"}
    names = [shape.name for shape in figure.layout.shapes]
    assert "no working days (New Year holidays, 7 Jan Christmas)" in names
    assert "4 working days (8 Mar Women's Day)" in names


def test_the_axis_keeps_the_new_year_week_that_has_no_bars(plan):
    figure = gantt_figure(plan, DATA)
    assert min(a.week for a in plan.assignments) > MONDAY
    assert pd.Timestamp(figure.layout.xaxis.range[0]).date() == MONDAY
    assert figure.layout.xaxis.ticktext[0] == "2027-W01<br>4 Jan · 0d"
    assert all("·" not in tick for tick in figure.layout.xaxis.ticktext[1:3])


def test_the_bands_follow_the_weeks_shown(plan):
    figure = gantt_figure(plan, DATA, weeks=(date(2027, 3, 1), date(2027, 3, 29)), by="operator")
    assert list(bands(figure)) == [date(2027, 3, 8)]


def test_a_bar_names_the_short_weeks_it_spans_and_the_operators_own(plan):
    hovers = [
        text
        for trace in gantt_figure(plan, DATA, by="operator").data
        for (text,) in trace.customdata
    ]
    federal = [text for text in hovers if "OP1 — " in text and "2027-W10" in text]
    assert federal
    assert all("2027-W10, 8 Mar: 4 working days (8 Mar Women's Day)" in t for t in federal)
    assert not any("in " + REGION in t for t in federal)
    regional = [text for text in hovers if "OP2 — " in text and "2027-W12" in text]
    assert regional
    assert all(
        "2027-W12, 22 Mar: 3 working days (22 Mar Navruz, 23 Mar regional day off) in " + REGION
        in text
        for text in regional
    )


def test_monday_to_friday_marks_no_week():
    weekdays = make_plan(DATA, Horizon(MONDAY, 12, calendar_for(WEEKDAYS)))
    figure = gantt_figure(weekdays, DATA)
    assert figure.layout.shapes == ()
    assert all("working day" not in text for t in figure.data for (text,) in t.customdata)


# --------------------------------------------------------------------------- rows and pages

NAMED = dataset(
    operators=[operator("OP1"), operator("OP2")],
    specialists=[specialist(f"SP{k}", name=f"Специалист {k}") for k in range(1, 31)],
)


def many_rows_plan() -> Plan:
    """30 specialists on two clients each (60 assigned rows) and two uncovered demands,
    the critical one at OP2."""
    assignments = tuple(
        Assignment(f"gap:{op}:finance", op, "finance", MONDAY, f"SP{k}", 5)
        for k in range(1, 31)
        for op in ("OP1", "OP2")
    )
    uncovered = tuple(
        Uncovered(
            f"gap:{op}:technical",
            op,
            "technical",
            MONDAY,
            "critical" if op == "OP2" else "high",
            3,
            "eligible SP1, SP10 fully booked (SP10 on critical cover at OP2)",
        )
        for op in ("OP1", "OP2")
    )
    return Plan(MONDAY, 1, 4.0, assignments, uncovered)


@pytest.mark.parametrize("by", ["specialist", "operator"])
def test_the_uncovered_rows_come_first_and_the_rows_page(by):
    frame = gantt_frame(many_rows_plan(), NAMED, by)
    rows = list(dict.fromkeys(frame["row"]))
    assert len(rows) == 62
    assert set(frame[frame["row"].isin(rows[:2])]["kind"]) == {"uncovered"}
    assert "uncovered" not in set(frame[frame["row"].isin(rows[2:])]["kind"])
    assert gantt_pages(frame) == 2
    assert gantt_pages(frame, page_rows=62) == 1
    first, second = gantt_page(frame, 1), gantt_page(frame, 2)
    assert list(dict.fromkeys(first["row"])) == rows[:40]
    assert list(dict.fromkeys(second["row"])) == rows[40:]


def test_the_chart_is_as_tall_as_the_rows_of_its_page():
    plan = many_rows_plan()
    first, second = gantt_figure(plan, NAMED, page=1), gantt_figure(plan, NAMED, page=2)
    assert len({y for trace in first.data for y in trace.y}) == 40
    top_down = first.layout.yaxis.categoryarray[::-1]  # px lists the bottom row first
    assert top_down[:2] == ("Uncovered · OP2 technical", "Uncovered · OP1 technical")
    assert first.layout.height == 40 * ROW_HEIGHT + 160
    assert second.layout.height == 22 * ROW_HEIGHT + 160


def test_reasons_on_screen_name_the_specialists_and_the_files_keep_the_ids():
    plan = many_rows_plan()
    table = uncovered_table(plan, NAMED)
    assert table["Reason"][0] == (
        "eligible Специалист 1 (SP1), Специалист 10 (SP10) fully booked "
        "(Специалист 10 (SP10) on critical cover at OP2)"
    )
    hover = gantt_frame(plan, NAMED)["details"][0]
    assert "Специалист 10 (SP10) on critical cover" in hover
    assert b"eligible SP1, SP10 fully booked" in uncovered_csv(plan)


def test_a_link_written_into_a_request_id_shows_escaped_not_as_a_link():
    link = '<a href="http://evil">RQ1</a>'
    data = dataset(
        operators=[operator("OP1")],
        specialists=[specialist("SP1", name="<b>Анна</b>")],
    )
    plan = Plan(
        MONDAY,
        1,
        4.0,
        (Assignment(f"req:{link}", "OP1", "finance", MONDAY, "SP1", 5),),
        (Uncovered(f"req:{link}", "OP1", "finance", MONDAY, "high", 3, f"{link} is new"),),
    )
    figure = gantt_figure(plan, data)
    shown = [
        str(value)
        for trace in figure.data
        for part in (trace.y, trace.text, trace.customdata)
        for value in (part if part is not None else ())
    ]
    shown += [str(c) for c in figure.layout.yaxis.categoryarray]
    assert any("&lt;a href" in text for text in shown)
    assert not any("<a" in text or "<b>Анна" in text for text in shown)
