"""A signposting card longer than the projector holds at back-row size is shown a page at a time: the trainer's
next key (a clicker's Page Down) turns the page, the presenter says which page the room sees, and past the
last page the same key goes on to the next section, which the presenter names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import LIBRARY
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presentation import AudienceView
from trainer_desk.ui.projected_text import back_row_px


# Qt's showFullScreen asks to activate the window, which the audience's screen refuses by design (it never
# takes the trainer's keyboard); the offscreen platform says so.
@pytest.mark.qt_log_ignore("requestActivate")
def test_the_trainer_turns_the_pages_of_a_long_card_with_the_next_key(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    plan = LIBRARY.get("raising-concerns")
    assert plan is not None
    presenter = launcher.rehearse(plan)
    screen = QGuiApplication.primaryScreen()
    presenter.audience.place_on(screen, full_screen=True)  # as on a projector
    qtbot.waitUntil(lambda: presenter.audience.size() == screen.size())
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    audience = presenter.audience
    rule = back_row_px(screen.size().height())

    qtbot.keyClick(presenter, Qt.Key.Key_S)
    assert audience.shown_page() == "signposting"
    first_page = audience.signposting.toPlainText()
    assert audience.signposting.body_pixel_size() >= rule
    assert "Continues on the next page." in first_page
    pages = audience.shown_text_pages()[1]
    assert pages >= 2
    assert presenter.room_state.text().endswith(f"Page 1 of {pages}: Next turns the page.")

    qtbot.keyClick(presenter, Qt.Key.Key_PageDown)
    assert presenter.presentation.index == 0 and audience.shown_page() == "signposting"
    assert "(continued)" in audience.signposting.toPlainText()
    assert audience.signposting.body_pixel_size() >= rule
    if pages > 2:
        assert presenter.room_state.text().endswith(f"Page 2 of {pages}: Next turns the page.")

    qtbot.keyClick(presenter, Qt.Key.Key_PageUp)
    assert audience.signposting.toPlainText() == first_page

    for _ in range(pages - 1):
        qtbot.keyClick(presenter, Qt.Key.Key_PageDown)
    assert presenter.presentation.index == 0
    # the last page: Next no longer turns a page, and the presenter says where it goes instead
    said = presenter.room_state.text()
    assert said.endswith(f"Page {pages} of {pages}: Next goes on to 2. The duty and the key threats."), said
    qtbot.keyClick(presenter, Qt.Key.Key_PageDown)  # past the card's last page: the next section
    assert presenter.presentation.index == 1
    assert presenter.presentation.view is AudienceView.CONTENT and audience.shown_page() == "content"
    assert presenter.room_state.text().startswith("The audience sees this section.")
    assert audience.shown_text_pages()[0] == 1, "a section opens at its first page"
