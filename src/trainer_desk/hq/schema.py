"""HQ's storage, described once for SQLAlchemy Core: SQLite on one machine, PostgreSQL for a force."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData()

# One counter gives every change HQ makes its place in the order: laptops' clocks are only for display.
counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("trainer", String(20), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("role", String(20), nullable=False),
    Column("name", String(80), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("last_seen", String(40)),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("lost", Boolean, nullable=False, default=False),
    # The lesson content version the laptop last said it holds, installed (see 0027); None: not known yet.
    Column("content_version", Integer),
    # HQ's clock less the laptop's at its last push, in seconds (see 0030 and hq/device_clock.py); None: not known.
    Column("clock_difference_s", Integer),
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("trainer", String(20), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("role", String(20), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("device_id", String(36)),  # the device this code enrolled, so a retry is answered the same way
)

# Every record any laptop has sent, by its client-made uuid; `history` keeps each version's fingerprint so a
# replay of an old version is recognised instead of resurrecting or overwriting anything.
records = Table(
    "records",
    metadata,
    Column("entity", String(20), primary_key=True),
    Column("uuid", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("payload", Text, nullable=False),
    Column("device_id", String(36), nullable=False),  # the device that sent the current version
    Column("created_by", String(36), nullable=False, default=""),  # the device that sent the first
    Column("seq", Integer, nullable=False, index=True),
    Column("received_at", String(40), nullable=False),
    Column("conflicted", Boolean, nullable=False, default=False),
    Column("session_uuid", String(36)),  # the session it is in (a session: itself); see 0007
    # The force its session was held in, where HQ serves several (see units.force_of); NULL where HQ is one
    # force. A laptop's pull reads its force's records by this and `seq` alone, never the nation's.
    Column("force", String(40)),
    # A session's unit and start (UTC, ISO text), from its payload; NULL for other records. The console lists a
    # unit's sessions by start, newest first, a page at a time, by the index, not by reading every session.
    Column("session_unit", String(40)),
    Column("session_starts", String(40)),
    Index("ix_records_force_seq", "force", "seq"),
    Index(  # sessions alone, by start (every unit's), and by unit then start: see 0023 and 0024
        "ix_records_session_starts",
        "session_starts",
        "uuid",
        postgresql_where=text("entity = 'session'"),
        sqlite_where=text("entity = 'session'"),
    ),
    Index(
        "ix_records_session_unit_starts",
        "session_unit",
        "session_starts",
        "uuid",
        postgresql_where=text("entity = 'session'"),
        sqlite_where=text("entity = 'session'"),
    ),
    Index("ix_records_session_created_by", "session_uuid", "created_by"),  # see 0020
)

record_history = Table(
    "record_history",
    metadata,
    Column("entity", String(20), primary_key=True),
    Column("uuid", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("fingerprint", String(64), nullable=False),
)

roster = Table(
    "roster",
    metadata,
    Column("staff_number", String(12), primary_key=True),
    Column("forename", String(80), nullable=False),
    Column("surname", String(80), nullable=False),
    Column("unit", String(40), nullable=False, index=True),
    Column("previous_unit", String(40)),
    Column("role", String(20), nullable=False),
    Column("rank", String(60), nullable=False, default=""),
    Column("team", String(60), nullable=False, default=""),
    Column("joined", String(10)),  # ISO date, where HR records it
    Column("removed", Boolean, nullable=False, default=False),
    Column("seq", Integer, nullable=False, index=True),
    Column("left_at", String(10)),  # ISO date the roster first no longer listed them (see hq/retention.py)
    Column("email", String(254)),  # for the six-month follow-up only; never sent to laptops
    # The name folded for searching (`walk_in_candidates.name_key`): the walk-ins page finds by it whoever has
    # the name a walk-in gave, by the index, without folding every name on the roster for each page.
    Column("name_key", String(200), index=True),
)

content_versions = Table(
    "content_versions",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("manifest", Text, nullable=False),
    Column("published_at", String(40), nullable=False),
    Column("note", String(300)),  # what changed and why, in one line (see 0025); versions before it have none
    UniqueConstraint("seq"),
)

# The force's units as a tree (force, BCU, team, or whatever the force calls them), imported from its own
# file. Empty until then: HQ checks units against the built-in demonstration list. A unit the force drops is
# retired, never deleted, so the records that name it keep their unit.
units = Table(
    "units",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("parent", String(40)),
    Column("kind", String(40), nullable=False),
    Column("retired", Boolean, nullable=False, default=False),
    Column("seq", Integer, nullable=False, index=True),
)

# A walk-in (a registration typed in by hand) that matched nobody on the roster, resolved by a person at HQ:
# matched to the person it was (`staff_number`), or dismissed with a reason. The registration itself is the
# laptop's and stays as it was sent; its completion is what the resolution changes.
walk_in_resolutions = Table(
    "walk_in_resolutions",
    metadata,
    Column("uuid", String(36), primary_key=True),  # the registration's
    Column("staff_number", String(12)),
    Column("dismissed", Boolean, nullable=False, default=False),
    Column("reason", Text, nullable=False, default=""),
    Column("decided_at", String(40), nullable=False),
)

# People who use HQ's console. A role is granted on a node of the unit tree: '' is the whole of HQ, otherwise a
# unit code (a force, a BCU), which covers that unit and every unit under it.
staff = Table(
    "staff",
    metadata,
    Column("username", String(80), primary_key=True),
    Column("password_hash", String(200), nullable=False),  # argon2id, as argon2-cffi writes it
    Column("role", String(20), nullable=False),
    Column("unit", String(40), nullable=False, default=""),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
    Column("password_set_at", String(40), nullable=False),  # a reset ends every session signed in before it
    Column("signed_out_at", String(40), nullable=True),  # so does signing out, on any browser
    # Issued by an administrator (a new account, a reset): the owner is asked for their own before anything else.
    Column("password_issued", Boolean, nullable=False, default=False, server_default=false()),
)

# What people did at HQ: sign-ins (and failed ones), downloads, administration. Never a password.
hq_audit = Table(
    "hq_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False, index=True),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_hq_audit_action", "action"),  # what a lost laptop was told and when (`audit_trail.lost_devices`)
)

# Wrong passwords at sign-in (hq/sign_in_limits.py), in the database so every worker process counts the same
# ones; kept only for the window they count in.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False),
    Column("address", String(64), nullable=False),
    Column("failed_at", Float, nullable=False, index=True),  # seconds since the epoch
    Index("ix_sign_in_failures_address", "address", "failed_at"),
)

# One row per registration HQ holds, as what it completes: whom it credits (see completions.credited_to), the
# programme and the session's unit and start, and whether it counts (present or late, not deleted). Written
# with the records (hq/completions.py), read by every count of who completed what.
completions = Table(
    "completions",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("staff_number", String(20), nullable=False),
    Column("attendee_unit", String(40), nullable=False),
    Column("programme_id", String(80), nullable=False),
    Column("session_uuid", String(36), nullable=False),
    Column("session_unit", String(40), nullable=False),
    Column("session_starts_at", String(40), nullable=False),
    Column("counts", Boolean, nullable=False),
    Index("ix_completions_person", "staff_number", "programme_id"),
    Index("ix_completions_session_uuid", "session_uuid"),
    Index("ix_completions_session_unit", "session_unit"),
)

# Who has completed which programme (and when last), one row per person and programme, re-derived from
# `completions` whenever one of theirs changes: the dashboard joins this with the roster.
people_completed = Table(
    "people_completed",
    metadata,
    Column("staff_number", String(20), primary_key=True),
    Column("programme_id", String(80), primary_key=True),
    Column("last_completed", String(40), nullable=False),
    Column("first_completed", String(40), nullable=False, server_default=""),
    Index("ix_people_completed_first", "programme_id", "first_completed"),
)

# Questions from trainers that HQ chose not to answer in the FAQ (see hq/faq_questions.py).
faq_dismissals = Table(
    "faq_dismissals",
    metadata,
    Column("plan_id", String(80), primary_key=True),
    Column("question_key", String(500), primary_key=True),
    Column("dismissed_by", String(80), nullable=False),
    Column("dismissed_at", String(40), nullable=False),
)

# HQ's secrets that sign links (see hq/feedback_keys.py): in its database only, never in a backup (hq/backup.py).
hq_secrets = Table(
    "hq_secrets",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

# The six-month follow-up (see hq/follow_up_mail.py and hq/follow_up_answers.py). Who was asked, and whether
# they answered, is kept apart from what anyone answered, and only so that nobody is asked or reminded twice:
# an answer names its programme and its day, never a person or an invitation.
follow_up_invitations = Table(
    "follow_up_invitations",
    metadata,
    Column("staff_number", String(12), primary_key=True),
    Column("programme_id", String(80), primary_key=True),
    Column("link_hash", String(64), nullable=False, unique=True),  # sha256 of the personal link's token
    Column("invited_on", String(10), nullable=False),
    Column("reminded_on", String(10)),
    Column("answered", Boolean, nullable=False, default=False),
)

follow_up_answers = Table(
    "follow_up_answers",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("programme_id", String(80), nullable=False, index=True),
    Column("answered_on", String(10), nullable=False),  # the day only
    Column("answers", Text, nullable=False),  # JSON: question id to yes/no, 1 to 5, or text
    Column("force", String(40)),  # the answerer's force, where HQ serves several: who may read it
)
