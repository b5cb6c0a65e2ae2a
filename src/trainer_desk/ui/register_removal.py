"""Taking a line off the register, and Undo bringing it back: before the session closes a line added by
mistake goes (a booking only once the trainer says so); after, it is a correction to absent, with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QPushButton

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.sessions import SessionStatus, refuse_if_cancelled
from trainer_desk.store import attendance
from trainer_desk.store.attendance import RegisterLine
from trainer_desk.ui.not_saved_banner import Unsaved, removal_key
from trainer_desk.ui.question import ask

if TYPE_CHECKING:
    from trainer_desk.ui.register_window import RegisterWindow


class RegisterRemoval:
    """The window's Remove command and its Undo button (shown after a removal, until it is used)."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.undo = QPushButton("Undo")
        self.undo.setAccessibleName("Undo the removal")
        self.undo.hide()
        self.undo.clicked.connect(self.bring_back)
        self.removed: RegisterLine | None = None  # the line last removed, as it was, for Undo to bring back
        # A removal handed to the database and not yet saved, and whether Undo was pressed meanwhile: a quick
        # Ctrl+Z after Delete was dropped, and the person stayed off the register.
        self.removing: RegisterLine | None = None
        self.undo_waiting = False
        self.not_removed: RegisterLine | None = None  # a removal the disk refused, on the banner: Undo drops it

    def remove_selected(self) -> None:
        """Before closing, a line added by mistake goes (with an undo); after, it is a correction with a reason."""
        window = self.window
        try:  # said at once, not after a question about the booking
            refuse_if_cancelled(window.session.status)
        except UserFacingError as error:
            window.show_message(error.message)
            return
        rows = window.table.selected_rows()
        if not rows or rows[0] >= len(window.lines):
            window.show_message("Select the attendee to remove first.")
            return
        line = window.lines[rows[0]]
        if window.session.status is SessionStatus.CLOSED:
            window.choose_status(line.attendance, AttendanceStatus.ABSENT)
            return
        if window.is_booked(line) and line.attendance.version == 1:  # as booked, not marked absent here since
            self._ask_to_cancel_booking(line)
            return
        self._remove(line)

    def _ask_to_cancel_booking(self, line: RegisterLine) -> QMessageBox:
        """Someone booked ahead (by the lead, or at HQ) is asked about first: removing the line cancels their
        booking, which the chase lists show; someone who simply did not come stays on as absent."""
        return ask(
            self.window,
            "Remove a booking",
            f"{line.name} was booked on this session. Remove them, and their booking with them? Someone who did "
            "not come can stay on the register as absent.",
            "Remove the booking",
            "Keep them booked",
            lambda: self._remove(line),
            name="Remove a booking",
        )

    def _remove(self, line: RegisterLine) -> None:
        window = self.window
        record, name, by = line.attendance, line.name, window.recorded_by
        db, session, now = window.workspace.writer, window.session, window.workspace.clock()

        def removed(_result: object) -> None:
            self.removed, self.removing = line, None
            if self.not_removed is line:
                self.not_removed = None
            window.show_written(f"Removed: {name}. Undo with Ctrl+Z or the Undo button.")
            self.undo.show()
            if self.undo_waiting:  # Undo was pressed before the removal was saved: done now, as asked
                self.undo_waiting = False
                self.bring_back()

        def not_removed(error: Exception) -> None:
            self.removing, self.undo_waiting = None, False  # not taken off: nothing to bring back
            self.not_removed = line  # but Undo takes it off the banner, so it is never tried again
            window.show_write_failed(error, unsaved)

        def work() -> None:
            attendance.remove_attendee(db, session, record, by, now)

        self.removing, self.undo_waiting = line, False
        unsaved = Unsaved(f"removing {name}", work, removed, removal_key(record.staff_number))
        window.tasks.run_db(work, on_success=removed, on_failure=not_removed, owner=window)

    def _keep_unremoved(self, line: RegisterLine) -> None:
        """Undo of a removal the disk refused: it leaves the banner, and stays undone when Try again is pressed."""
        self.not_removed = None
        key = removal_key(line.attendance.staff_number)
        if self.window.not_saved.holds(key):
            self.window.not_saved.saved(key)
            self.window.show_message(
                f"Undone: {line.name} stays on the register; their removal will not be tried again."
            )

    def bring_back(self) -> None:
        """Undo: the line last removed goes back where it was, as it was; pressed while its removal is still
        being saved, it goes back as soon as that is done."""
        if self.removed is None:
            if self.not_removed is not None and self.removing is None:
                self._keep_unremoved(self.not_removed)
            elif self.removing is not None:
                self.undo_waiting = True
                self.window.show_message(f"Bringing {self.removing.name} back once their removal is saved…")
            return
        window = self.window
        line, self.removed = self.removed, None
        self.undo.hide()
        db, session, now, by = window.workspace.writer, window.session, window.workspace.clock(), window.recorded_by
        window.write(
            lambda: attendance.restore_attendee(db, session, line.attendance, line.name, by, now),
            f"Back on the register: {line.name}.",
            name=line.name,
        )
