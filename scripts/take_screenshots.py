"""Render the app's windows offscreen to PNG for the README: `python scripts/take_screenshots.py`.

Uses a throw-away data folder, so the pictures show the embedded defaults a new user sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# Two screens, as in a classroom: the trainer's laptop and a 1024x768 projector (the smallest one we support).
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={Path(__file__).resolve().parent / 'screens.json'}")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keyring
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QTableWidgetItem, QWidget
from tests.memory_keyring import MemoryKeyring

from trainer_desk.app import application, build_main_window
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.paths import AppPaths
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.store import attendance, planning, roster, sessions
from trainer_desk.sync import credentials
from trainer_desk.ui.audience_window import AudienceWindow
from trainer_desk.ui.changes import Change
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace, open_workspace

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def save_video_frame(audience: AudienceWindow, name: str) -> None:
    """The offscreen platform cannot capture a video surface, so draw the frame the player delivered to the
    audience screen, with the caption label over it as the room sees it."""
    frame = audience.video.videoSink().videoFrame().toImage()
    picture = audience.grab().toImage()
    painter = QPainter(picture)
    video_area = QRect(audience.video.mapTo(audience, QPoint(0, 0)), audience.video.size())
    scaled = frame.scaled(video_area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.drawImage(video_area.center() - scaled.rect().center(), scaled)
    caption = audience.caption
    painter.drawPixmap(caption.mapTo(audience, QPoint(0, 0)), caption.grab())
    painter.end()
    picture.save(str(OUT / name))
    print(OUT / name)


def register_with_people(workspace: Workspace, tasks: TaskRunner, launcher: DeliveryLauncher) -> RegisterWindow:
    """A session in progress: twelve people marked, one late, one walk-in."""
    plan = launcher.library.get("signa-core")
    assert plan is not None
    session = Session(
        new_uuid(),
        PlanRef(plan.id, plan.version, plan.programme.id),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime.now(UTC),
        trainers=("100234",),
        status=SessionStatus.RUNNING,  # being delivered, as a register with people marked is
    )
    sessions.create_session(workspace.db, session, session.starts_at)
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people WHERE unit_code = 'NORTH'")]
    for number in numbers[:12]:
        person = roster.get_person(workspace.db, number)
        assert person is not None
        status = AttendanceStatus.LATE if number == numbers[5] else AttendanceStatus.PRESENT
        attendance.add_attendee(workspace.db, session, person, status, "100234", datetime.now(UTC))
    walk_in = Person("W900001", "Dev", "Patel", "EAST", PersonRole.STAFF)
    attendance.add_attendee(
        workspace.db, session, walk_in, AttendanceStatus.PRESENT, "100234", datetime.now(UTC), walk_in=True
    )
    return launcher.open_register(session)


def render_reports(workspace: Workspace, session_uuid: str, folder: Path) -> None:
    """Page 1 of each report, as printed, through the same code as `trainer-desk export`."""
    today = datetime.now(UTC).date()
    for name, request in (
        ("report-attendance", ExportRequest("attendance", session=session_uuid, output=folder / "a.pdf")),
        ("report-sign-in", ExportRequest("sign-in", session=session_uuid, output=folder / "s.pdf")),
        ("report-feedback-form", ExportRequest("feedback-form", session=session_uuid, output=folder / "f.pdf")),
        (
            "report-compliance",
            ExportRequest(
                "compliance",
                unit="NORTH",
                programme="signa",
                date_from=today.replace(month=1, day=1),
                date_to=today,
                output=folder / "c.pdf",
            ),
        ),
    ):
        pdf = run_export(workspace, request, actor="screenshots")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUT / name)], check=True
        )
        print(OUT / f"{name}.png")


def main() -> int:
    keyring.set_keyring(MemoryKeyring())  # the throw-away database's key stays in this process
    app = application()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["HOME"] = folder  # the data folder shows where a new user's would be: ~/.local/share/...
        workspace = open_workspace(AppPaths.resolve(Path(folder) / ".local" / "share" / "TrainerDesk"))
        tasks = TaskRunner()
        window = build_main_window(workspace, tasks)
        window.show()
        settle(app, 0.3)
        save(window, "main-window.png")
        window.navigation.setCurrentRow(2)
        settle(app, 0.1)
        save(window, "roster.png")
        window.navigation.setCurrentRow(0)

        assert window.launcher is not None
        workplace = window.launcher.library.get("inclusive-workplace")
        assert workplace is not None
        dialog = window.launcher.ask_to_start(workplace, window)  # with who may deliver it and the checklist
        settle(app, 0.3)
        save(dialog, "start-session.png")
        dialog.reject()

        plan = window.launcher.library.get("signa-core")
        assert plan is not None
        presenter = window.launcher.rehearse(plan)  # the audience screen goes full screen on the projector
        presenter.move(0, 0)
        presenter.go_to(3)
        presenter.faq.search.setText("what counts as banter")
        settle(app, 0.5)
        save(presenter, "presenter.png")
        save(presenter.audience, "audience.png")
        presenter.toggle_signposting()
        settle(app, 0.3)
        save(presenter.audience, "audience-signposting.png")
        presenter.next_section()  # the card's second page, at the same back-row size
        settle(app, 0.3)
        save(presenter.audience, "audience-signposting-2.png")
        presenter.toggle_signposting()
        # What the close of a session on an enrolled laptop shows (a rehearsal makes no link: one is set here).
        presenter.presentation.feedback_link = "https://hq.example.police.uk/feedback/" + "E_dS5OUGRWm30XPOdcNIpwZx" * 3
        presenter.go_to(next(i for i, s in enumerate(plan.sections) if s.kind is SectionKind.CLOSE))
        settle(app, 0.3)
        save(presenter.audience, "audience-feedback-qr.png")
        presenter.presentation.feedback_link = None
        presenter.go_to(1)
        presenter.toggle_video()
        settle(app, 12)
        presenter.toggle_video()
        settle(app, 0.3)
        save_video_frame(presenter.audience, "audience-video.png")
        presenter.close()

        register = register_with_people(workspace, tasks, window.launcher)
        settle(app, 0.5)
        register.search.setText("o'b")
        settle(app, 0.2)
        save(register, "register.png")
        pin = register.handover.open_feedback()
        assert pin is not None
        pin.setTextValue("2468")
        pin.accept()
        form = register.feedback_form
        assert form is not None
        form.no.click()
        form.reason.setText("Too much video for an hour")
        form.scores[0][1].setCurrentIndex(2)
        form.scores[0][2].setCurrentIndex(4)
        settle(app, 0.3)
        save(form, "feedback.png")
        form.force_close()
        pin = register.handover.start_kiosk()
        pin.setTextValue("2468")
        pin.accept()
        kiosk = register.kiosk
        assert kiosk is not None
        kiosk.show_reply("Welcome, Siobhán O. You're signed in.", good=True)
        settle(app, 0.3)
        save(kiosk, "kiosk.png")
        kiosk.force_close()
        paper = register.handover.open_paper_forms()
        assert paper is not None
        for row, cells in enumerate((["y", "", "2", "4", "3", "5"], ["n", "Too long on the slides", "1", "3"],
                                     ["y", "", "", "4", "", "4", "2", "5"])):  # fmt: skip
            for column, text in enumerate(cells):
                paper.table.setItem(row, column, QTableWidgetItem(text))
        paper.table.setCurrentCell(3, 0)
        settle(app, 0.3)
        save(paper, "paper-forms.png")
        paper.close()
        register.close()

        # A session a training lead planned ahead for this trainer, with the people booked on it.
        north = workspace.db.execute("SELECT staff_number FROM people WHERE unit_code = 'NORTH' LIMIT 3").fetchall()
        booked = [p for (n,) in north if (p := roster.get_person(workspace.db, n))]
        ahead = Session(
            new_uuid(),
            PlanRef(plan.id, plan.version, plan.programme.id),
            "NORTH",
            "Training room 3, Northgate",
            DeliveryMode.IN_PERSON,
            datetime(2026, 12, 10, 9, 30, tzinfo=UTC),
            trainers=("100234",),
        )
        planning.plan_session(workspace.db, ahead, booked, "100800", datetime(2026, 12, 1, tzinfo=UTC))
        window.changes.announce(Change.SESSIONS)  # type: ignore[union-attr]
        window.navigation.setCurrentRow(1)
        settle(app, 0.2)
        save(window, "sessions.png")
        sessions_panel = window.current_panel()
        assert isinstance(sessions_panel, SessionsPanel)
        for row in range(sessions_panel.list.count()):
            if sessions_panel.list.item(row).data(Qt.ItemDataRole.UserRole).uuid == ahead.uuid:
                sessions_panel.list.setCurrentRow(row)
        sessions_panel.change_button.click()
        settle(app, 0.2)
        assert sessions_panel.change_dialog is not None
        save(sessions_panel.change_dialog, "session-change.png")
        sessions_panel.change_dialog.reject()

        window.navigation.setCurrentRow(3)
        panel = window.current_panel()
        assert isinstance(panel, ReportsPanel)
        panel.show_preview()
        settle(app, 0.2)
        save(window, "reports.png")
        render_reports(workspace, register.session.uuid, Path(folder))

        # The Sync view on a laptop enrolled with an HQ it cannot reach (nothing listens on port 9).
        with workspace.db.atomic():
            workspace.db.execute(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', 'http://127.0.0.1:9')"
            )
        credentials.save_token(workspace.paths.data_dir, "screenshot", workspace.keychain)
        assert window.syncing is not None
        window.syncing.sync_now()
        while window.syncing.running:
            settle(app, 0.2)
        window.navigation.setCurrentRow(4)
        settle(app, 0.2)
        save(window, "sync.png")
        window.close()
        tasks.wait()
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
