"""Right-to-left text too long for its cell wraps onto more lines in reading order: the first printed line
holds the start of an Arabic unit name or venue, the next its end, and each line's runs (Arabic, digits, Latin
words) keep their order. So does text set after a bold label or a bullet: a feedback comment, a reason for
'no', an aim on the feedback form, an objective in the facilitator script. Read back with pypdf, which gives
each printed line in reading order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tests.export.sheet_roster import (
    LETTERHEAD,
    compliance_report,
    drawn_in_fonts,
    page_texts,
    readable,
    session_sheet,
)
from trainer_desk.core.lesson_plan import Objective
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Completion, Outstanding
from trainer_desk.export.attendance_sheet import write_attendance_sheet
from trainer_desk.export.compliance_report import write_compliance_pdf
from trainer_desk.export.facilitator_script import write_facilitator_script
from trainer_desk.export.feedback_form import FeedbackForm, write_feedback_form
from trainer_desk.export.pdf_text import LONGEST
from trainer_desk.paths import bundled

UNIT = "وحدة شرطة المجتمع والأحياء في المنطقة الشمالية الغربية"  # community and neighbourhood policing, north west
VENUE = "قاعة التدريب الرئيسية في الطابق الثاني من مقر الشرطة المركزي في المدينة القديمة"
LATIN_FIRST = "Unit 7 شرطة المجتمع والأحياء في المنطقة الشمالية الغربية للمدينة"
# Arabic, so read from the right, with a second line that starts with Latin words.
ARABIC_FIRST = "شرطة المجتمع والأحياء في المنطقة North West، الوحدة 7"
# A comment as long as a room's most talkative participant writes: longer than a table cell holds.
COMMENT = "، ".join(
    (
        "كانت الدورة مفيدة جدا وأتمنى أن نحصل على وقت أطول لمناقشة الحالات الحقيقية مع المدربين",
        "لقد تعلمت الكثير عن كيفية التدخل عندما أرى زميلا يتعرض للتحرش في مكان العمل",
        "أقترح أن تكون هناك جلسة متابعة بعد ثلاثة أشهر لمراجعة ما تعلمناه ومشاركة التجارب",
        "كما أرجو أن تتوفر المواد باللغة العربية لمن يفضل القراءة بها",
        "وأتمنى أن يشارك المديرون في الدورة نفسها حتى يفهموا ما يواجهه الموظفون الجدد كل يوم",
        "وكان من المفيد أن نسمع قصصا من زملاء مروا بمواقف مشابهة وكيف تعاملوا معها بشجاعة",
        "وأرى أن التمارين العملية كانت أفضل جزء في اليوم لأنها جعلتنا نفكر فيما سنقوله فعلا",
        "شكرا للمدربين على صبرهم وعلى الجهد الكبير الذي بذلوه في التحضير لهذه الدورة",
    )
)
REASON = (
    "المحتوى طويل جدا ولم يكن هناك وقت كاف لطرح الأسئلة حول الإبلاغ عن الحوادث في مكان العمل وبعد ساعات الدوام"
    " وفي أثناء المناوبات الليلية"
)
AIM = "التعرف على التمييز الجنسي وكره النساء في مكان العمل وكيفية الإبلاغ عنه بأمان ومن دون خوف من العواقب"


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


def test_a_long_arabic_comment_and_reason_for_no_read_from_their_first_line_and_print_whole(tmp_path: Path) -> None:
    report = compliance_report(reasons=(REASON,))
    report = replace(report, feedback=replace(report.feedback, comments=(COMMENT,)))
    pdf = write_compliance_pdf(report, tmp_path / "compliance.pdf")
    assert len(COMMENT) > LONGEST  # cut short in a table cell, never under Other comments
    comment = printed_lines(pdf, f"• {COMMENT}")
    assert len(comment) >= 5, comment
    assert comment[0].startswith("• كانت الدورة مفيدة") and comment[-1].endswith("في التحضير لهذه الدورة")
    reason = printed_lines(pdf, f"• {REASON}")
    assert len(reason) == 2, reason
    assert reason[0].startswith("• المحتوى طويل") and reason[1].endswith("المناوبات الليلية")


def test_an_arabic_aim_reads_from_its_first_line_on_the_feedback_form_and_in_the_facilitator_script(
    tmp_path: Path,
) -> None:
    form = FeedbackForm(LETTERHEAD, "Signa", datetime(2026, 10, 5, 9, tzinfo=UTC), "Room 2", (AIM, "Know how"))
    pdf = write_feedback_form(form, 1, tmp_path / "form.pdf")
    aim = printed_lines(pdf, f"Aim 1 {AIM}")
    assert len(aim) >= 2, aim
    assert aim[0].startswith("Aim 1 التعرف على التمييز") and aim[-1].endswith("من العواقب")

    library = load_library(bundled("lesson_plans"))
    plan = library.get("upstander")
    assert plan is not None
    objective = f"{AIM} في أثناء المناوبات الليلية عندما لا يكون المدير موجودا ولا يعرف الموظف الجديد من يسأل"
    # "Train safely with North West 7", with "safely" in bold and "North West" in italics.
    mixed = Objective("o2", "تدرب **بأمان** مع _North West_ 7")
    plan = replace(plan, objectives=(Objective("o1", objective), mixed, *plan.objectives[2:]))
    script = write_facilitator_script(plan, (), tmp_path / "script.pdf")
    lines = printed_lines(script, f"o1 {objective}")
    assert len(lines) == 2, lines
    assert lines[0].startswith("o1 التعرف على التمييز") and lines[1].endswith("من يسأل")
    # Drawn from the left: the Arabic words last first, each set as written, then the Latin words and the digit.
    runs = [(readable(text), font) for text, font in drawn_in_fonts(script)]
    start = runs.index(("o2", "DejaVuSans-Bold"))
    assert runs[start + 1 : start + 5] == [
        ("مع", "DejaVuSans"),
        ("بأمان", "DejaVuSans-Bold"),
        ("تدرب", "DejaVuSans"),
        ("North West", "DejaVuSans-Oblique"),
    ], runs[start : start + 8]
