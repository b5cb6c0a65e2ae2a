"""Records HQ did not take are named in the Sync view, by session and person with HQ's answer, and go again once
the cause is put right at HQ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.store.test_sessions import NOW, make_session
from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.store import attendance, delivery, roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.workspace import Workspace

TRAINER = Person("100234", "Bronwen", "Price", "NORTH", PersonRole.STAFF)
EAST = [
    Person("720001", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF),
    Person("720002", "秀英", "王", "EAST", PersonRole.OFFICER),
]


def rows(panel: SyncPanel) -> list[str]:
    table = panel.held_back
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def sync_view(window: MainWindow) -> SyncPanel:
    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    panel.refresh()
    return panel


def when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {local:%b %H:%M}"


def test_records_hq_refused_are_named_and_go_once_hq_has_put_it_right(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    hq_roster.import_roster(hq.engine, [TRAINER, *EAST])
    roster.upsert_people(workspace.db, [TRAINER, *EAST])
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    # Bronwen, enrolled for NORTH, covers a session for EAST: HQ takes neither it nor its register.
    session = sessions.create_session(workspace.db, make_session("EAST"), NOW)
    for person in EAST:
        attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", NOW)
    assert hq_link.sync_once(workspace).flagged == 3

    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    panel.refresh()
    assert panel.held_back.isVisible() and panel.send_again_button.isVisible()
    assert panel.held_back_note.text().startswith("Kept on this laptop. Tell your training lead")
    assert rows(panel) == [
        f"Signa, {when(NOW)}, East: HQ did not take the session: this session is for East, and this laptop records"
        " for North. Put its unit right in Sessions (Put the unit right…), and it goes with the"
        " next sync. 2 registrations wait on it. People named: Yusuf Al-Masri (720001) and 王秀英 (720002)."
    ]
    assert window.sync_label.text() == "Synced · 3 records refused by HQ"
    assert panel.explanation.text().startswith("Nothing is waiting to be sent. 3 records refused by HQ: they are")
    assert panel.backlog.rowCount() == 0
    assert unnamed_interactive_widgets(panel) == []

    # HQ enrolls the laptop for EAST as well as it was; the trainer sends the three again.
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "EAST"))
    qtbot.mouseClick(panel.send_again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    qtbot.waitUntil(lambda: not panel.held_back.isVisible(), timeout=5000)
    assert panel.held_back.rowCount() == 0
    assert sorted(r["staff_number"] for r in hq_records.registrations(hq.engine)) == ["720001", "720002"]


def test_refused_records_are_never_called_waiting_in_the_sync_view_or_the_status_bar(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """Offline with records HQ had refused, the Sync view said "0 record(s) waiting to be sent." above
    "Now: Offline: HQ not reachable · 3 waiting.", and the status bar "3 waiting": both now tell the records
    waiting to be sent from those refused by HQ, in the same words."""
    hq_roster.import_roster(hq.engine, [TRAINER, *EAST])
    roster.upsert_people(workspace.db, [TRAINER, *EAST])
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    session = sessions.create_session(workspace.db, make_session("EAST"), NOW)
    for person in EAST:
        attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", NOW)
    assert hq_link.sync_once(workspace).flagged == 3
    north = sessions.create_session(workspace.db, make_session("NORTH"), NOW)
    attendance.add_attendee(workspace.db, north, TRAINER, AttendanceStatus.PRESENT, "100234", NOW)
    with workspace.db.atomic():  # the laptop goes where HQ cannot be reached
        workspace.db.execute("UPDATE sync_state SET value = 'http://127.0.0.1:9' WHERE key = 'hq_url'")

    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    said = "Offline: HQ not reachable · 2 records waiting to be sent · 3 records refused by HQ"
    qtbot.waitUntil(lambda: window.sync_label.text() == said, timeout=20000)
    assert panel.explanation.text().startswith("2 records waiting to be sent. 3 records refused by HQ: they are")
    assert f"Now: {said}." in panel.state.text()
    window.navigation.setCurrentRow(0)
    assert window.sync_label.text() == said  # the same on every view


def test_a_refused_session_is_one_line_with_what_waits_on_it_and_its_answer_is_read_whole(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """A refused session was listed a record a row ("The session itself" twice, "Section timings" three times,
    a removed line as just "Registration"), with HQ's answer squeezed into a narrow column, a word a line and
    cut off. Now each refused session is one line with what waits on it, other answers one line each with a
    count, and each line is as tall as its words."""
    hq_roster.import_roster(hq.engine, [TRAINER, *EAST])
    roster.upsert_people(workspace.db, [TRAINER, *EAST])
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    db = workspace.db
    east = sessions.create_session(db, make_session("EAST"), NOW)
    east = delivery.set_status(db, east, SessionStatus.RUNNING, NOW)
    for minute, section in enumerate(("welcome", "films", "close")):
        delivery.section_started(db, east.uuid, section, NOW + timedelta(minutes=minute))
    delivery.sections_ended(db, east.uuid, NOW + timedelta(minutes=3))
    line = attendance.add_attendee(db, east, EAST[0], AttendanceStatus.PRESENT, "100234", NOW)
    attendance.remove_attendee(db, east, line, "100234", NOW)  # added by mistake, and taken off
    attendance.add_attendee(db, east, EAST[1], AttendanceStatus.PRESENT, "100234", NOW)
    # In the trainer's own unit, two lines marked by a clock three years fast: HQ refuses both for one reason.
    north = sessions.create_session(db, make_session("NORTH"), NOW)
    fast = datetime.now(UTC) + timedelta(days=3 * 365)
    for person in (TRAINER, EAST[0]):
        attendance.add_attendee(db, north, person, AttendanceStatus.PRESENT, "100234", fast)
    hq_link.sync_once(workspace)

    window.resize(1366, 768)
    panel = sync_view(window)
    found = rows(panel)
    assert found[0] == (
        f"Signa, {when(NOW)}, East: HQ did not take the session: this session is for East, and this laptop records"
        " for North. Put its unit right in Sessions (Put the unit right…), and it goes with the"
        " next sync. 3 section timings, 2 registrations and 1 removal from a register wait on it. People named:"
        " Yusuf Al-Masri (720001) and 王秀英 (720002)."
    )
    assert len(found) == 2 and found[1].startswith(
        f"Signa, {when(NOW)}, North: HQ did not take 2 registrations: not a record Trainer Desk would send: the"
    )
    assert found[1].endswith("People named: Bronwen Price (100234) and Yusuf Al-Masri (720001).")
    note = panel.held_back_note  # read whole above the list, not squeezed to part of a line
    assert note.height() >= note.heightForWidth(note.width())
    # Each line is shown whole: as tall as its wrapped words, in a column as wide as the list.
    table = panel.held_back
    for row in range(table.rowCount()):
        assert table.rowHeight(row) >= table.sizeHintForRow(row)
    assert table.columnWidth(0) >= table.viewport().width() - 2
    assert window.sync_label.text() == "Synced · 10 records refused by HQ"
