"""A text box on the projector: Markdown laid out by the rule in `projected_text`, refitted whenever the text
or the screen changes, and shown a page at a time when it needs more than one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from trainer_desk.ui.projected_text import SMALLEST_PX, Arrangement, Pages, arrange, paginate


class ProjectedTextPanel(QWidget):
    """Markdown for the room, fitted to the panel's size whenever the text or the size changes.

    `centred` sets short text in the middle of the screen (a title card) instead of at the top. When `paged`,
    text too long for one page at the rule's size is shown a page at a time, for the trainer to turn
    (`turn_page`); otherwise, as where nobody can turn a page, it is set smaller until it fits.
    """

    def __init__(self, accessible_name: str, centred: bool = False, paged: bool = False) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.centred = centred
        self.paged = paged
        self.markdown = ""
        self.pages = Pages(("",), SMALLEST_PX)
        self.page = 0
        self.arrangement = Arrangement(SMALLEST_PX, "", ("",))
        self.title = self._browser(f"{accessible_name}: heading")
        self.first = self._browser(accessible_name)
        self.second = self._browser(f"{accessible_name}, continued")

    def _browser(self, name: str) -> QTextBrowser:
        browser = QTextBrowser(self)
        browser.setAccessibleName(name)
        browser.setOpenLinks(False)
        browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        browser.hide()
        return browser

    def set_markdown(self, markdown: str) -> None:
        """Show `markdown` from its first page."""
        self.markdown = markdown
        self.page = 0
        self._fit()

    def set_paged(self, paged: bool) -> None:
        if paged != self.paged:
            self.paged = paged
            self.page = 0
            self._fit()

    def show_first_page(self) -> None:
        if self.page:
            self.page = 0
            self._fit()

    def page_count(self) -> int:
        return len(self.pages.texts)

    def turn_page(self, step: int) -> bool:
        """Go `step` pages on (back when negative); False, and nothing changes, when there is no such page."""
        page = self.page + step
        if step == 0 or not 0 <= page < self.page_count():
            return False
        self.page = page
        self._fit()
        return True

    def browsers(self) -> list[QTextBrowser]:
        """The text boxes the room sees now, heading first."""
        return [b for b in (self.title, self.first, self.second) if not b.isHidden()]

    def toPlainText(self) -> str:
        return "\n".join(browser.toPlainText() for browser in self.browsers())

    def body_pixel_size(self) -> int:
        return self.arrangement.px

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width, height = self.width(), self.height()
        if width <= 0 or height <= 0:
            return
        if self.paged:
            self.pages = paginate(self.markdown, width, height)
        else:
            self.pages = Pages((self.markdown,), arrange(self.markdown, width, height).px)
        self.page = min(self.page, self.page_count() - 1)  # a larger screen may need fewer pages
        self.arrangement = arrange(self.pages.texts[self.page], width, height, self.pages.px)
        shown = (self.first,) if len(self.arrangement.columns) == 1 else (self.first, self.second)
        if self.arrangement.title:
            shown = (self.title, *shown)
        top = 0
        for browser, piece in zip(shown, self.arrangement.pieces(width, height), strict=True):
            font = QFont(browser.font())
            font.setPixelSize(piece.px)
            browser.setFont(font)
            piece.document(into=browser.document())
            browser.setGeometry(piece.left, top, piece.width, piece.height)
            if browser is self.title:
                top = piece.height
            browser.show()
        for browser in (self.title, self.first, self.second):
            if browser not in shown:
                browser.hide()
        if self.centred and len(shown) == 1:
            self._centre(self.first.document(), height)

    @staticmethod
    def _centre(document: QTextDocument, height: int) -> None:
        spare = height - document.size().height()
        if spare > 0:
            frame = document.rootFrame().frameFormat()
            frame.setTopMargin(frame.topMargin() + spare / 2)
            document.rootFrame().setFrameFormat(frame)
