"""The tables HQ hands out whole: every registration received, and the compliance summary per unit and
programme. One function each serves `trainer-desk-hq export-registrations` / `compliance-summary` and the
console's Records page, so the two doors never differ by a column or a count, and each table says what taking
it out of HQ is recorded as in the audit trail.

Each is HQ's whole, or, for an account granted on a force (`who`), that force's alone, by the account's one
rule (`StaffMember.covers`, `units`): a registration is the force's whose unit held its session, as its register
is; a summary row the force's whose unit it is."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from trainer_desk.core.csv_file import csv_pieces, write_csv
from trainer_desk.core.unit_tree import force_of_each
from trainer_desk.hq import completions, dashboard, plain_records, records, units
from trainer_desk.hq.staff import StaffMember

# A sheet a person reads on its own: each line named (programme, session, venue, unit, person), its status as
# the register words it, and the two ids that find it again in HQ (`plain_records`). HQ's own counters are not in it.
REGISTRATION_COLUMNS = (
    "Registration id",
    "Session id",
    "Programme",
    "Session starts",
    "Venue",
    "Unit",
    "Staff number",
    "Name",
    "Status",
    "Recorded at",
    "Recorded by",
    "Follow-up due",
    "Walk-in",
    "Counts for",
    "Correction at HQ",
    "Taken off the register",
    "Conflicting copy sent",
)
# A unit's row counts it and every unit under it, as the console's pages do; `part_of` names the row that
# counts it too, so a sheet adding rows up adds only the top ones.
# Read as the registrations sheet is: each unit by its name with its code beside it (two forces may share a
# name), each programme by its title, "Part of" by name; where HQ serves several forces, "Force" before "Unit".
SUMMARY_COLUMNS = ("Unit", "Unit code", "Programme", "Completed", "Must complete it", "Part of")
EVERY_UNIT = "All units"  # the row of a programme no one on the roster must complete: no unit of its own


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


def every_registration(engine: Engine, blobs: Path, who: StaffMember | None = None) -> Table:
    """Every registration (at sessions of `who`'s units, where given); where HQ serves several forces, with a
    "Force" column before "Unit", since two forces may each have a unit of the same name."""
    known = plain_records.known(engine, blobs)
    tree = units.unit_nodes(engine)
    forces = force_of_each(tree, {node.code for node in tree})
    rows = (
        [cell_text(c) for c in _with_force(_registration(r, known), forces.get(str(r.get("unit_code") or "")), forces)]
        for r in records.registrations(engine)
        if who is None or who.covers(_held_in(r, known))
    )
    header = _with_force(REGISTRATION_COLUMNS, "Force", forces)
    return Table(header, rows, lambda count: f"{_whose(who, 'every registration', 'registrations')}: {count}")


def _held_in(record: dict[str, Any], known: plain_records.Known) -> str | None:
    """The unit whose session a registration was made at; the registration's own unit if HQ no longer holds the
    session (deleted on its laptop), so that a registration is never left out of every force's file."""
    session = known.sessions.get(str(record.get("session_uuid", "")))
    return str(session.get("unit_code", "")) if session else record.get("unit_code")


def _whose(who: StaffMember | None, every: str, some: str) -> str:
    """What a file holds, in the audit trail: `every` ("every registration") for HQ's whole, otherwise `some`
    ("registrations") of whose grant."""
    return every if who is None or who.whole_hq else f"{some} of {who.unit_name or who.unit}"


def _with_force(
    row: Sequence[str], force: str | None, forces: dict[str, str], at: int = REGISTRATION_COLUMNS.index("Unit")
) -> tuple[str, ...]:
    """`row` with `force` before its "Unit" cell (at `at`), where HQ serves several forces (`forces` is not
    empty)."""
    return (*row[:at], force or "", *row[at:]) if forces else tuple(row)


def _registration(record: dict[str, Any], known: plain_records.Known) -> list[str]:
    session = known.sessions.get(str(record.get("session_uuid", "")), {})
    number = str(record.get("staff_number", ""))
    return [
        str(record.get("uuid", "")),
        str(record.get("session_uuid", "")),
        known.labels.programme(session) if session else "",
        plain_records.moment(session.get("starts_at")),
        str(session.get("venue", "")),
        known.labels.unit(record.get("unit_code")),
        number,
        known.names.get(number) or plain_records.walk_in_name(record),
        plain_records.status(record, session, bool(record["deleted"])),
        plain_records.moment(record.get("marked_at")),
        known.person(record.get("recorded_by")),
        plain_records.follow_up_due(record, session),
        plain_records.yes_no(record.get("walk_in")),
        plain_records.counts_for(record, record["resolved"], known),
        record["resolution"],
        plain_records.yes_no(record["deleted"]),
        plain_records.yes_no(record["conflicted"]),
    ]


def compliance_summary(engine: Engine, blobs: Path, today: date, who: StaffMember | None = None) -> Table:
    """Counted as the console's dashboard counts: each programme's audience now on the roster, less those
    exempt, by the unit they are in now (`dashboard.every_programme`), in every unit or in `who`'s."""
    completions.catch_up(engine)
    counted = frozenset(units.unit_codes(engine)) if who is None or who.whole_hq else who.units
    every = dashboard.every_programme(engine, blobs, counted, today)
    titles = dashboard.programme_names(engine, blobs)
    names = units.unit_names_known(engine)
    tree = units.unit_nodes(engine)
    forces = force_of_each(tree, {node.code for node in tree})
    # A programme no one on the roster must complete (its audience is ranks the force does not have) is still
    # listed, as "All units": left out, it read as a programme HQ does not know; a blank unit read as a mistake.
    rows = [
        [cell_text(c) for c in _summary_row(b, titles.get(programme, programme), names, forces)]
        for programme, by_unit in every
        for b in by_unit or [dashboard.Breakdown("", "", 0, 0)]
    ]
    header = _with_force(SUMMARY_COLUMNS, "Force", forces, at=SUMMARY_COLUMNS.index("Unit"))
    return Table(header, rows, lambda count: f"{_whose(who, 'compliance summary', 'compliance summary')}: {count} rows")


def _summary_row(b: dashboard.Breakdown, title: str, names: dict[str, str], forces: dict[str, str]) -> tuple[str, ...]:
    unit = names.get(b.unit, b.unit) if b.unit else EVERY_UNIT
    part_of = names.get(b.parent, b.parent) if b.parent else ""
    row = (unit, b.unit, title, str(b.completed), str(b.people), part_of)
    return _with_force(row, forces.get(b.unit, ""), forces, at=SUMMARY_COLUMNS.index("Unit"))


def cell_text(value: object) -> str:
    """A cell that can be written as UTF-8: HQ refuses text that cannot be at push, but a record received
    before it did must not stop every export, so any lone surrogate left in one becomes '?'."""
    text = "" if value is None else str(value)
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")
