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
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from trainer_desk.core.sentences import after_colon
from trainer_desk.store.connection import Database, Writer, writing_on
from trainer_desk.store.enrollment import enrolled_force
from trainer_desk.sync import collector, content
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.clock_check import CLOCK_MEASURED, measurement
from trainer_desk.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    PROTOCOL_VERSION,
    ContentManifest,
    ItemResult,
    ProtocolError,
    PushItem,
)
from trainer_desk.sync.pull_batches import FetchedAhead, apply_batch
from trainer_desk.sync.pulled_changes import Changes
from trainer_desk.sync.sync_report import SyncIncompleteError, SyncReport
from trainer_desk.sync.sync_state import (
    CONTENT_TOLD,
    PENDING_CONTENT,
    PULLED_WITH,
    WHOLE_PULLS,
    WHOLE_PULLS_NEEDED,
    get_state,
    set_state,
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

NO_ROSTER_AT_HQ = "HQ has no roster for this laptop yet, so the roster held here is kept until it has."
NO_ROSTER_AT_HQ_FOR_DEMO = (
    "HQ has no roster for this laptop yet: the made-up demonstration roster is gone, and the register finds "
    "nobody until HQ has one."
)


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
        content.note_force(self.content_dir, enrolled_force(self.db))
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
        in_flight = _in_background(partial(self.client.push, [item for _, item in batch], self.clock()))
        while batch:
            results = in_flight.result()
            following = self.next_batch(after=batch[-1][0])
            if following:
                in_flight = _in_background(partial(self.client.push, [item for _, item in following], self.clock()))
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
        fetched = FetchedAhead(self.client, cursor)
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
        laptop_now, steady = self.clock(), time.monotonic()  # kept with the difference: see clock_check
        difference = (server_time - laptop_now).total_seconds() if server_time is not None else None

        def apply(db: Database) -> int:
            """One transaction: the batches and the cursor that moves past them, or none of it. Returns how
            many records HQ sent were left out."""
            after, left_out = cursor, 0
            for changes in batches:
                left_out += apply_batch(db, changes, after, now)
                after = changes.cursor
            set_state(db, "cursor", str(after))
            set_state(db, PULLED_WITH, str(PROTOCOL_VERSION))
            if cursor == 0:  # a pull from the start: the snapshot, or an HQ without one's first pages
                set_state(db, WHOLE_PULLS, str(WHOLE_PULLS_NEEDED))
                db.execute("DELETE FROM sync_state WHERE key = 'pulled_exemptions'")  # the first reason's own note
            if newer is not None:
                set_state(db, PENDING_CONTENT, json.dumps(_manifest_to_wire(newer)))
            if difference is not None:
                set_state(db, "clock_difference_s", f"{difference:.0f}")
                set_state(db, CLOCK_MEASURED, measurement(laptop_now, steady))
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
        return get_state(self.db, key)

    def _state(self, key: str, value: str) -> None:
        self.write(lambda db: set_state(db, key, value))


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
