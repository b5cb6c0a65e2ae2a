"""The Sync view's "Enroll with HQ…": HQ's address and the one-time code, and, once the code is whole, which
sessions on this laptop HQ will not take from the unit the code enrolls for, said before the person enrolls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from trainer_desk.core.enrollment_link import as_issued, read_link
from trainer_desk.ui.unsaved import KeepsTyping

CODE_CHARACTERS = 16  # as HQ issues them: 8F9A-76F5-0E99-793D


def whole_code(typed: str) -> str:
    """The code as issued once all of it is typed; '' while it is not (yet) a code's length."""
    code = as_issued(typed)
    return code if sum(ch.isalnum() for ch in code) == CODE_CHARACTERS else ""


class EnrollDialog(KeepsTyping):
    """HQ's address and the code, checked here and then at HQ with the dialog still open: it closed at once,
    and a typing slip in the address, or a code HQ refused, meant typing the sixteen characters again.

    Once the code is whole, HQ is asked which unit it enrolls for (`code_typed`) without using it, and the
    dialog names the sessions recorded here for another unit (`warn_of_other_units`): HQ refuses them from the
    enrolled laptop, and the trainer learnt so only after their first sync."""

    enroll_requested = Signal(str, str)  # the address and the code, once they look right
    said = Signal(str)  # where enrolling stands now, in words, for the Sync view behind to say too
    code_typed = Signal(str, str)  # the address and a whole code: which unit does it enroll for?

    def __init__(self, parent: QWidget | None, url: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Enroll with HQ")
        self.setAccessibleName("Enroll with HQ")
        self.setMinimumWidth(520)  # the address in full, not "https://hq.example.police…"
        self.url = QLineEdit(url)
        self.url.setAccessibleName("HQ address")
        self.url.setPlaceholderText("https://hq.example.police.uk")
        self.code = QLineEdit()
        self.code.setAccessibleName("Enrollment code")
        self.code.setPlaceholderText("e.g. 8F9A-76F5-0E99-793D")
        self.other_units = QLabel()
        self.other_units.setAccessibleName("Sessions HQ will not take after enrolling")
        self.other_units.setWordWrap(True)
        self.other_units.setTextFormat(Qt.TextFormat.PlainText)  # plan titles, shown as they are
        self.other_units.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.other_units.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # read out on the way to Enroll
        self.other_units.hide()
        # Progress in words of its own: said in the problem's place (and red), "Enrolling…" was read out as
        # "Enrollment problem, Enrolling…".
        self.progress = QLabel()
        self.progress.setAccessibleName("Enrollment progress")
        self.progress.setWordWrap(True)
        self.progress.hide()
        self.error = QLabel()
        self.error.setAccessibleName("Enrollment problem")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # HQ's words, shown as they are
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.enroll_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.enroll_button.setText("Enroll")
        buttons.accepted.connect(self._on_enroll_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        told = QLabel(
            "Your training lead or HQ gives you a one-time code. If they show you a QR code, scan it with the"
            " camera app and paste what it reads into either field."
        )
        told.setWordWrap(True)
        form.addRow(told)
        form.addRow("HQ address", self.url)
        form.addRow("Code", self.code)
        form.addRow(self.other_units)
        form.addRow(self.progress)
        form.addRow(self.error)
        form.addRow(buttons)
        self._asked: tuple[str, str] | None = None  # the address and code last asked about
        self.url.textChanged.connect(self._split_link)
        self.code.textChanged.connect(self._split_link)
        self.url.editingFinished.connect(self._ask_about_code)
        self.code.textChanged.connect(self._ask_about_code)

    def _on_enroll_clicked(self) -> None:
        from trainer_desk.sync.client import SyncError, check_base_url

        try:
            check_base_url(self.url.text())
        except SyncError as error:
            self.say(error.message, self.url)
            return
        if not self.code.text().strip():
            self.say("Type the code HQ issued for you.", self.code)
            return
        self.show_progress("Enrolling…")
        self.enroll_button.setEnabled(False)  # one request for a one-time code; back on if HQ refuses it
        self.sending(
            "Already sent to HQ: closing this window does not stop it. If HQ takes the code, this laptop is "
            "enrolled; if not, the Sync view says why."
        )
        self.enroll_requested.emit(self.url.text(), self.code.text())

    def _ask_about_code(self) -> None:
        """Asks HQ about a whole code typed (or pasted) with an address that looks right, once per pair; a
        code changed since hides what was said about the one before."""
        from trainer_desk.sync.client import SyncError, check_base_url

        code = whole_code(self.code.text())
        try:
            url = check_base_url(self.url.text()) if code else ""
        except SyncError:
            url = ""
        if (url, code) == self._asked:
            return
        self.warn_of_other_units("")
        self._asked = (url, code) if url and code else None
        if self._asked is not None:
            self.code_typed.emit(url, code)

    def asked_about(self, url: str, code: str) -> bool:
        """Whether HQ's answer about (`url`, `code`) is still wanted: the same code, not yet sent to enroll."""
        return self.isVisible() and self._asked == (url, code) and self.enroll_button.isEnabled()

    def warn_of_other_units(self, text: str) -> None:
        """Which sessions HQ will not take once enrolled ('' for none), above the Enroll button."""
        self.other_units.setText(text)
        self.other_units.setVisible(bool(text))
        self.adjustSize()

    def say(self, text: str, field: QLineEdit | None = None) -> None:
        """A problem under the fields, in place of any progress; the keys go to the field to put right."""
        self.progress.hide()
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.adjustSize()  # tall enough for what is said, its words not cut off
        if field is not None:
            field.setFocus()
            field.selectAll()
        if text:
            self.said.emit(text if text.startswith("Not enrolled") else f"Not enrolled: {text}")

    def show_progress(self, text: str) -> None:
        """How enrolling is going, in place of a problem said before: the problem is no longer the news."""
        self.error.hide()
        self.progress.setText(text)
        self.progress.setVisible(bool(text))
        self.adjustSize()
        self.said.emit(text)

    def _split_link(self, text: str) -> None:
        """An enrollment link pasted into either field (from the console's QR code) fills in both."""
        found = read_link(text)
        if found is not None:
            self.url.setText(found[0])
            self.code.setText(found[1])
