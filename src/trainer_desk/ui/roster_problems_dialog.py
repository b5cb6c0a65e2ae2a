"""Why a roster file was not imported. A message box grows with its text: with a few hundred problems it was
taller than the screen, its OK button and the advice under the list out of reach. Here the list scrolls in a
box of its own, and the dialog is never taller than the screen it opens on, so the heading, the advice and OK
stay in view whatever the file. The advice names the force's units and wraps over many lines for a force of forty: the
dialog grows to hold every line of it, and beyond the screen's height it scrolls in a box of its own, never cut."""

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
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_problems import RosterFileError

SCREEN_SHARE = 0.85  # of the screen's height, at most: the window's frame and the taskbar need the rest
QWIDGETSIZE_MAX = 16777215  # Qt's "no limit" for a widget's size
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
        self.advice_area = QScrollArea()
        self.advice_area.setWidget(self.advice)
        self.advice_area.setWidgetResizable(True)
        self.advice_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.advice_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.advice_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # unless it must
        self.advice_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop only when there is more to read
        self.advice_area.setAccessibleName("What to do")
        self.advice_area.setVisible(bool(detail))
        layout.addWidget(self.advice_area)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("OK: close this message")
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self._fit(listed)
        self.ok_button.setFocus()

    def _fit(self, listed: bool) -> None:
        """As wide as the problems need (within the screen) and as tall as the problems and the wrapped advice
        need, up to the screen's share: beyond it the list keeps four lines and scrolls, and the advice has
        what room is left and scrolls the rest."""
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
        fewest = metrics.lineSpacing() * 4 + 2 * self.problems.frameWidth() if listed else 0
        wanted = 0
        if listed:
            scrolled = scrollbar if widest + chrome > width else 0  # a line too wide: the bar takes a line's room
            wanted = max(metrics.lineSpacing() * len(lines) + 2 * self.problems.frameWidth() + em + scrolled, fewest)
            self.problems.setFixedHeight(wanted)  # for a moment, to measure what the rest of the dialog takes
        inner = width - margins.left() - margins.right()
        advice = self.advice.heightForWidth(inner) if self.advice.text() else 0
        self.advice_area.setFixedHeight(advice)
        rest = layout.totalHeightForWidth(width) - advice - wanted  # the heading, summary, OK and the spacing
        if listed:
            self.problems.setMinimumHeight(fewest)
            self.problems.setMaximumHeight(QWIDGETSIZE_MAX)
        left_for_advice = tallest - rest - fewest
        if advice > left_for_advice:  # more than the screen holds: the list keeps four lines, the advice scrolls
            advice = max(left_for_advice, self.advice.fontMetrics().lineSpacing() * 3)
            self.advice_area.setFixedHeight(advice)
            self.advice_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            self.advice_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # scrolled from the keyboard too
        self.resize(width, max(min(rest + wanted + advice, tallest), self.minimumSizeHint().height()))
