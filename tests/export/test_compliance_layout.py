"""The compliance PDF reads well on paper: a heading is never left at the foot of a page without its table,
long tables repeat their header row, and the chart's labels are large enough to read and stay on the page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from tests.export.sheet_roster import compliance_report, page_texts, readable
from trainer_desk.core.reports import Completion, ObjectiveScores
from trainer_desk.export.compliance_report import write_compliance_pdf

HEADING = "Mean understanding (1 to 5)"
HEADER_ROW = "Objective Before Answered After Answered"


def test_the_mean_understanding_heading_always_has_its_table_below_it(tmp_path: Path) -> None:
    # Each extra reason pushes the heading further down page 1, through the place where it used to be stranded.
    for extra in range(0, 44, 2):
        reasons = tuple(f"Reason {n}" for n in range(extra))
        target = write_compliance_pdf(compliance_report(reasons=reasons), tmp_path / f"c{extra}.pdf")
        [page] = [readable(text) for text in page_texts(target) if HEADING in readable(text)]
        assert HEADER_ROW in page.split(HEADING, 1)[1], f"heading stranded with {extra} reasons"


def test_a_long_objectives_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    objectives = tuple(ObjectiveScores(f"Objective number {n}", 2.0, 4.0, 3, 3) for n in range(90))
    target = write_compliance_pdf(compliance_report(objectives=objectives), tmp_path / "c.pdf")
    pages = [readable(text) for text in page_texts(target)]
    with_objectives = [page for page in pages if "Objective number" in page]
    assert len(with_objectives) >= 2
    assert all(HEADER_ROW in page for page in with_objectives)
    text = " ".join(pages)
    assert [int(part.split()[0]) for part in text.split("Objective number ")[1:]] == list(range(90))  # as given


def test_the_chart_labels_are_readable(tmp_path: Path) -> None:
    target = write_compliance_pdf(compliance_report(), tmp_path / "c.pdf")
    sizes: dict[str, float] = {}

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if text.strip():
            sizes.setdefault(text.strip(), size)

    PdfReader(target).pages[0].extract_text(visitor_text=visit)
    for label in ("North", "60%", "100%", "80"):  # a unit, bar values, the axis
        assert sizes[label] >= 8, (label, sizes[label])


def test_a_long_unit_name_on_the_chart_is_cut_short_on_the_page_and_given_whole_in_the_table(tmp_path: Path) -> None:
    """A long unit name ran off the page's left edge in the chart, printing as its last few words."""
    long_name = "North Area Basic Command Unit (Neighbourhood Policing, Response and Safeguarding Teams)"
    report = replace(compliance_report(), units=(Completion("North", 10, 6), Completion(long_name, 3, 1)))
    target = write_compliance_pdf(report, tmp_path / "c.pdf")
    starts: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():  # where the run starts across the page, in points from its left edge
            starts.setdefault(text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    PdfReader(target).pages[0].extract_text(visitor_text=visit)
    [label] = [text for text in starts if text.startswith("North Area") and text.endswith("…")]
    assert long_name.startswith(label[:-1].rstrip())
    assert min(starts.values()) >= 0, sorted(starts.items(), key=lambda item: item[1])[:3]
    assert long_name in readable(page_texts(target)[0])  # the table gives it whole
