"""An administrator issues an enrollment code in the console; its QR code, read back from a screenshot of the
page as a camera app reads it, is pasted into the laptop's enrollment dialog, which fills in HQ's address and
the code; one click on Enroll and the laptop is enrolled."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from pyzbar.pyzbar import decode

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.app import build_main_window
from trainer_desk.core.enrollment_link import read_link
from trainer_desk.ui.enroll_dialog import EnrollDialog
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

# What these check is in the page as the browser shows it, the same whichever database HQ uses.
pytestmark = pytest.mark.any_database


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    tasks = TaskRunner()
    made = build_main_window(workspace, tasks)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    tasks.wait()


def test_a_code_issued_in_the_console_enrolls_a_laptop_through_its_qr_code(
    page: Page, hq: Hq, force: dict[str, str], qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("710002")
    page.get_by_label("Unit the laptop records for").select_option("NORTH")
    page.get_by_role("button", name="Issue a code").click()
    code = page.get_by_label("Enrollment code").inner_text().strip()
    qr = page.get_by_role("img", name="QR code of the enrollment link")
    expect(qr).to_be_visible()
    found = decode(Image.open(io.BytesIO(qr.screenshot())))
    assert len(found) == 1
    link = found[0].data.decode("utf-8")
    assert read_link(link) == (hq.url, code)

    sync_row = next(i for i in range(window.navigation.count()) if window.navigation.item(i).text() == "Sync")
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + sync_row), Qt.KeyboardModifier.ControlModifier)
    panel = next(iter(window.stack.findChildren(SyncPanel)))
    assert window.stack.currentWidget() is panel
    qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
    dialog = next(iter(panel.findChildren(EnrollDialog)))
    qtbot.waitUntil(dialog.isVisible)
    dialog.url.clear()
    QApplication.clipboard().setText(link)  # what the camera app's "copy" leaves
    qtbot.keyClick(dialog.url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.url.text() == hq.url and dialog.code.text() == code
    enroll = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(enroll, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"HQ: {hq.url}" in panel.state.text(), timeout=15000)
    assert hq_link.hq_url(workspace.db, workspace.settings) == hq.url
