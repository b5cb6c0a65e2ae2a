"""Read a roster as HR exports it (CSV in any of the usual encodings and separators, or Excel) and check
every row before anything is used.

The whole file is checked first: one bad row means nothing is imported, and every problem is reported as
`row N, column X: what is wrong` so HR can fix the export in one pass. Problems never repeat personal data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, PersonRole, is_valid_staff_number, normalise_staff_number

# Our column name, then the header names HR systems use for it (compared case- and space-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_number": (
        "staff number",
        "staff no",
        "staff_no",
        "warrant number",
        "warrant no",
        "employee number",
        "employee id",
        "payroll number",
        "personnel number",
        "id",
        "number",
    ),
    "forename": ("first name", "firstname", "given name", "forenames", "first"),
    "surname": ("last name", "lastname", "family name", "second name", "last"),
    "unit": ("unit code", "bcu", "ocu", "command", "department", "borough", "unit name"),
    "role": ("type", "staff type", "person type", "category", "employee type"),
    "rank": ("grade", "rank or grade", "rank/grade", "band"),
    "team": ("team name", "section", "shift", "team or section"),
}
REQUIRED = ("staff_number", "forename", "surname", "unit")
_ROLE_ALIASES = {
    "officer": PersonRole.OFFICER,
    "police officer": PersonRole.OFFICER,
    "po": PersonRole.OFFICER,
    "staff": PersonRole.STAFF,
    "police staff": PersonRole.STAFF,
    "civilian": PersonRole.STAFF,
    "special": PersonRole.SPECIAL,
    "special constable": PersonRole.SPECIAL,
    "msc": PersonRole.SPECIAL,
    "volunteer": PersonRole.VOLUNTEER,
    "police support volunteer": PersonRole.VOLUNTEER,
    "contractor": PersonRole.CONTRACTOR,
}
MAX_ROWS = 200_000


@dataclass(frozen=True, slots=True)
class RosterProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
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


def _key(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("\ufeff", "").strip().casefold().split())


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's 'CSV' on Windows
        except UnicodeDecodeError as error:
            raise UserFacingError(
                f"{source}: the file is neither UTF-8 nor Windows-1252 text (byte {error.start})"
            ) from error


def read_roster_file(path: Path, unit_codes: Iterable[str]) -> list[Person]:
    """People from a .csv or .xlsx file, or RosterFileError listing every problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserFacingError(f"{path}: cannot read the roster file: {error.strerror}") from error
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, str(path))
    else:
        text = _decode(data, str(path))
        rows = _csv_rows(text)
    return parse_roster_rows(rows, str(path), unit_codes)


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data: bytes, source: str) -> list[list[str]]:
    from openpyxl import load_workbook  # only for Excel files: it is slow to import

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserFacingError(f"{source}: not a readable Excel workbook ({type(error).__name__})") from error
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def parse_roster_rows(rows: Sequence[Sequence[str]], source: str, unit_codes: Iterable[str]) -> list[Person]:
    if not rows:
        raise RosterFileError(source, [RosterProblem(1, "-", "the file is empty")])
    if len(rows) > MAX_ROWS:
        raise RosterFileError(source, [RosterProblem(MAX_ROWS, "-", f"more than {MAX_ROWS} rows")])
    columns = _map_columns(rows[0], source)
    units = {code.upper(): code for code in unit_codes}
    people: list[Person] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    for row_number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines at the end of exports
        values = {name: (raw[index].strip() if index < len(raw) else "") for name, index in columns.items()}
        row_problems = []
        number = normalise_staff_number(values["staff_number"])
        if not number:
            row_problems.append(RosterProblem(row_number, "staff_number", "is empty"))
        elif not is_valid_staff_number(number):
            row_problems.append(RosterProblem(row_number, "staff_number", "is not a valid staff number"))
        elif number in seen:
            row_problems.append(RosterProblem(row_number, "staff_number", f"duplicate of row {seen[number]}"))
        for column in ("forename", "surname"):
            if not values[column]:
                row_problems.append(RosterProblem(row_number, column, "is empty"))
            elif len(values[column]) > 80:
                row_problems.append(RosterProblem(row_number, column, "is longer than 80 characters"))
        unit = units.get(values["unit"].upper().replace(" ", "-"))
        if unit is None:
            row_problems.append(RosterProblem(row_number, "unit", "is not a known unit"))
        role = _ROLE_ALIASES.get(_key(values.get("role", "")) or "officer")
        if role is None:
            row_problems.append(
                RosterProblem(row_number, "role", "is not officer, staff, special, volunteer or contractor")
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        seen[number] = row_number
        people.append(
            Person(
                number,
                values["forename"],
                values["surname"],
                unit or "",
                role or PersonRole.OFFICER,
                values.get("rank", "")[:60],
                values.get("team", "")[:60],
            )
        )
    if problems:
        raise RosterFileError(source, problems)
    return people


def _map_columns(header: Sequence[str], source: str) -> dict[str, int]:
    wanted = {name: {_key(name), *map(_key, aliases)} for name, aliases in COLUMN_ALIASES.items()}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _key(cell)
        for name, keys in wanted.items():
            if key in keys and name not in found:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise RosterFileError(source, [RosterProblem(1, name, "column is missing") for name in missing])
    return found
