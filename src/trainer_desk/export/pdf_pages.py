"""The frame every exported page shares: the protective marking at top and bottom, where it came from, and
'page N of M' (which needs the page count, so pages are drawn once all are known); and the styles, all in the
embedded fonts of `pdf_fonts`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, SimpleDocTemplate, TableStyle

from trainer_desk.core.atomic_file import atomic_target
from trainer_desk.core.reports import Letterhead
from trainer_desk.export.pdf_fonts import SANS, SANS_BOLD, SANS_ITALIC, registered_fonts
from trainer_desk.export.pdf_text import draw_text

MARGIN = 15 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN  # of a portrait page
GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#8a94a6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
    ]
)


# A canvas starts in Helvetica, which would be listed, unembedded, in every PDF even if no text used it.
EMBEDDED_CANVAS: dict[str, Any] = {"initialFontName": SANS, "initialFontSize": 10, "initialLeading": 12}
_EMBEDDED = {"Helvetica": SANS, "Helvetica-Bold": SANS_BOLD, "Helvetica-Oblique": SANS_ITALIC}


def styles() -> StyleSheet1:
    """reportlab's sample styles, moved onto the embedded fonts."""
    registered_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if not isinstance(style, ParagraphStyle):
            continue  # list styles: their bullet font is set where a list is made
        style.fontName = _EMBEDDED.get(style.fontName, SANS)
        style.bulletFontName = _EMBEDDED.get(style.bulletFontName, SANS)
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=9, leading=11))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8, leading=10, textColor=colors.grey))
    return sheet


def heading(text: str, style: ParagraphStyle, room: float = 40 * mm) -> list[Flowable]:
    """A heading that starts a new page when less than `room` is left, so it is never stranded at the foot of
    a page away from its table; the table itself still splits across pages (repeating its header row)."""
    return [CondPageBreak(room), Paragraph(text, style)]


def _numbered_canvas(letterhead: Letterhead, title: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        """Holds each page until the end, then stamps the frame with the final page count."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._frame(total)
                super().showPage()
            super().save()

        def _frame(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(colors.HexColor("#8a1c00"))
            marking = letterhead.protective_marking
            draw_text(self, width / 2, height - 9 * mm, marking, 10, bold=True, align="centre")
            draw_text(self, width / 2, 6 * mm, marking, 10, bold=True, align="centre")
            self.setFillColor(colors.black)
            draw_text(self, MARGIN, 11 * mm, f"{letterhead.force_name} · {title}", 8)
            draw_text(self, width - MARGIN, 11 * mm, f"page {self._pageNumber} of {total}", 8, align="right")
            self.restoreState()

    return NumberedCanvas


def build_pdf(path: Path, story: list[Flowable], letterhead: Letterhead, title: str, wide: bool = False) -> Path:
    """Write the story to `path` under a temporary name, renamed only when the PDF is whole."""
    registered_fonts()
    with atomic_target(path) as partial:
        document = SimpleDocTemplate(
            str(partial),
            pagesize=landscape(A4) if wide else A4,
            title=title,
            author=letterhead.force_name,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            **EMBEDDED_CANVAS,
        )
        document.build(story, canvasmaker=_numbered_canvas(letterhead, title))
    return path
