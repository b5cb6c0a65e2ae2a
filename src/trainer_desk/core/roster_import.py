"""Read a roster as HR exports it and check every row before anything is used.

The whole file is checked first: one bad row means nothing is imported, and every problem is reported as
`row N, column X: what is wrong` so HR can fix the export in one pass. Problems never repeat personal data.
What the reader did on its own (the sheet it read, staff numbers it padded) is said in the summary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from trainer_desk.core.people import (
    Person,
    PersonRole,
    fold_name,
    is_valid_staff_number,
    normalise_staff_number,
    parse_joined,
)
from trainer_desk.core.roster_columns import COLUMN_ALIASES, REQUIRED, header_key
from trainer_desk.core.roster_files import Cell, RosterTable, open_roster_table
from trainer_desk.core.roster_problems import RosterFileError, RosterProblem

__all__ = [
    "COLUMN_ALIASES",
    "MAX_ROWS",
    "REQUIRED",
    "RosterFileError",
    "RosterNumbers",
    "RosterProblem",
    "RosterRead",
    "name_key",
    "read_roster",
    "read_roster_file",
]

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
PROBLEMS_KEPT = 1_000  # a file wrong on every row is counted to the end, but only this many are kept
_COLUMN_ORDER = {name: i for i, name in enumerate(["-", *COLUMN_ALIASES])}


@dataclass(frozen=True, slots=True)
class RosterRead:
    """The people in a file, with what the reader did on its own (notes) and what deserves a look (warnings)."""

    people: list[Person]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class RosterNumbers(frozenset[int]):
    """The widths of the all-digit staff numbers on the roster (what `read_roster` pads workbook numbers to),
    carrying who holds each number (`name_key` of their name). A set of widths, so every caller that passes
    one keeps working; the holders let a CSV that lost its leading zeros be matched to the same people."""

    holders: Mapping[str, str]

    def __new__(cls, holders: Mapping[str, str]) -> RosterNumbers:
        made = super().__new__(cls, {len(number) for number in holders})
        made.holders = holders
        return made


def name_key(forename: str, surname: str) -> str:
    """A name as compared when deciding that a number without its zeros is the same person: folded, so a
    re-save that changes nothing but accents or case still matches."""
    return f"{fold_name(forename)}|{fold_name(surname)}"


_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]{2,}$")  # enough to catch a name or a phone number


@dataclass(slots=True)
class _Row:
    number: int
    staff_number: str
    numeric: bool  # a workbook stored it as a number: leading zeros may be gone
    # forename, surname, unit, role, rank, team, joined, email
    fields: tuple[str, str, str, PersonRole, str, str, date | None, str]


def read_roster_file(path: Path, unit_codes: Iterable[str]) -> list[Person]:
    """People from a .csv or .xlsx file, or RosterFileError listing every problem."""
    return read_roster(path, unit_codes).people


def read_roster(path: Path, unit_codes: Iterable[str], roster_widths: Collection[int] = ()) -> RosterRead:
    """Every person in the file, or an error naming what is wrong. `roster_widths` are the lengths of the
    all-digit staff numbers already on the roster: where they agree, numbers that a workbook stored as numbers
    (and so lost their leading zeros) are padded back to that width."""
    with open_roster_table(path) as table:
        rows, problems, total = _check_rows(table, str(path), {code.upper(): code for code in unit_codes})
    if not rows and not problems:
        raise RosterFileError(str(path), [RosterProblem(table.header_row, "-", "the header has no people below it")])
    notes = [f"Read {table.description}."]
    warnings: list[str] = []
    holders = roster_widths.holders if isinstance(roster_widths, RosterNumbers) else {}
    clashes = _restore_text_zeros(rows, roster_widths, holders, notes, warnings)
    problems += clashes
    total += len(clashes)
    _restore_zeros(rows, roster_widths, notes, warnings)
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row in rows:
        number = row.staff_number
        if row.numeric and not is_valid_staff_number(number):
            problems.append(RosterProblem(row.number, "staff_number", "is not a valid staff number"))
        elif number in seen:
            problems.append(RosterProblem(row.number, "staff_number", f"duplicate of row {seen[number]}"))
        else:
            seen[number] = row.number
            people.append(Person(number, *row.fields))
            continue
        total += 1
    if problems:
        problems.sort(key=lambda p: (p.row, _COLUMN_ORDER.get(p.column, 99)))
        raise RosterFileError(str(path), problems[:PROBLEMS_KEPT], total)
    return RosterRead(people, notes, warnings)


def _check_rows(table: RosterTable, source: str, units: dict[str, str]) -> tuple[list[_Row], list[RosterProblem], int]:
    """Rows that passed every check of their own (numbers are checked once zeros are restored), the problems
    kept, and how many problems there were in all. Streams: rows are read once, and a file over MAX_ROWS
    is refused as soon as it gets there."""
    columns = table.guess.columns
    names = sorted(columns, key=columns.__getitem__)
    width = max((i + 1 for i, cell in enumerate(table.header) if str(cell).strip()), default=0)
    needed = max(columns.values()) + 1
    rows: list[_Row] = []
    problems: list[RosterProblem] = []
    total = 0
    count = 0
    for row_number, raw in table.rows:
        if not any(str(cell).strip() for cell in raw):
            continue  # blank lines at the end of exports
        count += 1
        if count > MAX_ROWS:
            raise RosterFileError(source, [RosterProblem(row_number, "-", f"the file has more than {MAX_ROWS:,} rows")])
        found = _row_problems(table, raw, row_number, names, width, needed, units)
        if isinstance(found, list):
            total += len(found)
            problems.extend(found[: max(0, PROBLEMS_KEPT - len(problems))])
        else:
            rows.append(found)
    return rows, problems, total


def _row_problems(
    table: RosterTable,
    raw: list[Cell],
    row_number: int,
    names: list[str],
    width: int,
    needed: int,
    units: dict[str, str],
) -> _Row | list[RosterProblem]:
    columns = table.guess.columns
    if table.cells_counted and len(raw) < needed:
        missing = [name for name in names if columns[name] >= len(raw)]
        return [
            RosterProblem(
                row_number,
                "-",
                f"has {len(raw)} cells where the header has {width}: the cells for {', '.join(missing)} are missing",
            )
        ]
    if table.cells_counted and any(str(cell).strip() for cell in raw[width:]):
        return [
            RosterProblem(
                row_number,
                "-",
                f"has {len(raw)} cells where the header has {width}: extra cells past the last column "
                "(a separator inside a name?)",
            )
        ]
    cells = {name: raw[index] if index < len(raw) else "" for name, index in columns.items()}
    values = {name: str(cell).strip() for name, cell in cells.items()}
    problems: list[RosterProblem] = []
    for name in names:
        control = next((ch for ch in values[name] if unicodedata.category(ch) == "Cc"), None)
        if control in ("\r", "\n"):
            problems.append(RosterProblem(row_number, name, "contains a line break"))
        elif control is not None:
            problems.append(RosterProblem(row_number, name, f"contains a control character (U+{ord(control):04X})"))
    if problems:
        return problems
    number = normalise_staff_number(values["staff_number"])
    numeric = isinstance(cells["staff_number"], int)
    if not number:
        problems.append(RosterProblem(row_number, "staff_number", "is empty"))
    elif not numeric and not is_valid_staff_number(number):  # a number's width is settled with all rows read
        problems.append(RosterProblem(row_number, "staff_number", "is not a valid staff number"))
    for column in ("forename", "surname"):
        if not values[column]:
            problems.append(RosterProblem(row_number, column, "is empty"))
        elif len(values[column]) > 80:
            problems.append(RosterProblem(row_number, column, "is longer than 80 characters"))
    unit = units.get(values["unit"].upper().replace(" ", "-"))
    if unit is None:
        problems.append(RosterProblem(row_number, "unit", "is empty" if not values["unit"] else "is not a known unit"))
    role = _ROLE_ALIASES.get(header_key(values.get("role", "")) or "officer")
    if role is None:
        problems.append(RosterProblem(row_number, "role", "is not officer, staff, special, volunteer or contractor"))
    try:
        joined = parse_joined(values.get("joined", ""))
    except ValueError:
        joined = None
        problems.append(RosterProblem(row_number, "joined", "is not a date: write it as 31/01/2026 or 2026-01-31"))
    email = values.get("email", "")
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        problems.append(RosterProblem(row_number, "email", "is not an email address"))
    if problems or unit is None or role is None:
        return problems
    fields = (
        values["forename"],
        values["surname"],
        unit,
        role,
        values.get("rank", "")[:60],
        values.get("team", "")[:60],
        joined,
        email.lower(),
    )
    return _Row(row_number, number, numeric, fields)


def _restore_text_zeros(
    rows: list[_Row],
    roster_widths: Collection[int],
    holders: Mapping[str, str],
    notes: list[str],
    warnings: list[str],
) -> list[RosterProblem]:
    """Excel opens a CSV's 012345 as the number 12345 and saves it so: a re-saved roster would mark everyone
    whose number starts with 0 as left and add them again under new numbers, losing their training record.

    A number is given its zeros back only when all of these hold: the staff numbers have a fixed width (the
    roster's, or failing a roster, that of the file's own numbers that still start with 0); the number is
    shorter than that; padded with zeros it is a number on the roster; and the person holding that number has
    the same name. Where it is a roster number without its zeros but the rest does not hold (another name, or
    numbers of no fixed width), the row is refused: importing it would re-key one person and mark another as
    left. A short number that matches nobody on the roster is a new person, imported as it is with a warning
    naming its row. Returns the refusals."""
    widths = set(roster_widths)
    text = [row for row in rows if not row.numeric and row.staff_number.isdigit()]
    if not widths:  # no roster to go by: the file's own zero-led numbers show the width, if they agree
        widths = {len(row.staff_number) for row in text if row.staff_number.startswith("0")}
    width = next(iter(widths)) if len(widths) == 1 else None
    stripped = {number.lstrip("0"): number for number in holders if number.startswith("0")}
    in_file = {row.staff_number for row in rows}
    restored: list[_Row] = []
    unknown: list[_Row] = []
    problems: list[RosterProblem] = []
    for row in text:
        number = row.staff_number
        if number.startswith("0") or number in holders:
            continue
        padded = stripped.get(number)
        if padded is not None and padded not in in_file:
            if holders[padded] != name_key(row.fields[0], row.fields[1]):
                problems.append(
                    RosterProblem(
                        row.number,
                        "staff_number",
                        "looks like a staff number on the roster that lost its leading zeros (as a spreadsheet "
                        "drops them), but that number is held by someone with another name: format the column "
                        "as Text in Excel and export again",
                    )
                )
            elif width is not None and len(padded) == width:
                row.staff_number = padded
                restored.append(row)
            else:
                problems.append(
                    RosterProblem(
                        row.number,
                        "staff_number",
                        "looks like a staff number on the roster that lost its leading zeros (as a spreadsheet "
                        "drops them), but the roster's numbers have no fixed width to restore them to: format the "
                        "column as Text in Excel and export again",
                    )
                )
        elif width is not None and len(number) < width:
            unknown.append(row)
    if restored:
        notes.append(
            f"Leading zeros restored to {len(restored)} staff number(s), as a spreadsheet drops them: each is the "
            f"number of someone on the roster with the same name ({_rows(restored)})."
        )
    if unknown:
        warnings.append(
            f"{len(unknown)} staff number(s) are shorter than the {width} digits of the others and match nobody "
            f"on the roster, so leading zeros may be lost: {_rows(unknown)}. If HR's numbers start with 0, format "
            "the column as Text in Excel and export again."
        )
    return problems


def _restore_zeros(rows: list[_Row], roster_widths: Collection[int], notes: list[str], warnings: list[str]) -> None:
    """Excel keeps 090000 typed into a number cell as 90000. Where every staff number known as text (on the
    roster already, or in text cells of this file) has one width, pad the numbers back to it; where the width
    cannot be known, name the rows whose numbers are shorter than the others."""
    numeric = [row for row in rows if row.numeric]
    if not numeric:
        return
    widths = set(roster_widths) | {len(r.staff_number) for r in rows if not r.numeric and r.staff_number.isdigit()}
    longest = max(len(r.staff_number) for r in numeric)
    if len(widths) == 1 and longest <= (width := next(iter(widths))):
        padded = [row for row in numeric if len(row.staff_number) < width]
        for row in padded:
            row.staff_number = row.staff_number.zfill(width)
        if padded:
            notes.append(
                f"{len(padded)} staff number(s) arrived as numbers, without their leading zeros, and were padded "
                f"to {width} digits: {_rows(padded)}."
            )
        return
    widest = max(longest, *widths) if widths else longest
    short = [row for row in numeric if len(row.staff_number) < widest]
    if short:
        warnings.append(
            f"{len(short)} staff number(s) arrived as numbers and are shorter than others ({widest} digits), so "
            f"leading zeros may be lost: {_rows(short)}. If HR's numbers start with 0, format the column as Text "
            "in Excel and export again."
        )


def _rows(rows: list[_Row], limit: int = 20) -> str:
    shown = ", ".join(str(r.number) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"
