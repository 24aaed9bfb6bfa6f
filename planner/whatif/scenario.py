"""What-if scenarios: a named list of changes, and their files.

A `Scenario` applies its changes in order and checks the result against the
contract's rules again. Files are YAML, TOML or JSON (chosen by extension) with
dates as text (YYYY-MM-DD or DD.MM.YYYY); every problem names the file, the change's position
(1-based, shown as the row) and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from planner.data.problems import DatasetError, Problem
from planner.data.read import raw_from_frames
from planner.data.schema import CellError, parse_roles, parse_skills, parse_timezone
from planner.data.validate import validate_raw
from planner.data.write import dataset_frames
from planner.domain.dates import parse_day
from planner.domain.records import (
    Dataset,
)
from planner.whatif.changes import (
    CHANGE_TYPES,
    Change,
    ChangeError,
    NewRequirement,
    NewStaff,
    check_role,
)

# --------------------------------------------------------------------------- a scenario


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def apply(self, dataset: Dataset, *, source: str | None = None, check: bool = True) -> Dataset:
        """The base data with every change applied in order; problems name `source`.

        `check` validates the result against every rule of the contract again;
        the simulation turns it off for changes it generated itself from the data.
        """
        label = source or f"scenario {self.name!r}"
        for index, change in enumerate(self.changes, start=1):
            try:
                dataset = change.apply(dataset)
            except ChangeError as error:
                raise DatasetError([Problem(label, index, error.field, str(error))]) from None
        if check:
            checked, problems = validate_raw(raw_from_frames(dataset_frames(dataset)))
            if checked is None:
                raise DatasetError(
                    [Problem(label, None, None, f"after the changes, {p}") for p in problems]
                )
        return dataset

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "changes": [change_to_dict(c) for c in self.changes],
        }


def apply_changes(dataset: Dataset, changes: Iterable[Change], *, check: bool = False) -> Dataset:
    return Scenario("changes", "", tuple(changes)).apply(dataset, check=check)


# --------------------------------------------------------------------------- to and from text


def change_to_dict(change: Change) -> dict[str, Any]:
    """Plain values only (text, numbers, lists, dicts): what YAML, TOML and JSON all hold."""
    body: dict[str, Any] = {"kind": change.kind}
    for spec in fields(change):
        value = getattr(change, spec.name)
        if value is None:
            continue
        body[spec.name] = _to_plain(spec.name, value)
    return body


def _to_plain(name: str, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if name == "roles":
        return ";".join(f"{role}:{level}" for role, level in value)
    if name in ("requirements", "staff"):
        return [{k: _to_plain(k, v) for k, v in vars(item).items()} for item in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def change_from_dict(body: dict[str, Any]) -> Change:
    """Parse one change; a `ChangeError` names the field at fault."""
    if not isinstance(body, dict):
        raise ChangeError("kind", "each change must be a table of fields with a kind")
    kind = body.get("kind")
    cls = CHANGE_TYPES.get(kind)  # type: ignore[arg-type]
    if cls is None:
        raise ChangeError("kind", f"{kind!r} is not a change kind: use {', '.join(CHANGE_TYPES)}")
    values = _field_values(body)
    known = {spec.name: spec for spec in fields(cls)}
    for name in values:
        if name not in known:
            raise ChangeError(name, f"unknown field for {kind}: use {', '.join(known)}")
    parsed = {}
    for name, spec in known.items():
        if name not in values or values[name] is None or values[name] == "":
            if _required(spec):
                raise ChangeError(name, "required field is missing")
            continue
        try:
            parsed[name] = _parse_field(name, str(spec.type), values[name])
        except (CellError, ValueError, TypeError) as error:
            raise ChangeError(name, str(error)) from None
    return cls(**parsed)


def _field_values(body: dict[Any, Any]) -> dict[Any, Any]:
    """A change's fields but its kind, with `on` however the file spelled it."""
    values: dict[Any, Any] = {k: v for k, v in body.items() if k != "kind"}
    if True in values:  # YAML 1.1 reads an unquoted key `on` as the boolean true
        values["on"] = values.pop(True)
    if "from" in values and "on" not in values:
        values["on"] = values.pop("from")
    return values


def _required(spec) -> bool:
    return spec.default is MISSING and spec.default_factory is MISSING


