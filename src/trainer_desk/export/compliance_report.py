"""The compliance report: how complete a unit (or the force) is for a programme, who is outstanding, who
delivered it, and what the room said. PDF for reading, CSV for working with."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer

from trainer_desk.core.counted import counted
from trainer_desk.core.csv_file import write_csv
from trainer_desk.core.feedback_words import feedback_in_words
from trainer_desk.core.reports import ComplianceReport, FeedbackSummary, Outstanding
from trainer_desk.export.pdf_fonts import SANS, SANS_BOLD
from trainer_desk.export.pdf_pages import GRID, TEXT_WIDTH, build_pdf, heading, styles
from trainer_desk.export.pdf_text import cell, para, single_font, visual

BAR_PITCH = 22  # points per unit's bar: readable at arm's length
LABEL_SIZE = 9
INDENT = 5 * mm  # a unit's row under the unit it is part of


def _chart(report: ComplianceReport, width: float) -> Drawing:
    """Completion by unit as bars across the full text width, with each unit's name in a font that has it.

    The chart draws its first category at the bottom, so units are given to it last first: the first unit is at
    the top, as in the table below. (Its own reversal keeps each label's style by place, not by unit, so a unit's
    name took the font chosen for the one drawn in its place, and a Chinese name printed as empty boxes.)"""
    units = report.units[::-1]
    names = [_shortened(u.unit, width * 0.4 - 8) for u in units] or ["-"]
    pitch = min(BAR_PITCH, 560 / len(names))  # many units: thinner bars rather than a chart taller than a page
    label_width = max(stringWidth(n, single_font(n), LABEL_SIZE) for n in names) + 8
    height = 40 + pitch * len(names)
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=LABEL_SIZE)  # not Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 36, height - 36  # room for a '100%' label
    chart.data = [[round(u.percent, 1) for u in units] or [0]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = SANS, LABEL_SIZE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d0d6e0")
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    for index, name in enumerate(names):
        chart.categoryAxis.labels[index].fontName = single_font(name)
    chart.bars[0].fillColor = colors.HexColor("#2f6db5")
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName, chart.barLabels.fontSize = SANS, LABEL_SIZE - 1
    chart.barLabels.nudge = 12
    drawing.add(chart)
    drawing.add(String(label_width, height - 14, "Completion (%) by unit", fontName=SANS_BOLD, fontSize=10))
    return drawing


def _shortened(name: str, room: float) -> str:
    """A unit's name as its chart label, drawn (see `visual`): whole when it fits `room`, else cut short at its
    end with an ellipsis, rather than running off the page's left edge. The table below gives it whole."""
    shown = visual(name)
    while len(name) > 1 and stringWidth(shown, single_font(shown), LABEL_SIZE) > room:
        name = name[:-1]
        shown = visual(f"{name.rstrip()}…")
    return shown


def write_compliance_pdf(report: ComplianceReport, path: Path) -> Path:
    st = styles()
    period = f"{report.date_from:%d %b %Y} to {report.date_to:%d %b %Y}"
    story: list[Flowable] = [
        para(f"{report.programme}: compliance for {report.scope}", st["Title"]),
        Paragraph(
            f"{period}. {report.completed} of the {report.people} who must complete it have done so "
            f"({report.percent:.1f}%); {counted(report.sessions_delivered, 'session')} delivered{_held_here(report)}.",
            st["BodyText"],
        ),
        para(f"{report.audience} {report.basis}".strip(), st["BodyText"]),
        Spacer(1, 4 * mm),
        _chart(report, TEXT_WIDTH),
        Spacer(1, 4 * mm),
    ]
    by_unit = LongTable(
        [["Unit", "Must complete it", "Completed", "Outstanding", "%"]]
        + [
            [para(u.unit, _indented(st, u.depth)), u.people, u.completed, u.people - u.completed, f"{u.percent:.1f}"]
            for u in report.units
        ],
        colWidths=[54 * mm, 36 * mm, 26 * mm, 28 * mm, 20 * mm],
        repeatRows=1,
    )
    by_unit.setStyle(GRID)
    story += [*heading("Completion by unit", st["Heading2"]), by_unit]
    if report.teams:
        by_team = LongTable(
            [["Unit", "Team", "Must complete it", "Completed", "%"]]
            + [
                [
                    para(t.unit, st["Cell"]),
                    para(t.team or "(no team)", st["Cell"]),
                    t.people,
                    t.completed,
                    f"{t.percent:.1f}",
                ]
                for t in report.teams
            ],
            colWidths=[44 * mm, 44 * mm, 36 * mm, 26 * mm, 20 * mm],
            repeatRows=1,
        )
        by_team.setStyle(GRID)
        story += [*heading("Completion by team", st["Heading2"]), by_team]

    story += _feedback(report.feedback, st)

    if report.trainers:
        trainers = LongTable(
            [["Trainer", "Sessions", "Hours"]]
            + [[cell(t.label, st["Cell"]), t.sessions, f"{t.hours:.1f}"] for t in report.trainers],
            colWidths=[60 * mm, 30 * mm, 30 * mm],
            repeatRows=1,
        )
        trainers.setStyle(GRID)
        story += [*heading("Sessions and hours per trainer", st["Heading2"]), trainers]
        if report.feedback.only_this_laptop:
            story.append(para("Of the sessions this laptop holds; HQ's console counts every laptop's.", st["Small"]))

    story += heading(f"Outstanding ({len(report.outstanding)})", st["Heading2"])
    if report.outstanding:
        story.append(_people_table(report.outstanding, "Due", st))
    else:
        story.append(Paragraph("Nobody: everyone on the roster in scope has completed it.", st["BodyText"]))
    if report.excused:
        story += heading(f"Exempt or completed another way ({len(report.excused)})", st["Heading2"])
        story.append(_people_table(report.excused, "Why not chased", st))
    return build_pdf(path, story, report.letterhead, f"{report.programme} compliance, {period}")


