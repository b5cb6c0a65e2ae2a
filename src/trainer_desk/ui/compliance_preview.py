"""The compliance report as the Reports view previews it: the same figures and words as the PDF."""

from __future__ import annotations

import re

from trainer_desk.core.counted import counted
from trainer_desk.core.reports import ComplianceReport
from trainer_desk.export.compliance_report import feedback_in_words

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def compliance_markdown(report: ComplianceReport) -> str:
    """The preview's text: the headline figures, the feedback as the PDF words it, and completion by unit."""
    units = "\n".join(f"| {_text(u.unit)} | {u.people} | {u.completed} | {u.percent:.1f}% |" for u in report.units)
    return (
        f"## {_text(report.programme)}: {_text(report.scope)}\n\n"
        f"{report.completed} of the {report.people} who must complete it have done so "
        f"({report.percent:.1f}%), {len(report.outstanding)} outstanding, "
        f"{counted(report.sessions_delivered, 'session')}.\n\n"
        f"Feedback: {_text(feedback_in_words(report.feedback))}\n\n"
        f"*{_text(report.audience)} {_text(report.basis)}*\n\n"
        f"| Unit | Must complete it | Completed | % |\n|---|---|---|---|\n{units}"
    )


def _text(text: str) -> str:
    """Text from the roster or the report as the letters it is, never as markdown (a '|' in a name would split
    the table's row)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
