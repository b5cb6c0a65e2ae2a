"""Windows that fit the screen they open on: at most the size they would like, at most the screen's free area
(a 1366x768 laptop, or a 1920x1080 one with its text at 200%, which Qt sees as 960x540), and a body that
scrolls when even that is too small, so the buttons a person must press are never under the taskbar or off
the edge."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QVBoxLayout, QWidget

from trainer_desk.core.window_fit import Box, fit_window

# What a window system's title bar and edges add, before the window has a frame to measure.
FRAME_ALLOWANCE = QSize(16, 48)
# The main window and the register, where the screen has room: the register's table and its buttons in a row.
WORKING_WINDOW = QSize(1100, 720)


def screen_room(window: QWidget) -> QRect:
    """The free area of the screen `window` opens on: its parent's, for a dialog not shown yet."""
    parent = window.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or window.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Size `window` at `preferred` (by default, what its layout asks for), or as much of it as the free area of
    its screen holds once the frame is counted, and centre it there. Its layout's minimum must fit too: give a
    tall body a `ScrollingBody`, and a long row of buttons a `FlowRow`."""
    preferred = preferred or window.sizeHint()
    room = screen_room(window)
    frame = window.frameGeometry()
    border = QSize(frame.width() - window.width(), frame.height() - window.height()).expandedTo(FRAME_ALLOWANCE)
    fitted = fit_window(
        Box(room.x(), room.y(), room.width(), room.height()),
        (border.width(), border.height()),
        (preferred.width(), preferred.height()),
    )
    window.resize(fitted.width, fitted.height)
    window.move(fitted.x, fitted.y)  # a window's position is its frame's


class ShrinksBeforeScrolling(QWidget):
    """What a `ScrollingBody` scrolls: its body, as tall at a width as the body's least there. A scroll area
    makes wrapped text as tall as it would like to be, so a body with a part that stretches (the presenter's
    script) scrolled on a large screen, the script at its full height, where shrinking the script fitted it."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body)

    def heightForWidth(self, width: int) -> int:
        layout = self.body.layout()
        least = layout.totalMinimumHeightForWidth(width) if layout is not None else -1
        return max(least, self.body.minimumSizeHint().height())


class ScrollingBody(QScrollArea):
    """A window's body that asks for its content's whole size, so that the window opens as large as it needs
    where there is room, shrinks what stretches where there is less, and scrolls only where even its least does
    not fit (Tab scrolls what it reaches into view)."""

    def __init__(self, body: QWidget, name: str) -> None:
        """`name`: what a screen reader calls the scrolled part."""
        super().__init__()
        self.body = body
        self.setAccessibleName(name)
        self.setWidget(ShrinksBeforeScrolling(body))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def sizeHint(self) -> QSize:
        body = self.body
        wanted = body.sizeHint()
        if self.isVisible() and body.hasHeightForWidth():
            # Once it has a width, as tall as its content is at that width: wrapped text asks for the height
            # of a narrow column, and what stood below the body (the feedback form's Send) stood far below.
            wanted.setHeight(body.heightForWidth(self.viewport().width()))
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(wanted.width() + bar, wanted.height())  # room for the bar, should it be needed

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # its height follows its width

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 0)
