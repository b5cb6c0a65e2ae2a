"""Every name prints as written: Polish, Welsh, Vietnamese, Arabic, Chinese, Korean, Hebrew, combining accents,
in fonts embedded in the PDF. Read back with pypdf (text) and pdffonts (fonts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from tests.export.sheet_roster import (
    ARABIC,
    ARABIC_WITH_LATIN,
    NAMES,
    compliance_report,
    drawn_in_fonts,
    fonts_in,
    page_texts,
    readable,
    session_sheet,
)
from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet
from trainer_desk.export.compliance_report import write_compliance_pdf
from trainer_desk.export.pdf_fonts import CJK, SANS, SANS_BOLD, registered_fonts
from trainer_desk.export.pdf_text import visual

SHEETS: dict[str, Callable[[Path], Path]] = {
    "attendance": lambda path: write_attendance_sheet(session_sheet(), path),
    "sign-in": lambda path: write_sign_in_sheet(session_sheet(), path),
    "compliance": lambda path: write_compliance_pdf(compliance_report(), path),
}


@pytest.fixture(scope="module", params=sorted(SHEETS))
def sheet(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return SHEETS[request.param](tmp_path_factory.mktemp(request.param) / "sheet.pdf")


def test_every_name_reads_back_exactly_in_reading_order(sheet: Path) -> None:
    text = readable("\n".join(page_texts(sheet)))
    missing = [name for name in NAMES if readable(name) not in text]
    assert missing == []
    assert "■" not in text and "\ufffd" not in text


def test_every_character_drawn_is_one_its_font_has(sheet: Path) -> None:
    """A character its font lacks prints as an empty box, though the text still reads back: so check each
    character against the font it was drawn in (a chart's labels once took another label's font)."""
    registered_fonts()
    embedded_as = {"DejaVuSans": SANS, "DejaVuSans-Bold": SANS_BOLD, "WenQuanYiMicroHei-0": CJK}
    cmaps = {embedded: pdfmetrics.getFont(name).face.charToGlyph for embedded, name in embedded_as.items()}
    boxes = {
        (char, font)
        for text, font in drawn_in_fonts(sheet)
        for char in text
        if not char.isspace() and ord(char) not in cmaps[font]
    }
    assert sorted(boxes) == []


def test_only_embedded_fonts(sheet: Path) -> None:
    fonts = fonts_in(sheet)
    assert {name.split("+")[-1] for name, _ in fonts} == {"DejaVuSans", "DejaVuSans-Bold", "WenQuanYiMicroHei-0"}
    assert all(embedded for _, embedded in fonts), fonts


def test_arabic_is_drawn_joined_and_right_to_left(sheet: Path) -> None:
    """The glyphs drawn are Arabic's joined letter forms (Presentation Forms-B), in visual order: pypdf turns
    them back into reading order, and NFKC turns the forms back into plain letters."""
    raw = "\n".join(page_texts(sheet))
    joined = [char for char in raw if "\ufe70" <= char <= "\ufeff"]
    assert len(joined) >= len(ARABIC.replace(" ", "")) + 6  # both Arabic names, every letter in a joined form
    assert not any("\u0600" <= char <= "\u06ff" for char in raw)  # no unjoined letter left
    # The first letter of محمد is drawn in its initial form, the last of الزهراني in its final form.
    assert "\ufee3" in raw and "\ufef2" in raw
    text = readable(raw)
    assert ARABIC in text and ARABIC_WITH_LATIN in text


def test_drawn_order_is_visual_for_right_to_left_and_logical_otherwise() -> None:
    assert visual("Zofia Łęcka") == "Zofia Łęcka"
    assert visual("José Ramo\u0301n") == "José Ramón"  # the accent composed onto its letter
    shown = visual("Shira כהן")
    assert shown == "Shira ןהכ"  # Hebrew needs no joining, only reversing
    # Brackets in a right-to-left line are mirrored as they are reversed, or they print back to front.
    assert visual("דוד כהן (200001)") == "(200001) ןהכ דוד"
    arabic = visual("محمد")
    assert unicodedata.normalize("NFKC", arabic) == "دمحم"  # drawn from the left: last letter first
    assert arabic[-1] == "\ufee3"  # and the first letter (drawn rightmost) in its initial form


def test_marks_follow_their_letter_in_drawing_order() -> None:
    """A font draws a vowel mark over the letter drawn just before it: after reordering, each Arabic mark must
    still follow its own letter, or it would sit over the neighbouring one."""
    groups: list[tuple[str, str]] = []
    for char in visual("مُحَمَّد"):  # mu-ha-mma-d: damma on the first letter, fatha, then fatha and shadda
        if unicodedata.combining(char):
            groups[-1] = (groups[-1][0], "".join(sorted(groups[-1][1] + char)))
        else:
            groups.append((char, ""))
    assert groups == [
        ("\ufeaa", ""),  # dal, final form, drawn leftmost
        ("\ufee4", "\u064e\u0651"),  # meem, medial, with fatha and shadda
        ("\ufea4", "\u064e"),  # hah, medial, with fatha
        ("\ufee3", "\u064f"),  # meem, initial, with damma, drawn rightmost
    ]
