"""What changes anywhere shows everywhere it is shown, with no timer and no click: a roster pulled by a sync
reaches the open register, the Roster view and the Reports view; a session closed in its register shows as
closed in Sessions and Reports; new lesson content from HQ reaches the plan library."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.sync.test_sync import enrolled
from tests.ui.clicks import answer, click
from trainer_desk.app import build_main_window
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import bundled
from trainer_desk.store import roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

from ..store.test_sessions import make_session

T = TypeVar("T")


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    tasks = TaskRunner()
    made = build_main_window(workspace, tasks)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    tasks.wait()


def panel_of(window: MainWindow, kind: type[T]) -> T:
    return next(p for p in window.stack.findChildren(kind))


def test_a_sync_and_a_closed_session_show_everywhere_without_a_click(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq, tmp_path: Path
) -> None:
    session = make_session("NORTH")
    sessions.create_session(workspace.db, session, session.starts_at)
    assert window.launcher is not None and window.syncing is not None
    register = window.launcher.open_register(session)
    qtbot.addWidget(register)
    roster_view = panel_of(window, RosterPanel)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the trainer looks at the roster
    assert window.current_panel() is roster_view
    assert "260 people" in roster_view.explanation.text()  # the demo roster

    newcomer = Person("612345", "Dafydd", "Llwyd", "NORTH", PersonRole.STAFF)
    hq_roster.import_roster(hq.engine, [newcomer])
    enrolled(workspace, hq)
    shutil.copytree(bundled("lesson_plans") / "raising-concerns", tmp_path / "content" / "raising-concerns")
    manifest = tmp_path / "content" / "raising-concerns" / "plan.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"', 1))
    hq_content.publish_content(hq.engine, tmp_path / "content", hq.blobs, allow_sample_media=True)
    window.syncing.sync_now()  # what the sync timer does in the background
    qtbot.waitUntil(lambda: roster.get_person(workspace.db, "612345") is not None, timeout=15000)

    # the open register finds the newcomer: its search reads the roster as it is now
    qtbot.keyClicks(register.search, "llwyd")
    qtbot.waitUntil(lambda: register.results.count() == 1, timeout=5000)
    assert "Dafydd Llwyd" in register.results.item(0).text()
    # the Roster view, still on screen, redrew on its own: HQ's roster for the unit replaced the demo one
    qtbot.waitUntil(lambda: roster_view.explanation.text().startswith("1 people"), timeout=5000)
    # the plan library has the new version
    plans = panel_of(window, PlansPanel)
    qtbot.waitUntil(
        lambda: any(p.id == "raising-concerns" and p.version == "1.1.0" for p in plans.library.plans), timeout=5000
    )
    assert any("v1.1.0" in plans.list.item(i).text() for i in range(plans.list.count()))

    # close the session in its register: Sessions and Reports say so without being opened again
    register.activateWindow()
    qtbot.waitUntil(register.isActiveWindow)
    click(qtbot, register, "Close session…")
    answer(qtbot, "Close session")
    sessions_view, reports_view = panel_of(window, SessionsPanel), panel_of(window, ReportsPanel)
    qtbot.waitUntil(
        lambda: any("closed" in sessions_view.list.item(i).text() for i in range(sessions_view.list.count())),
        timeout=5000,
    )
    qtbot.waitUntil(
        lambda: any("closed" in reports_view.session.itemText(i) for i in range(reports_view.session.count())),
        timeout=5000,
    )
    assert isinstance(register, RegisterWindow)
