"""A rota's files (`rota.csv`, `sla_gaps.csv`, `reservations.csv`, `rota_summary.json`,
`ics/<specialist_id>.ics`), written all or nothing, and read back for `plan --rota` and
`oncall`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planner.data.exports import safe_frame
from planner.data.folders import write_folder
from planner.data.problems import DatasetError, Problem
from planner.data.schema import parse_date
from planner.rota.records import (
    Reservation,
    Rota,
    RotaParams,
    Shift,
    SlaGap,
    parse_utc,
    utc_text,
)

ROTA_COLUMNS = ["specialist_id", "start", "end", "hours", "at_work_hours", "off_work_hours"]
GAP_COLUMNS = ["operator_id", "start", "end", "hours", "reason"]
RESERVATION_COLUMNS = ["specialist_id", "week", "units"]


def rota_frame(rota: Rota) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [
                s.specialist_id,
                utc_text(s.start),
                utc_text(s.end),
                s.hours,
                s.at_work_hours,
                s.off_work_hours,
            ]
            for s in rota.shifts
        ],
        columns=ROTA_COLUMNS,
    )


def gaps_frame(rota: Rota) -> pd.DataFrame:
    return pd.DataFrame(
        [[g.operator_id, utc_text(g.start), utc_text(g.end), g.hours, g.reason] for g in rota.gaps],
        columns=GAP_COLUMNS,
    )


def reservations_frame(rota: Rota) -> pd.DataFrame:
    return pd.DataFrame(
        [[r.specialist_id, r.week.isoformat(), r.units] for r in rota.reservations],
        columns=RESERVATION_COLUMNS,
    )


def write_rota(rota: Rota, out: Path | str, calendars: dict[str, bytes]) -> Path:
    """Write every file of the rota into `out`; on any failure `out` is left as it was."""

    def fill(folder: Path) -> None:
        for name, frame in (
            ("rota.csv", rota_frame(rota)),
            ("sla_gaps.csv", gaps_frame(rota)),
            ("reservations.csv", reservations_frame(rota)),
        ):
            safe_frame(frame).to_csv(folder / name, index=False, lineterminator="\n")
        (folder / "rota_summary.json").write_text(
            json.dumps(rota.summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        ics = folder / "ics"
        ics.mkdir()
        for specialist_id, data in calendars.items():
            (ics / f"{_file_name(specialist_id)}.ics").write_bytes(data)

    return write_folder(out, fill)


def _file_name(specialist_id: str) -> str:
    """A specialist id as a file name: ids are printable, but `/` must not make a folder."""
    return "".join("_" if c in '/\\:*?"<>|' else c for c in specialist_id)


def _frame(folder: Path, name: str, required: list[str]) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise DatasetError([Problem(str(path), None, None, f"no {name} in the rota folder")])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DatasetError([Problem(name, 1, c, "required column is missing") for c in missing])
    return frame


def read_reservations(
    folder: Path | str, specialist_ids: set[str] | None = None
) -> tuple[Reservation, ...]:
    """`reservations.csv` of a rota folder, checked (each `specialist_id` among
    `specialist_ids` when given): every problem as `FILE:ROW: column COL: message`."""
    frame = _frame(Path(folder), "reservations.csv", RESERVATION_COLUMNS)
    found, problems = [], []
    for offset, row in enumerate(frame.to_dict("records")):
        line = offset + 2
        if specialist_ids is not None and row["specialist_id"] not in specialist_ids:
            problems.append(
                Problem(
                    "reservations.csv",
                    line,
                    "specialist_id",
                    f"unknown specialist {row['specialist_id']!r}",
                )
            )
        try:
            week = parse_date(row["week"])
        except ValueError as error:
            problems.append(Problem("reservations.csv", line, "week", str(error)))
            continue
        if week.weekday():
            problems.append(Problem("reservations.csv", line, "week", f"{week} is not a Monday"))
            continue
        try:
            units = int(row["units"])
            if units < 0:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    "reservations.csv",
                    line,
                    "units",
                    f"{row['units']!r} is not a whole number >= 0",
                )
            )
            continue
        found.append(Reservation(row["specialist_id"], week, units))
    if problems:
        raise DatasetError(problems)
    return tuple(found)


def read_rota(folder: Path | str) -> Rota:
    """A written rota read back: its shifts, gaps, reservations and summary."""
    folder = Path(folder)
    summary_path = folder / "rota_summary.json"
    if not summary_path.is_file():
        raise DatasetError(
            [Problem(str(summary_path), None, None, "no rota_summary.json in the rota folder")]
        )
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        params = RotaParams.from_dict(summary["params"])
    except (ValueError, KeyError, TypeError) as error:
        raise DatasetError(
            [Problem("rota_summary.json", None, "params", f"unreadable: {error}")]
        ) from None
    shifts, problems = [], []
    for offset, row in enumerate(_frame(folder, "rota.csv", ROTA_COLUMNS[:3]).to_dict("records")):
        try:
            start, end = parse_utc(row["start"]), parse_utc(row["end"])
        except ValueError as error:
            problems.append(Problem("rota.csv", offset + 2, "start", str(error)))
            continue
        shifts.append(
            Shift(
                row["specialist_id"],
                start,
                end,
                _int(row.get("at_work_hours")),
                _int(row.get("off_work_hours")),
            )
        )
    gaps = []
    for offset, row in enumerate(
        _frame(folder, "sla_gaps.csv", GAP_COLUMNS[:3]).to_dict("records")
    ):
        try:
            gaps.append(
                SlaGap(
                    row["operator_id"],
                    parse_utc(row["start"]),
                    parse_utc(row["end"]),
                    row.get("reason", ""),
                )
            )
        except ValueError as error:
            problems.append(Problem("sla_gaps.csv", offset + 2, "start", str(error)))
    if problems:
        raise DatasetError(problems)
    return Rota(params, tuple(shifts), tuple(gaps), read_reservations(folder), summary)


def _int(text: object) -> int:
    try:
        return int(str(text))
    except ValueError:
        return 0
