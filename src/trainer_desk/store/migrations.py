"""The schema's history: named migrations, applied in order, each in its own transaction.

Never edit a migration that has been released: add a new one. `tests/data/` keeps a database file saved by
every released schema so the upgrade path from each is tested.
"""

from __future__ import annotations

import json

from trainer_desk.core.people import fold_name
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.store.connection import Database
from trainer_desk.store.migration_runner import Migrations

MIGRATION_SET = "trainer_desk"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    for statement in _INITIAL_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.conn.executemany(
        "INSERT INTO units (code, name, kind) VALUES (?, ?, ?)", [(u.code, u.name, u.kind.value) for u in DEFAULT_UNITS]
    )


# Syncing records (sessions, attendance, feedback) carry a client-made uuid, a version that goes up with each
# correction, a `deleted` tombstone flag and `acked_at`, set when HQ confirmed the latest version.
_INITIAL_SCHEMA = """
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('BCU', 'OCU'))
);
CREATE TABLE people (
    staff_number TEXT PRIMARY KEY,
    forename TEXT NOT NULL,
    surname TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    role TEXT NOT NULL,
    rank TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL,
    hq_seq INTEGER,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_unit ON people (unit_code);
CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    mandatory INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    uuid TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    plan_version TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    venue TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL CHECK (mode IN ('in-person', 'virtual')),
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'closed', 'cancelled')),
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    acked_at TEXT
);
CREATE INDEX sessions_starts ON sessions (starts_at);
CREATE TABLE session_trainers (
    session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
    staff_number TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (session_uuid, staff_number)
);
CREATE TABLE attendance (
    uuid TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
    staff_number TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'left-early', 'absent')),
    marked_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    walk_in INTEGER NOT NULL DEFAULT 0,
    walk_in_name TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    acked_at TEXT,
    UNIQUE (session_uuid, staff_number)
);
CREATE INDEX attendance_unit_programme ON attendance (unit_code, programme_id);
CREATE INDEX attendance_person_programme ON attendance (staff_number, programme_id);
CREATE TABLE attendance_corrections (
    uuid TEXT PRIMARY KEY,
    attendance_uuid TEXT NOT NULL REFERENCES attendance (uuid) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    corrected_by TEXT NOT NULL,
    corrected_at TEXT NOT NULL
);
CREATE TABLE feedback (
    uuid TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
    would_recommend INTEGER NOT NULL CHECK (would_recommend IN (0, 1)),
    reason_not TEXT NOT NULL DEFAULT '',
    acked_at TEXT
);
CREATE TABLE feedback_ratings (
    feedback_uuid TEXT NOT NULL REFERENCES feedback (uuid) ON DELETE CASCADE,
    objective_id TEXT NOT NULL,
    before INTEGER NOT NULL CHECK (before BETWEEN 1 AND 5),
    after INTEGER NOT NULL CHECK (after BETWEEN 1 AND 5),
    PRIMARY KEY (feedback_uuid, objective_id)
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_uuid TEXT NOT NULL,
    version INTEGER NOT NULL,
    base_version INTEGER,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_entity ON outbox (entity, entity_uuid);
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""


@migrations(name="0002_delivery")
def _delivery(db: Database) -> None:
    for statement in _DELIVERY_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


# The timing log and unanswered FAQ questions go to HQ; the progress row is this laptop's own, for resuming
# a session after a crash at the same section and clock.
_DELIVERY_SCHEMA = """
CREATE TABLE section_timings (
    uuid TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    acked_at TEXT
);
CREATE INDEX section_timings_session ON section_timings (session_uuid);
CREATE TABLE delivery_progress (
    session_uuid TEXT PRIMARY KEY REFERENCES sessions (uuid) ON DELETE CASCADE,
    snapshot TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE TABLE faq_questions (
    uuid TEXT PRIMARY KEY,
    session_uuid TEXT REFERENCES sessions (uuid) ON DELETE SET NULL,
    plan_id TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    acked_at TEXT
)
"""


@migrations(name="0003_register")
def _register(db: Database) -> None:
    for statement in _REGISTER_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)
    rows = db.execute("SELECT staff_number, forename, surname FROM people").fetchall()
    db.conn.executemany(
        "INSERT INTO people_search (kind, term, staff_number) VALUES (?, ?, ?)",
        [(kind, term, number) for number, fore, sur in rows for kind, term in _search_terms_0003(fore, sur)],
    )


def _search_terms_0003(forename: str, surname: str) -> list[tuple[int, str]]:
    """The search terms as this migration was released with them (0 surname, 1 forename; every later word of
    the folded name). Frozen here: a later change to the roster's rule must not change what this step did."""
    terms: list[tuple[int, str]] = []
    for kind, name in ((0, surname), (1, forename)):
        words = fold_name(name).split()
        terms += [(kind, " ".join(words[i:])) for i in range(len(words))]
    return terms


# Name search must stay instant at 50,000 people even for one letter: every name word is a row in an index
# ordered by (kind, term), so a prefix is a range scan that stops after the first screenful.
_REGISTER_SCHEMA = """
CREATE TABLE people_search (
    kind INTEGER NOT NULL,
    term TEXT NOT NULL,
    staff_number TEXT NOT NULL REFERENCES people (staff_number) ON DELETE CASCADE
);
CREATE INDEX people_search_term ON people_search (kind, term, staff_number);
CREATE INDEX people_search_person ON people_search (staff_number);
ALTER TABLE attendance ADD COLUMN follow_up_due TEXT;
CREATE TABLE session_checklists (
    session_uuid TEXT PRIMARY KEY REFERENCES sessions (uuid) ON DELETE CASCADE,
    register_complete INTEGER NOT NULL,
    feedback_collected INTEGER NOT NULL,
    timing_complete INTEGER NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL
)
"""


@migrations(name="0004_protection")
def _protection(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE audit_log (
            uuid TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            acked_at TEXT
        )
        """
    )


@migrations(name="0005_completion_index")
def _completion_index(db: Database) -> None:
    """Compliance asks 'who completed programme P between two dates' over a million rows: carrying the
    session's start on each attendance row, with a partial index of completions only, answers it from
    the index alone instead of joining every row to its session."""
    db.execute("ALTER TABLE attendance ADD COLUMN session_starts_at TEXT")
    db.execute(
        "UPDATE attendance SET session_starts_at ="
        " (SELECT s.starts_at FROM sessions s WHERE s.uuid = attendance.session_uuid)"
    )
    db.execute(
        "CREATE INDEX attendance_completions ON attendance (programme_id, session_starts_at, staff_number)"
        " WHERE status IN ('present', 'late') AND deleted = 0"
    )


@migrations(name="0006_teams")
def _teams(db: Database) -> None:
    """Training leads chase completion team by team, so the roster keeps each person's team."""
    db.execute("ALTER TABLE people ADD COLUMN team TEXT NOT NULL DEFAULT ''")


@migrations(name="0007_feedback_no_answer")
def _feedback_no_answer(db: Database) -> None:
    """A question left blank on the feedback form is stored as NULL ("no answer") instead of being forced to
    a score: 'would recommend' and each before/after rating may now be NULL, with the same CHECKs otherwise.

    SQLite cannot drop NOT NULL in place, so both tables are rebuilt. Foreign keys stay on (the pragma cannot
    change inside this transaction): the new tables are filled before the old ones go, the old child before
    its parent so the parent's drop cascades into nothing, and renaming `feedback_new` to `feedback` rewrites
    the new child's reference to it."""
    for statement in _FEEDBACK_NO_ANSWER_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


_FEEDBACK_NO_ANSWER_SCHEMA = """
CREATE TABLE feedback_new (
    uuid TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
    would_recommend INTEGER CHECK (would_recommend IN (0, 1)),
    reason_not TEXT NOT NULL DEFAULT '',
    acked_at TEXT
);
INSERT INTO feedback_new (rowid, uuid, session_uuid, would_recommend, reason_not, acked_at)
    SELECT rowid, uuid, session_uuid, would_recommend, reason_not, acked_at FROM feedback;
CREATE TABLE feedback_ratings_new (
    feedback_uuid TEXT NOT NULL REFERENCES feedback_new (uuid) ON DELETE CASCADE,
    objective_id TEXT NOT NULL,
    before INTEGER CHECK (before BETWEEN 1 AND 5),
    after INTEGER CHECK (after BETWEEN 1 AND 5),
    PRIMARY KEY (feedback_uuid, objective_id)
);
INSERT INTO feedback_ratings_new (feedback_uuid, objective_id, before, after)
    SELECT feedback_uuid, objective_id, before, after FROM feedback_ratings;
DROP TABLE feedback_ratings;
DROP TABLE feedback;
ALTER TABLE feedback_new RENAME TO feedback;
ALTER TABLE feedback_ratings_new RENAME TO feedback_ratings
"""


@migrations(name="0009_force_completions")
def _force_completions(db: Database) -> None:
    """The force's record of who completed what, pulled from HQ: one row per registration that counts, from
    any laptop, so the register's notice and the compliance report know what other trainers recorded. Kept
    apart from this laptop's own attendance, which only this laptop changes; a registration HQ already has
    from this laptop is in both, and counted once by person."""
    db.execute(
        "CREATE TABLE hq_completions (uuid TEXT PRIMARY KEY, staff_number TEXT NOT NULL,"
        " programme_id TEXT NOT NULL, session_uuid TEXT NOT NULL, session_starts_at TEXT NOT NULL,"
        " plan_version TEXT NOT NULL DEFAULT '')"
    )
    db.execute("CREATE INDEX hq_completions_person ON hq_completions (staff_number, programme_id)")
    db.execute(
        "CREATE INDEX hq_completions_programme ON hq_completions (programme_id, session_starts_at, staff_number)"
    )


@migrations(name="0010_exemptions")
def _exemptions(db: Database) -> None:
    """People excused from a programme, or who completed it another way (someone personally affected by the
    subject may), each with the reason and who recorded it; compliance counts them apart from those who are
    outstanding. Each goes to HQ, and the recording is in the audit trail."""
    db.execute(
        "CREATE TABLE exemptions (uuid TEXT PRIMARY KEY, staff_number TEXT NOT NULL, programme_id TEXT NOT NULL,"
        " kind TEXT NOT NULL CHECK (kind IN ('exempt', 'other-way')), reason TEXT NOT NULL,"
        " recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, acked_at TEXT, UNIQUE (staff_number, programme_id))"
    )


@migrations(name="0011_session_wellbeing_contact")
def _session_wellbeing_contact(db: Database) -> None:
    """The person named for a session as its wellbeing contact: its support card and FAQ show them in place of
    the force's general contact."""
    db.execute("ALTER TABLE sessions ADD COLUMN wellbeing_contact TEXT NOT NULL DEFAULT ''")


@migrations(name="0012_unit_tree")
def _unit_tree(db: Database) -> None:
    """The force's own unit tree, from HQ: each unit's parent and the force's word for its level; a unit the
    force no longer has is retired (hidden from choices and reports), never deleted, since records name it."""
    db.execute("ALTER TABLE units ADD COLUMN parent_code TEXT")
    db.execute("ALTER TABLE units ADD COLUMN level TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE units ADD COLUMN retired INTEGER NOT NULL DEFAULT 0")


@migrations(name="0013_joined")
def _joined(db: Database) -> None:
    """When each person joined the force, where HR records it: a programme due within so many days of joining
    is due by then for a new joiner."""
    db.execute("ALTER TABLE people ADD COLUMN joined TEXT")


@migrations(name="0014_names_in_every_script")
def _names_in_every_script(db: Database) -> None:
    """Names in Arabic, Chinese and other scripts folded to nothing, and Đ and the dotless i were dropped, so those
    people could not be found by name. Their search terms are made again, in 0003's shape under today's
    fold (folding again under any later rule is what that rule would want). Only names outside ASCII are
    touched, as ASCII folds as before, so at 50,000 people this is a moment's work."""
    rows = [
        (number, fore, sur)
        for number, fore, sur in db.execute("SELECT staff_number, forename, surname FROM people").fetchall()
        if not (fore + sur).isascii()
    ]
    db.conn.executemany("DELETE FROM people_search WHERE staff_number = ?", [(number,) for number, _, _ in rows])
    db.conn.executemany(
        "INSERT INTO people_search (kind, term, staff_number) VALUES (?, ?, ?)",
        [(kind, term, number) for number, fore, sur in rows for kind, term in _search_terms_0003(fore, sur)],
    )
    db.conn.executemany(
        "UPDATE people SET search_text = ? WHERE staff_number = ?",
        [(fold_name(f"{fore} {sur}"), number) for number, fore, sur in rows],
    )


@migrations(name="0015_feedback_origin")
def _feedback_origin(db: Database) -> None:
    """Where each form came from: filled in on this laptop, or received from HQ (phones' answers to a session
    this laptop holds). A laptop reads the reasons only of its own forms (`core.feedback_privacy`). A form
    still waiting to go to HQ was taken here; one already sent cannot be told from one received, and is counted
    as received, so that no phone's reason is ever read on a laptop because of it."""
    db.execute("ALTER TABLE feedback ADD COLUMN through_hq INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE feedback SET through_hq = 1 WHERE acked_at IS NOT NULL"
        " AND uuid NOT IN (SELECT entity_uuid FROM outbox WHERE entity = 'feedback')"
    )


@migrations(name="0016_feedback_comment")
def _feedback_comment(db: Database) -> None:
    """The comment written on a form with a Yes or no answer, kept on the laptop as the reason for a No is: it
    was sent to HQ and nowhere kept here, so a laptop with no signal, or not yet enrolled, held no trace of it.
    A form still waiting to be sent has its comment in the outbox, and it is taken back from there."""
    db.execute("ALTER TABLE feedback ADD COLUMN comment TEXT NOT NULL DEFAULT ''")
    waiting = db.execute("SELECT entity_uuid, payload FROM outbox WHERE entity = 'feedback' ORDER BY seq").fetchall()
    comments: dict[str, str] = {}
    for uuid, payload in waiting:
        try:
            sent = json.loads(payload)
        except ValueError:
            continue
        written = sent.get("comment") if isinstance(sent, dict) else None
        if isinstance(written, str) and written.strip():
            comments[str(uuid)] = written.strip()[:500]
    db.conn.executemany("UPDATE feedback SET comment = ? WHERE uuid = ?", [(c, u) for u, c in comments.items()])
