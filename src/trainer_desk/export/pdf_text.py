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
reordering a whole name and letting reportlab wrap it would print its end on the first line. A paragraph set in
more than one way (a bold label and a comment, a plan's emphasis) is given as `Styled` pieces and takes the same
path, each character carrying how it is set through the reordering.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import groupby
from typing import NamedTuple

import arabic_reshaper  # type: ignore[import-untyped]  # ships no type hints
from arabic_reshaper.ligatures import LIGATURES  # type: ignore[import-untyped]
from bidi import algorithm as bidi  # type: ignore[import-untyped]  # ships no type hints
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from trainer_desk.export.pdf_fonts import SANS, SANS_BOLD, registered_fonts

_HYPHEN_BREAK = re.compile("(?<=[-\u2010])")  # after a hyphen: where a double-barrelled name may break
# A word: what lies between the places a line may break, which are any space but a no-break one ("(UK\u00a0time)"
# stays whole on its line).
_WORD = re.compile("(?:\\S|[\u00a0\u2007\u202f])+")

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_MARK = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Styled(NamedTuple):
    """A piece of a paragraph and how it is set: a bold label, a bullet, a plan's emphasis. `tags` holds "b" for
    bold and "i" for italic."""

    text: str
    tags: str = ""


Text = str | Sequence[Styled]  # a paragraph: plain, or pieces set in different ways
_Char = tuple[str, str]  # a character and the tags it is set in
# A character of a paragraph, the tags it is set in, and the direction of the piece it is part of ('L', 'R', or ''
# for a piece with no letter that has one).
_Set = tuple[str, str, str]
_EMBEDDED = {"L": "\u202a", "R": "\u202b"}  # the bidi algorithm's explicit embeddings, ended by "\u202c"


def _chars(text: Text) -> list[_Set]:
    pieces = [Styled(text)] if isinstance(text, str) else text
    return [
        (char, piece.tags, _strong_direction(piece.text) or "")
        for piece in pieces
        for char in unicodedata.normalize("NFC", piece.text)
    ]


def visual(text: str) -> str:
    """The characters of one line in the order and forms they are drawn: composed (NFC, so a letter and its
    accent print as one glyph where the font has it), Arabic joined, right-to-left runs reversed, in the
    direction of the line's first letter."""
    return "".join(char for char, _ in _drawn(_chars(text), None))


def _drawn(chars: list[_Set], direction: str | None) -> list[_Char]:
    """`visual` for set text: each character keeps its tags wherever the reordering takes it, so a bold label
    stays bold, and in its place, on a line read from the right. A piece written the other way from the
    paragraph (an Arabic name after "Trainer:", an aim after its bold number) is laid out as a whole in its own
    direction, as it would be on its own: "محمد الزهراني (100234)" keeps its number in brackets after the name."""
    if not _RTL.search("".join(char for char, _, _ in chars)):
        return [(char, tags) for char, tags, _ in chars]
    way = direction or _strong_direction("".join(char for char, _, _ in chars)) or "L"
    shaped: list[_Char] = []
    # Each piece is joined on its own: joining may turn two letters into one (لا), and what it gives back
    # cannot be matched letter by letter to the tags they were set in.
    for (tags, own), piece in groupby(chars, key=lambda char: (char[1], char[2])):
        letters = _reshaper().reshape("".join(char for char, _, _ in piece))
        if own not in ("", way):  # the spaces around it stay between it and its neighbours
            core, start = letters.strip(), len(letters) - len(letters.lstrip())
            letters = f"{letters[:start]}{_EMBEDDED[own]}{core}\u202c{letters[start + len(core) :]}"
        shaped += [(letter, tags) for letter in letters]
    return _marks_after_letters(_reordered(shaped, way))


def _reordered(chars: list[_Char], direction: str) -> list[_Char]:
    """python-bidi's own steps of the Unicode bidi algorithm (those its `get_display` takes), with each
    character's tags carried along in the record the algorithm moves."""
    text = "".join(char for char, _ in chars)
    storage = bidi.get_empty_storage()
    level = bidi.PARAGRAPH_LEVELS[direction]
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    bidi.get_embedding_levels(text, storage)
    for record, (_, tags) in zip(storage["chars"], chars, strict=True):
        record["tags"] = tags
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage)
    for step in (bidi.resolve_neutral_types, bidi.resolve_implicit_levels, bidi.reorder_resolved_levels):
        step(storage, False)
    bidi.apply_mirroring(storage, False)  # brackets in right-to-left runs
    return [(record["ch"], record["tags"]) for record in storage["chars"]]


