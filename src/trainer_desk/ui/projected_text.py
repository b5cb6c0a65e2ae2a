"""Markdown on the projector, sized by one rule so the back row of a classroom can read it.

The rule, for a screen H pixels high (a 1024x768 projector, 1280x720 or 1920x1080):

- body text is at least H / 25 pixels high (31 px at 768, 29 at 720, 44 at 1080), and at most H / 20 when
  there is little of it;
- headings are larger than the body (Markdown's heading sizes scale with it);
- captions under a film are at least as large as the body (see `audience_window`);
- no line is longer than about 60 characters: a column is never wider than `MEASURE_CHARACTERS` average
  characters of its type, and sits in the middle of a wide screen rather than running across it.

Text too long for one column at the rule's size goes into two columns under its heading, split between
paragraphs or lists, never between a lead-in line and what it leads into. Only if two columns cannot hold it
either does the type go below the rule: small text is still better than a phone number that is not on the
screen, and the plan's check at the projector's sizes (tests/ui/test_audience_fit.py) keeps the bundled plans
from ever getting there.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextCursor, QTextDocument

from trainer_desk.core.markdown_title import split_title
from trainer_desk.ui.markdown_text import FEATURES as MARKDOWN_FEATURES

BACK_ROW_SHARE = 25  # body text at least 1/25 of the screen's height
LARGEST_SHARE = 20  # and no more than 1/20, however short the text
MEASURE_CHARACTERS = 60  # a column's width in average characters of its type
SMALLEST_PX = 10
_MARGIN_PER_PX = 1.7  # the space around the text grows and shrinks with the type
# What 'an average character' is measured on: ordinary English, with its spaces.
_SAMPLE = "Report it, challenge it or take action: a private chat is no defence, and deleting it does not end it."


def back_row_px(height: int) -> int:
    """The smallest body text the back row can read on a screen this many pixels high."""
    return math.ceil(height / BACK_ROW_SHARE)


@functools.lru_cache(maxsize=512)
def measure(px: int) -> int:
    """The widest a column's text may run with `px` type: `MEASURE_CHARACTERS` average characters."""
    font = QFont()
    font.setPixelSize(px)
    return math.ceil(QFontMetricsF(font).horizontalAdvance(_SAMPLE) / len(_SAMPLE) * MEASURE_CHARACTERS)


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
    """One text box of an arrangement: what it shows, where it sits across the screen, where its text sits
    inside it, and the room it has."""

    markdown: str
    px: int
    left: int
    width: int
    height: int
    margins: _Margins

    def document(self, into: QTextDocument | None = None) -> QTextDocument:
        return _document(self.markdown, self.px, self.width, self.margins, into)

    def size(self) -> tuple[float, float]:
        """The height its text takes, and the width of its longest unbreakable run."""
        return _laid_out_size(self.markdown, self.px, self.width, self.margins)

    def fits(self) -> bool:
        text_height, text_width = self.size()
        return text_height <= self.height and text_width <= self.width


@functools.lru_cache(maxsize=4096)
def _laid_out_size(markdown: str, px: int, width: int, margins: _Margins) -> tuple[float, float]:
    """Fitting lays out the same column at the same size many times over (every split, every page): once is
    enough."""
    document = _document(markdown, px, width, margins)
    return document.size().height(), document.idealWidth()


