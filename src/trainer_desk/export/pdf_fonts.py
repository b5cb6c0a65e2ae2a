"""The fonts every exported PDF draws with, embedded from files we ship rather than the PDF's built-in
Helvetica, whose WinAnsi encoding turns Łęcka, Llŷr or any Arabic, Chinese or Korean name into boxes.

DejaVu Sans carries Latin (Polish, Welsh, Vietnamese...), Greek, Cyrillic, Hebrew and Arabic, including the
joined Arabic letter forms; WenQuanYi Micro Hei (a TrueType descendant of Droid Sans Fallback) carries Chinese,
Japanese kana and Korean Hangul. reportlab embeds only the glyphs a document uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from trainer_desk.paths import bundled

SANS = "TrainerDeskSans"
SANS_BOLD = "TrainerDeskSans-Bold"
SANS_ITALIC = "TrainerDeskSans-Oblique"
CJK = "TrainerDeskCJK"

_FILES: dict[str, tuple[str, int]] = {
    SANS: ("DejaVuSans.ttf", 0),
    SANS_BOLD: ("DejaVuSans-Bold.ttf", 0),
    SANS_ITALIC: ("DejaVuSans-Oblique.ttf", 0),
    CJK: ("wqy-microhei.ttc", 0),
}


@dataclass(frozen=True, slots=True)
class FontSet:
    """Which characters each font can draw, so text can be split into runs the right font draws."""

    main: Mapping[int, int]  # code points all three DejaVu styles draw (so <b> and <i> never lose a glyph)
    fallbacks: tuple[tuple[str, Mapping[int, int]], ...]  # tried in order for what the main font lacks


def font_folder() -> Path:
    return bundled("resources") / "fonts"


@cache
def registered_fonts() -> FontSet:
    """Register the fonts with reportlab once per process, and map <b> and <i> onto them."""
    folder = font_folder()
    loaded: dict[str, TTFont] = {}
    for name, (file_name, index) in _FILES.items():
        font = TTFont(name, str(folder / file_name), subfontIndex=index)
        pdfmetrics.registerFont(font)
        loaded[name] = font
    for bold, italic, face in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC), (1, 1, SANS_BOLD)):
        addMapping(SANS, bold, italic, face)
        addMapping(CJK, bold, italic, CJK)  # one weight only: bold CJK prints regular rather than as boxes
    regular, heavy, slanted = (loaded[n].face.charToGlyph for n in (SANS, SANS_BOLD, SANS_ITALIC))
    main = {code: glyph for code, glyph in regular.items() if code in heavy and code in slanted}
    return FontSet(main=main, fallbacks=((CJK, loaded[CJK].face.charToGlyph),))
