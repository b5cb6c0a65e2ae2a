"""Who has completed what: this laptop's own registrations together with the force's record pulled from HQ.

The register's "already completed" notice and the compliance report ask here, so a person trained by another
trainer on another laptop counts as soon as this laptop has synced. A registration made here is counted from
this laptop's attendance until HQ has it, and then from both: they are counted once, by person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer_desk.core.counted import counted
from trainer_desk.core.earlier_registration import EarlierRegistration
from trainer_desk.core.force_clock import local
from trainer_desk.store.connection import Database

_COMPLETING = "status IN ('present', 'late') AND deleted = 0"


@dataclass(frozen=True, slots=True)
class ForceCompletion:
    """One registration as HQ reports it; `counts` is False once it no longer completes the programme (marked
    absent, deleted), and the row is then forgotten."""

    uuid: str
    staff_number: str
    programme_id: str
    session_uuid: str
    session_starts_at: str
    plan_version: str
    counts: bool


# A completion that counts, as a row of six texts: registration, person, programme, session, its start, plan
# version. Each is cut to its column's length as it is stored.
CountingRow = Sequence[str]


def apply_from_hq(db: Database, changes: Iterable[ForceCompletion]) -> None:
    """Inside the caller's transaction (the pull batch that carries them, with its cursor)."""
    changes = list(changes)
    add_from_hq(
        db,
        [
            (c.uuid, c.staff_number, c.programme_id, c.session_uuid, c.session_starts_at, c.plan_version)
            for c in changes
            if c.counts
        ],
    )
    db.conn.executemany("DELETE FROM hq_completions WHERE uuid = ?", [(c.uuid,) for c in changes if not c.counts])


def replace_from_hq(db: Database, rows: Iterable[CountingRow]) -> None:
    """A first pull's whole record of the force replaces the one held before: what HQ no longer counts is not
    kept. It includes this laptop's own registrations; those still in its register are counted from there
    alone, so that a correction made here counts at once, as the pages (which send a laptop its own only when HQ
    credited a walk-in to someone else) would leave it. A walk-in HQ credited to the person the mistyped number
    meant stays: the register still holds the number as typed. Those of purged sessions stay, as retention
    keeps them."""
    # Into an empty table, the rows first and the indexes after, each built in one sort: a fifth quicker
    # for a force's hundred thousand than keeping every index up to date row by row.
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hq_completions' AND sql IS NOT NULL"
    ).fetchall()
    db.execute("DELETE FROM hq_completions")
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    add_from_hq(db, rows)
    for _, sql in indexes:
        db.execute(sql)
    db.execute(
        "DELETE FROM hq_completions WHERE EXISTS (SELECT 1 FROM attendance a"
        " WHERE a.uuid = hq_completions.uuid AND a.staff_number = hq_completions.staff_number)"
    )


def add_from_hq(db: Database, rows: Iterable[CountingRow]) -> None:
    """Completions that count, each replacing what this laptop held for its registration (a first pull's
    hundred thousand come straight from the wire as rows, with no object made for each). They are written in
    the order of their key: uuids in random order touch a random page of the table for each row, and a force's
    first pull took twice as long."""
    ordered = sorted(rows, key=_registration)
    db.conn.executemany(
        "INSERT INTO hq_completions (uuid, staff_number, programme_id, session_uuid, session_starts_at, plan_version)"
        " VALUES (?, substr(?, 1, 20), substr(?, 1, 80), ?, substr(?, 1, 40), substr(?, 1, 40))"
        " ON CONFLICT (uuid) DO UPDATE SET staff_number = excluded.staff_number,"
        " programme_id = excluded.programme_id, session_uuid = excluded.session_uuid,"
        " session_starts_at = excluded.session_starts_at, plan_version = excluded.plan_version",
        ordered,
    )


def _registration(row: CountingRow) -> str:
    return row[0]


def last_completed(db: Database, staff_number: str, programme_id: str, other_than_session: str) -> date | None:
    """When this person last completed the programme in a session other than this one, on any laptop."""
    row = db.execute(
        "SELECT max(starts) FROM ("
        " SELECT session_starts_at AS starts FROM attendance WHERE staff_number = :number"
        f" AND programme_id = :programme AND session_uuid != :session AND {_COMPLETING}"
        "  AND session_uuid IN (SELECT uuid FROM sessions WHERE deleted = 0)"
        " UNION ALL SELECT session_starts_at FROM hq_completions WHERE staff_number = :number"
        "  AND programme_id = :programme AND session_uuid != :session)",
        {"number": staff_number, "programme": programme_id, "session": other_than_session},
    ).fetchone()
    return local(datetime.fromisoformat(row[0])).date() if row and row[0] else None  # the force's day it was held


