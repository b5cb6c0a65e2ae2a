from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.export.test_reports import make_people, session_with_register
from tests.hq_server import silent_server
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import click, open_dialog
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.paths import bundled
from trainer_desk.store import attendance, audit, roster, sessions
from trainer_desk.sync import credentials
from trainer_desk.ui.phone_answers import PhoneAnswersCount
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def test_preview_and_export_in_the_background(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    people = make_people(12)
    roster.upsert_people(workspace.db, people)
    session = session_with_register(workspace, people)
    tasks = TaskRunner()
    panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.show()
    assert unnamed_interactive_widgets(panel) == []
    assert panel.session.currentData() == session.uuid
    title = "Signa: sexism, misogyny and sexual harassment at work"
    shown_as = f"Mon 05 Oct 2026 10:00 · {title} · North · Room 4 · delivered, register open"  # T0 in UK time
    assert panel.session.currentText() == shown_as
    panel.show_preview()
    shown = panel.preview.toPlainText()
    assert "Signa: sexism, misogyny and sexual harassment at work, 05 Oct 2026" in shown
    assert "12 on the register: 9 present, 1 late, 1 left early, 1 absent" in shown

    panel.kind.setCurrentIndex(panel.kind.findData("compliance"))
    panel.unit.setCurrentIndex(panel.unit.findData("NORTH"))
    panel.programme.setCurrentIndex(panel.programme.findData("signa"))
    panel.date_from.setDate(panel.date_from.date().addYears(-1))
    panel.show_preview()
    # 20 demo people in North plus these 12, less the one North volunteer Signa is not for
    assert "10 of the 31 who must complete it have done so" in panel.preview.toPlainText()
    assert "For officer, special, staff; due by 31 Mar 2027" in panel.preview.toPlainText()

    target = tmp_path / "compliance.pdf"
    panel.export(panel.request(target))
    assert panel.progress.isVisible()
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
    assert not panel.progress.isVisible()
    assert "compliance for North" in PdfReader(target).pages[0].extract_text()
    tasks.wait()
    assert [entry[1:3] for entry in audit.entries(workspace.db)] == [("reports view", "export")]


def test_paper_feedback_forms_from_the_reports_view(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    people = make_people(6)
    roster.upsert_people(workspace.db, people)
    session_with_register(workspace, people)
    tasks = TaskRunner()
    library = load_library(bundled("lesson_plans"))
    panel = ReportsPanel(workspace, tasks, library)
    qtbot.addWidget(panel)
    panel.show()
    panel.kind.setFocus()
    qtbot.keyClicks(panel.kind, "Paper")  # typing in the list picks "Paper feedback forms"
    assert panel.kind.currentData() == "feedback-form"
    assert panel.format.currentData() == "pdf" and not panel.format.isEnabled()  # forms are for printing
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    shown = panel.preview.toPlainText()
    assert "Paper feedback forms: Signa" in shown and "(6 pages)" in shown
    signa = library.get("signa-core")
    assert signa is not None and all(objective.text in shown for objective in signa.objectives)

    target = tmp_path / "forms.pdf"
    panel.export(panel.request(target))
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
    pages = PdfReader(target).pages
    assert len(pages) == 6 and "Would you recommend this training" in pages[0].extract_text()
    tasks.wait()


def test_an_export_does_not_wait_behind_an_hq_that_has_stopped_answering(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    """The sync and the count of phone answers both hung on an HQ that never answered, and the sign-in sheet
    waited behind them for two minutes, or for ever."""
    people = make_people(6)
    roster.upsert_people(workspace.db, people)
    session = session_with_register(workspace, people)
    tasks = TaskRunner()
    with silent_server() as (port, accepted):
        credentials.save_token(workspace.paths.data_dir, "a-token", workspace.keychain)
        workspace.db.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [f"http://127.0.0.1:{port}"]
        )
        syncing = SyncController(workspace, tasks)
        syncing.sync_now()
        count = PhoneAnswersCount(workspace, tasks)
        count.start(session.uuid)
        assert accepted()  # HQ has the request, and says nothing
        panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
        qtbot.addWidget(panel)
        panel.show()
        panel.kind.setCurrentIndex(panel.kind.findData("sign-in"))
        panel.export(panel.request(tmp_path / "sign-in.pdf"))
        qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
        assert "Sign-in sheet" in PdfReader(tmp_path / "sign-in.pdf").pages[0].extract_text()
        syncing.stop()  # as the app does when it quits: every call to HQ stops, the count's as well
        count.stop()
    assert tasks.wait(1000)  # quitting is not held up by the count trying the gone HQ again


def test_a_session_with_a_long_venue_does_not_make_the_window_wider_than_a_laptop_s_screen(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Reports' list of sessions took the width of its longest entry: with a session held at a long venue, the
    main window needed more than a 1366-pixel laptop's screen and spilled onto the projector."""
    people = make_people(2)
    roster.upsert_people(workspace.db, people)
    session_with_register(workspace, people)
    workspace.db.execute(
        "UPDATE sessions SET venue = ?", ["Conference room 3, second floor, Northgate Divisional Headquarters, " * 3]
    )
    panel = ReportsPanel(workspace, TaskRunner(), load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.show()
    assert "Northgate Divisional Headquarters" in panel.session.currentText()  # the whole entry, in the list
    assert panel.minimumSizeHint().width() <= 900 and panel.sizeHint().width() <= 1100
    assert panel.session.toolTip() == panel.session.currentText()  # the chosen one read whole


@pytest.mark.usefixtures("laptop_clock_on_utc")
@pytest.mark.parametrize(
    ("starts", "on_the_sheet", "in_the_name"),
    [
        # 10:00 British Summer Time is 09:00 UTC: the laptop printed "09:00", where HQ's sheet says "10:00".
        pytest.param(
            datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
            "Monday 03 August 2026, 10:00 to 11:00 (UK time)",
            "2026-08-03",
            id="summer",
        ),
        # 10:00 GMT is 10:00 UTC: nothing to shift in winter, and the sheet still says which clock it is.
        pytest.param(
            datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
            "Monday 07 December 2026, 10:00 to 11:00 (UK time)",
            "2026-12-07",
            id="winter",
        ),
        # 00:30 on 1 September, summer time, is 23:30 on 31 August in UTC: the sheet and its file are 1 September.
        pytest.param(
            datetime(2026, 8, 31, 23, 30, tzinfo=UTC),
            "Tuesday 01 September 2026, 00:30 to 01:30 (UK time)",
            "2026-09-01",
            id="after-midnight",
        ),
    ],
)
def test_the_attendance_sheet_gives_the_session_s_times_in_uk_time_whatever_the_laptop_s_clock(
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    starts: datetime,
    on_the_sheet: str,
    in_the_name: str,
) -> None:
    """An auditor lays the laptop's sheet of a session beside HQ's: both give its times as the force reads its
    clocks, and say so (HQ's, in `tests/hq/test_console_uk_time.py`, reads the same way)."""
    [person] = make_people(1)
    roster.upsert_people(workspace.db, [person])
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Room 4",
        DeliveryMode.IN_PERSON,
        starts,
        status=SessionStatus.RUNNING,
        ends_at=starts + timedelta(hours=1),
        trainers=("100234",),
    )
    sessions.create_session(workspace.db, session, starts)
    attendance.add_attendee(
        workspace.db, session, person, AttendanceStatus.PRESENT, "100234", starts + timedelta(minutes=5)
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    tasks = TaskRunner()
    panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.kind.currentText() == "Attendance sheet"
    assert panel.session.currentData() == session.uuid
    listed = f"{starts.astimezone(ZoneInfo('Europe/London')):%a %d %b %Y %H:%M} · Signa"
    assert panel.session.currentText().startswith(listed)  # the list of sessions, as the sheet it exports

    click(qtbot, panel, "Export…")
    chooser = open_dialog(qtbot)
    assert isinstance(chooser, QFileDialog)
    click(qtbot, chooser, "Save")
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=15000)
    tasks.wait()

    [sheet] = tmp_path.glob("*.pdf")
    assert sheet.name == f"OFFICIAL-SENSITIVE-attendance-{in_the_name}-NORTH-{session.uuid[:8]}.pdf"
    as_printed = "\n".join(page.extract_text() for page in PdfReader(sheet).pages).replace("\u00a0", " ")
    assert "(UK time)" in as_printed, as_printed  # never "(UK" at the end of one line and "time)" on the next
    text = " ".join(as_printed.split())
    assert f"Date and time {on_the_sheet}" in text, text
    arrived = f"{(starts + timedelta(minutes=5)).astimezone(ZoneInfo('Europe/London')):%H:%M}"
    assert f"Present {arrived}" in text, text  # the register's time column, headed "UK time"
    assert "Status UK time Walk-in" in text, text
