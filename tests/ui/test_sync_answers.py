"""What the trainer reads when something answers at HQ's address that cannot take the sync: HQ with a fault,
or not HQ at all (a Wi-Fi sign-in page, a proxy, another web server). A real HTTP server on loopback answers,
and the trainer presses Sync now."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.sync.answering import answering
from tests.sync.test_sync import register_people
from tests.ui.clicks import open_dialog
from trainer_desk.sync import credentials
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.ui.enroll_dialog import EnrollDialog
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.workspace import Workspace

SIGN_IN_PAGE = b"<!doctype html><html><body><h1>Welcome to Station Wi-Fi</h1>Please sign in.</body></html>"
Answer = tuple[int, dict[str, str], bytes]


def synced_against(qtbot: QtBot, window: MainWindow, workspace: Workspace, url: str) -> SyncPanel:
    """The laptop enrolled with `url`, two people registered, and Sync now pressed until the sync has ended."""
    with workspace.db.atomic():
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [url])
    credentials.save_token(workspace.paths.data_dir, "a-token", workspace.keychain)
    register_people(workspace, 2)
    assert window.syncing is not None
    ended: list[object] = []
    window.syncing.finished.connect(ended.append)
    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    panel.refresh()
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ended), timeout=30000)  # a fault is tried four times, with waits between
    return panel


def test_an_hq_with_a_fault_is_not_called_offline(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    with answering(500, {"Content-Type": "text/plain"}, b"Internal Server Error") as url:
        panel = synced_against(qtbot, window, workspace, url)
    status = window.sync_label.text()
    assert status.startswith("HQ has a fault; everything stays saved here; it tries again later")
    assert "Offline" not in status and "Offline" not in panel.state.text()
    assert "HQ answered but could not take this sync: it reported a fault (HTTP 500)" in panel.state.text()


@pytest.mark.parametrize(
    "answer",
    [
        (200, {"Content-Type": "text/html; charset=utf-8"}, SIGN_IN_PAGE),
        (200, {}, b""),
        (302, {"Location": "http://login.example.net/portal", "Content-Type": "text/html"}, b""),
        (403, {"Content-Type": "text/html"}, b"<html><body>Access denied by proxy policy</body></html>"),
        (404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>"),
        (401, {"Content-Type": "text/html"}, SIGN_IN_PAGE),  # not HQ forgetting the laptop: no enrolling again
        (511, {"Content-Type": "text/html"}, SIGN_IN_PAGE),  # Network Authentication Required: not HQ's fault
        (511, {}, b""),
        (503, {"Content-Type": "text/html"}, b"<html><body>Service unavailable: proxy upstream</body></html>"),
        (502, {}, b"<!DOCTYPE html><html><body>Bad gateway</body></html>"),  # a page sent without saying so
    ],
    ids=[
        "sign-in-page",
        "empty",
        "redirect",
        "proxy-403",
        "not-found",
        "sign-in-401",
        "sign-in-511",
        "bare-511",
        "proxy-503",
        "proxy-502-unlabelled",
    ],
)
def test_something_other_than_hq_is_named_with_what_to_do(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, answer: Answer
) -> None:
    with answering(*answer) as url:
        panel = synced_against(qtbot, window, workspace, url)
    status = window.sync_label.text()
    assert status.startswith("Sync problem: something other than HQ answered (a Wi-Fi sign-in page or a proxy?)")
    assert "HQ refused" not in status and "not readable" not in status
    said = panel.state.text()
    assert f"Something other than HQ answered at {url}" in said
    assert "Sign in to the network, or check HQ's address with whoever runs it." in said
    assert "Everything stays saved on this laptop." in said


def test_hq_crashing_part_way_with_no_answer_is_still_a_fault_of_hqs(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """Before any handler of HQ's can answer, its server says only the status: no header, no body."""
    with answering(502, {}, b"") as url:
        panel = synced_against(qtbot, window, workspace, url)
    assert window.sync_label.text().startswith("HQ has a fault; everything stays saved here")
    assert "Something other than HQ" not in panel.state.text()


def test_hqs_own_refusal_is_still_hqs(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    refusal = json.dumps({"detail": "this unit is closed"}).encode()
    headers = {"Content-Type": "application/json", PROTOCOL_HEADER: "2"}
    with answering(403, headers, refusal) as url:
        panel = synced_against(qtbot, window, workspace, url)
    assert window.sync_label.text().startswith("Sync problem: HQ refused the request (HTTP 403: this unit is closed)")
    assert "Something other than HQ" not in panel.state.text()


def test_enrolling_with_an_hq_that_has_a_fault_says_so_not_that_it_could_not_be_reached(
    qtbot: QtBot, window: MainWindow
) -> None:
    """HQ's own answer to an error it did not expect: JSON, with its header. Enrolling is not retried later,
    so the dialog says what to do, and blames neither the address nor this laptop's network."""
    crash = json.dumps({"detail": "Something went wrong at HQ and it could not finish that."}).encode()
    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    with answering(500, {"Content-Type": "application/json", PROTOCOL_HEADER: "2"}, crash) as url:
        qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
        dialog = open_dialog(qtbot)
        assert isinstance(dialog, EnrollDialog)
        dialog.url.setFocus()
        dialog.url.selectAll()
        qtbot.keyClicks(dialog.url, url)
        qtbot.keyClicks(dialog.code, "8F9A-76F5-0E99-793D")
        qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
        problem = next(label for label in dialog.findChildren(QLabel) if label.accessibleName() == "Enrollment problem")
        qtbot.waitUntil(problem.isVisible, timeout=30000)  # a fault is tried four times, with waits between
    said = problem.text()
    assert said.startswith("Not enrolled: HQ has a fault, so it could not take the code.")
    assert "could not be reached" not in said and "online" not in said
    assert panel.explanation.text() == said
    dialog.reject()
