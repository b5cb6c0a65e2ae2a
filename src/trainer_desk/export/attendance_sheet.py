"""The session attendance sheet (after the session) and the sign-in sheet (printed before it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, Table, TableStyle

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.counted import counted
from trainer_desk.core.force_clock import local
from trainer_desk.core.reports import SessionSheet, SheetLine
from trainer_desk.core.sessions import mode_in_words
from trainer_desk.export.pdf_fonts import SANS
from trainer_desk.export.pdf_pages import GRID, build_pdf, styles
from trainer_desk.export.pdf_text import Styled, cell, para

BLANK_WALK_IN_ROWS = 8
ROOM_TO_SIGN = 10 * mm  # the least height of a sign-in row: a row grows for a long name, never shrinks below this
ROWS_KEPT_WITH_TRAINER = 3  # so the trainer's signature never stands alone on the last page
PADDING_Y = 3.0  # a register cell's padding above and below; across, reportlab's own
# Every time on a sheet is the forces' (`force_clock`), whatever the clock of the computer printing it, and says
# so as HQ's console does: the laptop's sheet and HQ's of one session read alike to an auditor laying them side
# by side.
UK_TIME = "UK time"
NO_BREAK = "\u00a0"


def _session_details(sheet: SessionSheet, title: str) -> list[Flowable]:
    st = styles()
    when = f"{local(sheet.starts_at):%A %d %B %Y, %H:%M}"
    if sheet.ends_at:
        when += f" to {local(sheet.ends_at):%H:%M}"
    when += f" ({UK_TIME.replace(' ', NO_BREAK)})"  # never "(UK" on one line and "time)" on the next
    rows = [
        ["Programme", sheet.programme, "Unit", sheet.unit],
        ["Lesson plan", f"{sheet.plan_title} (version {sheet.plan_version})", "Mode", mode_in_words(sheet.mode)],
        ["Date and time", when, "Venue", sheet.venue],
        ["Trainers", ", ".join(sheet.trainers) or "-", "", ""],
    ]
    details = Table(
        [
            [
                Paragraph(f"<b>{a}</b>", st["Cell"]),
                para(b, st["Cell"]),
                Paragraph(f"<b>{c}</b>", st["Cell"]),
                para(d, st["Cell"]),
            ]
            for a, b, c, d in rows
        ],
        colWidths=[28 * mm, 80 * mm, 16 * mm, 56 * mm],
    )
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS)]))
    return [para(f"{sheet.letterhead.force_name}: {title}", st["Title"]), details, Spacer(1, 6 * mm)]


def write_attendance_sheet(sheet: SessionSheet, path: Path) -> Path:
    """Everyone on the register with their status, whether they signed themselves in or the trainer marked
    them, then the totals and the trainers' signatures."""
    st = styles()
    story = _session_details(sheet, "attendance sheet")
    header = ["Staff number", "Name", "Unit", "Status", UK_TIME, "Walk-in", "Signed in"]
    widths = [28 * mm, 44 * mm, 27 * mm, 22 * mm, 18 * mm, 18 * mm, 23 * mm]
    body = [
        [
            cell(line.staff_number, st["Cell"]),
            para(line.name, st["Cell"]),
            para(line.unit, st["Cell"]),
            para(_status(line, sheet.delivered), st["Cell"]),
            _time(line),
            "yes" if line.walk_in else "",
            _signed_in(line),
        ]
        for line in sheet.lines
    ]
    closing = [
        Paragraph(_totals(sheet), st["BodyText"]),
        Spacer(1, 10 * mm),
        _signature_lines(sheet),
    ]
    story.append(_register_table(header, body, widths, closing))
    return build_pdf(path, story, sheet.letterhead, f"Attendance sheet, {local(sheet.starts_at):%d %b %Y}")


def _status(line: SheetLine, delivered: bool) -> str:
    if line.status is None:
        return ""
    word = line.status.shown(delivered)
    return f"{word} (corrected)" if line.corrected else word


def _signed_in(line: SheetLine) -> str:
    """How their arrival was marked: by themselves at self sign-in, or by the trainer; nothing for someone who
    did not come."""
    if line.status in (None, AttendanceStatus.ABSENT):
        return ""
    return "themselves" if line.signed_in_themselves else "by trainer"


def _time(line: SheetLine) -> str:
    """When they were marked as arriving: an absent line's time is when it was booked or marked absent, which a
    signed register would be read as their arrival."""
    if line.marked_at is None or line.status in (None, AttendanceStatus.ABSENT):
        return ""
    return f"{local(line.marked_at):%H:%M}"


