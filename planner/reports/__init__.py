"""DataFrames and figures for the screens and exports: a plan as people read it.

One module per screen (`overview`, `timeline`, `request`, `runs`, `data`, `calendar`,
`audit`, `whatif`) over shared formatting (`format`). All are pure functions
of a `Plan` (and of the `Dataset` for names, priorities and capacities): no
Streamlit and no database, so the screens stay glue and every figure can be
checked in a unit test. Loads are shown in FTE-weeks (one person full time for
one week = 10 units), weeks as `2027-W27, 5 Jul`.

The names below are re-exported so callers keep writing `reports.headline(...)`
whichever screen module a builder lives in.
"""

from planner.reports.audit import audit_frame
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
from planner.reports.calendar_weeks import (
    CalendarWeek,
    calendar_weeks,
    week_note,
    week_working_days,
)
from planner.reports.data import column_notes
from planner.reports.format import (
    COVERED_COLOR,
    LEVEL_NAMES,
    PARTLY_COLOR,
    PRIORITY_COLORS,
    UNCOVERED_COLOR,
    demand_label,
    fte_weeks,
    operator_label,
    operator_names,
    share,
    skill_vocabulary,
    specialist_label,
    specialist_names,
    week_label,
)
from planner.reports.overview import (
    Headline,
    clients_at_risk,
    coverage_frame,
    coverage_heatmap,
    coverage_state,
    headline,
    priority_frame,
    utilisation_frame,
    utilisation_heatmap,
)
from planner.reports.reasons import named_reason
from planner.reports.request import (
    alternatives_frame,
    moves_frame,
    quote_specialists,
    quote_verdict,
    quote_weeks,
    request_alternatives,
    requests_status,
)
from planner.reports.runs import (
    compare_assignments,
    compare_by_party,
    compare_figures,
    progress_fraction,
    progress_text,
    runs_frame,
)
from planner.reports.timeline import (
    PAGE_ROWS,
    PlanFilter,
    assignment_table,
    demand_priorities,
    filter_plan,
    gantt_figure,
    gantt_frame,
    gantt_page,
    gantt_pages,
    plan_csv,
    plan_workbook,
    summary_frame,
    uncovered_csv,
    uncovered_table,
)

__all__ = [
    "COVERED_COLOR",
    "LEVEL_NAMES",
    "NO_REGION",
    "PAGE_ROWS",
    "PARTLY_COLOR",
    "PRIORITY_COLORS",
    "UNCOVERED_COLOR",
    "CalendarWeek",
    "Headline",
    "PlanFilter",
    "alternatives_frame",
    "applying_rows",
    "assignment_table",
    "audit_frame",
    "calendar_days",
    "calendar_heatmap",
    "calendar_regions",
    "calendar_weeks",
    "clients_at_risk",
    "column_notes",
    "compare_assignments",
    "compare_by_party",
    "compare_figures",
    "coverage_frame",
    "coverage_heatmap",
    "coverage_state",
    "days_off_on_weekdays",
    "demand_label",
    "demand_priorities",
    "filter_plan",
    "fte_weeks",
    "gantt_figure",
    "gantt_frame",
    "gantt_page",
    "gantt_pages",
    "headline",
    "month_counts",
    "moves_frame",
    "named_reason",
    "operator_label",
    "operator_names",
    "plan_csv",
    "plan_workbook",
    "priority_frame",
    "progress_fraction",
    "progress_text",
    "quote_specialists",
    "quote_verdict",
    "quote_weeks",
    "request_alternatives",
    "requests_status",
    "runs_frame",
    "share",
    "skill_vocabulary",
    "specialist_label",
    "specialist_names",
    "summary_frame",
    "uncovered_csv",
    "uncovered_table",
    "utilisation_frame",
    "utilisation_heatmap",
    "week_label",
    "week_note",
    "week_working_days",
    "working_days_in_year",
    "year_warning",
]
