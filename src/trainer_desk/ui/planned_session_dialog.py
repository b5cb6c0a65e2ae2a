"""Change a session that has not started: move it, give it to other trainers, or cancel it with a reason.

As with the other dialogs, this one only gathers the answer; the Sessions view saves it through the database
worker and, if the store refuses it (a trainer not on the roster, no reason), shows why here, and the dialog
stays open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from trainer_desk.core.booking_clash import BookingClashError
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.sessions import Session
from trainer_desk.ui.force_time_field import force_time_field, moment_in
from trainer_desk.ui.unsaved import KeepsTyping

ERROR_STYLE = "color: #b00020;"
ALREADY_SAVING = "Already being saved: closing this window does not stop it."


class ChangePlannedSessionDialog(KeepsTyping):
    """When, where and by whom; nothing is sent unless something changed."""

    # The new start (datetime), venue, trainers (tuple of staff numbers), and those whose clash with another
    # session the lead was shown and chose to save anyway (tuple of staff numbers).
    submitted = Signal(object, str, object, object)

    def __init__(self, parent: QWidget | None, session: Session) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Change a planned session")
        self.setAccessibleName("Change a planned session")
        self.setMinimumWidth(560)
        self.starts = force_time_field(session.starts_at)
        self.starts.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts.setCalendarPopup(True)
        self.starts.setAccessibleName("Starts at")
        self.venue = QLineEdit(session.venue)
        self.venue.setAccessibleName("Venue")
        self.trainers = QLineEdit(", ".join(session.trainers))
        self.trainers.setAccessibleName("Trainers' staff numbers")
        self.trainers.setPlaceholderText("Staff numbers, separated by commas; the first leads")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # names from the roster, shown as they are
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("What stops the change")
        # Offered only once a clash is shown, for the people it named: someone added since is said again.
        self.anyway = QCheckBox("Save it anyway: they can be at both, or it is meant")
        self.anyway.setAccessibleName("Save the change anyway for the people named")
        self.anyway.hide()
        self.clash_people: tuple[str, ...] = ()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save.setText("Save changes")
        self.save.setAccessibleName("Save the changes to this session")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("The trainers' laptops and HQ learn of the change with the next sync."))
        form.addRow("Starts at", self.starts)
        form.addRow("Venue", self.venue)
        form.addRow("Trainers", self.trainers)
        form.addRow(self.error)
        form.addRow(self.anyway)
        form.addRow(buttons)

    def _on_save_clicked(self) -> None:
        starts = moment_in(self.starts)
        venue = " ".join(self.venue.text().split())[:200]
        trainers = tuple(dict.fromkeys(n for n in map(normalise_staff_number, self.trainers.text().split(",")) if n))
        if not venue or not trainers:
            self.error.setText("Give the venue and at least one trainer's staff number.")
            return
        if (
            starts == self.session.starts_at.replace(second=0, microsecond=0)
            and venue == self.session.venue
            and trainers == self.session.trainers
        ):
            self.close_without_asking()  # nothing to save: Save closes, as the person meant
            return
        self.error.setText("Saving…")
        self.sending(ALREADY_SAVING + " The change is kept unless it is refused, which the Sessions view says.")
        self.submitted.emit(starts, venue, trainers, self.clash_people if self.anyway.isChecked() else ())

    def show_refusal(self, error: Exception) -> None:
        """Why the store refused it; a clash lists each person on a line and offers to save it anyway."""
        self.answered()
        if isinstance(error, BookingClashError):
            self.error.setText("\n".join([error.heading, *error.lines, error.ask]))
            self.clash_people = error.people
            self.anyway.setChecked(False)
            self.anyway.show()
        else:
            self.error.setText(str(error))
        self.adjustSize()  # the whole message, not its first lines cut off


class CancelPlannedSessionDialog(KeepsTyping):
    """Cancelling needs a reason, kept in the session's history at HQ."""

    submitted = Signal(str)  # the reason

    def __init__(self, parent: QWidget | None, description: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cancel a planned session")
        self.setAccessibleName("Cancel a planned session")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for cancelling")
        self.reason.setPlaceholderText("Why: kept in the session's history")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        confirm = buttons.button(QDialogButtonBox.StandardButton.Ok)
        confirm.setText("Cancel the session")
        confirm.setAccessibleName("Cancel the session")
        keep = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        keep.setText("Keep it")
        keep.setAccessibleName("Keep the session")
        buttons.accepted.connect(self._on_confirm_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        heading = QLabel(description)
        heading.setWordWrap(True)
        form.addRow(heading)
        form.addRow("Reason", self.reason)
        form.addRow(self.error)
        form.addRow(buttons)

    def _on_confirm_clicked(self) -> None:
        if not self.reason.text().strip():
            self.error.setText("Say why the session is cancelled.")
            return
        self.error.setText("Saving…")
        self.sending(ALREADY_SAVING + " The session is cancelled unless that is refused, which the Sessions view says.")
        self.submitted.emit(self.reason.text().strip())

    def show_refusal(self, text: str) -> None:
        self.answered()
        self.error.setText(text)
