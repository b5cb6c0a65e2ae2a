"""Whether this laptop is enrolled with HQ, and with which: noted in its sync state when it enrolls. An enrolled
laptop takes its roster from HQ and holds only its own part of the force's records."""

from __future__ import annotations

from trainer_desk.store.connection import Database
from trainer_desk.store.units import force_of


def enrolled_hq(db: Database) -> str | None:
    """The address of the HQ this laptop is enrolled with; None for a laptop that is not."""
    row = db.execute("SELECT value FROM sync_state WHERE key = 'hq_url'").fetchone()
    return str(row[0]) if row else None


def clock_difference_s(db: Database) -> float | None:
    """HQ's clock less this laptop's at the last sync, in seconds; None before one."""
    row = db.execute("SELECT value FROM sync_state WHERE key = 'clock_difference_s'").fetchone()
    try:
        return float(row[0]) if row else None
    except ValueError:
        return None


def enrolled_unit(db: Database) -> str | None:
    """The unit HQ enrolled this laptop to record for: the only unit whose new sessions HQ takes from it (a
    session of another unit reaches it planned by that unit's lead); None for a laptop not enrolled."""
    if enrolled_hq(db) is None:
        return None
    row = db.execute("SELECT value FROM sync_state WHERE key = 'enrolled_unit'").fetchone()
    return str(row[0]) if row and row[0] else None


def enrolled_force(db: Database) -> str | None:
    """The code of the force this laptop records for (the top of its enrolled unit's tree): whose own details
    its lesson plans show where one HQ serves several forces. None for a laptop not enrolled, or without a tree."""
    return force_of(db, enrolled_unit(db))