def last_registration(
    db: Database, staff_number: str, programme_id: str, other_than_session: str
) -> EarlierRegistration | None:
    """The latest other session that counts this person for the programme (what `last_completed` dates), and
    whether it was closed: the register says which session it was when it was left open. The same rows count
    as `last_completed` counts them; only what the trainer is told differs."""
    row = db.execute(
        "SELECT starts, closed, plan_id FROM ("
        " SELECT a.session_starts_at AS starts, s.status = 'closed' AS closed, s.plan_id AS plan_id"
        " FROM attendance a JOIN sessions s ON s.uuid = a.session_uuid AND s.deleted = 0"
        " WHERE a.staff_number = :number AND a.programme_id = :programme AND a.session_uuid != :session"
        " AND a.status IN ('present', 'late') AND a.deleted = 0"  # as _COMPLETING, on the attendance side
        " UNION ALL SELECT session_starts_at, 1, '' FROM hq_completions WHERE staff_number = :number"
        "  AND programme_id = :programme AND session_uuid != :session)"
        " ORDER BY starts DESC, closed LIMIT 1",
        {"number": staff_number, "programme": programme_id, "session": other_than_session},
    ).fetchone()
    if row is None:
        return None
    return EarlierRegistration(datetime.fromisoformat(row[0]), bool(row[1]), str(row[2]))


def completed_before(db: Database, programme_id: str, end: str, since: str = "") -> set[str]:
    """Everyone who completed the programme in a session starting before `end` (UTC ISO text), and not before
    `since` where a completion expires, on any laptop."""
    params = {"programme": programme_id, "end": end, "since": since}
    local = db.execute(
        "SELECT DISTINCT staff_number FROM attendance INDEXED BY attendance_completions"
        " WHERE programme_id = :programme AND session_starts_at >= :since AND session_starts_at < :end"
        f" AND {_COMPLETING}",
        params,
    )
    force = db.execute(
        "SELECT DISTINCT staff_number FROM hq_completions WHERE programme_id = :programme"
        " AND session_starts_at >= :since AND session_starts_at < :end",
        params,
    )
    return {row[0] for row in local} | {row[0] for row in force}


STALE_AFTER = timedelta(days=7)
# The outbox entries that change who has completed what at HQ: registrations, the sessions they belong to, and
# exemptions. An audit entry (every export makes one) or a feedback form changes no one's completion, so a
# lead who has only printed reports is not told figures are waiting.
_CHANGE_COMPLETIONS = "('attendance', 'session', 'exemption')"


def basis(db: Database, now: datetime) -> str:
    """One sentence for every report that counts completions: as of which sync it knows the force's record,
    with a warning when that is over a week old or this laptop still has registrations, sessions or exemptions
    waiting to go to HQ."""
    state = dict(db.execute("SELECT key, value FROM sync_state WHERE key IN ('hq_url', 'last_success')").fetchall())
    waiting = db.execute(
        f"SELECT count(*) FROM outbox WHERE last_error = '' AND entity IN {_CHANGE_COMPLETIONS}"
    ).fetchone()[0]
    if "hq_url" not in state:
        return (
            "From this laptop's records only: it is not connected to HQ, so people trained elsewhere are not counted."
        )
    if "last_success" not in state:
        return (
            "From this laptop's records only: it has not synced with HQ yet, so people trained elsewhere are not "
            "counted."
        )
    synced = datetime.fromisoformat(state["last_success"])
    sentence = (
        f"As of the last sync with HQ at {local(synced):%d %b %Y %H:%M} (UK time), with this laptop's own records."
    )
    if now - synced > STALE_AFTER:
        sentence += f" Warning: that sync was {(now - synced).days} days ago; sync before relying on these figures."
    if waiting:
        still = "is still" if waiting == 1 else "are still"
        sentence += f" {counted(waiting, 'record')} from this laptop {still} waiting to be sent to HQ."
    return sentence
