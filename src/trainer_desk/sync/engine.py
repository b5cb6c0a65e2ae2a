"""One sync: push the outbox in bounded batches, pull roster and content changes since the cursor.

Only what HQ acknowledged leaves the outbox, in the same transaction that marks the record as acknowledged;
a pulled batch and its new cursor are applied in one transaction. A crash at any point leaves either the
old state or the new one, and the next sync carries on from there.

HQ offers a content version only while it is newer than the cursor, so the manifest is kept as pending in the
transaction that moves the cursor past it, and installed after the roster and the device status are applied:
content that cannot be fetched or does not match never holds back the roster, nor the wipe of a lost laptop,
and it is tried again at every sync until it is installed or a newer version replaces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.counted import counted, were
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sentences import after_colon
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.store import completions, exemptions, from_hq, roster, units
from trainer_desk.store.completions import ForceCompletion
from trainer_desk.store.connection import Database, Writer, writing_on
from trainer_desk.store.exemptions import PulledExemption
from trainer_desk.store.from_hq import PulledRecord
from trainer_desk.sync import collector, content
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    MAX_PULL_ITEMS,
    PROTOCOL_VERSION,
    WITHDRAWN,
    Changes,
    CompletionChange,
    ContentManifest,
    ExemptionChange,
    ItemResult,
    ProtocolError,
    PushItem,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

ACK_TABLES = {
    "session": "sessions",
    "attendance": "attendance",
    "feedback": "feedback",
    "section_timing": "section_timings",
    "faq_question": "faq_questions",
    "audit": "audit_log",
    "exemption": "exemptions",
}
VERSIONED = {"sessions", "attendance", "section_timings"}
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


NO_ROSTER_AT_HQ = "HQ has no roster for this laptop yet, so the roster held here is kept until it has."
NO_ROSTER_AT_HQ_FOR_DEMO = (
    "HQ has no roster for this laptop yet: the made-up demonstration roster is gone, and the register finds "
    "nobody until HQ has one."
)


@dataclass
class SyncReport:
    pushed: int = 0
    flagged: int = 0  # conflicts and refusals, kept and shown
    roster_changes: int = 0
    sessions_received: int = 0  # sessions and registrations HQ gave this laptop
    content_version: int | None = None
    clock_difference_s: float | None = None
    wipe_requested: bool = False
    lost_in_wipe: int = 0  # records HQ had not accepted when a laptop reported lost was wiped
    left_out: int = 0  # records HQ sent that this laptop could not read (`from_hq`), so did not store
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{counted(self.pushed, 'record')} sent", f"{counted(self.roster_changes, 'roster change')} received"]
        if self.sessions_received:  # on a lead's laptop, or a trainer's given a session planned elsewhere
            parts.append(f"{counted(self.sessions_received, 'session or register record')} received")
        if self.content_version:
            parts.append(f"lesson content version {self.content_version} installed")
        if self.flagged:
            parts.append(f"{counted(self.flagged, 'record')} refused by HQ")
        return " ".join([", ".join(parts) + ".", *self.notes()])

    def notes(self) -> list[str]:
        """What the trainer should know beyond the counts: records left out, a roster HQ does not have yet."""
        return [*([self.left_out_note()] if self.left_out else []), *dict.fromkeys(self.problems)]

    def left_out_note(self) -> str:
        """What HQ sent that this laptop left out, in words that send the trainer to HQ (which can find the
        records by their sequence); the records themselves are not named, as they may name people."""
        left_out = f"{counted(self.left_out, 'record')} from HQ could not be read and {were(self.left_out)} left out"
        return f"{left_out}: tell HQ."

    def done_so_far(self) -> str:
        """What a sync that stopped part-way had already done, for the message that says why it stopped."""
        done = []
        if self.pushed:
            done.append(f"{counted(self.pushed, 'record')} {were(self.pushed)} sent to HQ")
        if self.flagged:
            done.append(f"{counted(self.flagged, 'record')} {were(self.flagged)} refused by HQ")
        if self.roster_changes:
            done.append(f"{counted(self.roster_changes, 'roster change')} {were(self.roster_changes)} received")
        if self.left_out:
            done.append(self.left_out_note().removesuffix(": tell HQ.") + " (tell HQ)")
        return ", ".join(done[:-1]) + (" and " if len(done) > 1 else "") + done[-1] if done else ""


class SyncIncompleteError(SyncError):
    """The sync stopped part-way. What it did before that stays done, and the message says what it was;
    `report` lets the app show the records sent and the roster received."""

    def __init__(self, cause: SyncError, report: SyncReport) -> None:
        done = report.done_so_far()
        message = f"{done[0].upper()}{done[1:]}, then the sync stopped: {cause.message}" if done else cause.message
        super().__init__(cause.kind, message)
        self.report = report


class SyncEngine:
    def __init__(
        self,
        db: Database,
        client: HqClient,
        content_dir: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch_items: int = MAX_BATCH_ITEMS,
        batch_bytes: int = MAX_BATCH_BYTES,
        write: Writer | None = None,
    ) -> None:
        """`db` is for reading; every write goes through `write` (the app's one writer), or straight to `db`
        in a transaction where nothing else writes."""
        self.db = db
        self.write = write or writing_on(db)
        self.client = client
        self.content_dir = content_dir
        self.clock = clock
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes
        self._early_content: Future[object] | None = None

    def run(self) -> SyncReport:
        """Push, pull, then install any pending content. A content problem ends the sync with a
        `SyncIncompleteError` after everything else is done; a laptop reported lost skips content altogether."""
        try:
            return self._run()
        finally:
            self._settle_early_content()

    def _run(self) -> SyncReport:
        report = SyncReport()
        try:
            self.push_all(report)
            try:
                self.pull(report)
            except SyncError:
                if not report.wipe_requested:
                    raise  # once HQ has said the laptop is lost, the rest of the roster no longer matters
            if report.wipe_requested:
                self.push_all(report)  # anything written meanwhile goes to HQ before the wipe
                self._state("last_success", self.clock().isoformat())
                return report
        except SyncError as error:
            raise _part_way(error, report) from error
        self._state("last_success", self.clock().isoformat())
        failure = None
        try:
            self.install_pending_content(report)
        except SyncError as error:
            failure = error
        self._tell_hq_content_held()
        if failure is not None:
            raise _part_way(failure, report) from failure
        return report

    # --- push -----------------------------------------------------------------------------------
    def next_batch(self, after: int = 0) -> list[tuple[int, PushItem]]:
        """The next records waiting to be sent, oldest first, after outbox entry `after`."""
        rows = self.db.execute(
            "SELECT seq, entity, entity_uuid, version, base_version, op, payload FROM outbox"
            " WHERE last_error = '' AND seq > ? ORDER BY seq LIMIT ?",
            [after, self.batch_items],
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
        """Send the outbox in batches. The next batch goes to HQ as soon as HQ has answered this one, while
        this one's answers are written here: HQ has committed a batch before it answers, so a later version of
        a record never overtakes an earlier one, and a crash in between only sends some records twice, which
        HQ answers as duplicates. A record HQ did not answer waits for the next sync."""
        batch = self.next_batch()
        if not batch:
            return
        in_flight = _in_background(partial(self.client.push, [item for _, item in batch]))
        while batch:
            results = in_flight.result()
            following = self.next_batch(after=batch[-1][0])
            if following:
                in_flight = _in_background(partial(self.client.push, [item for _, item in following]))
            self._record(batch, results, report)
            batch = following

    def _record(self, batch: list[tuple[int, PushItem]], results: list[ItemResult], report: SyncReport) -> None:
        by_key = {(r.uuid, r.version): r for r in results}
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
        self.write(partial(_record_answers, acked=acked, flagged=flagged, now=self.clock().isoformat()))
        report.pushed += len(acked)
        report.flagged += len(flagged)
        if not acked and not flagged:
            raise SyncError("bad_answer", "HQ answered a push without deciding any record it was sent.")

    # --- pull -----------------------------------------------------------------------------------
    def pull(self, report: SyncReport) -> None:
        """Pull batches until HQ has no more. HQ is asked for the next batches while earlier ones are written,
        and the batches that have arrived by the time the last write ends are written together, in one
        transaction with the cursor that moves past the last of them: a first pull of a whole force's roster
        costs about the longer of fetching and writing, not both, and a handful of commits rather than one per
        batch. A batch is still applied only after the one before it."""
        cursor = int(self._get_state("cursor") or 0)
        had = self._get_state(WHOLE_PULLS) or "0"
        if self._get_state(PULLED_WITH) != str(PROTOCOL_VERSION) or not had.isdigit() or int(had) < WHOLE_PULLS_NEEDED:
            # Pulled before with an older protocol, or by a version that left something out (WHOLE_PULLS): start
            # again. As any first pull, this keeps what the laptop holds of its own: records still to send
            # (`from_hq`), its registrations, its exemptions not yet at HQ.
            cursor = 0
        if cursor == 0 and (first := self.client.snapshot()) is not None:
            # The force as HQ holds it now, in one answer and one transaction; then the pages after it. Its
            # content is fetched meanwhile: a new laptop's lesson plans and films need not wait for the write.
            if first.content is not None and first.device_status != "lost":
                self._fetch_early(first.content)
            with collector.paused():
                self._apply([first], 0, report)
            if first.device_status == "lost":
                report.wipe_requested = True
                return
            cursor = first.cursor
        fetched = _Fetched(self.client, cursor)
        try:
            while True:
                batches = fetched.arrived()
                self._apply(batches, cursor, report)
                if any(b.device_status == "lost" for b in batches):
                    report.wipe_requested = True
                if not batches[-1].more:
                    return
                cursor = batches[-1].cursor
        finally:
            fetched.stop()

    def _apply(self, batches: list[Changes], cursor: int, report: SyncReport) -> None:
        offered = max((b.content for b in batches if b.content is not None), key=lambda c: c.version, default=None)
        newer = offered if offered is not None and offered.version > self._newest_known_content() else None
        now = self.clock()
        server_time = _aware_time(batches[-1].server_time)
        difference = (server_time - self.clock()).total_seconds() if server_time is not None else None

        def apply(db: Database) -> int:
            """One transaction: the batches and the cursor that moves past them, or none of it. Returns how
            many records HQ sent were left out."""
            after, left_out = cursor, 0
            for changes in batches:
                left_out += _apply_batch(db, changes, after, now)
                after = changes.cursor
            _set_state(db, "cursor", str(after))
            _set_state(db, PULLED_WITH, str(PROTOCOL_VERSION))
            if cursor == 0:  # a pull from the start: the snapshot, or an HQ without one's first pages
                _set_state(db, WHOLE_PULLS, str(WHOLE_PULLS_NEEDED))
                db.execute("DELETE FROM sync_state WHERE key = 'pulled_exemptions'")  # the first reason's own note
            if newer is not None:
                _set_state(db, PENDING_CONTENT, json.dumps(_manifest_to_wire(newer)))
            if difference is not None:
                _set_state(db, "clock_difference_s", f"{difference:.0f}")
            return left_out

        demo = cursor == 0 and self._get_state("roster_source") == "demo"
        report.left_out += self.write(apply)
        if any(b.whole and not b.roster for b in batches):
            report.problems.append(NO_ROSTER_AT_HQ_FOR_DEMO if demo else NO_ROSTER_AT_HQ)
        report.roster_changes += sum(len(b.roster) for b in batches)
        report.sessions_received += sum(len(b.records) for b in batches)
        if difference is not None:
            report.clock_difference_s = difference

    # --- content --------------------------------------------------------------------------------
    def pending_content(self) -> ContentManifest | None:
        raw = self._get_state(PENDING_CONTENT)
        if raw is None:
            return None
        try:
            return ContentManifest.from_wire(json.loads(raw))
        except (ValueError, ProtocolError):
            log.warning("the pending content manifest could not be read; it is dropped")
            self._forget_pending()
            return None

    def _fetch_early(self, manifest: ContentManifest) -> None:
        """Download a first pull's content alongside its write, on a client of its own (a session is not shared
        between threads). Only the files: switching to the version stays with `install_pending_content`,
        after the pull, which checks every file again; a failure here is left for it to meet and report."""
        if manifest.version <= self._newest_known_content():
            return
        client = self.client.alike()
        self._early_content = _in_background(lambda: content.fetch(manifest, self.content_dir, client.download))

    def _settle_early_content(self) -> None:
        """Never two writers in one content folder: an early fetch ends before anything installs or the
        next sync starts (a stopping client ends it at once)."""
        early, self._early_content = self._early_content, None
        if early is not None:
            try:
                early.result()
            except Exception as error:  # met again, and reported, by the install
                log.info("fetching content early did not finish: %s", type(error).__name__)

    def install_pending_content(self, report: SyncReport) -> None:
        """Install the pending content version; on any failure it stays pending and the failure is a
        SyncError in words (never a fault in the program)."""
        self._settle_early_content()
        pending = self.pending_content()
        if pending is None:
            return
        if pending.version <= content.installed_version(self.content_dir):
            self._forget_pending()
            return
        try:
            content.install(pending, self.content_dir, self.client.download)
        except SyncError as error:
            if error.kind == "stopped":
                raise
            raise _content_failure(pending.version, error.kind, error.message) from error
        except content.ContentMismatchError as error:
            raise _content_failure(pending.version, "content", f"{error}.") from error
        except OSError as error:
            why = error.strerror or type(error).__name__
            raise _content_failure(
                pending.version, "content", f"it could not be saved on this laptop ({why})."
            ) from error
        self._forget_pending()
        report.content_version = pending.version

    def _tell_hq_content_held(self) -> None:
        """Tell HQ which content version is installed here, once per version and HQ enrollment: the console
        shows which laptops have taken the newest. HQ not hearing it is no reason to fail the sync; it is
        told at the next one."""
        held = content.installed_version(self.content_dir)
        told = f"{held} {hashlib.sha256((self.client.token or '').encode()).hexdigest()[:16]}"
        if held == 0 or self._get_state(CONTENT_TOLD) == told:
            return
        try:
            heard = self.client.content_held(held)
        except SyncError as error:
            log.info("HQ was not told which lesson content this laptop holds: %s", error.kind)
            return
        if heard:  # an HQ of an earlier release does not ask: asked again after it is updated
            self._state(CONTENT_TOLD, told)

    def _newest_known_content(self) -> int:
        pending = self.pending_content()
        return max(content.installed_version(self.content_dir), pending.version if pending else 0)

    def _forget_pending(self) -> None:
        self.write(lambda db: db.execute("DELETE FROM sync_state WHERE key = ?", [PENDING_CONTENT]))

    # --- bookkeeping ----------------------------------------------------------------------------
    def _get_state(self, key: str) -> str | None:
        return _get_state(self.db, key)

    def _state(self, key: str, value: str) -> None:
        self.write(lambda db: _set_state(db, key, value))


def _get_state(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def _set_state(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [key, value])


def _apply_batch(db: Database, changes: Changes, cursor: int, now: datetime) -> int:
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
    source = _get_state(db, "roster_source")
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
        _set_state(db, "roster_source", "hq")
    return applied.left_out


class _Fetched:
    """HQ's batches from `cursor` on, fetched one after another on a daemon thread (see `_in_background` for
    why a daemon) while the caller writes the ones before; at most AHEAD batches wait in memory."""

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


def _in_background(work: Callable[[], T]) -> Future[T]:
    """Start a request to HQ on a daemon thread and return its future. A sync that stops (Ctrl+C, an error,
    the app quitting) leaves a request still waiting on a slow HQ behind instead of waiting for it, as every
    request to HQ already runs on a thread of its own; what it sent is idempotent, so nothing is lost."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as error:  # handed to whoever waits on the future
            future.set_exception(error)

    threading.Thread(target=run, name="hq-sync", daemon=True).start()
    return future


