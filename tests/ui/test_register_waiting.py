"""People on an earlier register of the programme wait for the trainer's answer however they arrive: signing
themselves in wait in the same list as those scanned, and closing the session names whoever still waits."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click, open_dialog
from tests.ui.registers import saved_with, signa_session
from tests.ui.test_register_scans import LAN, PEOPLE, RHODRI, YUSUF, ZOFIA, on_register, register_for, scan
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.store import roster, sessions
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def type_pin(qtbot: QtBot, pin: str) -> None:
    prompt = open_dialog(qtbot)
    entry = prompt.findChild(QLineEdit)
    qtbot.keyClicks(entry, pin)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def test_people_signing_themselves_in_who_completed_before_wait_for_the_trainer_in_turn(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Self sign-in added someone who completed the programme in March, saying "You're signed in", and the
    trainer was never asked: now they wait for the trainer's answer, in order with those scanned, and the room
    is told kindly to see the trainer, with no other session named."""
    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA, RHODRI], True)
    window = register_for(qtbot, workspace, tasks, signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    scan(qtbot, RHODRI.staff_number)  # scanned by the trainer before the laptop went round

    click(qtbot, window, "Self sign-in…")
    type_pin(qtbot, "2468")
    qtbot.waitUntil(lambda: window.kiosk is not None and window.kiosk.isVisible(), timeout=3000)
    kiosk = window.kiosk
    assert kiosk is not None
    qtbot.keyClicks(kiosk.entry, ZOFIA.staff_number)
    qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    assert kiosk.reply.text() == "Thank you, Zofia: please see the trainer, who will confirm your place."
    qtbot.keyClicks(kiosk.entry, YUSUF.staff_number)
    qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.reply.text() == "Welcome, Yusuf. You're signed in.", timeout=5000)
    window.tasks.wait()
    assert on_register(window) == {YUSUF.staff_number}

    qtbot.mouseClick(kiosk.leave, Qt.MouseButton.LeftButton)
    type_pin(qtbot, "2468")
    qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=3000)
    assert window.question.isVisible()
    assert window.question.text() == (
        "Rhodri ap Gwilym already completed this programme on 12 Mar 2026. Add them again? (1 more waiting)"
    )
    qtbot.mouseClick(window.dont_add, Qt.MouseButton.LeftButton)
    assert window.question.text() == "Zofia Wiśniewska already completed this programme on 12 Mar 2026. Add them again?"
    qtbot.mouseClick(window.add_anyway, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_register(window) == {YUSUF.staff_number, ZOFIA.staff_number}, timeout=5000)


def test_closing_the_session_names_the_people_waiting_and_keeps_it_open_by_default(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Close session… said nothing of the people scanned and not yet answered for, and their question stayed on
    the closed register, where adding them needed a reason."""
    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA, RHODRI], True)
    session = signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC))
    window = register_for(qtbot, workspace, tasks, session)
    scan(qtbot, ZOFIA.staff_number, LAN.staff_number, RHODRI.staff_number)
    qtbot.waitUntil(lambda: on_register(window) == {LAN.staff_number}, timeout=5000)

    click(qtbot, window, "Close session…")
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert box.text().splitlines()[:2] == [
        "✔ Register: 1 attendee",
        "✘ Waiting for your answer: 2 scanned people: Zofia Wiśniewska (930101) and Rhodri ap Gwilym (930102)",
    ]
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it open: a slip loses no one
    qtbot.waitUntil(lambda: not box.isVisible())
    window.tasks.wait()
    assert sessions.get_session(workspace.db, session.uuid).status is not SessionStatus.CLOSED  # type: ignore[union-attr]
    assert window.question.text().startswith("Zofia Wiśniewska")

    click(qtbot, window, "Close session…")
    answer(qtbot, "Close without adding them")
    window.tasks.wait()
    qtbot.waitUntil(lambda: "Closed" in window.heading.text(), timeout=5000)
    assert not window.question.isVisible() and not window.add_anyway.isVisible()
