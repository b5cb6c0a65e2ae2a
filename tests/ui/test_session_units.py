"""A session is recorded for a unit HQ will take from this laptop, and one HQ refused for its unit can be put
right: HQ refuses a new session from a laptop enrolled for another unit, and every record in it after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk import hq_link
from trainer_desk.core.plan_library import load_library
from trainer_desk.hq import devices as hq_devices
from trainer_desk.paths import bundled
from trainer_desk.store import units
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


def start_dialog(qtbot: QtBot, workspace: Workspace) -> StartSessionDialog:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    made = StartSessionDialog(None, workspace.db, list(LIBRARY.plans), plan, units.list_units(workspace.db))
    qtbot.addWidget(made)
    made.open()
    qtbot.waitExposed(made)
    return made


@pytest.fixture
def enrolled_for_north(workspace: Workspace, hq: Hq) -> Iterator[Workspace]:
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    yield workspace


@pytest.mark.any_database
def test_an_enrolled_laptop_starts_sessions_only_for_its_own_unit(qtbot: QtBot, enrolled_for_north: Workspace) -> None:
    dialog = start_dialog(qtbot, enrolled_for_north)
    offered = [dialog.unit.itemData(row) for row in range(dialog.unit.count())]
    assert offered == ["NORTH"] and not dialog.unit.isEnabled()
    assert dialog.unit_note.text() == (
        "This laptop records sessions for North; a session elsewhere is planned by that unit's training lead and "
        "given to you."
    )
    assert dialog.unit_note.isVisible()
    dialog.trainers.search.setFocus()
    qtbot.keyClicks(dialog.trainers.search, "S277139")  # Yasmin Evans, of North-West, leads: the unit stays
    qtbot.keyClick(dialog.trainers.search, "\r")
    qtbot.keyClicks(dialog.venue, "Room 4")
    qtbot.keyClick(dialog.venue, "\r")
    assert dialog.session is not None and dialog.session.unit_code == "NORTH"
    assert unnamed_interactive_widgets(dialog) == []
