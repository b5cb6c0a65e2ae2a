"""What the presenter records of a delivery: the session marked as running, each section's start and end, the
place to resume from, the end of delivery, and questions noted for HQ. Every write runs on the database worker.

A rehearsal records no timings. Once the session is over (ended here, or closed from its register) nothing
more is recorded, so no timing row or resume point lands after its end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.presenter_text import section_name
from trainer_desk.core.sessions import Session, SessionStatus, still_delivered
from trainer_desk.store import delivery, sessions
from trainer_desk.ui.not_saved_banner import Unsaved
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


class DeliveryRecorder(QObject):
    found_closed = Signal()  # a write found the session no longer delivered: this is where the window hears first
    # A write that failed (error, Unsaved): kept on the presenter's Not saved banner, to be tried again. A
    # status line that went after 15 seconds lost the end of a session on a full disk.
    not_saved = Signal(object, object)

    def __init__(self, workspace: Workspace, tasks: TaskRunner, session: Session | None, parent: QObject) -> None:
        super().__init__(parent)
        self.workspace, self.tasks, self.session = workspace, tasks, session
        self.ended = False  # from then on nothing is recorded

    def still_delivered(self) -> bool:
        """Read again: the register can close the session while the presenter is still open."""
        assert self.session is not None
        return still_delivered(sessions.get_session(self.workspace.db, self.session.uuid))

    def mark_running(self) -> None:
        """A session planned ahead is running from the moment its presenter starts."""
        if self.session is not None and self.session.status is SessionStatus.PLANNED:
            session, db, now = self.session, self.workspace.writer, self.workspace.clock()

            def work() -> object:
                return delivery.set_status(db, session, SessionStatus.RUNNING, now)

            unsaved = Unsaved("the session marked as running", work, key="running")
            self.tasks.run_db(work, on_failure=lambda error: self.not_saved.emit(error, unsaved))

    def section_started(self, index: int, section: Section) -> None:
        """`index`: where `section` is in the plan. A start not saved is named on the banner as the trainer's
        list names the section (it gave the plan's id, "s3-welcome", which the trainer never sees)."""
        self.run(
            lambda db, uuid, now: delivery.section_started(db, uuid, section.id, now),
            f"the start of section “{section_name(index, section)}”",
        )

    def sections_ended(self) -> None:
        self.run(lambda db, uuid, now: delivery.sections_ended(db, uuid, now), "the end of a section")

    def close_interrupted_timings(self) -> None:
        """After a failure its section's timing row may be open still: it ends where it stopped."""
        self.run(lambda db, uuid, _now: delivery.close_interrupted_timings(db, uuid), "the end of a section")

    def save_progress(self, snapshot: dict[str, object]) -> None:
        # One entry, the latest place: an older one tried again would move the resume point back.
        self.run(
            lambda db, uuid, now: delivery.save_progress(db, uuid, snapshot, now), "where to resume from", "progress"
        )

    def finish(self, on_saved: Callable[[], object] = lambda: None) -> None:
        """The trainer ended the delivery: recorded as over, and nothing is recorded after it. `on_saved` runs
        once the end is saved (at once in a rehearsal); on a full disk it waits on the banner's Try again."""
        self.ended = True
        if self.session is None:
            on_saved()
            return
        session, db, now = self.session, self.workspace.writer, self.workspace.clock()

        def work() -> object:
            delivery.finish(db, session, now)
            return None

        def saved(_result: object) -> None:
            on_saved()

        unsaved = Unsaved("the end of the session", work, saved, key="finish")
        self.tasks.run_db(work, on_success=saved, on_failure=lambda error: self.not_saved.emit(error, unsaved))

    def note_question(
        self, plan_id: str, text: str, on_success: Callable[[], None], on_failure: Callable[[str], None]
    ) -> None:
        """A question the FAQ could not answer, for HQ; noted in a rehearsal too, where a gap found is as useful."""
        session_uuid = self.session.uuid if self.session else None
        db, now = self.workspace.writer, self.workspace.clock()
        self.tasks.run_db(
            lambda: delivery.note_unanswered_question(db, plan_id, text, now, session_uuid),
            on_success=lambda _uuid: on_success(),
            on_failure=lambda error: on_failure(str(error)),
        )

    def run(self, write: Callable[..., object], what: str, key: str = "") -> None:
        """Writes happen on the database worker; a rehearsal writes nothing. The worker checks the session is
        still being delivered just before writing: the register's close runs on the same worker, so a write
        queued before this window hears of it cannot land after the session's end."""
        if self.session is None or self.ended:
            return
        db = self.workspace.writer
        session_uuid = self.session.uuid
        now: datetime = self.workspace.clock()

        def write_while_delivered() -> bool:
            if not still_delivered(sessions.get_session(db, session_uuid)):
                return False
            write(db, session_uuid, now)
            return True

        unsaved = Unsaved(what, write_while_delivered, self._on_write_done, key or f"{what} at {now.isoformat()}")
        self.tasks.run_db(
            write_while_delivered,
            on_success=self._on_write_done,
            on_failure=lambda error: self.not_saved.emit(error, unsaved),
        )

    def _on_write_done(self, written: object) -> None:
        if written is False:
            self.found_closed.emit()
