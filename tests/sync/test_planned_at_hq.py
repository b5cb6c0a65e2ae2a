"""A session planned at HQ for a trainer, with a booking list, arrives on that trainer's laptop with its
people booked; its sign-in sheet prints before the day, and the laptop's register of it is accepted by HQ."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.dates import ahead, long_date
from tests.export.test_reports import pdf_pages
from tests.hq_server import Hq
from tests.test_sessions_cli import booking_list
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.store import attendance, sessions
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

DAY = ahead(40)  # the day HQ plans the session for
FORCE = [
    Person("100235", "Siân", "Llewelyn", "NORTH", PersonRole.STAFF),  # the trainer
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("710003", "Nguyễn", "Thị Lan", "EAST", PersonRole.OFFICER),  # from another unit: that is normal
    Person("710004", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF),
]


def test_a_session_planned_at_hq_reaches_its_trainer_and_runs_there(
    qtbot: QtBot, hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hq_roster.import_roster(hq.engine, FORCE)
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    trainer = open_workspace(AppPaths.resolve(tmp_path / "trainer"))
    hq_link.enroll(trainer, hq.url, hq_devices.issue_code(hq.engine, "100235", "NORTH"))
    hq_link.sync_once(trainer)

    cli = [
        "--home",
        str(hq.blobs.parent),
        "--db",
        hq.engine.url.render_as_string(hide_password=False),
        "sessions",
        "plan",
        "--at",
        f"{DAY}T09:30+00:00",
        "--venue",
        "Training room 3, Northgate",
        "--unit",
        "north",
    ]
    # Refused with the reason, and nothing planned: a plan HQ has not published, a trainer or an attendee
    # HQ's roster does not know.
    assert hq_main([*cli, "--plan", "no-such-plan", "--trainer", "100235"]) == 1
    assert "No lesson plan 'no-such-plan'" in capsys.readouterr().err
    assert hq_main([*cli, "--plan", "signa-core", "--trainer", "199999"]) == 1
    assert "trainers are not on the roster of this unit's force: 199999" in capsys.readouterr().err
    stranger = booking_list(tmp_path, [FORCE[1], Person("789789", "Ffion", "Jones", "NORTH", PersonRole.STAFF)])
    assert hq_main([*cli, "--plan", "signa-core", "--trainer", "100235", "--expect", str(stranger)]) == 1
    refused = capsys.readouterr().err
    assert "not on the roster of this unit's force" in refused and "789789" in refused and "710001" not in refused
    assert hq_link.sync_once(trainer).sessions_received == 0

    booked = booking_list(tmp_path, [FORCE[1], FORCE[2]])
    assert hq_main([*cli, "--plan", "signa-core", "--trainer", "100235", "--expect", str(booked)]) == 0
    out = capsys.readouterr().out
    assert "2 expected" in out and "100235's laptop" in out

    assert hq_link.sync_once(trainer).sessions_received == 3  # the session and its two bookings
    [arrived] = sessions.list_sessions(trainer.db)
    assert arrived.trainers == ("100235",) and arrived.unit_code == "NORTH" and arrived.plan.plan_id == "signa-core"
    assert arrived.venue == "Training room 3, Northgate"
    register = {
        line.attendance.staff_number: line.attendance.status for line in attendance.register(trainer.db, arrived.uuid)
    }
    assert register == {"710001": AttendanceStatus.ABSENT, "710003": AttendanceStatus.ABSENT}
    sign_in = run_export(
        trainer, ExportRequest("sign-in", output=tmp_path / "sign-in.pdf", session=arrived.uuid), "trainer"
    )
    printed = " ".join(pdf_pages(sign_in))
    assert "Aleksandra Wiśniewska" in printed and "Nguyễn Thị Lan" in printed and long_date(DAY) in printed

    # On the day the trainer scans the one who came; HQ takes the change from the laptop the session names.
    plan = load_library(bundled("lesson_plans")).get("signa-core")
    assert plan is not None
    tasks = TaskRunner()
    window = RegisterWindow(trainer, tasks, arrived, plan)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search, "710003")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(
            line.attendance.staff_number == "710003" and line.attendance.status is AttendanceStatus.PRESENT
            for line in window.lines
        ),
        timeout=5000,
    )
    window.close()
    tasks.wait()
    assert hq_link.sync_once(trainer).flagged == 0
    statuses = {
        r["staff_number"]: r["status"] for r in hq_records.registrations(hq.engine) if r["session_uuid"] == arrived.uuid
    }
    assert statuses == {"710001": "absent", "710003": "present"}
    trainer.close()

    assert hq_main([*cli[:4], "sessions", "list", "--unit", "NORTH"]) == 0
    listed = capsys.readouterr().out
    assert arrived.uuid[:8] in listed and "planned at HQ" in listed and "trainers 100235" in listed
