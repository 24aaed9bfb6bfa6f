"""Every default the planner's commands, screens and services share, defined once.

A default changed here changes for the CLI, the app and the what-if alike, so a
plan made on screen and one made on the command line never differ by accident.
"""

from __future__ import annotations

from datetime import date

DEFAULT_MAX_TZ_GAP = 4.0
"""Hours between specialist and operator UTC offsets that cover may span (rule 2)."""

DEFAULT_CALENDAR = "ru"
"""The Russian federal production calendar (`planner.domain.production_calendar.FEDERAL`);
`none` is the Monday-to-Friday grid."""

PLAN_TIME_LIMIT = 60.0
"""Seconds for a whole plan when nobody says otherwise (the command line)."""

SCREEN_TIME_LIMIT = 30.0
"""Seconds a plan started on screen is given: short enough to wait for."""

SAMPLE_TIME_LIMIT = 20.0
"""Seconds for one sampled future of `simulate` and `advise` (cover only)."""

QUOTE_TIME_LIMIT = 5.0
"""Seconds for one quote's small model: an answer on the phone."""

RESHUFFLE_TIME_LIMIT = 1.0
"""Seconds for one week's search of hand-overs that make room for a request."""

DEMO_START = date(2027, 1, 4)
DEMO_WEEKS = 26
DEMO_TIME_LIMIT = 30.0
"""The demo's first plan, made when the demo is seeded."""

DEMO_ROTA_START = date(2027, 1, 11)
DEMO_ROTA_WEEKS = 2
DEMO_ROTA_TIME_LIMIT = 15.0
"""The demo's first on-call rota (the first full working weeks after the New Year holidays),
made when the demo is seeded, so the Rota screens have something to show."""

ROTA_TIME_LIMIT = 60.0
"""Seconds for a whole on-call rota (every stage) when nobody says otherwise."""

MIN_SHIFT_HOURS = 4
MAX_SHIFT_HOURS = 12
MIN_REST_HOURS = 11
"""The contract's shift rules (rota rule 2): `--min-shift-hours`, `--max-shift-hours`,
`--min-rest-hours`."""

ACTIVE_RESPONSE_MINUTES = 15
"""How fast a specialist on duty answers while at work (`--active-response-minutes`)."""

WORK_HOURS = (9, 17)
"""The specialists' working hours as the first and last hour a working hour starts at
(`--work-hours 9-17`: 09:00-18:00 local); the 8x5 contract hours stay 09:00-18:00."""

DUTY_LOAD = 0.5
"""Share of an at-work duty hour that is lost to cover work (`--duty-load`)."""
