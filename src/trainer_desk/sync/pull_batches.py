"""HQ's pulled batches: fetched ahead on a thread of their own while the ones before are written, and each
written into the laptop's database (units, roster, records, completions, exemptions) inside the caller's
transaction, the one that also moves the cursor past it."""

from __future__ import annotations

import queue
import threading
from datetime import date, datetime

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.store import completions, exemptions, from_hq, roster, units
from trainer_desk.store.completions import ForceCompletion
from trainer_desk.store.connection import Database
from trainer_desk.store.exemptions import PulledExemption
from trainer_desk.store.from_hq import PulledRecord
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import MAX_PULL_ITEMS
from trainer_desk.sync.pulled_changes import WITHDRAWN, Changes, CompletionChange, ExemptionChange
from trainer_desk.sync.sync_state import get_state, set_state


def apply_batch(db: Database, changes: Changes, cursor: int, now: datetime) -> int:
    """One pulled batch, inside the caller's transaction; `cursor` is where it was asked from. Returns how many
    of its sessions and registrations were left out."""
    if changes.units is not None:  # the force's unit tree first: the roster names its units
        units.apply_tree(
            db,
            [UnitNode(u.code, u.name, u.kind, u.parent) for u in changes.units],
            {u.code for u in changes.units if u.retired},
        )
    known_units = {u.code for u in units.list_units(db)}
    # HQ's roster replaces the demo one, one imported from a file, or the one held before; an HQ that holds
    # nobody yet (its roster not yet imported) replaces nothing but the demo: it emptied an enrolled laptop's
    # imported roster, which the laptop could not then import again. Once HQ's, only a whole roster (a
    # snapshot) replaces it.
    source = get_state(db, "roster_source")
    demo_first = cursor == 0 and source == "demo"  # made-up people go at the first pull, whatever HQ holds
    if demo_first or (changes.roster and (changes.whole or source in ("demo", "import"))):
        db.execute("UPDATE people SET removed = 1")
    keep = [
        Person(
            c.staff_number,
            c.forename,
            c.surname,
            c.unit,
            _role(c.role),
            c.rank,
            c.team,
            date.fromisoformat(c.joined) if c.joined else None,
        )
        for c in changes.roster
        if not c.removed and c.unit in known_units
    ]
    roster.upsert_people(db, keep, hq_seq=max((c.seq for c in changes.roster), default=None))
    gone = [(c.staff_number,) for c in changes.roster if c.removed or c.unit not in known_units]
    db.conn.executemany("UPDATE people SET removed = 1 WHERE staff_number = ?", gone)
    applied = from_hq.apply_records(
        db, (PulledRecord(r.entity, r.uuid, r.version, r.deleted, r.payload) for r in changes.records), now
    )
    completions.apply_from_hq(db, map(_force_completion, changes.completions))
    if changes.whole:
        completions.replace_from_hq(db, changes.counting)  # the force's record as HQ holds it now
    else:
        completions.add_from_hq(db, changes.counting)
    # Whoever recorded them (here, on another laptop, in HQ's console), so that this laptop counts and chases
    # as HQ does.
    exemptions.apply_from_hq(db, map(_pulled_exemption, changes.exemptions), now)
    if changes.roster:
        set_state(db, "roster_source", "hq")
    return applied.left_out


class FetchedAhead:
    """HQ's batches from `cursor` on, fetched one after another on a daemon thread (see `engine._in_background`
    for why a daemon) while the caller writes the ones before; at most AHEAD batches wait in memory."""

    AHEAD = 8
    COALESCE_ITEMS = 12_000  # at most this many changes written in one transaction

    def __init__(self, client: HqClient, cursor: int) -> None:
        self._queue: queue.Queue[Changes | BaseException] = queue.Queue(self.AHEAD)
        self._stopped = threading.Event()
        threading.Thread(target=self._fetch, args=(client, cursor), name="hq-pull", daemon=True).start()

    def _fetch(self, client: HqClient, cursor: int) -> None:
        while not self._stopped.is_set():
            try:
                changes = client.changes(cursor, MAX_PULL_ITEMS)
                if changes.more and changes.cursor <= cursor:
                    raise SyncError(
                        "bad_answer",
                        f"HQ offered more roster changes without moving on from the last ones (cursor {cursor}), "
                        "so the sync stopped rather than ask for the same ones forever. Tell HQ's administrators.",
                    )
            except BaseException as error:  # handed to the writer, which raises it
                self._put(error)
                return
            self._put(changes)
            if not changes.more:
                return
            cursor = changes.cursor

    def _put(self, item: Changes | BaseException) -> None:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def arrived(self) -> list[Changes]:
        """The next batch (waiting for it), and those after it that have already arrived, up to the last one
        or COALESCE_ITEMS changes."""
        taken = [self._next(block=True)]
        size = _size(taken[0])
        while taken[-1].more and size < self.COALESCE_ITEMS:
            try:
                following = self._next(block=False)
            except queue.Empty:
                break
            taken.append(following)
            size += _size(following)
        return taken

    def _next(self, block: bool) -> Changes:
        item = self._queue.get(block=block)
        if isinstance(item, BaseException):
            self._stopped.set()
            raise item
        return item

    def stop(self) -> None:
        self._stopped.set()


def _size(changes: Changes) -> int:
    return len(changes.roster) + len(changes.records) + len(changes.completions) + len(changes.exemptions)


def _force_completion(c: CompletionChange) -> ForceCompletion:
    return ForceCompletion(
        c.uuid, c.staff_number, c.programme_id, c.session_uuid, c.session_starts_at, c.plan_version, c.counts
    )


def _pulled_exemption(e: ExemptionChange) -> PulledExemption:
    return PulledExemption(
        e.uuid,
        e.staff_number,
        e.programme_id,
        None if e.kind == WITHDRAWN else ExemptionKind(e.kind),
        e.recorded_at,
        e.reason,
        e.recorded_by,
    )


def _role(value: str) -> PersonRole:
    try:
        return PersonRole(value)
    except ValueError:
        return PersonRole.OFFICER
