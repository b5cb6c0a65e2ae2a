"""The audience's screen: frameless and full screen on the projector, in type a back row can read.

It only shows what the presentation state says; the trainer controls everything from the presenter window.
Every text view follows the projector's size rule (see `projected_text`), from a 1024x768 projector up, and a
text longer than a screen at that size is shown a page at a time, turned by the trainer's next and previous
keys. Captions are set at least as large as the body text and no wider than its measure; a caption too long
for two lines at that size takes a third rather than being set smaller.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from trainer_desk.core.lesson_plan import Section, SectionKind
from trainer_desk.ui.feedback_qr_panel import FeedbackQrPanel
from trainer_desk.ui.full_screen import show_full_screen
from trainer_desk.ui.presentation import AudienceView, Presentation
from trainer_desk.ui.projected_panel import ProjectedTextPanel
from trainer_desk.ui.projected_text import back_row_px, measure

_PAGE_STYLE = """
QWidget#audience { background: #0b1f3a; }
QTextBrowser { background: #0b1f3a; color: #ffffff; border: none; }
QWidget#captionArea { background: #000000; }
QLabel#caption { background: #000000; color: #ffffff; padding: 8px 24px; }
QWidget#blank { background: #000000; }
QWidget#feedbackPage { background: #0b1f3a; }
QLabel#feedbackTold, QLabel#feedbackLink { color: #ffffff; }
"""
_CAPTION_PADDING = QMargins(24, 8, 24, 8)  # as in the style sheet
CAPTION_LINES = 2  # the caption area's usual height, whatever the caption, so the film keeps its size
CAPTION_SHARE = 22  # captions 1/22 of the screen's height: a little larger than the body's 1/25
STARTING_SHORTLY = "The film will start shortly."


def video_title_card(section: Section, playable: bool = True) -> str:
    """What the room reads before a film starts: its heading and framing from the plan, and that it is coming;
    but a film not on this laptop, or one the player found it cannot play (`playable`), is never promised to
    the room (the presenter is told to carry on without)."""
    text = section.audience.strip()
    if not text.startswith("# "):
        text = f"# {section.title}\n\n{text}".strip()
    on_laptop = section.video is not None and section.video.file.is_file()
    return f"{text}\n\n*{STARTING_SHORTLY}*" if on_laptop and playable else text


class AudienceWindow(QWidget):
    def __init__(self, presentation: Presentation) -> None:
        # The room's screen never takes the keyboard: the trainer's keys (and clicker) stay with the presenter.
        super().__init__(
            None,
            Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus,
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.keyboard_owner: QWidget | None = None  # the presenter, handed the keyboard back if it is taken
        self.presentation = presentation
        self.setObjectName("audience")
        self.setWindowTitle("Trainer Desk - audience screen")
        self.setAccessibleName("Audience screen")
        self.setStyleSheet(_PAGE_STYLE)
        self.setCursor(Qt.CursorShape.BlankCursor)

        self.content = ProjectedTextPanel("Projected content", paged=True)
        self.signposting = ProjectedTextPanel("Where to get support", paged=True)
        self.signposting.set_markdown(presentation.plan.signposting)

        self.video_title = ProjectedTextPanel("Film title", centred=True, paged=True)
        self.video = QVideoWidget()
        self.video.setAccessibleName("Video")
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setAccessibleName("Caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.hide()
        self._caption_font = QFont(self.caption.font())
        # the caption area keeps the height of two lines whether a caption has none, one or two, so the
        # film above it never changes size
        self.caption_area = QWidget()
        self.caption_area.setObjectName("captionArea")
        self.caption_area.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._caption_layout = QVBoxLayout(self.caption_area)
        self._caption_layout.setContentsMargins(0, 0, 0, 0)
        self._caption_layout.addWidget(self.caption)
        self.film = QWidget()
        film_layout = QVBoxLayout(self.film)
        film_layout.setContentsMargins(0, 0, 0, 0)
        film_layout.setSpacing(0)
        film_layout.addWidget(self.video, 1)
        film_layout.addWidget(self.caption_area)
        self.video_page = QStackedWidget()
        self.video_page.addWidget(self.video_title)
        self.video_page.addWidget(self.film)
        self._film_started = False

        self.blank = QWidget()
        self.blank.setObjectName("blank")
        self.blank.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

        self.feedback = FeedbackQrPanel()
        self.feedback.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

        self.pages = QStackedWidget()
        pages: tuple[QWidget, ...] = (self.content, self.video_page, self.blank, self.signposting, self.feedback)
        for widget in pages:
            self.pages.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        presentation.section_changed.connect(self._on_presentation_section_changed)
        presentation.view_changed.connect(self._on_presentation_changed)
        self._on_presentation_section_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Captions scale with the screen like the rest of the type; their area is two lines high."""
        super().resizeEvent(event)
        caption_font = QFont(self.caption.font())
        caption_font.setPixelSize(max(back_row_px(self.height()), self.height() // CAPTION_SHARE))
        self._caption_font = caption_font
        self._fit_caption()

    def show_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setVisible(bool(text))
        self._fit_caption()

    def changeEvent(self, event: QEvent) -> None:
        """Some platforms activate the window a film starts in; give the keyboard straight back."""
        super().changeEvent(event)
        owner = self.keyboard_owner
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and owner is not None:
            QTimer.singleShot(0, owner.activateWindow)

    def show_video_playing(self, playing: bool) -> None:
        """Follow the player: the film's title card until it first plays in this section, then the film.

        A pause after that keeps the paused frame on the screen, as a trainer stopping to talk expects.
        """
        if playing:
            self._film_started = True
        self.video_page.setCurrentWidget(self.film if self._film_started else self.video_title)

    def show_film_cannot_play(self) -> None:
        """The section's film is damaged or will not play here: its title card, without the promise."""
        if self.presentation.section.video is not None:
            self._film_started = False
            self.video_title.set_markdown(video_title_card(self.presentation.section, playable=False))
            self.video_page.setCurrentWidget(self.video_title)

    def shown_page(self) -> str:
        """What the room sees now: 'content', 'video', 'blank', 'signposting' or 'feedback'."""
        return ("content", "video", "blank", "signposting", "feedback")[self.pages.currentIndex()]

    def _fit_caption(self) -> None:
        """A caption too long for two lines is set smaller down to the body's size, never below it: past that
        its area grows a line at a time for as long as it is up, so it is never cut. Its lines are no wider
        than the body's measure, in the middle of the screen."""
        font = QFont(self._caption_font)
        padding = _CAPTION_PADDING.left() + _CAPTION_PADDING.right()
        allowed = min(self.width(), measure(font.pixelSize()) + padding)
        side = max(0, (self.width() - allowed) // 2)
        self._caption_layout.setContentsMargins(side, 0, side, 0)
        width = allowed - padding
        usual = CAPTION_LINES * QFontMetrics(font).lineSpacing()
        room, lines, smallest = usual, CAPTION_LINES, back_row_px(self.height())
        text = self.caption.text()
        while text and width > 0:
            needed = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
            if needed.height() <= room:
                break
            if font.pixelSize() > smallest:
                font.setPixelSize(font.pixelSize() - 1)
            else:
                lines += 1
            room = max(usual, lines * QFontMetrics(font).lineSpacing())
        self.caption.setFont(font)
        self.caption_area.setFixedHeight(room + _CAPTION_PADDING.top() + _CAPTION_PADDING.bottom())

    def turn_page(self, step: int) -> bool:
        """Turn the page of the text the room sees, `step` on (back when negative); False when it has no such
        page, so the trainer's key moves on to the next (or previous) section instead."""
        panel = self._shown_text()
        return panel is not None and panel.turn_page(step)

    def shown_text_pages(self) -> tuple[int, int]:
        """The page of the shown text the room sees, counted from 1, and how many it has (1 of 1 for none)."""
        panel = self._shown_text()
        return (panel.page + 1, panel.page_count()) if panel is not None else (1, 1)

    def _shown_text(self) -> ProjectedTextPanel | None:
        shown = self.pages.currentWidget()
        if shown is self.video_page:
            shown = self.video_page.currentWidget()
        return shown if isinstance(shown, ProjectedTextPanel) else None

    def _on_presentation_section_changed(self, *_: object) -> None:
        section = self.presentation.section
        self._film_started = False
        if section.video is not None:
            self.video_title.set_markdown(video_title_card(section))
        self.video_page.setCurrentWidget(self.video_title)
        self._on_presentation_changed()

    def _on_presentation_changed(self, *_: object) -> None:
        view = self.presentation.view
        section = self.presentation.section
        if view == AudienceView.BLANK:
            self.pages.setCurrentWidget(self.blank)
        elif view == AudienceView.SIGNPOSTING:
            self.signposting.show_first_page()
            self.pages.setCurrentWidget(self.signposting)
        elif section.video is not None:
            self.pages.setCurrentWidget(self.video_page)
        elif section.kind is SectionKind.CLOSE and self.presentation.feedback_link:
            self.feedback.show_link(self.presentation.feedback_link, section.audience)
            self.pages.setCurrentWidget(self.feedback)
        else:
            self.content.set_markdown(section.audience)
            self.pages.setCurrentWidget(self.content)

    def place_on(self, screen: QScreen, full_screen: bool) -> None:
        """Move to `screen`; full screen there, or a plain window when it is the trainer's only screen. Only
        the room's screen has pages to turn: in a window beside the presenter, a long text is set smaller,
        and the trainer's keys move through the sections as before."""
        self.hide()
        for panel in (self.content, self.signposting, self.video_title):
            panel.set_paged(full_screen)
        if full_screen:
            show_full_screen(self, screen)
        else:
            self.setScreen(screen)
            geometry = screen.availableGeometry()
            self.setGeometry(geometry.x() + 60, geometry.y() + 60, geometry.width() // 2, geometry.height() // 2)
            self.showNormal()


def default_audience_screen() -> tuple[QScreen, bool]:
    """The second screen when there is one (the projector), full screen; else the only screen, windowed."""
    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    return (others[0], True) if others else (primary, False)
