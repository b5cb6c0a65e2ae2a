"""The audience's screen: frameless and full screen on the projector, in type a back row can read.

It only shows what the presentation state says; the trainer controls everything from the presenter window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

from trainer_desk.ui.presentation import AudienceView, Presentation

_PAGE_STYLE = """
QWidget#audience { background: #0b1f3a; }
QTextBrowser { background: #0b1f3a; color: #ffffff; border: none; }
QLabel#caption { background: rgba(0, 0, 0, 200); color: #ffffff; padding: 8px 24px; }
QWidget#blank { background: #000000; }
"""


class AudienceWindow(QWidget):
    def __init__(self, presentation: Presentation) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.presentation = presentation
        self.setObjectName("audience")
        self.setWindowTitle("Trainer Desk - audience screen")
        self.setAccessibleName("Audience screen")
        self.setStyleSheet(_PAGE_STYLE)
        self.setCursor(Qt.CursorShape.BlankCursor)

        self.content = QTextBrowser()
        self.content.setAccessibleName("Projected content")
        self.content.setOpenLinks(False)
        self.signposting = QTextBrowser()
        self.signposting.setAccessibleName("Where to get support")
        for page in (self.content, self.signposting):
            page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            page.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.signposting.setMarkdown(presentation.plan.signposting)

        self.video = QVideoWidget()
        self.video.setAccessibleName("Video")
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.hide()
        video_page = QWidget()
        video_layout = QVBoxLayout(video_page)
        video_layout.setContentsMargins(0, 0, 0, 0)
        video_layout.addWidget(self.video, 1)
        video_layout.addWidget(self.caption)

        self.blank = QWidget()
        self.blank.setObjectName("blank")

        self.pages = QStackedWidget()
        pages: tuple[QWidget, ...] = (self.content, video_page, self.blank, self.signposting)
        for widget in pages:
            self.pages.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        presentation.section_changed.connect(self._on_presentation_changed)
        presentation.view_changed.connect(self._on_presentation_changed)
        self._on_presentation_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Type scales with the screen: about 24 lines of body text fill the height, on any projector."""
        super().resizeEvent(event)
        body = max(16, self.height() // 24)
        for page in (self.content, self.signposting):
            font = page.font()
            font.setPixelSize(body)
            page.setFont(font)
            page.document().setDefaultFont(font)
            page.document().setDocumentMargin(self.height() / 14)
        caption_font = self.caption.font()
        caption_font.setPixelSize(max(16, self.height() // 22))
        self.caption.setFont(caption_font)

    def show_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setVisible(bool(text))

    def shown_page(self) -> str:
        """What the room sees now: 'content', 'video', 'blank' or 'signposting'."""
        return ("content", "video", "blank", "signposting")[self.pages.currentIndex()]

    def _on_presentation_changed(self, *_: object) -> None:
        view = self.presentation.view
        section = self.presentation.section
        if view == AudienceView.BLANK:
            self.pages.setCurrentWidget(self.blank)
        elif view == AudienceView.SIGNPOSTING:
            self.pages.setCurrentIndex(3)
        elif section.video is not None:
            self.pages.setCurrentIndex(1)
        else:
            self.content.setMarkdown(section.audience)
            self.pages.setCurrentWidget(self.content)

    def place_on(self, screen: QScreen, full_screen: bool) -> None:
        """Move to `screen`; full screen there, or a plain window when it is the trainer's only screen."""
        self.hide()
        self.setScreen(screen)
        geometry = screen.availableGeometry()
        if full_screen:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.setGeometry(geometry.x() + 60, geometry.y() + 60, geometry.width() // 2, geometry.height() // 2)
            self.showNormal()


def default_audience_screen() -> tuple[QScreen, bool]:
    """The second screen when there is one (the projector), full screen; else the only screen, windowed."""
    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    return (others[0], True) if others else (primary, False)
