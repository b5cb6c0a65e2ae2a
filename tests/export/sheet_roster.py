"""Sheets built from a roster of names as people really write them, and a way to read a PDF back as a person
would see it (text) and as a printer would get it (fonts)."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.reports import (
    Completion,
    ComplianceReport,
    FeedbackSummary,
    Letterhead,
    ObjectiveScores,
    Outstanding,
    SessionSheet,
    SheetLine,
    TrainerHours,
)

LETTERHEAD = Letterhead("Heddlu Dyfed-Powys Police", "OFFICIAL-SENSITIVE")

ARABIC = "محمد الزهراني"
ARABIC_WITH_LATIN = "Fatima الزهراء"
NAMES = (
    "Zofia Łęcka",
    "Llŷr Evans",
    "Nguyễn Thị Minh Khai",
    ARABIC,
    ARABIC_WITH_LATIN,
    "عبدالله الشمري",  # Abdullah: الله has a one-glyph ligature, which the fonts lack
    "王秀英",
    "김민준",
    "Shira כהן",
    "José Ramo\u0301n",  # an accent written as a combining mark, as some systems export it
    "Zoë Ní Bhriain",
    "Jo <Bloggs>",
    "Pat &amp; Sam",
    "<b>Bold</b> Jones",
    "<font size=40>Big</font> Lee",
)


def lines(names: tuple[str, ...] = NAMES) -> tuple[SheetLine, ...]:
    return tuple(
        SheetLine(
            f"7{n:05d}",
            name,
            "North" if n % 2 else "Gogledd 北",
            AttendanceStatus.PRESENT,
            datetime(2026, 10, 5, 9, n % 60, tzinfo=UTC),
        )
        for n, name in enumerate(names)
    )


def session_sheet(names: tuple[str, ...] = NAMES, venue: str = "Neuadd Llŷr, Room 2") -> SessionSheet:
    return SessionSheet(
        LETTERHEAD,
        "Signa",
        "Signa: sexism, misogyny and sexual harassment at work",
        "1.0.0",
        "North",
        datetime(2026, 10, 5, 9, tzinfo=UTC),
        datetime(2026, 10, 5, 12, tzinfo=UTC),
        venue,
        "in-person",
        ("Siân Ó Dónaill (100234)", "李娜 (100235)"),
        lines(names),
    )


def compliance_report(
    names: tuple[str, ...] = NAMES,
    reasons: tuple[str, ...] = ("Too long", "Wanted more on <reporting> & follow-up"),
    objectives: tuple[ObjectiveScores, ...] = (
        ObjectiveScores("Recognise sexism & misogyny at <work>", 2.0, 4.2, 3, 4),
        ObjectiveScores("Know how to report it", 2.5, 4.0, 4, 4),
    ),
) -> ComplianceReport:
    return ComplianceReport(
        letterhead=LETTERHEAD,
        programme="Signa",
        scope="the whole force",
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
        # Four units, so that none is the middle one: the chart draws them bottom up, and a label once took the
        # font of the unit drawn in its place ("Gogledd 北" in a font without 北).
        units=(
            Completion("North", 10, 6),
            Completion("Gogledd 北", 4, 0),
            Completion("East & <West>", 8, 8),
            Completion("South", 5, 1),
        ),
        teams=(),
        outstanding=tuple(Outstanding(f"8{n:05d}", name, "North") for n, name in enumerate(names)),
        trainers=(TrainerHours("100234", 3, 4.5),),
        feedback=FeedbackSummary(
            forms=4, recommend=2, reasons_not=reasons, objectives=objectives, recommend_answered=3
        ),
        sessions_delivered=1,
    )


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def readable(text: str) -> str:
    """As a reader compares text: compatibility forms folded (NFKC turns the joined Arabic letter forms back
    into letters), whitespace runs as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def drawn_in_fonts(path: Path) -> list[tuple[str, str]]:
    """Each run of text on every page and the font it is drawn in (its name without the subset prefix)."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        if text.strip() and font is not None:
            runs.append((text, str(font["/BaseFont"]).split("+")[-1]))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def fonts_in(path: Path) -> list[tuple[str, bool]]:
    """Each font `pdffonts` lists: its name and whether it is embedded."""
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]  # after the header and its underline
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]