def _totals(sheet: SessionSheet) -> str:
    """The sheet's own figures, and why the unit's compliance figures may count fewer: a walk-in counts there
    once HQ has matched them to someone on the roster."""
    totals = sheet.totals()
    summary = ", ".join(f"{totals[s]} {s.shown(sheet.delivered).lower()}" for s in AttendanceStatus)
    completed = sum(totals[s] for s in AttendanceStatus if s.completes_training)
    walk_ins = [line for line in sheet.lines if line.walk_in]
    walked_in_and_done = sum(1 for line in walk_ins if line.status is not None and line.status.completes_training)
    text = f"<b>Totals:</b> {len(sheet.lines)} on the register: {summary}. {completed} completed the training"
    if walk_ins and all(line.walk_in_outcome for line in walk_ins):  # printed at HQ, which has settled them or not
        outcomes = [line.walk_in_outcome for line in walk_ins]
        counting = outcomes.count("counts")
        text += (
            f". {counted(len(walk_ins), 'walk-in')} in all: {counting} {'counts' if counting == 1 else 'count'} for "
            f"someone on the roster, {outcomes.count('dismissed')} dismissed at HQ, {outcomes.count('open')} still to "
            "be looked into at HQ."
        )
    else:
        if walked_in_and_done:
            who = (
                "1 of them a walk-in, who counts"
                if walked_in_and_done == 1
                else (f"{walked_in_and_done} of them walk-ins, who count")
            )
            text += f", {who} in compliance figures once HQ has matched them to the roster"
        text += f". {counted(len(walk_ins), 'walk-in')} in all, to be reconciled by HQ." if walk_ins else "."
    if themselves := sum(1 for line in sheet.lines if _signed_in(line) == "themselves"):
        text += f" {themselves} signed in themselves; the trainer marked the rest who came."
    if corrected := sum(1 for line in sheet.lines if line.corrected):
        text += (
            f" {counted(corrected, 'line')} corrected after the session closed; the reasons are kept with the register."
        )
    return text


def write_sign_in_sheet(sheet: SessionSheet, path: Path) -> Path:
    """Expected attendees with a box to sign, then blank rows for walk-ins: the paper fallback."""
    st = styles()
    story = _session_details(sheet, "sign-in sheet")
    story.append(Paragraph("Sign beside your name. Not listed? Write your details in a blank row.", st["BodyText"]))
    story.append(Spacer(1, 3 * mm))
    header = ["Staff number", "Name", "Unit", "Signature", "Time in"]
    widths = [28 * mm, 52 * mm, 36 * mm, 46 * mm, 18 * mm]
    body: list[list[Any]] = [
        [
            cell(line.staff_number, st["Cell"]),
            para(line.name, st["Cell"]),
            para(line.unit, st["Cell"]),
            "",
            "",
        ]
        for line in sheet.lines
    ]
    body += [["", "", "", "", ""] for _ in range(BLANK_WALK_IN_ROWS)]
    closing = [Spacer(1, 5 * mm), _signature_lines(sheet)]
    story.append(_register_table(header, body, widths, closing, row_height=ROOM_TO_SIGN))
    return build_pdf(path, story, sheet.letterhead, f"Sign-in sheet, {local(sheet.starts_at):%d %b %Y}")


def _register_table(
    header: list[str], body: list[list[Any]], widths: list[float], closing: list[Flowable], row_height: float = 0
) -> LongTable:
    """The register, its header repeated on every page, and then `closing` (the totals, the trainers'
    signatures) as the table's last row: it moves to a new page with the last few register rows and the
    header rather than standing alone at the top of one."""
    last = len(body) + 1
    table = LongTable(
        [header, *body, [closing, *[""] * (len(header) - 1)]],
        colWidths=widths,
        repeatRows=1,
        minRowHeights=[0] + [row_height] * len(body) + [0],
    )
    style = _register_style(len(body))
    for command in (
        ("SPAN", (0, last), (-1, last)),
        ("FONTNAME", (0, last), (-1, last), SANS),
        ("TOPPADDING", (0, last), (-1, last), 5 * mm),
        ("LEFTPADDING", (0, last), (-1, last), 0),
        ("RIGHTPADDING", (0, last), (-1, last), 0),
        ("NOSPLIT", (0, max(1, last - ROWS_KEPT_WITH_TRAINER)), (-1, last)),
    ):
        style.add(*command)
    table.setStyle(style)
    return table


def _register_style(rows: int) -> TableStyle:
    """The shared grid over the header and `rows` register rows only (whatever follows them in the table is
    not part of the register), with a register's padding."""
    commands = [
        (op, start, (end[0], rows if end[1] == -1 else end[1]), *rest) for op, start, end, *rest in GRID.getCommands()
    ]
    commands += [
        ("TOPPADDING", (0, 0), (-1, rows), PADDING_Y),
        ("BOTTOMPADDING", (0, 0), (-1, rows), PADDING_Y),
    ]
    return TableStyle(commands)


def _signature_lines(sheet: SessionSheet) -> Table:
    st = styles()
    trainers = list(sheet.trainers) or ["Trainer"]
    rows = [
        [para([Styled("Trainer: "), Styled(name)], st["Cell"]), "Signature: ______________________", "Date: __________"]
        for name in trainers
    ]
    table = Table(rows, colWidths=[70 * mm, 70 * mm, 40 * mm], rowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("FONTNAME", (0, 0), (-1, -1), SANS)]))
    return table
