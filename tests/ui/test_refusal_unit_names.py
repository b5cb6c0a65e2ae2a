"""HQ's reasons name units as the trainer knows them: a session refused for its unit was said to be "for unit
EAST, and this laptop is enrolled to record for NORTH", codes the trainer has never seen on any screen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.store.test_sessions import NOW, make_session
from tests.ui.test_held_back_records import rows, sync_view, when
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.store import attendance, roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.workspace import Workspace

TRAINER = Person("100234", "Bronwen", "Price", "NORTH", PersonRole.STAFF)
VISITOR = Person("720001", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF)
TREE = [
    UnitNode("FORCE", "The Force", "force"),
    UnitNode("NORTH", "North BCU", "BCU", "FORCE"),
    UnitNode("EAST", "East BCU", "BCU", "FORCE"),
]


@pytest.mark.any_database
def test_a_session_refused_for_its_unit_names_both_units_as_the_force_calls_them(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    hq_units.import_units(hq.engine, TREE)
    hq_roster.import_roster(hq.engine, [TRAINER, VISITOR])
    roster.upsert_people(workspace.db, [TRAINER, VISITOR])
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    session = sessions.create_session(workspace.db, make_session("EAST"), NOW)
    attendance.add_attendee(workspace.db, session, VISITOR, AttendanceStatus.PRESENT, "100234", NOW)
    assert hq_link.sync_once(workspace).flagged == 2

    panel = sync_view(window)
    assert rows(panel) == [
        f"Signa, {when(NOW)}, East BCU: HQ did not take the session: this session is for East BCU (EAST), and this"
        " laptop records for North BCU (NORTH). Put its unit right in Sessions (Put the unit right…), and it goes"
        " with the next sync. 1 registration waits on it. People named: Yusuf Al-Masri (720001)."
    ]