def _indented(st: StyleSheet1, depth: int) -> ParagraphStyle:
    """A unit's cell set in under the unit it is part of (a team under its BCU), as HQ's dashboard sets it."""
    return ParagraphStyle(f"Cell{depth}", parent=st["Cell"], leftIndent=depth * INDENT) if depth else st["Cell"]


def _people_table(people: tuple[Outstanding, ...], last: str, st: StyleSheet1) -> LongTable:
    table = LongTable(
        [["Staff number", "Name", "Unit", last]]
        + [
            [
                cell(o.staff_number, st["Cell"]),
                para(o.name, st["Cell"]),
                para(o.unit, st["Cell"]),
                para(f"{o.due_in_words}: {o.reason}" if o.reason else o.due_in_words, st["Cell"]),  # why excused
            ]
            for o in people
        ],
        colWidths=[28 * mm, 66 * mm, 50 * mm, 32 * mm],
        repeatRows=1,
    )
    table.setStyle(GRID)
    return table


def _feedback(feedback: FeedbackSummary, st: StyleSheet1) -> list[Flowable]:
    """What the room said: whether they would recommend it, why not, their other comments, and understanding
    before and after each objective, in the order the report gives them."""
    story: list[Flowable] = [
        *heading("Feedback", st["Heading2"], room=25 * mm),
        para(feedback_in_words(feedback), st["BodyText"], whole=True),
    ]
    if feedback.reasons_not:
        story.append(Paragraph("Reasons given for 'no':", st["BodyText"]))
        story += [para(f"• {reason}", st["Cell"], whole=True) for reason in feedback.reasons_not]
    if feedback.comments:  # as HQ's console gives them: apart from the reasons, under their own heading
        story.append(Paragraph("Other comments:", st["BodyText"]))
        story += [para(f"• {comment}", st["Cell"], whole=True) for comment in feedback.comments]
    if feedback.objectives:
        scores = LongTable(
            [["Objective", "Before", "Answered", "After", "Answered"]]
            + [
                [
                    para(o.objective_id, st["Cell"]),
                    _mean(o.before),
                    o.before_answered,
                    _mean(o.after),
                    o.after_answered,
                ]
                for o in feedback.objectives
            ],
            colWidths=[90 * mm, 18 * mm, 24 * mm, 18 * mm, 24 * mm],
            repeatRows=1,
        )
        scores.setStyle(GRID)
        story += [
            Spacer(1, 3 * mm),
            *heading("Mean understanding (1 to 5)", st["Heading3"], room=45 * mm),
            Paragraph("Each mean is over those who answered; a question left blank is not counted.", st["Cell"]),
            scores,
        ]
    return story


def _held_here(report: ComplianceReport) -> str:
    """On an enrolled laptop, sessions and trainers' hours are counted from the sessions it holds (its own, and
    on a lead's laptop its unit's), not every laptop's as completions are: said where they are given."""
    return (
        " (of the sessions this laptop holds; HQ's console counts every laptop's)"
        if (report.feedback.only_this_laptop)
        else ""
    )


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


# Dates as 2027-03-31, which a spreadsheet sorts and filters as dates; `overdue_or_due_soon` says which, or nothing;
# `counted_on` is the day the list is counted as of (today, or the end of a report's period).
CHASE_LIST_COLUMNS = [
    "staff_number", "name", "unit", "team", "role", "rank", "programme", "due_by", "overdue_or_due_soon", "booked_for",
    "counted_on",
]  # fmt: skip


def chase_list(report: ComplianceReport) -> tuple[list[str], list[list[str]]]:
    """The chase list's header and rows: everyone in scope who has not completed the programme, to sort and
    filter in Excel. Every chase list downloaded (a laptop's report, HQ's Reports page, a unit's page) is this
    one table, so a lead's spreadsheet reads any of them. The per-unit figures are in the PDF. Each unit is
    given by its code too (two units may share a name); where the report spans several forces, a force column
    follows the staff number, since two forces may each have a "North Response Team 1"."""
    several = any(o.force for o in report.outstanding)
    header = CHASE_LIST_COLUMNS[:2] + ["force"] * several + ["unit", "unit_code"] + CHASE_LIST_COLUMNS[3:]
    return header, [
        [
            o.staff_number,
            o.name,
            *[o.force] * several,
            o.unit,
            o.unit_code,
            o.team,
            o.role,
            o.rank,
            report.programme,
            o.due_by.isoformat() if o.due_by else "",
            o.pressing,
            o.booked_for.isoformat() if o.booked_for else "",
            report.date_to.isoformat(),
        ]
        for o in report.outstanding
    ]


def chase_list_of_teams(report: ComplianceReport) -> tuple[list[str], list[list[str]]]:
    """The chase list as `chase_list` gives it, without its team column when nobody listed has a team on the
    roster: a force whose teams are units of the tree leaves that column empty, and an empty column headed
    "team" reads as if everyone's team were missing."""
    header, rows = chase_list(report)
    if any(o.team for o in report.outstanding):
        return header, rows
    at = header.index("team")
    return [c for i, c in enumerate(header) if i != at], [[c for i, c in enumerate(r) if i != at] for r in rows]


def write_compliance_csv(report: ComplianceReport, path: Path) -> Path:
    return write_csv(path, *chase_list(report))
