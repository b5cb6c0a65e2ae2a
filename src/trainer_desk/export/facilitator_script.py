"""A printable facilitator script: the whole plan on paper, for the trainer who prepares on the train."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from trainer_desk.core.atomic_file import atomic_target
from trainer_desk.core.lesson_plan import FaqEntry, LessonPlan
from trainer_desk.export.markdown_flow import inline, markdown_flowables
from trainer_desk.export.pdf_fonts import SANS, SANS_BOLD
from trainer_desk.export.pdf_pages import EMBEDDED_CANVAS
from trainer_desk.export.pdf_pages import styles as pdf_styles
from trainer_desk.export.pdf_text import Styled, cell, draw_text, para


def write_facilitator_script(plan: LessonPlan, shared_faq: tuple[FaqEntry, ...], path: Path) -> Path:
    styles = pdf_styles()
    story: list[Flowable] = [
        para(inline(plan.title), styles["Title"], whole=True),
        para(
            inline(
                f"{plan.programme.name} · version {plan.version} · {plan.duration_minutes} minutes · "
                f"for {plan.audience}"
            ),
            styles["Normal"],
            whole=True,
        ),
        Spacer(1, 6),
        para(inline(plan.summary), styles["BodyText"], whole=True),
        Paragraph("Objectives", styles["Heading2"]),
    ]
    story += [
        para([Styled(o.id, "b"), Styled(" "), *inline(o.text)], styles["BodyText"], whole=True) for o in plan.objectives
    ]
    rows = [["#", "Section", "Kind", "Minutes", "Objectives"]]
    start = 0
    for number, section in enumerate(plan.sections, start=1):
        rows.append(
            [
                str(number),
                para(inline(section.title), styles["BodyText"]),
                cell(section.kind.value, styles["BodyText"]),
                f"{section.minutes} (from {start})",
                para(inline(", ".join(section.objectives)), styles["BodyText"]),
            ]
        )
        start += section.minutes
    timetable = Table(rows, colWidths=[8 * mm, 66 * mm, 34 * mm, 26 * mm, 40 * mm], repeatRows=1)
    timetable.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [Paragraph("Timetable", styles["Heading2"]), timetable]

    for number, section in enumerate(plan.sections, start=1):
        story.append(PageBreak())
        story.append(para(inline(f"{number}. {section.title}"), styles["Heading1"], whole=True))
        story.append(para(inline(f"{section.kind.value} · {section.minutes} minutes"), styles["Normal"], whole=True))
        if section.content_warning:
            story.append(para(inline(f"Content warning: {section.content_warning}"), styles["Italic"], whole=True))
        if section.video:
            story.append(
                para(
                    inline(f"Video: {section.video.file.name} (captions: {section.video.captions.name})"),
                    styles["Normal"],
                    whole=True,
                )
            )
        script, notes = section.script_and_notes
        story += markdown_flowables(script, styles)
        if section.prompts:
            story.append(Paragraph("Prompts", styles["Heading3"]))
            story += markdown_flowables("\n".join(f"- {p}" for p in section.prompts), styles)
        if notes:
            story.append(Paragraph("Notes", styles["Heading3"]))
            story += markdown_flowables(notes, styles)

    story += [PageBreak(), Paragraph("Frequently asked questions", styles["Heading1"])]
    for entry in (*plan.faq, *shared_faq):
        story.append(
            KeepTogether(
                [
                    para(inline(entry.question), styles["Heading4"], whole=True),
                    *markdown_flowables(entry.answer, styles),
                ]
            )
        )
    story += [
        PageBreak(),
        Paragraph("Signposting card", styles["Heading1"]),
        *markdown_flowables(plan.signposting, styles),
    ]

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        draw_text(canvas, 15 * mm, 10 * mm, f"{plan.title} v{plan.version} - facilitator script", 8)
        draw_text(canvas, 195 * mm, 10 * mm, f"page {doc.page}", 8, align="right")
        canvas.restoreState()

    with atomic_target(path) as partial:
        document = SimpleDocTemplate(
            str(partial),
            pagesize=A4,
            title=f"{plan.title}: facilitator script",
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            **EMBEDDED_CANVAS,
        )
        document.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
