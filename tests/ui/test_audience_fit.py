"""Everything the room is shown fits the projector, from 1024x768 up, in type the back row can read (the rule in
`projected_text`): a text longer than a screen at that size is shown a page at a time."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFont, QFontMetricsF, QTextDocument
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot

from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.audience_window import STARTING_SHORTLY, AudienceWindow
from trainer_desk.ui.presentation import AudienceView, Presentation
from trainer_desk.ui.projected_panel import ProjectedTextPanel
from trainer_desk.ui.projected_text import CONTINUED, CONTINUES, back_row_px

PLANS = load_library(bundled("lesson_plans")).plans
SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
LONGEST_LINE = 60  # characters


def project(qtbot: QtBot, plan: LessonPlan, size: tuple[int, int]) -> AudienceWindow:
    """The audience window for `plan` on a projector of `size`."""
    window = AudienceWindow(Presentation(plan))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    assert (window.width(), window.height()) == size
    return window


def plain_words(markdown: str) -> list[str]:
    document = QTextDocument()
    document.setMarkdown(markdown)
    return document.toPlainText().split()


def problems_in(window: AudienceWindow, panel: ProjectedTextPanel, markdown: str, smallest_px: int) -> list[str]:
    """What a person in the room would miss, on every page the trainer turns to: text past an edge of the
    screen, too small, in lines too long to follow, or not there."""
    found = []
    shown: list[str] = []
    while True:
        found += _problems_on_page(window, panel, smallest_px)
        heading, _, rest = panel.toPlainText().partition("\n")
        page = rest if heading.endswith(CONTINUED) else f"{heading}\n{rest}"  # the heading said again
        shown += page.replace(CONTINUES.strip("*"), "").split()
        if not panel.turn_page(1):
            break
    if shown != plain_words(markdown):
        found.append("the words shown are not the card's words, in order")
    panel.show_first_page()
    return found


def _problems_on_page(window: AudienceWindow, panel: ProjectedTextPanel, smallest_px: int) -> list[str]:
    found = []
    screen = window.rect()
    browsers: list[QTextBrowser] = panel.browsers()
    assert browsers and all(b.isVisible() for b in browsers)
    shortest_line = QFontMetricsF(_font(smallest_px)).height()
    for browser in browsers:
        viewport = browser.viewport()
        box = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
        if not screen.contains(box):
            found.append(f"{browser.accessibleName()} reaches outside the window")
        document = browser.document()
        if document.size().height() > viewport.height():
            found.append(
                f"{browser.accessibleName()}: text {document.size().height():.0f} px high, room for {viewport.height()}"
            )
        if document.idealWidth() > viewport.width():
            found.append(f"{browser.accessibleName()}: a line runs off the right edge")
        if document.defaultFont().pixelSize() < smallest_px:
            found.append(f"{browser.accessibleName()}: body text {document.defaultFont().pixelSize()} px")
        block = document.begin()
        while block.isValid():
            layout = block.layout()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                if line.height() < shortest_line - 0.5:
                    found.append(f"a line of {block.text()[:30]!r} is smaller than {smallest_px} px type")
                if len(block.text()[line.textStart() : line.textStart() + line.textLength()].strip()) > LONGEST_LINE:
                    found.append(f"a line of {block.text()[:30]!r} is longer than {LONGEST_LINE} characters")
            block = block.next()
    return found


def _font(px: int) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    return font


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_signposting_card_and_section_fits_the_projector(qtbot: QtBot, size: tuple[int, int]) -> None:
    smallest_px = back_row_px(size[1])
    problems = []
    for plan in PLANS:
        window = project(qtbot, plan, size)
        presentation = window.presentation
        presentation.set_view(AudienceView.SIGNPOSTING)
        assert window.shown_page() == "signposting"
        for problem in problems_in(window, window.signposting, plan.signposting, smallest_px):
            problems.append(f"{plan.id} signposting: {problem}")
        presentation.set_view(AudienceView.CONTENT)
        for number, section in enumerate(plan.sections):
            presentation.go_to(number)
            if section.video is None:
                assert window.shown_page() == "content"
                found = problems_in(window, window.content, section.audience, smallest_px)
            else:
                assert window.shown_page() == "video" and window.video_title.isVisible()
                found = problems_in(window, window.video_title, window.video_title.markdown, smallest_px)
            problems += [f"{plan.id} {section.id}: {problem}" for problem in found]
    assert problems == []


def test_a_card_too_long_for_one_screen_goes_on_to_a_next_page_at_back_row_size(qtbot: QtBot) -> None:
    plan = PLANS[0]
    heading = plan.signposting.strip().splitlines()[0].lstrip("# ")
    out_of_hours = "- The duty inspector\n- The control room\n- The force switchboard"
    longer = f"{plan.signposting}\n\n**Out of hours**\n\n{out_of_hours}\n"
    window = project(qtbot, dataclasses.replace(plan, signposting=longer), (1024, 768))
    window.presentation.set_view(AudienceView.SIGNPOSTING)
    assert problems_in(window, window.signposting, longer, back_row_px(768)) == []
    assert window.shown_text_pages() == (1, 2)
    title, left, right = window.signposting.browsers()
    assert title.toPlainText() == heading
    assert left.geometry().right() < right.geometry().left()
    assert left.geometry().top() == right.geometry().top() >= title.geometry().bottom()
    assert CONTINUES.strip("*") in right.toPlainText()

    assert window.turn_page(1) and window.shown_text_pages() == (2, 2)
    assert window.signposting.browsers()[0].toPlainText().startswith(f"{heading} {CONTINUED}")
    assert "The force switchboard" in window.signposting.toPlainText()
    assert not window.turn_page(1), "past the last page the trainer's key goes on to the next section"
    assert window.turn_page(-1) and window.shown_text_pages() == (1, 2)

    window.presentation.set_view(AudienceView.CONTENT)
    window.turn_page(1)
    window.presentation.set_view(AudienceView.SIGNPOSTING)
    assert window.shown_text_pages() == (1, 2), "the card shown again starts at its first page"


def test_a_film_shows_its_title_card_until_it_plays(qtbot: QtBot) -> None:
    plan = next(p for p in PLANS if p.id == "signa-core")
    window = project(qtbot, plan, (1280, 720))
    presentation = window.presentation
    film = next(i for i, s in enumerate(plan.sections) if s.video is not None)
    presentation.go_to(film)
    assert window.shown_page() == "video"
    assert window.video_title.isVisible() and not window.video.isVisible()
    card = window.video_title.toPlainText()
    assert plan.sections[film].audience.splitlines()[0].lstrip("# ") in card and STARTING_SHORTLY in card

    window.show_video_playing(True)
    assert window.video.isVisible() and not window.video_title.isVisible()
    window.show_video_playing(False)  # a pause keeps the paused frame up
    assert window.video.isVisible()

    presentation.go_to(film + 1)
    presentation.go_to(film)
    assert window.video_title.isVisible(), "back at the film, the room sees its title again until it plays"


def test_the_film_keeps_its_size_whatever_the_caption(qtbot: QtBot) -> None:
    plan = next(p for p in PLANS if p.id == "signa-core")
    window = project(qtbot, plan, (1024, 768))
    presentation = window.presentation
    presentation.go_to(next(i for i, s in enumerate(plan.sections) if s.video is not None))
    window.show_video_playing(True)
    sizes = set()
    for caption in ("", "One line.", "The first of two lines\nand the second line.", "", "Short."):
        window.show_caption(caption)
        qtbot.waitUntil(lambda: not window.film.layout().geometry().isEmpty())
        window.film.layout().activate()
        sizes.add(window.video.geometry().getRect())
        if caption:
            assert window.caption.isVisible() and window.caption.text() == caption
            assert window.caption.height() >= window.caption.heightForWidth(window.caption.width())
        else:
            assert window.caption.isHidden()
    assert len(sizes) == 1, sizes


def test_a_caption_longer_than_two_lines_is_never_set_below_the_body_size_nor_cut(qtbot: QtBot) -> None:
    plan = next(p for p in PLANS if p.id == "signa-core")
    window = project(qtbot, plan, (1024, 768))
    presentation = window.presentation
    presentation.go_to(next(i for i, s in enumerate(plan.sections) if s.video is not None))
    window.show_video_playing(True)
    window.show_caption("Short.")
    window.film.layout().activate()
    usual = window.caption.font().pixelSize()
    assert usual >= back_row_px(768)
    long = "This caption goes on much longer than any caption should, well past two lines at the usual size " * 2
    window.show_caption(long.strip())
    window.film.layout().activate()
    assert back_row_px(768) <= window.caption.font().pixelSize() <= usual
    assert window.caption.heightForWidth(window.caption.width()) <= window.caption.height()
    assert window.rect().contains(QRect(window.caption.mapTo(window, QPoint(0, 0)), window.caption.size()))
