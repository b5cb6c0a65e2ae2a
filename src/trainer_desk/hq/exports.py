"""The tables HQ hands out whole: every registration received, and the compliance summary per unit and
programme. One function each serves `trainer-desk-hq export-registrations` / `compliance-summary` and the
console's Records page, so the two doors never differ by a column or a count, and each table says what taking
it out of HQ is recorded as in the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from trainer_desk.core.csv_file import csv_pieces, write_csv
from trainer_desk.hq import completions, dashboard, records, units

REGISTRATION_COLUMNS = (
    "uuid",
    "session_uuid",
    "staff_number",
    "unit_code",
    "status",
    "marked_at",
    "recorded_by",
    "follow_up_due",
    "walk_in",
    "walk_in_name",
    "credited_to",
    "resolution",
    "version",
    "seq",
    "deleted",
    "conflicted",
)
# A unit's row counts it and every unit under it, as the console's pages do; `part_of` names the row that
# counts it too, so a sheet adding rows up adds only the top ones.
SUMMARY_COLUMNS = ("unit", "programme", "completed", "must_complete", "part_of")  # part_of last: added later


@dataclass(frozen=True, slots=True)
class Table:
    """Rows for a CSV file, written by the project's one CSV writer (formula cells neutralised), and `about`:
    the audit trail's detail for a download of so many rows. The rows are read once, as they are written:
    every registration streams from the database, and at national scale there are millions."""

    header: tuple[str, ...]
    rows: Iterable[Sequence[str]]
    about: Callable[[int], str]

    def write(self, path: Path) -> int:
        """Writes the file; how many rows it holds."""
        written = Counted(self.rows)
        write_csv(path, self.header, written)
        return written.count

    def pieces(self, handed_out: Callable[[str], None]) -> Iterator[bytes]:
        """The same CSV as a download's body, a piece at a time. When the last piece is sent, or the download
        is stopped part way, `handed_out` is given the audit trail's detail: what left HQ, however much."""
        written, finished = Counted(self.rows), False
        try:
            for piece in csv_pieces(self.header, written):
                yield piece.encode("utf-8")
            finished = True
        finally:
            handed_out(self.about(written.count) + ("" if finished else ", stopped part way"))


class Counted(Iterator[Sequence[str]]):
    """Rows passed through, counted: what was written is said without holding every row."""

    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __next__(self) -> Sequence[str]:
        row = next(self._rows)
        self.count += 1
        return row


def every_registration(engine: Engine) -> Table:
    rows = ([cell_text(r.get(c, "")) for c in REGISTRATION_COLUMNS] for r in records.registrations(engine))
    return Table(REGISTRATION_COLUMNS, rows, lambda count: f"every registration: {count}")


def compliance_summary(engine: Engine, blobs: Path, today: date) -> Table:
    """Counted as the console's dashboard counts: each programme's audience now on the roster, less those
    exempt, by the unit they are in now (`dashboard.every_programme`)."""
    completions.catch_up(engine)
    every = dashboard.every_programme(engine, blobs, frozenset(units.unit_codes(engine)), today)
    # A programme no one on the roster must complete (its audience is ranks the force does not have) is still
    # listed, with no unit: left out, it read as a programme HQ does not know, and a made-up unit name ("(none)")
    # read as a unit of the force.
    rows = [
        [cell_text(b.unit), cell_text(programme), str(b.completed), str(b.people), cell_text(b.parent)]
        for programme, by_unit in every
        for b in by_unit or [dashboard.Breakdown("", "", 0, 0)]
    ]
    return Table(SUMMARY_COLUMNS, rows, lambda count: f"compliance summary: {count} rows")


def cell_text(value: object) -> str:
    """A cell that can be written as UTF-8: HQ refuses text that cannot be at push, but a record received
    before it did must not stop every export, so any lone surrogate left in one becomes '?'."""
    text = "" if value is None else str(value)
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")
