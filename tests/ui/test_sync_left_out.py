"""The Sync view says when HQ sent records this laptop could not read and left out, so the trainer can tell
HQ, rather than showing a clean sync."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.sync.unreadable_at_hq import unreadable_records_at_hq
from tests.ui.clicks import click
from tests.ui.test_sync_view import sync_panel
from trainer_desk.hq import devices as hq_devices
from trainer_desk.ui.main_window import MainWindow


def test_the_sync_view_says_how_many_records_from_hq_were_left_out(qtbot: QtBot, window: MainWindow, hq: Hq) -> None:
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    assert "left out" not in panel.state.text()

    unreadable_records_at_hq(hq)
    panel = sync_panel(window)
    qtbot.waitUntil(lambda: panel.sync_button.text() == "Sync now", timeout=15000)  # the first sync over
    click(qtbot, panel, "Sync now")
    qtbot.waitUntil(lambda: "left out" in panel.state.text(), timeout=15000)
    assert "2 records from HQ could not be read and were left out: tell HQ." in panel.state.text()
    assert "Bloggs" not in panel.state.text() and "sggolB" not in panel.state.text()
