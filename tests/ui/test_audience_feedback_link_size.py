"""The feedback link under the close's QR code is read from the back row by whoever cannot scan it, and typed:
it is set at the close's body size, scaled with the screen, and the longest link fits a 1024x768 projector
whole, with the code still large enough for a phone."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from pyzbar.pyzbar import decode

from trainer_desk.core import feedback_link
from trainer_desk.core.lesson_plan import LessonPlan, SectionKind
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.audience_window import AudienceWindow
from trainer_desk.ui.presentation import Presentation
from trainer_desk.ui.projected_text import back_row_px

PLANS = load_library(bundled("lesson_plans")).plans
HQ = "https://trainer-desk-hq.learning.northshire-constabulary.police.uk"
# the longest a laptop makes: the longest plan id a plan may have, on a long HQ address
LONGEST = feedback_link.for_session(
    "7b0e7f6c-3f8a-4c57-9a43-0d2b1f9c8e11",
    "0f6a8e52-91d4-4c3b-b7a1-5e2c9d8f7a60",
    "a" + "-long-plan-name" * 4,  # 61 characters, of the 63 a plan id may have
    date(2026, 11, 23),
).url(HQ, bytes(32))


def at_the_close(qtbot: QtBot, plan: LessonPlan, size: tuple[int, int], link: str) -> AudienceWindow:
    presentation = Presentation(plan)
    presentation.feedback_link = link
    window = AudienceWindow(presentation)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    presentation.go_to(next(i for i, s in enumerate(plan.sections) if s.kind is SectionKind.CLOSE))
    assert window.shown_page() == "feedback"
    qtbot.waitUntil(lambda: window.feedback.qr.pixmap().width() > 0)
    return window


def shown_px(label: QLabel) -> int:
    """The pixel height of the type the room sees on `label`, however it was set."""
    return QFontInfo(label.font()).pixelSize()


def whole_on_screen(window: AudienceWindow) -> list[str]:
    """Words under the code that a person in the room could not read: past an edge, or cut off."""
    found = []
    for label in (window.feedback.told, window.feedback.link):
        box = QRect(label.mapTo(window, QPoint(0, 0)), label.size())
        if not window.rect().contains(box):
            found.append(f"{label.accessibleName() or label.text()[:20]} reaches outside the screen")
        if label.heightForWidth(label.width()) > label.height():
            found.append(f"{label.accessibleName() or label.text()[:20]} is cut off")
    return found


def read_by_a_phone(window: AudienceWindow) -> list[str]:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    window.grab().save(buffer, "PNG")
    return [code.data.decode() for code in decode(Image.open(io.BytesIO(bytes(buffer.data()))))]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_the_longest_link_is_at_body_size_and_whole_on_a_1024x768_projector(qtbot: QtBot, plan: LessonPlan) -> None:
    assert len(LONGEST) > 200
    window = at_the_close(qtbot, plan, (1024, 768), LONGEST)
    panel = window.feedback
    window.layout().activate()
    body = panel.text.body_pixel_size()
    assert shown_px(panel.link) >= max(body, back_row_px(768)), "the link is at least body size"
    assert shown_px(panel.told) >= max(body, back_row_px(768))
    assert whole_on_screen(window) == []
    assert panel.link.text().replace("\u200b", "") == LONGEST
    assert read_by_a_phone(window) == [LONGEST]  # the code, given up height to the words, still scans


def test_the_link_grows_with_the_screen_like_the_body_text(qtbot: QtBot) -> None:
    plan = next(p for p in PLANS if p.id == "signa-core")
    link = feedback_link.for_session(
        "7b0e7f6c-3f8a-4c57-9a43-0d2b1f9c8e11", "0f6a8e52-91d4-4c3b-b7a1-5e2c9d8f7a60", plan.id, date(2026, 11, 23)
    ).url("https://hq.northshire.police.uk", bytes(32))
    sizes = {}
    for size in ((1024, 768), (1920, 1080)):
        window = at_the_close(qtbot, plan, size, link)
        window.layout().activate()
        assert whole_on_screen(window) == []
        sizes[size] = shown_px(window.feedback.link)
        assert sizes[size] >= window.feedback.text.body_pixel_size()
        assert read_by_a_phone(window) == [link]
    assert sizes[(1920, 1080)] >= sizes[(1024, 768)] * 1080 / 768 - 1
