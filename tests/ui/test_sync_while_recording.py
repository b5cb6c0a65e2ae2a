"""The background sync runs while the trainer scans people in and the presenter moves through sections: every
write goes through the one writer, so none fails with "database is locked" and none is lost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.roster_import import read_roster_file
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.hq import devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import bundled
from trainer_desk.store import attendance, delivery, sessions, units
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

PLAN = load_library(bundled("lesson_plans")).get("signa-core")
PEOPLE = 20  # the demo roster's people in the laptop's unit, which is the roster HQ sends it


def test_syncing_while_people_are_scanned_in_and_sections_change_loses_nothing(
    qtbot: QtBot, workspace: Workspace, hq: Hq, tasks: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    assert PLAN is not None
    caplog.set_level(logging.INFO)
    codes = [u.code for u in units.list_units(workspace.db)]
    hq_roster.import_roster(hq.engine, read_roster_file(bundled("resources") / "demo_roster.csv", codes))
    hq_link.enroll(workspace, hq.url, devices.issue_code(hq.engine, "100234", "NORTH"))
    session = Session(
        new_uuid(),
        PlanRef(PLAN.id, PLAN.version, PLAN.programme.id),
        "NORTH",
        "Room 1",
        DeliveryMode.IN_PERSON,
        datetime(2026, 12, 3, 9, tzinfo=UTC),
        trainers=("100234",),
    )
    sessions.create_session(workspace.db, session, session.starts_at)
    register = RegisterWindow(workspace, tasks, session, PLAN)
    qtbot.addWidget(register)
    register.show()
    syncing = SyncController(workspace, tasks)
    numbers = [
        n
        for (n,) in workspace.db.execute("SELECT staff_number FROM people WHERE unit_code = 'NORTH' LIMIT ?", [PEOPLE])
    ]
    assert len(numbers) == PEOPLE
    section_ids = [s.id for s in PLAN.sections]
    writer, syncs_started = workspace.writer, 0

    for index, number in enumerate(numbers):
        if not syncing.running:  # the background sync, as its timer starts it
            syncing.sync_now()
            syncs_started += 1
        qtbot.keyClicks(register.search, number)  # a scanner types the number and Enter
        qtbot.keyClick(register.search, Qt.Key.Key_Return)
        section = section_ids[index % len(section_ids)]  # the presenter moves on, through the database worker
        tasks.run_db(lambda section=section: delivery.section_started(writer, session.uuid, section, datetime.now(UTC)))
        qtbot.wait(50)

    qtbot.waitUntil(lambda: len(register.lines) == PEOPLE, timeout=20_000)
    qtbot.waitUntil(lambda: not syncing.running, timeout=30_000)
    syncing.sync_now()  # the last one sends whatever arrived after the others
    qtbot.waitUntil(lambda: not syncing.running, timeout=30_000)

    assert syncs_started > 1  # syncs really ran alongside the register
    assert syncing.last_error == ""
    assert "locked" not in caplog.text
    assert len(attendance.register(workspace.db, session.uuid)) == PEOPLE
    timings = workspace.db.execute("SELECT count(*) FROM section_timings WHERE session_uuid = ?", [session.uuid])
    assert timings.fetchone()[0] == PEOPLE
    flagged = workspace.db.execute("SELECT entity, last_error FROM outbox").fetchall()
    assert flagged == []
    assert hq_records.count_records(hq.engine, "attendance") == PEOPLE
    assert hq_records.count_records(hq.engine, "section_timing") == PEOPLE - 1  # the open one goes when it ends
    register.close()
