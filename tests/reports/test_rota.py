"""The Rota screen's frames and figures on a rota small enough to check by hand."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from planner.reports import rota as reports
from planner.rota.records import Reservation, Rota, RotaParams, Shift, SlaGap
from tests.builders import MONDAY, dataset, operator, specialist


def at(day: int, hour: int) -> datetime:
    return datetime(2027, 1, 4 + day, hour, tzinfo=UTC)


def small() -> tuple:
    """One Moscow specialist on duty Monday 06:00-18:00 UTC (09:00-21:00 local), one 24x7
    Moscow operator with a gap before it; Monday to Friday working days."""
    data = dataset(
        operators=[operator("OP1", name="<b>Сеть</b>", sla="24x7")],
        specialists=[specialist("SP1"), specialist("SP2", oncall=False)],
    )
    params = RotaParams(MONDAY, 1, calendar="none")
    rota = Rota(
        params,
        (Shift("SP1", at(0, 6), at(0, 18), 9, 3),),
        (SlaGap("OP1", at(0, 0), at(0, 6), "nobody but SP1 qualified, resting"),),
        (Reservation("SP1", MONDAY, 2),),
        {"status": "FEASIBLE", "promised_hours": 168, "covered_hours": 12, "bound_hours": 20},
    )
    return data, rota


def test_headline_counts_hours_and_reservations_as_hours() -> None:
    _, rota = small()
    head = reports.rota_headline(rota)
    assert (head.gaps, head.gap_hours, head.shifts, head.reserved_hours) == (1, 6, 1, 8)
    assert reports.rota_headline_text(rota) == (
        "Incident support: covered 12 of 168 promised hours (7%), 1 gap"
    )


def test_duty_is_at_work_in_local_working_hours_and_standby_after() -> None:
    data, rota = small()
    ids, states = reports.duty_states(data, rota)
    assert ids == ["SP1"]  # SP2 is not on call
    assert states[0, 6:15].tolist() == [2] * 9
    assert states[0, 15:18].tolist() == [1] * 3
    assert states[0, :6].sum() == 0
    assert states[0, 18:].sum() == 0


def test_a_zone_shifts_the_week_s_columns_by_its_offset() -> None:
    _, rota = small()
    columns = reports.week_columns(rota, 0, "Europe/Moscow")
    assert columns.hours[:4] == (None, None, None, 0)  # Monday 00:00 Moscow is Sunday 21:00 UTC
    assert columns.hours[-1] == 164
    assert columns.labels[3] == "Mon 04 Jan 03:00 Europe/Moscow"
    assert columns.ticktext[:2] == ("00", "06")
    assert columns.days[:2] == ((0, "Mon 04 Jan"), (24, "Tue 05 Jan"))
    assert reports.week_columns(rota, 0).hours == tuple(range(168))


def test_sla_states_and_heatmap_escape_names() -> None:
    data, rota = small()
    ids, states = reports.sla_states(data, rota)
    assert ids == ["OP1"]
    assert states[0, :6].tolist() == [2] * 6
    assert set(states[0, 6:].tolist()) == {1}
    figure = reports.sla_heatmap(data, rota, 0, "Europe/Moscow")
    assert figure.data[0].y[0] == "&lt;b&gt;Сеть&lt;/b&gt; (OP1)"


def test_gaps_name_operator_and_specialists_with_local_times() -> None:
    data, rota = small()
    row = reports.gaps_frame(data, rota).iloc[0]
    assert row["Operator"] == "<b>Сеть</b> (OP1)"  # a table shows text as typed
    assert (row["Start (UTC)"], row["Start (local)"]) == (
        "2027-01-04 Mon 00:00",
        "2027-01-04 Mon 03:00",
    )
    assert row["Hours"] == 6
    assert row["Reason"] == "nobody but Специалист SP1 (SP1) qualified, resting"


def test_fairness_counts_off_work_night_and_weekend_hours_in_local_time() -> None:
    data, rota = small()
    row = reports.fairness_frame(data, rota).iloc[0].to_dict()
    assert row["Specialist"] == "Специалист SP1 (SP1)"
    assert (row["Off-work hours"], row["Night hours"], row["Weekend hours"]) == (3, 0, 0)
    assert (row["At-work hours"], row["Duty hours"], row["Shifts"]) == (9, 12, 1)


def test_the_operator_s_hours_name_who_is_on_duty() -> None:
    data, rota = small()
    figures = reports.support_figures(data, rota, "OP1")
    assert (figures.promised_hours, figures.covered_hours, figures.gap_hours) == (168, 162, 6)
    frame = reports.on_duty_frame(data, rota, "OP1", week=0)
    first, second = frame.iloc[0], frame.iloc[1]
    assert (first["From"], first["Hours"], first["Support"], first["On duty"]) == (
        "2027-01-04 Mon 03:00",
        6,
        "gap",
        "nobody",
    )
    assert (second["Hours"], second["Support"], second["On duty"]) == (
        12,
        "covered",
        "Специалист SP1",
    )
    assert frame["Hours"].sum() == 168


def test_calendars_zip_holds_one_file_per_specialist() -> None:
    content = reports.calendars_zip({"SP2": b"B", "SP1": b"A"})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["SP1.ics", "SP2.ics"]
        assert archive.read("SP1.ics") == b"A"


def test_progress_runs_the_bar_through_the_stages() -> None:
    from planner.solver.model import Progress

    cover = Progress("coverage", 1, 2, 100, 120, 3.2)
    assert reports.rota_progress_fraction(cover) == 0.35
    assert "week 1 of 2" in reports.rota_progress_text(cover)
    last = Progress("shifts", 4, 4, 100, 9, 9.0)
    assert reports.rota_progress_fraction(last) == 1.0
    assert "fewest shifts" in reports.rota_progress_text(last)
