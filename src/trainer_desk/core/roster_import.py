"""Read a roster as HR exports it and check every row before anything is used.

The whole file is checked first: one bad row means nothing is imported, and every problem is reported as
`row N, column C "Header": what is wrong`, the column named as Excel shows the file, so HR can fix the export in
one pass. Problems never repeat personal data.
What the reader did on its own (the sheet it read, staff numbers it padded) is said in the summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

from trainer_desk.core.counted import counted, were
from trainer_desk.core.people import (
    Person,
    PersonRole,
    fold_name,
    hidden_character,
    is_valid_staff_number,
    normalise_staff_number,
    parse_joined,
)
from trainer_desk.core.roster_columns import COLUMN_ALIASES, REQUIRED, file_column, header_key
from trainer_desk.core.roster_files import Cell, RosterTable, open_roster_table
from trainer_desk.core.roster_problems import RosterFileError, RosterProblem
from trainer_desk.core.unit_names import UnitNames, unit_label

__all__ = [
    "COLUMN_ALIASES",
    "MAX_ROWS",
    "REQUIRED",
    "RosterFileError",
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


@dataclass(frozen=True, slots=True)
class RosterRead:
    """The people in a file, with what the reader did on its own (notes) and what deserves a look (warnings)."""

    people: list[Person]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def read_roster_file(path: Path, units: Iterable[str] | Mapping[str, str]) -> list[Person]:
    """People from a .csv or .xlsx file, or RosterFileError listing every problem."""
    return read_roster(path, units).people


def read_roster(
    path: Path,
    units: Iterable[str] | Mapping[str, str],
    roster: Mapping[str, str] = MappingProxyType({}),
    shown_as: str = "",
    elsewhere: Mapping[str, str] = MappingProxyType({}),
    here: str = "",
) -> RosterRead:
    """Every person in the file, or an error naming what is wrong. `units` are the units known here, each code
    with its name (a row may give either). `roster` is who is on the roster already (staff number to
    `name_key`): it is how a number that lost its leading zeros is known and given them back."""
    known = UnitNames(units, elsewhere, here)
    source = shown_as or str(path)
    with open_roster_table(path, source) as table:
        rows, problems, total = _check_rows(table, source, known)
    if not rows and not problems:
        raise RosterFileError(source, [RosterProblem(table.header_row, "-", "the header has no people below it")])
    notes = [f"Read {table.description}."]
    warnings: list[str] = []
    clashes = _restore_zeros(table, rows, {n: k for n, k in roster.items() if n.isdigit()}, notes, warnings)
    problems += clashes
    total += len(clashes)
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row in rows:
        number = row.staff_number
        if row.numeric and not is_valid_staff_number(number):
            problems.append(table.problem(row.number, "staff_number", "is not a valid staff number"))
        elif number in seen:
            problems.append(table.problem(row.number, "staff_number", f"duplicate of row {seen[number]}"))
        else:
            seen[number] = row.number
            people.append(Person(number, *row.fields))
            continue
        total += 1
    if problems:
        problems.sort(key=lambda p: (p.row, p.index))  # as the file is read: row by row, left to right
        raise RosterFileError(source, problems[:PROBLEMS_KEPT], total, _advice(problems, known))
    return RosterRead(people, notes, warnings)


# A name with ? in it is a name whose letters were lost: Excel's "CSV (Comma delimited)" saves in Windows-1252,
# which has no ś, Ł, Arabic or Chinese, and writes ? for each. Imported, the ? would reach every laptop.
LOST_LETTERS = "has ? where a letter was"
UNKNOWN_UNIT = "is not a known unit"
UNITS_NAMED = 60  # every unit of a force (forty or so); a national list is cut, saying how many more


def _advice(problems: list[RosterProblem], units: UnitNames) -> str:
    """What to do about the problems many rows share, said once under the list."""
    said = []
    if any(p.message == LOST_LETTERS for p in problems):
        said.append(
            "Names have ? where letters were: the file was saved in a form that cannot hold every letter (Excel's "
            '"CSV (Comma delimited)"). Save it from Excel as "CSV UTF-8 (Comma delimited)" or as .xlsx, and import '
            "that."
        )
    if any(p.column == "unit" and p.message.endswith(f", not of {units.here}") for p in problems):
        said.append(f"Is this the right force? Rows name units of another force: choose the force whose roster "
                    f"this file is, or take those rows out of {units.here}'s file.")  # fmt: skip
    if any(p.column == "unit" and p.message.endswith(UNKNOWN_UNIT) for p in problems):
        labels = units.labels()
        named = ", ".join(labels[:UNITS_NAMED]) + (
            f" and {len(labels) - UNITS_NAMED} more" if len(labels) > UNITS_NAMED else ""
        )
        said.append(f"Give each person's unit by its name or code, as known here: {named}.")
    return " ".join(said)


def _check_rows(table: RosterTable, source: str, units: UnitNames) -> tuple[list[_Row], list[RosterProblem], int]:
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
    units: UnitNames,
) -> _Row | list[RosterProblem]:
    columns = table.guess.columns
    if table.cells_counted and len(raw) < needed:
        missing = [
            file_column(columns[name], table.header[columns[name]]) for name in names if columns[name] >= len(raw)
        ]
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
    # A byte-order mark at either end of a cell is where one file's text was joined to another's, not typed: it
    # goes, as a space there would. Anywhere else an invisible character is refused, its row and column said.
    values = {name: str(cell).strip().strip("\ufeff").strip() for name, cell in cells.items()}
    problems: list[RosterProblem] = []
    for name in names:
        if hidden := hidden_character(values[name]):
            problems.append(table.problem(row_number, name, f"contains {hidden}"))
    if problems:
        return problems
    number = normalise_staff_number(values["staff_number"])
    numeric = isinstance(cells["staff_number"], int)
    if not number:
        problems.append(table.problem(row_number, "staff_number", "is empty"))
    elif not numeric and not is_valid_staff_number(number):  # a number's width is settled with all rows read
        problems.append(table.problem(row_number, "staff_number", "is not a valid staff number"))
    for column in ("forename", "surname"):
        if not values[column]:
            problems.append(table.problem(row_number, column, "is empty"))
        elif len(values[column]) > 80:
            problems.append(table.problem(row_number, column, "is longer than 80 characters"))
        elif "?" in values[column] or "\ufffd" in values[column]:
            problems.append(table.problem(row_number, column, LOST_LETTERS))
    found = units.match(values["unit"])
    unit = found.code
    if unit is None and not values["unit"]:
        problems.append(table.problem(row_number, "unit", "is empty"))
    elif found.shared:
        sharing = " and ".join(unit_label(code, units.names[code]) for code in found.shared)
        said = f"{values['unit'][:40]!r} is the name of more than one unit: {sharing}; give the unit's code"
        problems.append(table.problem(row_number, "unit", said))
    elif unit is None and (other := units.other_force(values["unit"])):
        said = f"{values['unit'][:40]!r} is a unit of {other}, not of {units.here}"
        problems.append(table.problem(row_number, "unit", said))
    elif unit is None:
        problems.append(table.problem(row_number, "unit", f"{values['unit'][:40]!r} {UNKNOWN_UNIT}"))
    role = _ROLE_ALIASES.get(header_key(values.get("role", "")) or "officer")
    if role is None:
        problems.append(table.problem(row_number, "role", "is not officer, staff, special, volunteer or contractor"))
    try:
        joined = parse_joined(values.get("joined", ""))
    except ValueError:
        joined = None
        problems.append(table.problem(row_number, "joined", "is not a date: write it as 31/01/2026 or 2026-01-31"))
    email = values.get("email", "")
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        problems.append(table.problem(row_number, "email", "is not an email address"))
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


def _restore_zeros(
    table: RosterTable, rows: list[_Row], holders: Mapping[str, str], notes: list[str], warnings: list[str]
) -> list[RosterProblem]:
    """Spreadsheets drop leading zeros: Excel keeps 012345 typed into a number cell as 12345, and re-saves a
    CSV's 012345 as 12345. Taken as they are, a re-saved roster would mark everyone whose number starts with 0
    as left and add them again under new numbers, losing their training record.

    One rule for text and number cells alike. An all-digit number not on the roster has lost its zeros when,
    with them put back, it is a roster number (not also in the file), or when it is shorter than the one width
    of the numbers known whole (the roster's and the file's own that start with 0). A roster number is given
    back to someone of the same name, and refused for another name in a text cell, where it may be another
    person's number typed short: importing it would re-key one person and mark another as left. A number cell
    of the one width's numbers is padded whatever the name (it cannot have held its zeros; a new name is the
    holder's, married or corrected). A number nobody holds is padded to the width if it was a number cell (which can
    never keep zeros); text, perhaps a joiner's typed as it is, is kept and named in a warning, as are number
    cells shorter than the others where there is no one width. Returns the refusals."""
    digits = [row for row in rows if row.staff_number.isdigit()]
    whole = {len(n) for n in holders} | {len(r.staff_number) for r in digits if r.staff_number.startswith("0")}
    widest = max(whole | {len(r.staff_number) for r in digits}, default=0)
    width = next(iter(whole)) if len(whole) == 1 and widest in whole else None  # none longer in the file either
    without_zeros = {number.lstrip("0"): number for number in holders if number.startswith("0")}
    in_file = {row.staff_number for row in rows}
    by_name: list[_Row] = []
    by_width: list[_Row] = []
    short: list[_Row] = []
    problems: list[RosterProblem] = []
    for row in digits:
        number = row.staff_number
        if number.startswith("0") or number in holders:
            continue
        held = without_zeros.get(number)
        if held is not None and held not in in_file:
            if holders[held] == name_key(row.fields[0], row.fields[1]):
                row.staff_number = held
                # a number cell the width alone pads is said so; the name only made sure it is the same person
                (by_width if width and row.numeric else by_name).append(row)
            elif width and row.numeric:  # a number cell never holds zeros: the holder, under a new name
                row.staff_number = held
                by_width.append(row)
            else:
                problems.append(
                    table.problem(
                        row.number,
                        "staff_number",
                        "looks like a staff number on the roster that lost its leading zeros (as a spreadsheet "
                        "drops them), but that number is held by someone with another name: format the column "
                        "as Text in Excel and export again",
                    )
                )
        elif width and row.numeric and len(number) < width:
            row.staff_number = number.zfill(width)
            by_width.append(row)
        elif (width or row.numeric) and len(number) < (width or widest):
            short.append(row)
    if by_name:
        notes.append(
            f"Leading zeros restored to {counted(len(by_name), 'staff number')}, as a spreadsheet drops them: each is "
            f"the number of someone on the roster with the same name ({_rows(by_name)})."
        )
    if by_width:
        notes.append(
            f"{counted(len(by_width), 'staff number')} arrived as numbers, without their leading zeros, and "
            f"{were(len(by_width))} padded to {width} digits: {_rows(by_width)}."
        )
    if short:
        said = (
            f"{'is' if len(short) == 1 else 'are'} shorter than the {width} digits of the others and "
            f"{'matches' if len(short) == 1 else 'match'} nobody on the roster"
            if width
            else f"arrived as numbers and {'is' if len(short) == 1 else 'are'} shorter than others ({widest} digits)"
        )
        warnings.append(
            f"{counted(len(short), 'staff number')} {said}, so leading zeros may be lost: {_rows(short)}. If HR's "
            "numbers start with 0, format the column as Text in Excel and export again."
        )
    return problems


def _rows(rows: list[_Row], limit: int = 20) -> str:
    shown = ", ".join(str(r.number) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"
