"""What is wrong with a roster file, row by row and column by column, never quoting the people in it.

A column is named as the person fixing the file sees it in Excel, by its letter and its header ("row 5, column
C "Payroll Number": is empty"), not by our name for it: they never see "staff_number".
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_columns import file_column

SHOWN = 50  # enough to fix an export in one pass; the rest are counted


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


class RosterFileError(UserFacingError):
    """Nothing was imported; every problem found is listed (the first SHOWN of them in the message)."""

    def __init__(self, source: str, problems: list[RosterProblem], total: int | None = None, detail: str = "") -> None:
        total = max(total or 0, len(problems))
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN])
        more = f"\n  ... and {total - SHOWN} more" if total > SHOWN else ""
        extra = f"\n  {detail}" if detail else ""
        super().__init__(f"{source}: {counted(total, 'problem')}; nothing was imported.\n{shown}{more}{extra}")
        self.problems = problems
        self.total = total
        self.detail = detail