def _marks_after_letters(chars: list[_Char]) -> list[_Char]:
    """After reordering, a right-to-left letter's marks come before it; fonts draw a mark after its letter."""
    out, index = list(chars), 0
    while index < len(out):
        end = index
        while end < len(out) and _MARK.match(out[end][0]):
            end += 1
        if index < end < len(out) and unicodedata.bidirectional(out[end][0]) in ("R", "AL"):
            out[index : end + 1] = [out[end], *out[index:end]]
        index = max(end, index) + 1
    return out


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


def font_runs(text: str) -> Iterator[tuple[str, str | None]]:
    """Split already-visual text into (run, font): None for the main font, else the fallback that has it."""
    for run, _, font in _runs([(char, "") for char in text]):
        yield run, font


def _runs(chars: list[_Char]) -> Iterator[tuple[str, str, str | None]]:
    """Split drawn characters into (run, tags, font) where either changes."""
    fonts = registered_fonts()

    def font_for(char: str) -> str | None:
        code = ord(char)
        if code in fonts.main or unicodedata.combining(char):  # a mark stays with its letter's font
            return None
        return next((name for name, covered in fonts.fallbacks if code in covered), None)

    run_start = 0
    run_key: tuple[str, str | None] = ("", None)
    for index, (char, tags) in enumerate(chars):
        font = font_for(char)
        if (tags, font) != run_key and index > run_start:
            yield "".join(char for char, _ in chars[run_start:index]), *run_key
            run_start = index
        run_key = (tags, font)
    if len(chars) > run_start:
        yield "".join(char for char, _ in chars[run_start:]), *run_key


def escape(text: str) -> str:
    """Plain text as reportlab paragraph text: nothing in it is read as markup."""
    return text.translate(_ESCAPES)


def direction_of(text: str) -> str:
    """A paragraph's direction, as the bidi algorithm finds it: that of its first letter with one ('L' when
    none has). Each line broken from the paragraph is laid out in it, so that in "شرطة Unit 7" broken after
    شرطة, "Unit 7" still reads after it, right to left."""
    return _strong_direction(text) or "L"


def _strong_direction(text: str) -> str | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return None


def _markup(line: list[_Set], direction: str) -> str:
    """A line of text from people or plans as a Paragraph's markup: drawn in order, escaped, each run in a font
    that has it and set as its pieces were. The only way such text reaches a Paragraph."""
    out: list[str] = []
    for run, tags, font in _runs(_drawn(line, direction)):
        text = escape(run) if font is None else f'<font face="{font}">{escape(run)}</font>'
        for tag in tags:
            text = f"<{tag}>{text}</{tag}>"
        out.append(text)
    return "".join(out)


# A paragraph is one block that cannot break across pages inside a table cell, where most text from people is
# printed: text longer than this (a venue pasted with a whole letter after it, a name sent by a laptop gone
# wrong) is cut short, with an ellipsis, so the rest of the register still prints. A paragraph on the page
# (a feedback comment, a plan's script) breaks across pages as any other and is printed whole.
LONGEST = 600


def _bounded(chars: list[_Set]) -> list[_Set]:
    if len(chars) <= LONGEST:
        return chars
    kept = chars[: LONGEST - 1]
    while kept and kept[-1][0].isspace():
        kept.pop()
    return [*kept, ("…", *kept[-1][1:])] if kept else [("…", "", "")]


