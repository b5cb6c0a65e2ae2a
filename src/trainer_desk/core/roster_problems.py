"""What is wrong with a roster file, row by row and column by column, never quoting the people in it."""

from __future__ import annotations

from dataclasses import dataclass

from trainer_desk.core.errors import UserFacingError

SHOWN = 50  # enough to fix an export in one pass; the rest are counted


@dataclass(frozen=True, slots=True)
class RosterProblem:
    row: int  # as a spreadsheet numbers it
    column: str  # our column name, or "-" for the whole row
    message: str

    def __str__(self) -> str:
        if self.column == "-":
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, column {self.column}: {self.message}"


class RosterFileError(UserFacingError):
    """Nothing was imported; every problem found is listed (the first SHOWN of them in the message)."""

    def __init__(self, source: str, problems: list[RosterProblem], total: int | None = None, detail: str = "") -> None:
        total = max(total or 0, len(problems))
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN])
        more = f"\n  ... and {total - SHOWN} more" if total > SHOWN else ""
        extra = f"\n  {detail}" if detail else ""
        super().__init__(f"{source}: {total} problem(s); nothing was imported.\n{shown}{more}{extra}")
        self.problems = problems
        self.total = total
        self.detail = detail
