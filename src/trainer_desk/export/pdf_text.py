"""Text taken from people or plans (names, units, venues, feedback, objectives), made ready for a PDF.

Every PDF goes through here, so that:
- markup-like text prints as written: `&amp;`, `<b>` or `<font size=40>` in a name is text, never an instruction
  to reportlab's paragraph parser;
- each character is drawn by a font that has it (the main font, else the first fallback that does);
- right-to-left text (Arabic, Hebrew) is drawn joined and right to left. reportlab draws glyphs left to right
  one by one, so Arabic is first turned into its joined letter forms (arabic-reshaper) and then put in visual
  order by the Unicode bidi algorithm (python-bidi). A PDF reader's text extraction turns the visual order
  back into reading order.

Text that may wrap is broken into lines in reading order first and each line reordered after (`para`):
reordering a whole name and letting reportlab wrap it would print its end on the first line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

import arabic_reshaper  # type: ignore[import-untyped]  # ships no type hints
from arabic_reshaper.ligatures import LIGATURES  # type: ignore[import-untyped]
from bidi.algorithm import get_display  # type: ignore[import-untyped]  # mirrors brackets in right-to-left runs
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from trainer_desk.export.pdf_fonts import SANS, SANS_BOLD, registered_fonts

_HYPHEN_BREAK = re.compile("(?<=[-\u2010])")  # after a hyphen: where a double-barrelled name may break

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
# After reordering, a right-to-left letter's marks come before it; fonts draw a mark after its letter.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_MARKS_BEFORE_RTL_LETTER = re.compile(f"([{_MARKS}]+)([^\\s{_MARKS}])")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def visual(text: str, direction: str | None = None) -> str:
    """The characters in the order and forms they are drawn: composed (NFC, so a letter and its accent print as
    one glyph where the font has it), Arabic joined, right-to-left runs reversed. `direction` ('L' or 'R') is
    that of the paragraph a line was broken from; without it, the line's own first letter decides."""
    text = unicodedata.normalize("NFC", text)
    if not _RTL.search(text):
        return text
    shown = str(get_display(_reshaper().reshape(text), base_dir=direction))
    return _MARKS_BEFORE_RTL_LETTER.sub(_mark_after_letter, shown)


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    """Arabic joined with the ligatures our fonts draw, and only those: DejaVu has لا but not the one-glyph
    الله, which printed as an empty box in the middle of a name such as عبدالله. Vowel marks are kept: a name
    is printed with every mark it was written with."""
    fonts = registered_fonts()
    # What the main font lacks in its oblique style (Arabic among it) is drawn upright or bold, so those two.
    drawn = [pdfmetrics.getFont(name).face.charToGlyph for name in (SANS, SANS_BOLD)]

    def drawable(form: str) -> bool:
        code = ord(form)
        return all(code in cmap for cmap in drawn) or any(code in covered for _, covered in fonts.fallbacks)

    ligatures = {name: all(drawable(form) for form in forms if form) for name, (_, forms) in LIGATURES}
    # The reshaper fails on an empty set of ligatures rather than using none, so say none outright.
    return arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": any(ligatures.values()), **ligatures}
    )


def _mark_after_letter(match: re.Match[str]) -> str:
    marks, letter = match.group(1), match.group(2)
    if unicodedata.bidirectional(letter) in ("R", "AL"):
        return letter + marks
    return match.group(0)


def font_runs(text: str) -> Iterator[tuple[str, str | None]]:
    """Split already-visual text into (run, font): None for the main font, else the fallback that has it."""
    fonts = registered_fonts()
    run_start, run_font = 0, None
    for index, char in enumerate(text):
        code = ord(char)
        font = None
        if code not in fonts.main and not unicodedata.combining(char):  # a mark stays with its letter's font
            font = next((name for name, covered in fonts.fallbacks if code in covered), None)
        if font != run_font and index > run_start:
            yield text[run_start:index], run_font
            run_start = index
        run_font = font
    if len(text) > run_start:
        yield text[run_start:], run_font


def escape(text: str) -> str:
    """Plain text as reportlab paragraph text: nothing in it is read as markup."""
    return text.translate(_ESCAPES)