def _parse_field(name: str, type_text: str, value: Any) -> Any:
    if name == "roles":
        return parse_roles(value if isinstance(value, str) else ";".join(value))
    if name == "timezone":
        return parse_timezone(str(value))
    if name == "requirements":
        return tuple(_record(NewRequirement, item) for item in value)
    if name == "staff":
        return tuple(_record(NewStaff, item) for item in value)
    if "date" in type_text:
        return _date(value)
    if "tuple[str" in type_text:
        return parse_skills(value if isinstance(value, str) else ";".join(map(str, value)))
    return _parse_scalar(type_text, value)


def _parse_scalar(type_text: str, value: Any) -> Any:
    """A number or a text field; YAML's booleans are never numbers here."""
    if type_text.startswith("float"):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        return float(value)
    if type_text.startswith("int"):
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError(f"{value!r} is not a whole number")
        return int(float(value))
    return str(value)


def _record(cls: type, item: Any) -> Any:
    if not isinstance(item, dict):
        raise ValueError(f"each entry must be a table of fields, not {item!r}")
    known = {spec.name: spec for spec in fields(cls)}
    unknown = set(item) - set(known)
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}: use {', '.join(known)}")
    parsed = {}
    for name, spec in known.items():
        if name not in item or item[name] is None:
            if _required(spec):
                raise ValueError(f"{name} is missing in {item!r}")
            continue
        parsed[name] = _parse_field(name, str(spec.type), item[name])
    if "role" in parsed:
        check_role(parsed["role"])
    return cls(**parsed)


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return parse_day(str(value))


def scenario_from_dict(body: Any, *, source: str = "scenario") -> Scenario:
    """A scenario from plain values; `DatasetError` lists every change that does not parse."""
    if not isinstance(body, dict):
        raise DatasetError(
            [
                Problem(
                    source, None, None, "a scenario is a table with name, description and changes"
                )
            ]
        )
    problems, changes = [], []
    name = str(body.get("name") or "").strip()
    if not name:
        problems.append(Problem(source, None, "name", "a scenario needs a name"))
    unknown = set(body) - {"name", "description", "changes"}
    problems += [
        Problem(source, None, key, "unknown field: use name, description, changes")
        for key in sorted(unknown)
    ]
    raw_changes = body.get("changes") or []
    if not isinstance(raw_changes, list):
        problems.append(Problem(source, None, "changes", "changes must be a list"))
        raw_changes = []
    for index, item in enumerate(raw_changes, start=1):
        try:
            changes.append(change_from_dict(item))
        except ChangeError as error:
            problems.append(Problem(source, index, error.field, str(error)))
    if problems:
        raise DatasetError(problems)
    return Scenario(name, str(body.get("description") or ""), tuple(changes))


SCENARIO_SUFFIXES = (".yaml", ".yml", ".toml", ".json")


def parse_scenario(text: str, suffix: str, *, source: str = "scenario") -> Scenario:
    """Scenario text in the format its file extension names."""
    suffix = suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            import yaml

            body = yaml.safe_load(text)
        elif suffix == ".toml":
            import tomllib

            body = tomllib.loads(text)
        elif suffix == ".json":
            body = json.loads(text)
        else:
            raise DatasetError(
                [
                    Problem(
                        source,
                        None,
                        None,
                        "a scenario file ends in " + ", ".join(SCENARIO_SUFFIXES),
                    )
                ]
            )
    except DatasetError:
        raise
    except Exception as error:  # every parser has its own error type; all mean bad text
        raise DatasetError([Problem(source, None, None, f"cannot read: {error}")]) from None
    return scenario_from_dict(body, source=source)


def read_scenario(path: Path | str) -> Scenario:
    path = Path(path)
    if not path.is_file():
        raise DatasetError([Problem(str(path), None, None, "no such scenario file")])
    return parse_scenario(path.read_text(encoding="utf-8"), path.suffix, source=path.name)


def scenario_text(scenario: Scenario, suffix: str) -> str:
    body = scenario.as_dict()
    suffix = suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
    if suffix == ".toml":
        import tomli_w

        return tomli_w.dumps(body)
    if suffix == ".json":
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"a scenario file ends in {', '.join(SCENARIO_SUFFIXES)}")


def write_scenario(scenario: Scenario, path: Path | str) -> Path:
    path = Path(path)
    path.write_text(scenario_text(scenario, path.suffix), encoding="utf-8")
    return path
