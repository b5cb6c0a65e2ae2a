"""The paper feedback form: the laptop's questions on one page per person, for a room with no time or no
laptop to pass round. The trainer keys them in afterwards, one row per form, in the same order (recommend,
why not, then before and after for each objective: the register's Paper forms…), so a form takes seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from trainer_desk.core.force_clock import local
from trainer_desk.core.reports import Letterhead
from trainer_desk.export.pdf_fonts import SANS
from trainer_desk.export.pdf_pages import GRID, build_pdf, styles
from trainer_desk.export.pdf_text import Styled, para

SCALE = "1   2   3   4   5"
RULED_LINES = 3


@dataclass(frozen=True, slots=True)
class FeedbackForm:
    letterhead: Letterhead
    plan_title: str
    starts_at: datetime
    venue: str
    objectives: tuple[str, ...]


def write_feedback_form(form: FeedbackForm, copies: int, path: Path) -> Path:
    """`copies` identical pages, one per person: nothing on them names anyone."""
    story: list[Flowable] = []
    for copy in range(copies):
        if copy:
            story.append(PageBreak())
        story += _page(form)
    when = f"{local(form.starts_at):%d %b %Y}"
    return build_pdf(path, story, form.letterhead, f"Feedback form, {when}")


def _page(form: FeedbackForm) -> list[Flowable]:
    st = styles()
    when = f"{local(form.starts_at):%A %d %B %Y}"
    venue = f", {form.venue}" if form.venue else ""
    recommend = Table(
        [["Yes  \u25a1", "No  \u25a1"]],
        colWidths=[30 * mm, 30 * mm],
        style=TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), ("FONTSIZE", (0, 0), (-1, -1), 12)]),
        hAlign="LEFT",
    )
    ruled = Table(
        [[""] for _ in range(RULED_LINES)],
        colWidths=[180 * mm],
        rowHeights=[9 * mm] * RULED_LINES,
        style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, "#777777")]),
    )
    header = ["What today was about", "Before today", "After today"]
    # Numbered as the keying grid and its messages number them ("Aim 3 before"), so a pile is keyed by number.
    rows = [
        [para([Styled(f"Aim {n}", "b"), Styled("  "), Styled(text)], st["Cell"]), SCALE, SCALE]
        for n, text in enumerate(form.objectives, start=1)
    ]
    ratings = Table([header, *rows], colWidths=[100 * mm, 40 * mm, 40 * mm], repeatRows=1)
    ratings.setStyle(GRID)
    ratings.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [
        para(f"{form.letterhead.force_name}: feedback on {form.plan_title}", st["Title"]),
        para(f"{when}{venue}", st["BodyText"]),
        Paragraph("Please do not write your name: this form is anonymous.", st["BodyText"]),
        Spacer(1, 6 * mm),
        Paragraph("<b>1. Would you recommend this training to a colleague?</b>", st["BodyText"]),
        Spacer(1, 2 * mm),
        recommend,
        Spacer(1, 4 * mm),
        Paragraph("<b>2. If not, why not?</b>", st["BodyText"]),
        ruled,
        Spacer(1, 6 * mm),
        Paragraph(
            "<b>3. Your understanding of each of these, before and after today,</b> from 1 (none) to 5 "
            "(very good): circle one number in each column.",
            st["BodyText"],
        ),
        Spacer(1, 2 * mm),
        ratings,
        Spacer(1, 6 * mm),
        Paragraph("Thank you. Hand this to the trainer as you leave.", st["BodyText"]),
    ]
