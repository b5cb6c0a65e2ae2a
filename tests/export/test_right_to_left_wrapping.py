"""Right-to-left text too long for its cell wraps onto more lines in reading order: the first printed line
holds the start of an Arabic unit name or venue, the next its end, and each line's runs (Arabic, digits, Latin
words) keep their order. Read back with pypdf, which gives each printed line in reading order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.export.sheet_roster import compliance_report, page_texts, readable, session_sheet
from trainer_desk.core.reports import Completion, Outstanding
from trainer_desk.export.attendance_sheet import write_attendance_sheet
from trainer_desk.export.compliance_report import write_compliance_pdf

UNIT = "وحدة شرطة المجتمع والأحياء في المنطقة الشمالية الغربية"  # community and neighbourhood policing, north west
VENUE = "قاعة التدريب الرئيسية في الطابق الثاني من مقر الشرطة المركزي في المدينة القديمة"
LATIN_FIRST = "Unit 7 شرطة المجتمع والأحياء في المنطقة الشمالية الغربية للمدينة"
# Arabic, so read from the right, with a second line that starts with Latin words.
ARABIC_FIRST = "شرطة المجتمع والأحياء في المنطقة North West، الوحدة 7"


def printed_lines(path: Path, text: str) -> list[str]:
    """The lines, top to bottom, on which `text` is printed: the run of lines on a page that read as `text`
    when put together in the order they are printed (none when no run does)."""
    for page in page_texts(path):
        lines = [readable(line) for line in page.splitlines()]
        for first in range(len(lines)):
            for last in range(first + 1, len(lines) + 1):
                if " ".join(lines[first:last]) == readable(text):
                    return lines[first:last]
    return []


def test_a_long_arabic_unit_and_venue_in_the_session_details_read_from_their_first_line(tmp_path: Path) -> None:
    sheet = write_attendance_sheet(replace(session_sheet(venue=VENUE), unit=UNIT), tmp_path / "attendance.pdf")
    unit = printed_lines(sheet, UNIT)
    assert len(unit) == 2, unit
    assert unit[0].startswith("وحدة شرطة") and unit[1].endswith("الشمالية الغربية")
    venue = printed_lines(sheet, VENUE)
    assert len(venue) >= 2, venue
    assert venue[0].startswith("قاعة التدريب") and venue[-1].endswith("المدينة القديمة")


def test_long_arabic_unit_names_in_the_compliance_tables_read_from_their_first_line(tmp_path: Path) -> None:
    report = compliance_report()
    report = replace(
        report,
        units=(Completion(UNIT, 10, 6), Completion(LATIN_FIRST, 4, 1), Completion(ARABIC_FIRST, 3, 3)),
        outstanding=(Outstanding("800001", "محمد الزهراني", UNIT),),
    )
    pdf = write_compliance_pdf(report, tmp_path / "compliance.pdf")
    for name in (UNIT, LATIN_FIRST):
        lines = printed_lines(pdf, name)
        assert len(lines) == 2, (name, lines)
        assert name.startswith(lines[0]) and name.endswith(lines[1])
    # Digits and Latin words keep their place among the Arabic on the line they fall on.
    assert printed_lines(pdf, LATIN_FIRST)[0].startswith("Unit 7 شرطة")
    # An Arabic name's line is read from the right even where it starts with Latin words: "North West" stands
    # at the line's right, and الوحدة 7 to its left (pypdf reads each line from the left).
    texts = [readable(line) for line in page_texts(pdf)[0].splitlines()]
    assert "شرطة المجتمع والأحياء في المنطقة" in texts
    second = texts[texts.index("شرطة المجتمع والأحياء في المنطقة") + 1]
    assert second.index("الوحدة") < second.index("North West"), second