def para(text: Text, style: ParagraphStyle, *, whole: bool = False) -> Flowable:
    """A paragraph of text from people or plans, in a table cell, cut short there past `LONGEST` characters,
    or (`whole`) on the page."""
    chars = _chars(text)
    return _Lines(chars if whole else _bounded(chars), style)


class _Lines(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Text broken into lines here, once reportlab says how wide it is drawn, rather than by reportlab:
    - reportlab breaks text already in drawing order, so a right-to-left name that wraps would print its end
      on the first line; here lines are broken in reading order and each is reordered on its own;
    - reportlab splits a word too wide for the column wherever the line runs out ("Featherston / ehaugh");
      here a line breaks between words, a word too wide for a line of its own after a hyphen, and only a part
      still too wide (no name has one, but a pasted reference might) between letters."""

    def __init__(self, chars: list[_Set], style: ParagraphStyle) -> None:
        super().__init__()
        self.chars, self.style = chars, style
        self._laid: tuple[float, Paragraph] | None = None  # the paragraph last laid out, and for what width

    def _paragraph(self, width: float) -> Paragraph:
        if self._laid is None or self._laid[0] != width:
            style = self.style
            room = width - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0)
            lines = _lines(self.chars, room, style.fontName, style.fontSize)
            way = direction_of("".join(char for char, _, _ in self.chars))
            self._laid = width, Paragraph("<br/>".join(_markup(line, way) for line in lines), style)
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
    chars = _bounded(_chars(text))
    shown = "".join(char for char, _ in _drawn(chars, None))
    main = registered_fonts().main
    if all(ord(char) in main for char in shown):
        return shown
    return _Lines(chars, style)


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


def _set_in(font: str, tags: str) -> str:
    """The font a style's font becomes in bold or italic, as reportlab's paragraphs choose it."""
    family, bold, italic = ps2tt(font)
    return str(tt2ps(family, bold or "b" in tags, italic or "i" in tags))


def _lines(chars: list[_Set], width: float, font: str, size: float) -> list[list[_Set]]:
    def fits(candidate: list[_Set]) -> bool:
        drawn = float(
            sum(
                stringWidth(run, other or _set_in(font, tags), size)
                for run, tags, other in _runs(_drawn(candidate, None))
            )
        )
        return drawn <= width - 0.01  # a hair in hand, so reportlab never breaks a line measured as fitting

    text = "".join(char for char, _, _ in chars)
    lines: list[list[_Set]] = []
    for found in _WORD.finditer(text):
        word = chars[found.start() : found.end()]
        # The space before a word is set as the space that was there (in a bold label's, or the text after it).
        space = (" ", *chars[found.start() - 1][1:]) if found.start() else (" ", "", "")
        if lines and fits([*lines[-1], space, *word]):
            lines[-1] += [space, *word]
        elif fits(word):
            lines.append(word)
        else:
            lines += _broken_word(word, fits)
    return lines


def _broken_word(word: list[_Set], fits: Callable[[list[_Set]], bool]) -> list[list[_Set]]:
    """A word too wide for a line: after its hyphens first, then between letters (never between a letter and
    an accent written after it)."""
    ends = [found.start() for found in _HYPHEN_BREAK.finditer("".join(char for char, _, _ in word))]
    parts = [word[start:end] for start, end in zip([0, *ends], [*ends, len(word)], strict=True) if end > start]
    pieces: list[list[_Set]] = []
    for part in parts:
        if pieces and fits(pieces[-1] + part):
            pieces[-1] += part
        elif fits(part):
            pieces.append(part)
        else:
            pieces.append([])
            for letter in part:
                if pieces[-1] and not unicodedata.combining(letter[0]) and not fits([*pieces[-1], letter]):
                    # A hyphen never starts a line: the letter before it goes down with it.
                    carried = pieces[-1][-1:] if letter[0] in "-\u2010" and len(pieces[-1]) > 1 else []
                    pieces[-1] = pieces[-1][: len(pieces[-1]) - len(carried)]
                    pieces.append(carried)
                pieces[-1].append(letter)
    return pieces
