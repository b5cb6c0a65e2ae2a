"""Which screen the room sees: the list of screens in the presenter's window, kept up to date as projectors
are plugged in and pulled out, and the audience window moved to the one chosen.

Only a deliberate choice moves it (the list opened with Alt+Down, F4 or a click, then Enter or a click): a
closed box took Up, Down or the mouse wheel as a choice, and one stray key on the way through the presenter
took the room's view off the projector, mid-session."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication, QPaintEvent, QScreen
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QStylePainter

from trainer_desk.core.presenter_text import AUDIENCE_MOVED, screen_choice
from trainer_desk.ui.audience_window import AudienceWindow, default_audience_screen
from trainer_desk.ui.combo_fit import fit_to_column
from trainer_desk.ui.deliberate_combo import DeliberateComboBox


class AudienceScreenChoice(DeliberateComboBox):
    audience_moved = Signal(str)  # said to the trainer: the projector went, and the room's view moved

    def __init__(self, audience: AudienceWindow) -> None:
        super().__init__()
        self.audience = audience
        self.setAccessibleName("Audience screen")
        fit_to_column(self)
        self.currentTextChanged.connect(self._name_in_full)
        self.activated.connect(self._on_activated)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self.refresh)
        app.screenRemoved.connect(self._on_screen_removed)
        self.refresh()

    def refresh(self, *_: object) -> None:
        self.clear()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.geometry()
            self.addItem(screen_choice(number, screen.name(), size.width(), size.height()), screen)

    def _name_in_full(self, text: str) -> None:
        """The whole of the chosen screen's name, for a screen reader and in the tooltip (`fit_to_column`), when
        the box is too narrow to show it."""
        self.setAccessibleName(f"Audience screen: {text}" if text else "Audience screen")

    def paintEvent(self, event: QPaintEvent) -> None:
        """The chosen screen's name shortened where the column is narrow: cut off at the edge, it read
        "Audience on PROJECTOR (51", a size that no screen has."""
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        room = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = shortened(option.currentText, room.width(), self.fontMetrics())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def place_by_default(self) -> None:
        """The projector full screen when there is one, else a window on the trainer's own screen."""
        screen, full = default_audience_screen()
        self.audience.place_on(screen, full)
        index = self.findData(screen)
        if index >= 0:
            self.setCurrentIndex(index)

    def _on_activated(self, index: int) -> None:
        screen = self.itemData(index)
        if isinstance(screen, QScreen):
            self.audience.place_on(screen, full_screen=screen is not QGuiApplication.primaryScreen())

    def _on_screen_removed(self, screen: QScreen) -> None:
        self.refresh()
        if self.audience.screen() is screen or self.audience.screen() is None:
            self.place_by_default()
            self.audience_moved.emit(AUDIENCE_MOVED)


def shortened(text: str, width: int, metrics: QFontMetrics) -> str:
    """`text` if it fits `width`, else without "Audience on " (the label above says so), else with the screen's
    name cut short with "…" and its size kept whole."""
    short = text.removeprefix("Audience on ")
    for candidate in (text, short):
        if metrics.horizontalAdvance(candidate) <= width:
            return candidate
    name, bracket, size = short.rpartition(" (")
    if not bracket:
        return metrics.elidedText(short, Qt.TextElideMode.ElideRight, width)
    size = f"{bracket}{size}"
    return metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(width - metrics.horizontalAdvance(size), 0)) + size