def direction_of(text: str) -> str:
    """A paragraph's direction, as the bidi algorithm finds it: that of its first letter with one ('L' when
    none has). Each line broken from the paragraph is laid out in it, so that in "شرطة Unit 7" broken after
    شرطة, "Unit 7" still reads after it, right to left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "L"


def markup(text: str, direction: str | None = None) -> str:
    """Text from people or plans as a Paragraph's markup: escaped, drawn in order, each run in a font that has
    it. The only way such text should reach a Paragraph."""
    shown = visual(text, direction)
    return "".join(
        escape(run) if font is None else f'<font face="{font}">{escape(run)}</font>' for run, font in font_runs(shown)
    )


# A paragraph is one block that cannot break across pages inside a table cell, where most text from people is
# printed: text longer than this (a venue pasted with a whole letter after it, a name sent by a laptop gone
# wrong) is cut short, with an ellipsis, so the rest of the register still prints.
LONGEST = 600


def bounded(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "…"


def para(text: str, style: ParagraphStyle) -> Flowable:
    """A paragraph of text from people or plans, in a table cell or on the page."""
    return _Lines(bounded(text), style)


class _Lines(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Text broken into lines here, once reportlab says how wide it is drawn, rather than by reportlab:
    - reportlab breaks text already in drawing order, so a right-to-left name that wraps would print its end
      on the first line; here lines are broken in reading order and each is reordered on its own;
    - reportlab splits a word too wide for the column wherever the line runs out ("Featherston / ehaugh");
      here a line breaks between words, a word too wide for a line of its own after a hyphen, and only a part
      still too wide (no name has one, but a pasted reference might) between letters."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self._laid: tuple[float, Paragraph] | None = None  # the paragraph last laid out, and for what width

    def _paragraph(self, width: float) -> Paragraph:
        if self._laid is None or self._laid[0] != width:
            style = self.style
            room = width - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0)
            lines = _lines(self.text, room, style.fontName, style.fontSize)
            way = direction_of(self.text)
            self._laid = width, Paragraph("<br/>".join(markup(line, way) for line in lines), style)
        return self._laid[1]

    def wrap(self, width: float, height: float) -> tuple[float, float]:
        self.width, self.height = self._paragraph(width).wrap(width, height)
        return self.width, self.height

    def split(self, width: float, height: float) -> list[Flowable]:
        return list(self._paragraph(width).split(width, height))

    def draw(self) -> None:
        self._paragraph(self.width).drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)


def cell(text: str, style: ParagraphStyle) -> str | Flowable:
    """A table cell for short text (a staff number, a status): a plain string, which tables draw fastest, when
    the main font has every character; a paragraph otherwise."""
    text = bounded(text)
    shown = visual(text)
    main = registered_fonts().main
    if all(ord(char) in main for char in shown):
        return shown
    return para(text, style)


def single_font(shown: str) -> str:
    """The one font for visual text where only one can be used (a chart label): the main font when it has
    every character, else the fallback that has the most of them."""
    fonts = registered_fonts()
    missing = [ord(char) for char in shown if ord(char) not in fonts.main]
    if not missing:
        return SANS
    best, covered = max(fonts.fallbacks, key=lambda fallback: sum(code in fallback[1] for code in missing))
    return best if any(code in covered for code in missing) else SANS


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left"
) -> None:
    """Draw one line on a canvas (page frames, footers), each run in a font that has it; `align` is 'left',
    'centre' or 'right' of x."""
    main_font = SANS_BOLD if bold else SANS
    runs = [(run, font or main_font) for run, font in font_runs(visual(text))]
    width = sum(stringWidth(run, font, size) for run, font in runs)
    x -= {"left": 0.0, "centre": width / 2, "right": width}[align]
    for run, font in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _lines(text: str, width: float, font: str, size: float) -> list[str]:
    def fits(candidate: str) -> bool:
        drawn = float(sum(stringWidth(run, other or font, size) for run, other in font_runs(visual(candidate))))
        return drawn <= width - 0.01  # a hair in hand, so reportlab never breaks a line measured as fitting

    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += f" {word}"
        elif fits(word):
            lines.append(word)
        else:
            lines += _broken_word(word, fits)
    return lines


def _broken_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word too wide for a line: after its hyphens first, then between letters (never between a letter and
    an accent written after it)."""
    pieces: list[str] = []
    for part in _HYPHEN_BREAK.split(word):
        if pieces and fits(pieces[-1] + part):
            pieces[-1] += part
        elif fits(part):
            pieces.append(part)
        else:
            pieces.append("")
            for letter in part:
                if pieces[-1] and not unicodedata.combining(letter) and not fits(pieces[-1] + letter):
                    # A hyphen never starts a line: the letter before it goes down with it.
                    carried = pieces[-1][-1:] if letter in "-\u2010" and len(pieces[-1]) > 1 else ""
                    pieces[-1] = pieces[-1][: len(pieces[-1]) - len(carried)]
                    pieces.append(carried)
                pieces[-1] += letter
    return pieces
