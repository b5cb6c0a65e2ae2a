"""Read a roster CSV into people, checking every row before anything is used.

The whole file is read and checked first: one bad row means nothing is imported, and every problem is
reported as `row N, column X: what is wrong` so HR can fix the export in one pass.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import (
    Person,
    PersonRole,
    is_valid_staff_number,
    normalise_staff_number,
)

REQUIRED = ("staff_number", "forename", "surname", "unit", "role")
OPTIONAL = ("rank",)


@dataclass(frozen=True, slots=True)
class RosterProblem:
    row: int  # 1 is the header row, as a spreadsheet shows it
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class RosterFileError(UserFacingError):
    def __init__(self, source: str, problems: list[RosterProblem]) -> None:
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{source}: {len(problems)} problem(s); nothing was imported.\n{shown}{more}")
        self.problems = problems


def read_roster_csv(path: Path, unit_codes: Iterable[str]) -> list[Person]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise UserFacingError(f"{path}: cannot read roster file: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UserFacingError(f"{path}: roster file is not UTF-8 text (byte {error.start})") from error
    return parse_roster(text, str(path), set(unit_codes))


def parse_roster(text: str, source: str, unit_codes: set[str]) -> list[Person]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterFileError(source, [RosterProblem(1, c, "column is missing") for c in missing])
    reader.fieldnames = header
    people: list[Person] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    roles = {r.value for r in PersonRole}
    for row_number, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        number = normalise_staff_number(values.get("staff_number", ""))
        row_problems = []
        if not is_valid_staff_number(number):
            row_problems.append(RosterProblem(row_number, "staff_number", "not a valid staff number"))
        elif number in seen:
            row_problems.append(RosterProblem(row_number, "staff_number", f"duplicate of row {seen[number]}"))
        for column in ("forename", "surname"):
            if not values.get(column):
                row_problems.append(RosterProblem(row_number, column, "is empty"))
        if values.get("unit", "") not in unit_codes:
            row_problems.append(RosterProblem(row_number, "unit", "unknown unit"))
        if values.get("role", "").lower() not in roles:
            row_problems.append(RosterProblem(row_number, "role", f"must be one of {', '.join(sorted(roles))}"))
        if row_problems:
            problems.extend(row_problems)
            continue
        seen[number] = row_number
        people.append(
            Person(
                staff_number=number,
                forename=values["forename"],
                surname=values["surname"],
                unit_code=values["unit"],
                role=PersonRole(values["role"].lower()),
                rank=values.get("rank", ""),
            )
        )
    if problems:
        raise RosterFileError(source, problems)
    return people
