"""At the close, the audience screen shows the session's feedback link as a QR code: read back from a
screenshot of the audience window (zbar, as a phone's camera reads it), the link opens HQ's form for this
session and takes an answer. Without an HQ to sign links for, the close shows its text as before."""

from __future__ import annotations

import io

import requests
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from pytestqt.qtbot import QtBot
from pyzbar.pyzbar import decode

from tests.hq_server import Hq
from tests.ui.test_delivery import launcher, start_session_through_the_dialog
from trainer_desk import hq_link
from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import feedback_figures
from trainer_desk.paths import bundled
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.workspace import Workspace

__all__ = ["launcher"]  # the delivery tests' launcher, used here too


def to_the_close(qtbot: QtBot, presenter: PresenterWindow) -> None:
    sections = presenter.presentation.plan.sections
    while sections[presenter.presentation.index].kind is not SectionKind.CLOSE:
        qtbot.keyClick(presenter, Qt.Key.Key_Right)


def screenshot(presenter: PresenterWindow) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    presenter.audience.grab().save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data())))


def test_the_close_shows_a_qr_code_a_phone_can_follow_to_the_form(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, hq: Hq
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    presenter = start_session_through_the_dialog(qtbot, launcher, "signa-core")
    to_the_close(qtbot, presenter)
    assert presenter.audience.shown_page() == "feedback"
    found = decode(screenshot(presenter))
    assert len(found) == 1
    link = found[0].data.decode()
    assert link.startswith(hq.url + "/feedback/")
    assert presenter.audience.feedback.link.text().replace("\u200b", "") == link  # the same link, to type

    counter = presenter.phone_answers
    assert counter.isVisible()
    qtbot.waitUntil(lambda: "so far: 0" in counter.text(), timeout=10000)
    phone = requests.Session()
    assert "Would you recommend this training" in phone.get(link, timeout=10).text
    assert phone.post(link, data={"recommend": "yes"}, timeout=10).status_code == 200
    qtbot.keyClick(presenter, Qt.Key.Key_Left)  # a look back, and on to the close again
    assert not counter.isVisible()
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: "so far: 1" in counter.text(), timeout=10000)
    assert presenter.session is not None
    said = feedback_figures.for_session(hq.engine, presenter.session.uuid, "signa")
    assert said.forms == 1 and said.recommend == 1


def test_without_hq_the_close_shows_its_own_text(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    presenter = start_session_through_the_dialog(qtbot, launcher, "signa-core")
    to_the_close(qtbot, presenter)
    assert presenter.audience.shown_page() == "content"
    assert decode(screenshot(presenter)) == []
