"""Background sync: every few minutes and on demand, on the network pool, reading on a connection of its own
and writing through the app's one writer, never blocking the window. Tells the status bar and the Sync view
what happened in words a trainer understands."""

from __future__ import annotations

import logging
import random
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from trainer_desk import hq_link
from trainer_desk.store import outbox
from trainer_desk.store.connection import as_database
from trainer_desk.sync.failure_words import status_phrase

if TYPE_CHECKING:
    from trainer_desk.sync.sync_report import SyncReport
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

log = logging.getLogger(__name__)

INTERVAL_MS = 5 * 60 * 1000


class SyncController(QObject):
    state_changed = Signal(str)  # one line for the status bar
    finished = Signal(object)  # SyncReport, or the error
    wiped = Signal(str)  # what the trainer is told: HQ reported the laptop lost, and it was wiped

    def __init__(self, workspace: Workspace, tasks: TaskRunner, changes: ChangeChannel | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.tasks = tasks
        self.changes = changes or ChangeChannel()
        self.running = False
        self.last_error = ""
        self.offline = False
        # The status bar's phrase for the last failure, where it has one (`failure_words.status_phrase`); the
        # Sync view then adds the whole message.
        self.brief = ""
        # What the last sync did, said until the next sync: what it sent and received, and beyond its counts what
        # it left out of what HQ sent (not sent again, so this is the trainer's one chance to hear of it), a
        # roster HQ does not have yet.
        self.sync_notes = ""
        self.timer = QTimer(self)
        # Spread out so a force's laptops, woken by the same morning, do not all reach HQ in the same second.
        self.timer.setInterval(INTERVAL_MS + random.randint(-60_000, 60_000))
        self.timer.timeout.connect(self.sync_now)
        self.stopping = tasks.quitting  # the app's: quitting stops a sync as it stops every call to HQ

    def stop(self) -> None:
        """On quit: no new sync, and one under way gives up at its next attempt instead of backing off."""
        self.timer.stop()
        self.stopping.set()

    def start(self) -> None:
        self.timer.start()
        self.state_changed.emit(self.describe())
        if self.enrolled():
            QTimer.singleShot(2000, self.sync_now)

    def enrolled(self) -> bool:
        return bool(hq_link.hq_url(self.workspace.db, self.workspace.settings))

    def describe(self) -> str:
        """The one line for the status bar, also the Sync view's "Now:" line, with the counts as every view
        words them (`OutboxCounts`): refused records are never called waiting."""
        counts = outbox.counts(self.workspace.db)
        tail = f" · {counts.status()}" if counts.status() else ""
        if not self.enrolled():
            return "Not connected to HQ" + tail
        if self.running:
            return "Syncing…"
        if self.last_error:
            # The everyday cases have a phrase for the status bar; the Sync view gives the whole message.
            state = self.brief or f"Sync problem: {self.last_error}"
            return state + tail
        # What HQ refused is not waiting to go: it goes again only when the trainer asks (the Sync view).
        return "Synced" + tail if not counts.to_send else counts.status()

    def sync_now(self) -> None:
        if self.stopping.is_set() or self.workspace.closed:  # the app is closing (or wiped): nothing to show
            return
        if self.running or not self.enrolled():
            self.state_changed.emit(self.describe())
            return
        self.running = True
        self.state_changed.emit(self.describe())
        workspace, stop = self.workspace, self.stopping
        write = self.tasks.writer(workspace.writer)

        def job() -> SyncReport:
            # Reads on a connection of its own; every write through the one writer, behind the register's.
            db = as_database(workspace.connector.connect(workspace.paths.database, check_same_thread=False))
            try:
                return hq_link.sync_once(workspace, db, wipe_now=False, stop=stop, write=write)
            finally:
                db.conn.close()

        self.tasks.run_network(job, on_success=self._on_synced, on_failure=self._on_failed)

    def _on_synced(self, report: SyncReport) -> None:
        self.running = False
        if self.workspace.closed:
            return  # the trainer quit while it ran: nothing is left to show it on
        self.forget_error()
        self.sync_notes = report.summary()
        if report.wipe_requested:
            self.timer.stop()
            self.tasks.database_pool.waitForDone(30_000)  # the last write finishes before its connection goes
            hq_link.wipe(self.workspace)
            self.wiped.emit(hq_link.wiped_message(report))
            return
        self.state_changed.emit(self.describe())
        self.finished.emit(report)
        changed = [Change.SYNC, Change.SESSIONS, Change.ATTENDANCE]  # what HQ acknowledged is shown as sent
        if report.roster_changes:
            changed.append(Change.ROSTER)
        if report.content_version:
            changed.append(Change.CONTENT)
        self.changes.announce(*changed)

    def forget_error(self) -> None:
        self.last_error, self.offline, self.brief = "", False, ""

    def _on_failed(self, error: Exception) -> None:
        from trainer_desk.sync.client import SyncError

        self.running = False
        if self.workspace.closed:
            return  # the trainer quit while it ran (closing is what stopped it): nothing is left to show it on
        self.offline = isinstance(error, SyncError) and error.kind == "offline"
        self.brief = status_phrase(error.kind) if isinstance(error, SyncError) else ""
        self.sync_notes = ""  # a sync that stopped part-way says what it left out in its own message
        if isinstance(error, SyncError):
            self.last_error = error.message
            if error.kind in ("auth", "update_required", "settings"):
                self.timer.stop()  # retrying cannot help until the trainer acts
        else:
            log.error("sync failed unexpectedly: %s", type(error).__name__)
            self.last_error = "something went wrong inside Trainer Desk; details are in the log"
        self.state_changed.emit(self.describe())
        self.finished.emit(error)
        from trainer_desk.sync.sync_report import SyncIncompleteError

        if isinstance(error, SyncIncompleteError):  # part done: show what did arrive or leave
            changed = [Change.SYNC, Change.SESSIONS, Change.ATTENDANCE]
            if error.report.roster_changes:
                changed.append(Change.ROSTER)
            self.changes.announce(*changed)
        else:
            self.changes.announce(Change.SYNC)

    def last_success(self) -> datetime | None:
        row = self.workspace.db.execute("SELECT value FROM sync_state WHERE key = 'last_success'").fetchone()
        return datetime.fromisoformat(row[0]) if row else None
