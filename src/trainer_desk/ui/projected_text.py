"""Markdown on the projector, sized so all of it is on the screen and the back row can still read it.

The type is the largest that fits, between about 24 lines a screen and the back-row size (24 px on a
768-high screen, scaled with the height). When even back-row type runs off the bottom, the text goes into
two columns under its heading, split between paragraphs or lists, never between a lead-in line and what
it leads into. Only if two columns cannot hold it either does the type go below the back-row size:
small text is still better than a phone number that is not on the screen.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from trainer_desk.core.markdown_title import split_title
from trainer_desk.ui.markdown_text import FEATURES as MARKDOWN_FEATURES

REFERENCE_HEIGHT = 768
BACK_ROW_PX = 24  # body text on a 768-high screen; scaled with the height
LINES_PER_SCREEN = 24  # the most generous type: about 24 lines of body text fill the height
SMALLEST_PX = 10
_MARGIN_PER_PX = 1.7  # the space around the text grows and shrinks with the type


def back_row_px(height: int) -> int:
    """The smallest body text the back row can read on a screen this many pixels high."""
    return math.ceil(BACK_ROW_PX * height / REFERENCE_HEIGHT)


def _margin(px: int) -> int:
    return round(px * _MARGIN_PER_PX)


@dataclass(frozen=True, slots=True)
class _Margins:
    left: float
    top: float
    right: float
    bottom: float


_SPACED_AT_PX = 100


@functools.lru_cache(maxsize=256)
def _spaced_html(markdown: str) -> str:
    """`markdown` as rich text with paragraph spacing, laid out once for 100 px type and scaled per size.

    Each layout is then a handful of calls instead of several per paragraph, which matters because fitting
    tries many sizes.
    """
    document = QTextDocument()
    font = QFont(document.defaultFont())
    font.setPixelSize(_SPACED_AT_PX)
    document.setDefaultFont(font)
    document.setMarkdown(markdown, MARKDOWN_FEATURES)
    _space_blocks(document, _SPACED_AT_PX)
    return document.toHtml()


def _scaled(html: str, px: int) -> str:
    return re.sub(
        r"((?:margin-(?:top|bottom)|font-size): ?)(\d+)px",
        lambda m: f"{m.group(1)}{round(int(m.group(2)) * px / _SPACED_AT_PX)}px",
        html,
    )


def _document(
    markdown: str, px: int, width: int, margins: _Margins, into: QTextDocument | None = None
) -> QTextDocument:
    """`markdown` laid out at `width` with body text `px` high; `into` is filled in place of a new one."""
    document = into if into is not None else QTextDocument()
    font = QFont(document.defaultFont())
    font.setPixelSize(px)
    document.setDefaultFont(font)
    document.setHtml(_scaled(_spaced_html(markdown), px))
    if margins.left == margins.top == margins.right == margins.bottom:
        document.setDocumentMargin(margins.left)
    else:
        frame = document.rootFrame().frameFormat()
        frame.setLeftMargin(margins.left)
        frame.setTopMargin(margins.top)
        frame.setRightMargin(margins.right)
        frame.setBottomMargin(margins.bottom)
        document.rootFrame().setFrameFormat(frame)
    document.setTextWidth(width)
    return document


def _space_blocks(document: QTextDocument, px: int) -> None:
    """Space between paragraphs in proportion to the type, tighter inside a list and under a lead-in."""
    block = document.begin()
    while block.isValid():
        following = block.next()
        block_format = block.blockFormat()
        block_format.setTopMargin(0)
        block_format.setBottomMargin(round(px * _space_after(block, following)) if following.isValid() else 0)
        QTextCursor(block).setBlockFormat(block_format)
        block = following


def _space_after(block: QTextBlock, following: QTextBlock) -> float:
    # a list item's format names its list (objectIndex); a plain paragraph's is -1. (Asking the block for its
    # textList() instead trips a reference-counting fault in PySide6 when there is none.)
    in_list, next_in_list = block.blockFormat().objectIndex(), following.blockFormat().objectIndex()
    if block.blockFormat().headingLevel() > 0:
        return 0.2
    if in_list != -1 and in_list == next_in_list:
        return 0.12
    if in_list == -1 and next_in_list != -1:
        return 0.2
    return 0.5


def _fits(document: QTextDocument, width: int, height: int) -> bool:
    size = document.size()
    return size.height() <= height and document.idealWidth() <= width


_STARTS_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)]) |^ {0,3}#")


def blocks(markdown: str) -> list[str]:
    """The pieces a column may break between: paragraphs, headings and top-level list items.

    Each keeps the line break(s) that followed it, so joining a run of them gives back that part of the text.
    """
    pieces: list[str] = []
    blank_before = True
    for line in markdown.strip().splitlines(keepends=True):
        if not line.strip():
            if pieces:
                pieces[-1] += line
            blank_before = True
            continue
        if blank_before or _STARTS_ITEM.match(line) or not pieces:
            pieces.append(line)
        else:
            pieces[-1] += line
        blank_before = False
    return pieces


def leads_in(block: str) -> bool:
    """A heading, a bold lead-in ('**Get support**') or a line ending in a colon belongs with what follows."""
    line = block.strip()
    return "\n" not in line and (line.startswith(("#", "**")) or line.endswith(":"))


@dataclass(frozen=True, slots=True)
class _Piece:
    """One text box of an arrangement: what it shows, where its text sits, and the room it has."""

    markdown: str
    px: int
    width: int
    height: int
    margins: _Margins

    def document(self, into: QTextDocument | None = None) -> QTextDocument:
        return _document(self.markdown, self.px, self.width, self.margins, into)


@dataclass(frozen=True, slots=True)
class Arrangement:
    """How one text is laid out: body type size, and either one column or a heading over two columns."""

    px: int
    title: str
    columns: tuple[str, ...]

    def pieces(self, width: int, height: int) -> list[_Piece]:
        """The text boxes, title first (when there is one), then the columns left to right."""
        px, m = self.px, _margin(self.px)
        if len(self.columns) == 1:
            return [_Piece(self.columns[0], px, width, height, _Margins(m, m, m, m))]
        placed: list[_Piece] = []
        top = m
        if self.title:
            title = _Piece(self.title, px, width, 0, _Margins(m, m, m, 0))
            title_height = math.ceil(title.document().size().height())
            placed.append(_Piece(self.title, px, width, title_height, title.margins))
            height -= title_height
            top = 0
        left_width = width // 2
        placed.append(_Piece(self.columns[0], px, left_width, height, _Margins(m, top, m / 2, m)))
        placed.append(_Piece(self.columns[1], px, width - left_width, height, _Margins(m / 2, top, m, m)))
        return placed

    def fits(self, width: int, height: int) -> bool:
        return all(_fits(piece.document(), piece.width, piece.height) for piece in self.pieces(width, height))

    def tallest(self, width: int, height: int) -> float:
        return max(piece.document().size().height() for piece in self.pieces(width, height))


def _largest(make: Callable[[int], Arrangement | None], low: int, high: int) -> Arrangement | None:
    """The arrangement with the largest type in [low, high] that fits (type grows, height grows)."""
    best: Arrangement | None = None
    while low <= high:
        px = (low + high) // 2
        found = make(px)
        if found is not None:
            best, low = found, px + 1
        else:
            high = px - 1
    return best


@functools.lru_cache(maxsize=256)
def arrange(markdown: str, width: int, height: int) -> Arrangement:
    """The largest readable type at which all of `markdown` fits `width` x `height`."""
    floor = back_row_px(height)
    top = max(floor, height // LINES_PER_SCREEN)

    def one_column(px: int) -> Arrangement | None:
        arrangement = Arrangement(px, "", (markdown,))
        return arrangement if arrangement.fits(width, height) else None

    found = _largest(one_column, floor, top)
    if found is not None:
        return found
    title, body = split_title(markdown)
    parts = blocks(body)
    splits = [k for k in range(1, len(parts)) if not leads_in(parts[k - 1])]

    def two_columns(px: int) -> Arrangement | None:
        candidates = [
            Arrangement(px, title, ("".join(parts[:k]).strip(), "".join(parts[k:]).strip()))
            for k in sorted(splits, key=lambda k: not leads_in(parts[k]))
        ]
        fitting = [c for c in candidates if c.fits(width, height)]
        if not fitting:
            return None
        # a column that starts at a heading reads best; among those, the most even pair
        best_start = leads_in(fitting[0].columns[1])
        preferred = [c for c in fitting if leads_in(c.columns[1]) == best_start]
        return min(preferred, key=lambda c: c.tallest(width, height))

    if splits:
        found = _largest(two_columns, floor, top) or _largest(two_columns, SMALLEST_PX, floor - 1)
        if found is not None:
            return found
    return _largest(one_column, SMALLEST_PX, floor - 1) or Arrangement(SMALLEST_PX, "", (markdown,))


class ProjectedTextPanel(QWidget):
    """Markdown for the room, fitted to the panel's size whenever the text or the size changes.

    `centred` sets short text in the middle of the screen (a title card) instead of at the top.
    """

    def __init__(self, accessible_name: str, centred: bool = False) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.centred = centred
        self.markdown = ""
        self.arrangement = Arrangement(BACK_ROW_PX, "", ("",))
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
        self.markdown = markdown
        self._fit()

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
        self.arrangement = arrange(self.markdown, width, height)
        shown = (self.first,) if len(self.arrangement.columns) == 1 else (self.first, self.second)
        if self.arrangement.title:
            shown = (self.title, *shown)
        top = 0
        for browser, piece in zip(shown, self.arrangement.pieces(width, height), strict=True):
            font = QFont(browser.font())
            font.setPixelSize(piece.px)
            browser.setFont(font)
            piece.document(into=browser.document())
            browser.setGeometry(
                0 if browser is not self.second else width - piece.width, top, piece.width, piece.height
            )
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
