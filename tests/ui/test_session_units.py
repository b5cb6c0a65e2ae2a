"""A session is recorded for a unit HQ will take from this laptop, and one HQ refused for its unit can be put
right: HQ refuses a new session from a laptop enrolled for another unit, and every record in it after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.store.test_sessions import NOW, make_session
from tests.sync.test_bcu_reach import force_with_teams
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer, button
from tests.ui.test_held_back_records import rows, sync_view
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import bundled
from trainer_desk.store import attendance, delivery, roster, sessions, units
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))
TRAINER = Person("100234", "Bronwen", "Price", "NORTH", PersonRole.STAFF)
ATTENDED = [
    Person("720001", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF),
    Person("720002", "Amara", "Okafor", "NORTH", PersonRole.OFFICER),
]


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


def test_a_session_hq_refused_for_its_unit_is_put_right_and_reaches_hq(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """Recorded for East before the laptop was enrolled for North: HQ refused it and both registrations, and the
    trainer could not change a closed session's unit, so the people trained looked untrained at HQ."""
    hq_roster.import_roster(hq.engine, [TRAINER, *ATTENDED])
    roster.upsert_people(workspace.db, [TRAINER, *ATTENDED])
    session = sessions.create_session(workspace.db, make_session("EAST"), NOW)
    for person in ATTENDED:
        attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", NOW)
    running = delivery.set_status(workspace.db, session, SessionStatus.RUNNING, NOW)
    delivery.close_session(workspace.db, running, delivery.CloseChecklist(True, True, True), "100234", NOW)

    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    assert window.syncing is not None
    window.syncing.sync_now()
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced · "), timeout=15000)
    assert list(hq_records.registrations(hq.engine)) == []

    window.navigation.setCurrentRow(4)  # the Sync view says why, and that the trainer can put it right
    refused = window.current_panel()
    assert isinstance(refused, SyncPanel)
    qtbot.waitUntil(lambda: refused.held_back.rowCount() > 0, timeout=5000)
    said = refused.held_back.item(0, 0).text()
    assert "HQ did not take the session: this session is for East, and this laptop records for North." in said
    assert "Put its unit right in Sessions (Put the unit right…), and it goes with the next sync." in said

    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    line = panel.list.item(0).text()
    assert "· closed · HQ did not take it: it is for East, and this laptop records for North" in line
    assert panel.list.currentRow() == 0
    assert "1 session on this laptop is for another unit: HQ will not take it from a laptop enrolled for North" in (
        panel.explanation.text()
    )
    put_right = button(panel, "Put the unit right…")
    assert put_right.isVisible() and put_right.isEnabled()  # shown only while a session needs it
    assert unnamed_interactive_widgets(panel) == []
    qtbot.mouseClick(put_right, Qt.MouseButton.LeftButton)
    assert answer(qtbot, "Record it for North") == "Record this session for North?"
    qtbot.waitUntil(lambda: "Put right" in panel.explanation.text(), timeout=10000)
    assert "HQ did not take it" not in panel.list.item(0).text()
    assert " · North · " in panel.list.item(0).text() and not put_right.isEnabled()
    qtbot.waitUntil(lambda: not put_right.isVisible(), timeout=5000)  # no session here needs it now

    window.syncing.sync_now()
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    [at_hq] = [s for s in hq_records.records_of(hq.engine, "session") if s["uuid"] == session.uuid]
    assert (at_hq["unit_code"], at_hq["status"]) == ("NORTH", "closed")
    taken = list(hq_records.registrations(hq.engine))
    assert sorted(r["staff_number"] for r in taken) == ["720001", "720002"]
    assert {r["session_uuid"] for r in taken} == {session.uuid}


def test_a_session_for_another_unit_is_put_right_before_the_first_sync(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """Told at enrollment, the trainer puts the unit right before anything is sent, and HQ refuses nothing."""
    hq_roster.import_roster(hq.engine, [TRAINER, *ATTENDED])
    roster.upsert_people(workspace.db, [TRAINER, *ATTENDED])
    session = sessions.create_session(workspace.db, make_session("EAST"), NOW)
    attendance.add_attendee(workspace.db, session, ATTENDED[0], AttendanceStatus.PRESENT, "100234", NOW)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))

    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    assert "HQ will not take it: it is for East, and this laptop records for North" in panel.list.item(0).text()
    qtbot.mouseClick(button(panel, "Put the unit right…"), Qt.MouseButton.LeftButton)
    answer(qtbot, "Record it for North")
    qtbot.waitUntil(lambda: "Put right" in panel.explanation.text(), timeout=10000)

    assert window.syncing is not None
    window.syncing.sync_now()
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    assert [r["staff_number"] for r in hq_records.registrations(hq.engine)] == ["720001"]


@pytest.mark.any_database
def test_a_bcus_laptop_starts_sessions_for_its_teams_too(qtbot: QtBot, workspace: Workspace, hq: Hq) -> None:
    """HQ takes a session for a team from its BCU's laptop: the list offers the BCU and its teams, indented
    under it in the tree's order, and a trainer of a team puts the session in that team."""
    force_with_teams(hq)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead"))
    hq_link.sync_once(workspace)
    dialog = start_dialog(qtbot, workspace)
    offered = [(dialog.unit.itemData(row), dialog.unit.itemText(row)) for row in range(dialog.unit.count())]
    assert offered == [
        ("NORTH", "North BCU (BCU)"),
        ("NORTH-NPT", "    North Neighbourhood (BCU)"),
        ("NORTH-RESP", "    North Response (BCU)"),
    ]
    assert dialog.unit.isEnabled()
    assert "This laptop records sessions for North BCU and the units under it" in dialog.unit_note.text()
    dialog.trainers.search.setFocus()
    qtbot.keyClicks(dialog.trainers.search, "100234")  # Bronwen Price, of North Response, leads
    qtbot.keyClick(dialog.trainers.search, "\r")
    qtbot.waitUntil(lambda: dialog.unit.currentData() == "NORTH-RESP", timeout=5000)
    qtbot.keyClicks(dialog.venue, "Room 4")
    qtbot.keyClick(dialog.venue, "\r")
    assert dialog.session is not None and dialog.session.unit_code == "NORTH-RESP"
    sessions.create_session(workspace.db, dialog.session, NOW)
    assert hq_link.sync_once(workspace).flagged == 0
    assert [s["unit_code"] for s in hq_records.records_of(hq.engine, "session")] == ["NORTH-RESP"]


@pytest.mark.any_database
def test_a_session_refused_from_a_bcus_laptop_says_it_records_for_the_units_under_the_bcu_too(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """ "This laptop records for North BCU" left the trainer thinking a session for one of North's teams would be
    refused too: HQ's answer, and the Sessions view's line, say it records for the units under North as well."""
    force_with_teams(hq)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead"))
    hq_link.sync_once(workspace)
    sessions.create_session(workspace.db, make_session("EAST"), NOW)
    assert hq_link.sync_once(workspace).flagged == 1

    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    assert (
        panel.list.item(0)
        .text()
        .endswith(
            " · HQ did not take it: it is for East BCU, and this laptop records for North BCU and the units under it"
            " (Put the unit right… sends it)"
        )
    )
    [refused] = rows(sync_view(window))
    assert (
        "this session is for East BCU (EAST), and this laptop records for North BCU (NORTH) and the units under it."
        in refused
    )
