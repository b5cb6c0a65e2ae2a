"""The compliance report as the Reports view previews it: the same figures and words as the PDF, with the
people still to complete it listed as the chase list has them, so a lead need not export to see who to chase."""

from __future__ import annotations

import re

from trainer_desk.core.counted import counted
from trainer_desk.core.feedback_words import feedback_in_words
from trainer_desk.core.reports import ComplianceReport, Outstanding

_INDENT = "\u2003\u2003"  # two em spaces a level: a team reads as part of the BCU above it, as in the PDF
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def compliance_markdown(report: ComplianceReport) -> str:
    """The preview's text: the headline figures, the feedback as the PDF words it, completion by unit and who
    is outstanding."""
    units = "\n".join(
        f"| {_INDENT * u.depth}{_text(u.unit)} | {u.people} | {u.completed} | {u.percent:.1f}% |" for u in report.units
    )
    people = (
        "| Staff number | Name | Unit | Due |\n|---|---|---|---|\n"  # the PDF's columns, in its order
        + "\n".join(
            f"| {_text(o.staff_number)} | {_text(o.name)} | {_text(o.unit)} | {_text(due(o))} |"
            for o in report.outstanding
        )
        if report.outstanding
        else "Nobody: everyone on the roster in scope has completed it."
    )
    return (
        f"## {_text(report.programme)}: {_text(report.scope)}\n\n"
        f"{report.completed} of the {report.people} who must complete it have done so "
        f"({report.percent:.1f}%), {len(report.outstanding)} outstanding, "
        f"{counted(report.sessions_delivered, 'session')}.\n\n"
        f"Feedback: {_text(feedback_in_words(report.feedback))}\n\n"
        f"*{_text(report.audience)} {_text(report.basis)}*\n\n"
        f"| Unit | Must complete it | Completed | % |\n|---|---|---|---|\n{units}\n\n"
        f"### Outstanding ({len(report.outstanding)})\n\n{people}"
    )


def due(person: Outstanding) -> str:
    """Their due date, with how pressing it is and the session they are booked on: "31 Mar 2027, overdue"."""
    when = f"{person.due_by:%d %b %Y}" if person.due_by else ""
    booked = f"booked for {person.booked_for:%d %b %Y}" if person.booked_for else ""
    return ", ".join(part for part in (when, person.pressing, booked) if part)


def _text(text: str) -> str:
    """Text from the roster or the report as the letters it is, never as markdown (a '|' in a name would split
    the table's row)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
