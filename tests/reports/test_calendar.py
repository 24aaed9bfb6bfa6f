"""The Data screen's calendar view: a year's working days as the planner counts them."""

from __future__ import annotations

from datetime import date

from planner.domain.records import CalendarDay, Dataset, Operator, Specialist
from planner.reports.calendar import (
    NO_REGION,
    applying_rows,
    calendar_days,
    calendar_heatmap,
    calendar_regions,
    days_off_on_weekdays,
    month_counts,
    working_days_in_year,
    year_warning,
)

TATARSTAN = "Республика Татарстан"
DATASET = Dataset(
    operators=(
        Operator("OP1", "Казань Связь", "Europe/Moscow", region=TATARSTAN),
        Operator("OP2", "Волга-Онлайн", "Europe/Samara"),
    ),
    specialists=(
        Specialist("SP1", "Орлов Олег", (("technical", 3),), "Asia/Novosibirsk", region="Сибирь"),
    ),
    calendar=(
        CalendarDay(date(2027, 8, 30), False, TATARSTAN, "День республики"),
        CalendarDay(date(2027, 11, 8), False, None, "<b>day off</b> for everyone"),
        CalendarDay(date(2027, 11, 8), True, TATARSTAN, "worked in Tatarstan"),
        CalendarDay(date(2028, 1, 10), False, "Калмыкия", ""),
    ),
)


def test_2027_has_247_federal_working_days():
    days = calendar_days(Dataset(), 2027)
    assert working_days_in_year(days) == 247
    months = month_counts(days).set_index("month")
    assert months.loc["Jan", "working days"] == 15
    assert months.loc["year", "working days"] == 247
    assert months.loc["year", "days off"] == 365 - 247
    assert year_warning(2027) is None


def test_the_federal_days_off_are_named():
    unusual = days_off_on_weekdays(calendar_days(Dataset(), 2027)).set_index("date")
    assert unusual.loc[date(2027, 2, 23), "what"] == "public holiday"
    assert unusual.loc[date(2027, 2, 22), "what"] == "day off moved by the calendar"
    assert unusual.loc[date(2027, 2, 20), "working"]  # the working Saturday
    assert unusual.loc[date(2027, 2, 20), "what"].startswith("working weekend day")
    assert set(unusual["source"]) == {"federal"}


def test_a_region_follows_its_rows_after_the_rows_for_everyone():
    nobody = calendar_days(DATASET, 2027)
    assert working_days_in_year(nobody) == 246  # 8 Nov off for everyone
    tatarstan = calendar_days(DATASET, 2027, TATARSTAN).set_index("date")
    assert working_days_in_year(tatarstan.reset_index()) == 246  # 30 Aug off, 8 Nov back
    assert not tatarstan.loc[date(2027, 8, 30), "working"]
    assert tatarstan.loc[date(2027, 8, 30), "what"] == "day off: День республики"
    assert tatarstan.loc[date(2027, 8, 30), "source"] == f"calendar.csv ({TATARSTAN})"
    assert tatarstan.loc[date(2027, 11, 8), "working"]
    assert working_days_in_year(calendar_days(DATASET, 2027, NO_REGION)) == 246


def test_regions_are_everyone_s_who_can_have_a_calendar():
    assert calendar_regions(DATASET) == [NO_REGION, "Калмыкия", TATARSTAN, "Сибирь"]


def test_the_rows_that_apply_say_which_one_decides():
    rows = applying_rows(DATASET, 2027, TATARSTAN)
    assert list(rows["line"]) == [2, 3, 4]
    assert list(rows["applies"]) == ["yes", f"no: calendar.csv ({TATARSTAN}) decides", "yes"]
    assert list(applying_rows(DATASET, 2027)["line"]) == [3]
    assert applying_rows(DATASET, 2026).empty


def test_a_year_the_planner_does_not_know_says_so():
    warning = year_warning(2031)
    assert warning is not None
    assert "2031 is not known" in warning
    assert "Labour Code" in warning


def test_the_heatmap_has_a_cell_per_day_and_escapes_notes():
    figure = calendar_heatmap(calendar_days(DATASET, 2027), "2027")
    cells = figure.data[0].z
    assert len(cells) == 12
    assert sum(cell == 1 for month in cells for cell in month) == 246
    assert cells[1][29] is None  # no 30 February
    hover = figure.data[0].text[10][7]
    assert "&lt;b&gt;day off&lt;/b&gt;" in hover
    assert "<b>" not in hover
