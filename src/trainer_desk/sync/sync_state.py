"""The laptop's own notes about syncing, kept in `sync_state` (a key and a text value each): where the pull has
reached and with which protocol, content waiting to be installed, what HQ was told."""

from __future__ import annotations

from trainer_desk.store.connection import Database

PULLED_WITH = "pull_protocol"  # sync_state key: the protocol version the cursor was reached with
PENDING_CONTENT = "content_pending"  # sync_state key: the manifest of a content version not installed yet
CONTENT_TOLD = "content_told_hq"  # sync_state key: the installed version HQ was told of, and to which enrollment
# sync_state key: how many of the reasons below for one pull from the start this laptop has had, noted with
# that pull. Each is something an earlier version left on laptops that only HQ's whole record puts right:
#   1. exemptions were added to the pull, and a laptop from before them paged past every one recorded until then;
#   2. an enrolled laptop could import a roster file over HQ's roster (refused since), and HQ sends only what
#      changes: its snapshot's roster replaces the file's;
#   3. exemptions withdrawn in HQ's console came under a key of their own, which a laptop from before them
#      paged past: it would have counted those people as excused for good.
# A laptop that has had fewer starts its pull again from 0, once, with a snapshot.
WHOLE_PULLS = "whole_pulls"
WHOLE_PULLS_NEEDED = 3


def get_state(db: Database, key: str) -> str | None:
    """The value kept under `key`, or None when there is none."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def set_state(db: Database, key: str, value: str) -> None:
    """Keep `value` under `key`, in the caller's transaction."""
    db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [key, value])
