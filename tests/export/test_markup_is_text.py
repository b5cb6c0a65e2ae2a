"""Text from people and plans that looks like markup prints as written and is never acted on: no bold, no
size change, no swallowed text, no aborted export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from tests.export.sheet_roster import compliance_report, page_texts, readable, session_sheet
from trainer_desk.core.lesson_plan import Objective
from trainer_desk.core.plan_library import load_library
from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet
from trainer_desk.export.compliance_report import write_compliance_pdf
from trainer_desk.export.facilitator_script import write_facilitator_script
from trainer_desk.export.markdown_flow import inline
from trainer_desk.export.pdf_pages import styles
from trainer_desk.export.pdf_text import Text, para, visual
from trainer_desk.paths import bundled

MARKUP_NAMES = ("Jo <Bloggs>", "Pat &amp; Sam", "<b>Bold</b> Jones", "<font size=40>Big</font> Lee", "A&B <i>")


def drawn_runs(path: Path) -> list[tuple[str, str, float]]:
    """Each piece of text drawn: (text, font, size), as the PDF's content stream sets them."""
    runs: list[tuple[str, str, float]] = []
    for page in PdfReader(path).pages:

        def visit(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
            if text.strip():
                runs.append((text, str(font["/BaseFont"]) if font else "", size))

        page.extract_text(visitor_text=visit)
    return runs


def test_markup_in_names_and_venue_prints_as_written_in_plain_text(tmp_path: Path) -> None:
    sheet = dataclasses.replace(session_sheet(MARKUP_NAMES), venue="Room 2 <b>x", programme="Signa & <Co>")
    target = write_attendance_sheet(sheet, tmp_path / "sheet.pdf")  # used to abort on the venue
    text = readable("\n".join(page_texts(target)))
    for written in (*MARKUP_NAMES, "Room 2 <b>x", "Signa & <Co>"):
        assert written in text
    runs = drawn_runs(target)
    name_runs = [run for run in runs if "Bold" in run[0] or "Big" in run[0]]
    assert name_runs and all(font.endswith("+DejaVuSans") for _, font, _ in name_runs)  # not bold
    assert all(size == 9 for _, _, size in name_runs)  # the cell's size, not 40
    assert max(size for _, _, size in runs) <= 18  # nothing outgrows the title


def test_markup_in_feedback_objectives_and_units_of_the_compliance_report(tmp_path: Path) -> None:
    report = compliance_report(
        MARKUP_NAMES,
        reasons=("<font size=40>Too long</font>", "less <b>role play</b> & more cases", "x < y > z"),
    )
    target = write_compliance_pdf(report, tmp_path / "c.pdf")
    text = readable("\n".join(page_texts(target)))
    for written in (
        *MARKUP_NAMES,
        "<font size=40>Too long</font>",
        "less <b>role play</b> & more cases",
        "x < y > z",
        "Recognise sexism & misogyny at <work>",
        "East & <West>",
    ):
        assert written in text
    assert max(size for _, _, size in drawn_runs(target)) <= 18


def test_the_facilitator_script_prints_objectives_with_angle_brackets(tmp_path: Path) -> None:
    library = load_library(bundled("lesson_plans"))
    plan = library.plans[0]
    objectives = (Objective("o<1>", "Spot a <b> tag & say 'x > y' aloud"), *plan.objectives[1:])
    plan = dataclasses.replace(plan, objectives=objectives, title=f"{plan.title} <draft> & notes")
    target = write_facilitator_script(plan, library.shared_faq, tmp_path / "script.pdf")  # used to crash
    text = readable("\n".join(page_texts(target)))
    assert "o<1> Spot a <b> tag & say 'x > y' aloud" in text
    assert f"{plan.title} v{plan.version} - facilitator script" in text  # the footer
    assert all(embedded_font.startswith("/AAAAAA+") for _, embedded_font, _ in drawn_runs(target))


def markup(text: Text) -> str:
    """The markup reportlab is given for a paragraph one line long (none for an empty one)."""
    return "".join(str(paragraph.text) for paragraph in para(text, styles()["Cell"], whole=True).split(400, 1000))


def test_markdown_emphasis_still_works_and_nothing_else_is_markup() -> None:
    assert markup(inline("**Stop** & _think_ <b>")) == "<b>Stop</b> &amp; <i>think</i> &lt;b&gt;"
    assert markup(inline("see [the policy](http://x/?a=1&b=2)")) == "see the policy (http://x/?a=1&amp;b=2)"
    assert (
        markup(inline("王 **李**"))
        == '<font face="TrainerDeskCJK">王</font> <b><font face="TrainerDeskCJK">李</font></b>'
    )


@given(st.text(alphabet="<>&;#/=\"' abxAB01Łė王김", max_size=40))
def test_any_text_parses_to_exactly_itself(text: str) -> None:
    """Whatever a person typed, the paragraph reportlab builds holds exactly those characters, as drawn."""
    paragraph = Paragraph(markup(text), styles()["Cell"])
    parsed = "".join(getattr(frag, "text", "") for frag in paragraph.frags)
    assert " ".join(parsed.split()) == " ".join(visual(text).split())


def test_a_venue_and_a_name_far_too_long_are_cut_short_and_the_register_still_prints(tmp_path: Path) -> None:
    """A venue pasted with a whole letter after it, or a name a laptop gone wrong sent, once stopped the sheet
    (a table cell taller than a page): both print cut short, with every other line of the register."""
    names = ("Nguyễn Thị Lan", "Wiśniewska " * 400, "Rhys ap Gwilym")
    sheet = dataclasses.replace(session_sheet(names), venue="Training room 3, Northgate. " * 80)
    for write in (write_attendance_sheet, write_sign_in_sheet):
        target = write(sheet, tmp_path / f"{write.__name__}.pdf")
        text = readable("\n".join(page_texts(target)))
        assert "Nguyễn Thị Lan" in text and "Rhys ap Gwilym" in text
        assert "Training room 3, Northgate. Training ro..." in text  # NFKC reads the ellipsis as three dots
