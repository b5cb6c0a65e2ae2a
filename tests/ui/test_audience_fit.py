"""Everything the room is shown fits the projector, from 1024x768 up, in type the back row can read."""

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
from trainer_desk.ui.projected_text import ProjectedTextPanel

PLANS = load_library(bundled("lesson_plans")).plans
SIZES = [(1024, 768), (1280, 720), (1920, 1080)]


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
    """What a person in the room would miss: text past an edge of the screen, too small, or not there."""
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
                if layout.lineAt(i).height() < shortest_line - 0.5:
                    found.append(f"a line of {block.text()[:30]!r} is smaller than {smallest_px} px type")
            block = block.next()
    shown = panel.toPlainText().split()
    if shown != plain_words(markdown):
        found.append("the words shown are not the card's words, in order")
    return found


def _font(px: int) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    return font


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_signposting_card_and_section_fits_the_projector(qtbot: QtBot, size: tuple[int, int]) -> None:
    smallest_px = 24 if size == (1024, 768) else 1  # the back-row rule is checked on the smallest projector
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


def test_a_card_too_long_for_one_column_goes_into_two_at_back_row_size(qtbot: QtBot) -> None:
    plan = PLANS[0]
    heading = plan.signposting.strip().splitlines()[0]
    out_of_hours = "- The duty inspector\n- The control room\n- The force switchboard"
    longer = f"{plan.signposting}\n\n**Out of hours**\n\n{out_of_hours}\n"
    window = project(qtbot, dataclasses.replace(plan, signposting=longer), (1024, 768))
    window.presentation.set_view(AudienceView.SIGNPOSTING)
    assert problems_in(window, window.signposting, longer, 24) == []
    title, left, right = window.signposting.browsers()
    assert title.toPlainText() == heading.lstrip("# ")
    assert left.geometry().right() < right.geometry().left()
    assert left.geometry().top() == right.geometry().top() >= title.geometry().bottom()


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


def test_a_caption_longer_than_two_lines_is_set_smaller_not_cut(qtbot: QtBot) -> None:
    plan = next(p for p in PLANS if p.id == "signa-core")
    window = project(qtbot, plan, (1024, 768))
    presentation = window.presentation
    presentation.go_to(next(i for i, s in enumerate(plan.sections) if s.video is not None))
    window.show_video_playing(True)
    window.show_caption("Short.")
    usual = window.caption.font().pixelSize()
    long = "This caption goes on much longer than any caption should, well past two lines at the usual size " * 2
    window.show_caption(long.strip())
    window.film.layout().activate()
    assert window.caption.font().pixelSize() < usual
    assert window.caption.heightForWidth(window.caption.width()) <= window.caption_area.height()
