"""The presenter on a full disk: each timing, and the end of the session, that could not be saved is named on
the presenter (never the audience screen) and kept to try again; ending does not close the presenter on an end
that was not saved. It went as a status line that said "Not saved: Not saved: ..." for 15 seconds, and the
timing log kept only the first section, with no end."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click
from tests.ui.test_presenter_closing import press_the_window_close_button, start_session
from tests.ui.test_register_full_disk import full_disk
from trainer_desk.store import delivery
from trainer_desk.store.session_progress import sessions_mid_delivery
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def banner_says(presenter: PresenterWindow) -> str:
    return " ".join(label.text() for label in presenter.not_saved.findChildren(QLabel) if label.isVisible())


def test_ending_a_session_on_a_full_disk_keeps_the_presenter_open_until_the_end_is_saved(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, tasks: TaskRunner
) -> None:
    presenter = start_session(qtbot, launcher)
    session = presenter.session
    assert session is not None
    tasks.wait()
    with full_disk(workspace) as free:
        for _ in range(3):
            qtbot.keyClick(presenter, Qt.Key.Key_Right)
        tasks.wait()
        qtbot.waitUntil(presenter.not_saved.isVisible, timeout=5000)
        assert "Not saved: Not saved" not in banner_says(presenter)
        said = banner_says(presenter)
        sections = presenter.presentation.plan.sections
        for row in (1, 2, 3):  # each start named as the section list shows it
            assert f"the start of section “{presenter.sections.item(row, 0).text()}”" in said
            assert f"section {sections[row].id}" not in said  # the plan's id, which the trainer never sees
        audience_words = " ".join(label.text() for label in presenter.audience.findChildren(QLabel))
        assert "Not saved" not in audience_words  # the room is not told
        qtbot.keyClick(presenter, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        answer(qtbot, "End session")
        qtbot.waitUntil(lambda: "the end of the session" in banner_says(presenter), timeout=5000)
        assert presenter.isVisible()  # not closed on an end that was not saved

        press_the_window_close_button(presenter)  # closing now asks, naming what would be lost
        said = answer(qtbot, "Keep it open")
        assert "the end of the session" in said and "Close without saving these?" in said
        assert presenter.isVisible()

        free()
        click(qtbot, presenter, "Try again")
        qtbot.waitUntil(lambda: launcher.presenters == [], timeout=5000)  # closed, once its end was saved
    tasks.wait()
    assert len(delivery.timing_log(workspace.db, session.uuid)) == 4  # welcome and the three after it
    assert sessions_mid_delivery(workspace.db) == set()  # ended