def _record_answers(db: Database, acked: list[tuple[int, PushItem]], flagged: list[tuple[str, int]], now: str) -> None:
    """What HQ decided about one batch: acknowledged records leave the outbox and are marked as sent; refused
    and conflicting ones stay, with HQ's reason."""
    db.conn.executemany("DELETE FROM outbox WHERE seq = ?", [(seq,) for seq, _ in acked])
    for table in {ACK_TABLES[item.entity] for _, item in acked}:
        rows = [item for _, item in acked if ACK_TABLES[item.entity] == table]
        if table in VERSIONED:
            db.conn.executemany(
                f"UPDATE {table} SET acked_at = ? WHERE uuid = ? AND version = ?",
                [(now, i.uuid, i.version) for i in rows],
            )
        else:
            db.conn.executemany(f"UPDATE {table} SET acked_at = ? WHERE uuid = ?", [(now, i.uuid) for i in rows])
    db.conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", flagged)


def _part_way(error: SyncError, report: SyncReport) -> SyncError:
    return SyncIncompleteError(error, report) if report.done_so_far() else error


def _content_failure(version: int, kind: str, why: str) -> SyncError:
    return SyncError(
        kind,
        f"Lesson content version {version} from HQ could not be installed: {after_colon(why)} The lesson "
        "content already on this laptop stays in use, and the new version is tried again at the next sync.",
    )


def _manifest_to_wire(manifest: ContentManifest) -> dict[str, object]:
    return {
        "version": manifest.version,
        "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in manifest.files],
    }


def _aware_time(text: str) -> datetime | None:
    """HQ's clock, if its answer gave a time with its zone; any other time cannot be compared with ours."""
    try:
        found = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return found if found is not None and found.utcoffset() is not None else None


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
