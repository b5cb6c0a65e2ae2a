"""Why a roster file was not imported. A message box grows with its text: with a few hundred problems it was
taller than the screen, its OK button and the advice under the list out of reach. Here the list scrolls in a
box of its own, and the dialog is never taller than the screen it opens on, so the heading, the advice and OK
stay in view whatever the file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_problems import RosterFileError

SCREEN_SHARE = 0.85  # of the screen's height, at most: the window's frame and the taskbar need the rest
MIN_WIDTH_EM = 34  # a problem ("row 5, column C "Payroll Number": is empty") on a line of its own


class RosterProblemsDialog(QDialog):
    """The heading, what is wrong with the file (a scrolling list when the file gives one) and what to do."""

    def __init__(self, error: UserFacingError | None, fallback: str, parent: QWidget | None = None) -> None:
        """`error` is what the reader said; without one (a fault of ours) `fallback` is all that is shown."""
        super().__init__(parent)
        self.setWindowTitle("Import roster")
        self.setAccessibleName("Import roster: nothing was imported")
        layout = self._layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32))
        top.addWidget(icon)
        self.heading = QLabel("Nothing was imported.")
        self.heading.setStyleSheet("font-weight: bold;")
        top.addWidget(self.heading, 1)
        layout.addLayout(top)
        listed = isinstance(error, RosterFileError)
        summary = error.headline if isinstance(error, RosterFileError) else str(error or fallback)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # a wrapped row reads as two problems
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setTabChangesFocus(True)  # Tab goes on to OK, as in any form
        self.problems.setPlainText("\n".join(error.lines) if isinstance(error, RosterFileError) else "")
        self.problems.setVisible(listed)
        layout.addWidget(self.problems, 1)
        detail = error.detail if isinstance(error, RosterFileError) else ""
        self.advice = QLabel(detail)
        self.advice.setWordWrap(True)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice.setVisible(bool(detail))
        layout.addWidget(self.advice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("OK: close this message")
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self._fit(listed)
        self.ok_button.setFocus()

    def _fit(self, listed: bool) -> None:
        """As wide as the problems need (within the screen) and no taller than the screen allows: the list's
        box is as tall as its lines where they fit, and scrolls the rest where they do not."""
        metrics = QFontMetrics(self.problems.font())
        lines = self.problems.toPlainText().splitlines()
        em = metrics.horizontalAdvance("M")
        layout = self._layout
        margins = layout.contentsMargins()
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        chrome = margins.left() + margins.right() + 2 * self.problems.frameWidth() + scrollbar + em
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        parent = self.parentWidget()
        screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        width = min(max(MIN_WIDTH_EM * em, widest + chrome), int(room.width() * 0.9))
        tallest = int(room.height() * SCREEN_SHARE)
        self.setMaximumHeight(tallest)
        height = layout.totalHeightForWidth(width)
        if listed:
            self.problems.setMinimumHeight(metrics.lineSpacing() * 4)
            scrolled = scrollbar if widest + chrome > width else 0  # a line too wide: the bar takes a line's room
            wanted = metrics.lineSpacing() * len(lines) + 2 * self.problems.frameWidth() + em + scrolled
            height += wanted - self.problems.sizeHint().height()
        self.resize(width, max(min(height, tallest), self.minimumSizeHint().height()))