@dataclass(frozen=True, slots=True)
class Arrangement:
    """How one text is laid out: body type size, and either one column or a heading over two columns."""

    px: int
    title: str
    columns: tuple[str, ...]

    def pieces(self, width: int, height: int) -> list[_Piece]:
        """The text boxes, title first (when there is one), then the columns left to right.

        Each column is at most a measure wide, so on a wide screen the text stands in the middle of it.
        """
        px, m = self.px, _margin(self.px)
        line = measure(px)
        if len(self.columns) == 1:
            used = min(width, line + 2 * m)
            return [_Piece(self.columns[0], px, (width - used) // 2, used, height, _Margins(m, m, m, m))]
        used = min(width, 2 * line + 3 * m)
        left = (width - used) // 2
        placed: list[_Piece] = []
        top = m
        if self.title:
            title = _Piece(self.title, px, left, used, 0, _Margins(m, m, m, 0))
            title_height = math.ceil(title.size()[0])
            placed.append(_Piece(self.title, px, left, used, title_height, title.margins))
            height -= title_height
            top = 0
        left_width = used // 2
        placed.append(_Piece(self.columns[0], px, left, left_width, height, _Margins(m, top, m / 2, m)))
        placed.append(
            _Piece(self.columns[1], px, left + left_width, used - left_width, height, _Margins(m / 2, top, m, m))
        )
        return placed

    def fits(self, width: int, height: int) -> bool:
        return all(piece.fits() for piece in self.pieces(width, height))

    def tallest(self, width: int, height: int) -> float:
        return max(piece.size()[0] for piece in self.pieces(width, height))


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


def _one_column(markdown: str, width: int, height: int, px: int) -> Arrangement | None:
    arrangement = Arrangement(px, "", (markdown,))
    return arrangement if arrangement.fits(width, height) else None


def _two_columns(markdown: str, width: int, height: int, px: int) -> Arrangement | None:
    """The heading over two columns at `px`, split where it reads best, if some split fits."""
    title, body = split_title(markdown)
    parts = blocks(body)
    splits = [k for k in range(1, len(parts)) if not leads_in(parts[k - 1])]
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


def fits_at_rule(markdown: str, width: int, height: int) -> bool:
    """Whether `markdown` fits `width` x `height` in one or two columns with body text at the rule's size."""
    px = back_row_px(height)
    (piece,) = Arrangement(px, "", (markdown,)).pieces(width, height)
    if piece.fits():
        return True
    # twice the height in one column will not go into two narrower ones: spare laying out every split
    return piece.size()[0] <= 2 * height and _two_columns(markdown, width, height, px) is not None


@functools.lru_cache(maxsize=256)
def arrange(markdown: str, width: int, height: int, largest: int = 0) -> Arrangement:
    """The largest readable type, up to `largest` when given, at which all of `markdown` fits `width` x `height`."""
    floor = back_row_px(height)
    top = max(floor, largest or height // LARGEST_SHARE)

    def one_column(px: int) -> Arrangement | None:
        return _one_column(markdown, width, height, px)

    def two_columns(px: int) -> Arrangement | None:
        return _two_columns(markdown, width, height, px)

    found = _largest(one_column, floor, top) or _largest(two_columns, floor, top)
    if found is not None:
        return found
    found = _largest(two_columns, SMALLEST_PX, floor - 1) or _largest(one_column, SMALLEST_PX, floor - 1)
    return found or Arrangement(SMALLEST_PX, "", (markdown,))


CONTINUES = "*Continues on the next page.*"
CONTINUED = "(continued)"


@dataclass(frozen=True, slots=True)
class Pages:
    """A text as the room sees it: one page, or as few as hold it at the rule's size, all in one type size."""

    texts: tuple[str, ...]
    px: int


@functools.lru_cache(maxsize=64)
def paginate(markdown: str, width: int, height: int) -> Pages:
    """`markdown` on pages of `width` x `height`: one when it fits at the rule's size in one or two columns;
    else each page takes as many of its paragraphs and lists as fit at that size, under the text's heading
    (marked as continued) and over a line saying it goes on, never ending on a lead-in line. Every page is set
    in the size the fullest of them allows, so the type does not jump as the pages turn."""
    if fits_at_rule(markdown, width, height):
        return Pages((markdown,), arrange(markdown, width, height).px)
    title, body = split_title(markdown)
    parts = blocks(body)
    texts: list[str] = []
    start = 0
    while start < len(parts):
        # where this page may end: not just after a lead-in line, unless the text ends there
        ends = [k for k in range(start + 1, len(parts) + 1) if k == len(parts) or not leads_in(parts[k - 1])]
        end, low, high = start + 1, 0, len(ends) - 1  # a paragraph too long for a page still gets one
        while low <= high:  # more paragraphs only ever need more room: the last end that fits
            middle = (low + high) // 2
            if fits_at_rule(
                _page(title, parts[start : ends[middle]], bool(texts), ends[middle] < len(parts)), width, height
            ):
                end, low = ends[middle], middle + 1
            else:
                high = middle - 1
        texts.append(_page(title, parts[start:end], bool(texts), end < len(parts)))
        start = end
    return Pages(tuple(texts), min(arrange(text, width, height).px for text in texts))


def _page(title: str, parts: list[str], continued: bool, more: bool) -> str:
    heading = f"{title} {CONTINUED}" if title and continued else title
    text = "".join(parts).strip()
    if more:
        text = f"{text}\n\n{CONTINUES}"
    return f"{heading}\n\n{text}".strip()
