"""What is wrong with an input, located as `FILE:ROW: column COL: message`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


class DatasetError(Exception):
    """The dataset has problems; nothing was read. `problems` lists all of them."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DatabaseBusy(RuntimeError):
    """Another change held the database for longer than a change waits: the user's
    change was rolled back whole and can simply be made again."""

    def __init__(self) -> None:
        super().__init__("the database is busy with another change; try again in a minute")
