"""One sync: push the outbox in bounded batches, pull roster and content changes since the cursor.

Only what HQ acknowledged leaves the outbox, in the same transaction that marks the record as acknowledged;
a pulled batch and its new cursor are applied in one transaction. A crash at any point leaves either the
old state or the new one, and the next sync carries on from there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import roster, units
from trainer_desk.sync import content
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_PULL_ITEMS, Changes, PushItem

log = logging.getLogger(__name__)

ACK_TABLES = {
    "session": "sessions",
    "attendance": "attendance",
    "feedback": "feedback",
    "section_timing": "section_timings",
    "faq_question": "faq_questions",
    "audit": "audit_log",
}
VERSIONED = {"sessions", "attendance", "section_timings"}


@dataclass
class SyncReport:
    pushed: int = 0
    flagged: int = 0  # conflicts and refusals, kept and shown
    roster_changes: int = 0
    content_version: int | None = None
    clock_difference_s: float | None = None
    wipe_requested: bool = False
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.pushed} record(s) sent", f"{self.roster_changes} roster change(s) received"]
        if self.content_version:
            parts.append(f"lesson content version {self.content_version} installed")
        if self.flagged:
            parts.append(f"{self.flagged} record(s) need attention")
        return ", ".join(parts) + "."


class SyncEngine:
    def __init__(
        self,
        db: Database,
        client: HqClient,
        content_dir: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch_items: int = MAX_BATCH_ITEMS,
        batch_bytes: int = MAX_BATCH_BYTES,
    ) -> None:
        self.db = db
        self.client = client
        self.content_dir = content_dir
        self.clock = clock
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes

    def run(self) -> SyncReport:
        report = SyncReport()
        self.push_all(report)
        self.pull(report)
        if report.wipe_requested:
            self.push_all(report)  # anything written meanwhile goes to HQ before the wipe
        self._state("last_success", self.clock().isoformat())
        return report

    # --- push -----------------------------------------------------------------------------------
    def next_batch(self) -> list[tuple[int, PushItem]]:
        rows = self.db.execute(
            "SELECT seq, entity, entity_uuid, version, base_version, op, payload FROM outbox"
            " WHERE last_error = '' ORDER BY seq LIMIT ?",
            [self.batch_items],
        ).fetchall()
        batch: list[tuple[int, PushItem]] = []
        size = 0
        for seq, entity, uuid, version, base, op, payload in rows:
            size += len(payload) + 200
            if batch and size > self.batch_bytes:
                break
            batch.append((seq, PushItem(entity, uuid, version, base, op, json.loads(payload))))
        return batch

    def push_all(self, report: SyncReport) -> None:
        while batch := self.next_batch():
            results = self.client.push([item for _, item in batch])
            by_key = {(r.uuid, r.version): r for r in results}
            now = self.clock().isoformat()
            decided = 0
            acked: list[tuple[int, PushItem]] = []
            flagged: list[tuple[str, int]] = []
            for seq, item in batch:
                result = by_key.get((item.uuid, item.version))
                if result is None:
                    continue  # unanswered: it stays in the outbox
                if result.status.acknowledged:
                    acked.append((seq, item))
                else:
                    flagged.append((f"{result.status.value}: {result.reason}"[:500], seq))
            decided = len(acked) + len(flagged)
            with self.db.atomic():
                self.db.conn.executemany("DELETE FROM outbox WHERE seq = ?", [(seq,) for seq, _ in acked])
                for table in {ACK_TABLES[item.entity] for _, item in acked}:
                    rows = [item for _, item in acked if ACK_TABLES[item.entity] == table]
                    if table in VERSIONED:
                        self.db.conn.executemany(
                            f"UPDATE {table} SET acked_at = ? WHERE uuid = ? AND version = ?",
                            [(now, i.uuid, i.version) for i in rows],
                        )
                    else:
                        self.db.conn.executemany(
                            f"UPDATE {table} SET acked_at = ? WHERE uuid = ?", [(now, i.uuid) for i in rows]
                        )
                self.db.conn.executemany(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", flagged
                )
            report.pushed += len(acked)
            report.flagged += len(flagged)
            if decided == 0:
                raise SyncError("bad_answer", "HQ answered a push without deciding any record; nothing was changed.")

    # --- pull -----------------------------------------------------------------------------------
    def pull(self, report: SyncReport) -> None:
        while True:
            cursor = int(self._get_state("cursor") or 0)
            changes = self.client.changes(cursor, MAX_PULL_ITEMS)
            self._apply(changes, cursor, report)
            if changes.device_status == "lost":
                report.wipe_requested = True
            if changes.content is not None and changes.content.version > content.installed_version(self.content_dir):
                content.install(changes.content, self.content_dir, self.client.download)
                report.content_version = changes.content.version
            if not changes.more:
                return

    def _apply(self, changes: Changes, cursor: int, report: SyncReport) -> None:
        known_units = {u.code for u in units.list_units(self.db)}
        with self.db.atomic():
            if cursor == 0 and self._get_state("roster_source") == "demo":
                self.db.execute("UPDATE people SET removed = 1")  # HQ's roster replaces the demo one
            keep = [
                Person(c.staff_number, c.forename, c.surname, c.unit, _role(c.role), c.rank, c.team)
                for c in changes.roster
                if not c.removed and c.unit in known_units
            ]
            roster.upsert_people(self.db, keep, hq_seq=max((c.seq for c in changes.roster), default=None))
            gone = [(c.staff_number,) for c in changes.roster if c.removed or c.unit not in known_units]
            self.db.conn.executemany("UPDATE people SET removed = 1 WHERE staff_number = ?", gone)
            self._state("cursor", str(changes.cursor))
            if changes.roster:
                self._state("roster_source", "hq")
        report.roster_changes += len(changes.roster)
        if changes.server_time:
            try:
                difference = (datetime.fromisoformat(changes.server_time) - self.clock()).total_seconds()
            except ValueError:
                return
            report.clock_difference_s = difference
            self._state("clock_difference_s", f"{difference:.0f}")

    # --- bookkeeping ----------------------------------------------------------------------------
    def _get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def _state(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [key, value])


def _role(value: str) -> PersonRole:
    try:
        return PersonRole(value)
    except ValueError:
        return PersonRole.OFFICER
