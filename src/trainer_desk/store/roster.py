"""People on the local roster: written in bulk (an import or an HQ pull), read by unit and number."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from trainer_desk.core.people import Person, PersonRole, fold_name


def upsert_people(db: Database, people: Iterable[Person], hq_seq: int | None = None) -> int:
    """Add or update people in one transaction; returns how many rows were written."""
    rows = [
        (
            p.staff_number,
            p.forename,
            p.surname,
            p.unit_code,
            p.role.value,
            p.rank,
            fold_name(f"{p.forename} {p.surname}"),
            hq_seq,
        )
        for p in people
    ]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO people (staff_number, forename, surname, unit_code, role, rank, search_text, hq_seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (staff_number) DO UPDATE SET forename = excluded.forename,"
            " surname = excluded.surname, unit_code = excluded.unit_code, role = excluded.role,"
            " rank = excluded.rank, search_text = excluded.search_text, hq_seq = excluded.hq_seq,"
            " removed = 0",
            rows,
        )
    return len(rows)


def count_people(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM people WHERE removed = 0").fetchone()[0])


def count_by_unit(db: Database) -> dict[str, int]:
    return dict(
        db.execute(
            "SELECT unit_code, count(*) FROM people WHERE removed = 0 GROUP BY unit_code ORDER BY unit_code"
        ).fetchall()
    )


def get_person(db: Database, staff_number: str) -> Person | None:
    row = db.execute(
        "SELECT staff_number, forename, surname, unit_code, role, rank FROM people"
        " WHERE staff_number = ? AND removed = 0",
        [staff_number],
    ).fetchone()
    if row is None:
        return None
    return Person(row[0], row[1], row[2], row[3], PersonRole(row[4]), row[5])
