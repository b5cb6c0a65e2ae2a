"""What is wrong with a roster file, row by row and column by column, never quoting the people in it.

A column is named as the person fixing the file sees it in Excel, by its letter and its header ("row 5, column
C "Payroll Number": is empty"), not by our name for it: they never see "staff_number". Problems that are the
same but for the row are said once with their rows ("column D "Unit": 'North BCU' is not a known unit: rows 2 to
40, 45 and 200 more"): a unit HR writes its own way is wrong on every row, and 260 lines saying so hide the one
line that is different. The laptop's dialog, both command lines and HQ's console all word them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_columns import file_column

SHOWN = 50  # lines, enough to fix an export in one pass; the rest are counted
ROWS_NAMED = 5  # rows or runs of rows named in a line for problems many rows share; the rest are counted


@dataclass(frozen=True, slots=True)
class RosterProblem:
    row: int  # as a spreadsheet numbers it
    column: str  # our column name (what the advice under the list goes by), or "-" for the whole row
    message: str
    # Where the column is in the file (0 is A) and its header cell there, to name it as the file does. -1 for a
    # problem no one column of the file holds (the whole row, or a column it lacks or has twice): its message
    # says which column it is about.
    index: int = -1
    header: str = ""

    def __str__(self) -> str:
        if self.index < 0:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, {file_column(self.index, self.header)}: {self.message}"


@dataclass(slots=True)
class _Group:
    first: RosterProblem
    rows: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        if len(self.rows) == 1:
            return str(self.first)
        where = f"{file_column(self.first.index, self.first.header)}: " if self.first.index >= 0 else ""
        return f"{where}{self.first.message}: {rows_named(self.rows)}"


def rows_named(rows: list[int]) -> str:
    """Rows as a person reads them: "rows 2 to 40, 45, 51 and 200 more"; runs of three or more as a range."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    items: list[tuple[str, int]] = []  # what is written, and how many rows it covers
    for first, last in runs:
        if last - first >= 2:
            items.append((f"{first} to {last}", last - first + 1))
        else:
            items += [(str(row), 1) for row in range(first, last + 1)]
    shown = [text for text, _ in items[:ROWS_NAMED]]
    rest = sum(n for _, n in items[ROWS_NAMED:])
    if rest:
        shown.append(f"{rest} more")
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"rows {listed}"


def problem_lines(problems: list[RosterProblem], total: int) -> list[str]:
    """The problems as they are shown: those the same but for the row on one line, in the order the file is
    read, at most SHOWN lines, and a last line counting any not shown."""
    groups: dict[tuple[int, str, str], _Group] = {}
    for problem in problems:
        groups.setdefault((problem.index, problem.header, problem.message), _Group(problem)).rows.append(problem.row)
    shown = list(groups.values())[:SHOWN]
    lines = [str(group) for group in shown]
    rest = total - sum(len(group.rows) for group in shown)
    if rest > 0:
        lines.append(f"... and {counted(rest, 'more problem')}")
    return lines


class RosterFileError(UserFacingError):
    """Nothing was imported; every problem found is listed (`lines`, as `problem_lines` words them) and what to do
    about them said once (`detail`)."""

    def __init__(self, source: str, problems: list[RosterProblem], total: int | None = None, detail: str = "") -> None:
        total = max(total or 0, len(problems))
        self.headline = f"{source}: {counted(total, 'problem')}; nothing was imported."
        self.lines = problem_lines(problems, total)
        shown = "".join(f"\n  {line}" for line in self.lines)
        extra = f"\n  {detail}" if detail else ""
        super().__init__(f"{self.headline}{shown}{extra}")
        self.problems = problems
        self.total = total
        self.detail = detail
