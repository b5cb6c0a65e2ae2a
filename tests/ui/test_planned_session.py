"""A session planned ahead (here by the command line's store call, as a lead's or HQ's plan arrives) is
started from the Sessions view: the presenter opens on its plan, and its booked people are on the register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer, button
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.store import attendance, planning, roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.register_window import STATUS_COLUMN, RegisterWindow
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.workspace import Workspace

IN_FOUR_DAYS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
IN_A_MINUTE = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)  # today, bar a run at midnight


def visible(kind: type) -> list[object]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_a_planned_session_starts_from_the_sessions_view_with_its_booked_people(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people LIMIT 3")]
    booked = [p for n in numbers if (p := roster.get_person(workspace.db, n))]
    launcher = window.launcher
    assert launcher is not None
    plan = launcher.library.get("raising-concerns")
    assert plan is not None
    planned = Session(
        new_uuid(),
        PlanRef(plan.id, plan.version, plan.programme.id),
        "NORTH",
        "Training room 3",
        DeliveryMode.IN_PERSON,
        IN_FOUR_DAYS,
        trainers=("100234",),
    )
    planning.plan_session(workspace.db, planned, booked, "100234", datetime(2026, 12, 1, tzinfo=UTC))
    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    assert unnamed_interactive_widgets(panel) == []
    # Before it has happened, its register lists the people booked as booked, not as having missed it.
    qtbot.mouseClick(button(panel, "Register and feedback…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(visible(RegisterWindow)), timeout=5000)
    ahead = visible(RegisterWindow)[0]
    assert isinstance(ahead, RegisterWindow)
    qtbot.waitUntil(lambda: ahead.table.rowCount() == 3, timeout=5000)
    assert {ahead.table.item(row, STATUS_COLUMN).text() for row in range(3)} == {"Booked"}
    assert {ahead.table.item(row, STATUS_COLUMN + 1).text() for row in range(3)} == {""}  # no arrival time
    assert ahead.totals.text().startswith("3 on the register: 0 present, 0 late, 0 left early, 3 booked")
    ahead.close()
    start = button(panel, "Start this session…")
    assert start.isEnabled()
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    asked = answer(qtbot, "Not now")  # planned for another day: perhaps the wrong line was picked
    assert f"planned for {IN_FOUR_DAYS.astimezone():%A %d %B %Y at %H:%M}" in asked
    assert not launcher.presenters
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    answer(qtbot, "Start it now")
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=5000)
    presenter = launcher.presenters[0]
    assert presenter.isVisible() and plan.title in presenter.windowTitle()
    today = datetime.now().astimezone().date()
    # Saved as started before the presenter opened: what it makes (a phone-feedback link, a register) is of
    # the session as held today, not as planned.
    assert presenter.session is not None and presenter.session.status is SessionStatus.RUNNING
    assert presenter.session.starts_at.astimezone().date() == today
    qtbot.waitUntil(
        lambda: (
            (s := sessions.get_session(workspace.db, planned.uuid)) is not None and s.status is SessionStatus.RUNNING
        ),
        timeout=5000,
    )
    held = sessions.get_session(workspace.db, planned.uuid)
    assert held is not None and held.starts_at.astimezone().date() == today
    register = attendance.register(workspace.db, planned.uuid)
    assert {line.attendance.staff_number for line in register} == set(numbers)
    assert {line.attendance.status for line in register} == {AttendanceStatus.ABSENT}

    signing_in = launcher.open_register(held)  # a booked person arrives: marked when they came, not when booked
    qtbot.keyClicks(signing_in.search, numbers[0])
    qtbot.keyClick(signing_in.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: attendance.register(workspace.db, planned.uuid)[-1].attendance.status.completes_training)
    came = next(
        r.attendance for r in attendance.register(workspace.db, planned.uuid) if r.attendance.staff_number == numbers[0]
    )
    assert came.status is AttendanceStatus.PRESENT and came.marked_at >= held.starts_at
    signing_in.close()
    presenter.close()
    qtbot.waitUntil(lambda: not launcher.presenters, timeout=10_000)


def test_a_session_planned_on_a_plan_version_this_laptop_never_had_starts_on_the_newer_one(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """HQ planned it on version 0.9 of a plan, then published a newer one; this laptop, enrolled since, has
    only the newer. "Start this session…" once said to sync with HQ to receive 0.9, which no sync could."""
    launcher = window.launcher
    assert launcher is not None
    plan = launcher.library.get("raising-concerns")
    assert plan is not None and plan.version != "0.9.0"
    planned = Session(
        new_uuid(),
        PlanRef(plan.id, "0.9.0", plan.programme.id),
        "NORTH",
        "Training room 3",
        DeliveryMode.IN_PERSON,
        IN_A_MINUTE,
        trainers=("100234",),
    )
    planning.plan_session(workspace.db, planned, [], "100234", datetime(2026, 12, 1, tzinfo=UTC))
    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    qtbot.mouseClick(button(panel, "Start this session…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=5000)
    presenter = launcher.presenters[0]
    assert plan.title in presenter.windowTitle()
    qtbot.waitUntil(
        lambda: (
            (s := sessions.get_session(workspace.db, planned.uuid)) is not None and s.status is SessionStatus.RUNNING
        ),
        timeout=5000,
    )
    started = sessions.get_session(workspace.db, planned.uuid)
    assert started is not None and started.plan.version == plan.version  # HQ learns which version it ran on
    sent = workspace.db.execute(
        "SELECT payload FROM outbox WHERE entity = 'session' AND entity_uuid = ? ORDER BY seq", [planned.uuid]
    ).fetchall()
    assert any(f'"plan_version": "{plan.version}"' in row[0] for row in sent)
    presenter.close()
    qtbot.waitUntil(lambda: not launcher.presenters, timeout=10_000)


def test_a_session_planned_on_a_newer_version_than_the_laptop_has_waits_for_it(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """HQ planned it on a version published a moment ago, which this laptop has not downloaded yet: it must not
    start on the older version it has (and tell HQ so), but wait for the newer one."""
    launcher = window.launcher
    assert launcher is not None
    plan = launcher.library.get("raising-concerns")
    assert plan is not None
    planned = Session(
        new_uuid(), PlanRef(plan.id, "99.0.0", plan.programme.id), "NORTH", "Training room 3",
        DeliveryMode.IN_PERSON, IN_A_MINUTE, trainers=("100234",),
    )  # fmt: skip
    planning.plan_session(workspace.db, planned, [], "100234", datetime(2026, 12, 1, tzinfo=UTC))
    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    with qtbot.waitSignal(launcher.problem, timeout=5000) as said:
        qtbot.mouseClick(button(panel, "Start this session…"), Qt.MouseButton.LeftButton)
    assert "is not on this laptop. Sync with HQ to receive it" in str(said.args[0])
    assert not launcher.presenters
    kept = sessions.get_session(workspace.db, planned.uuid)
    assert kept is not None and kept.plan.version == "99.0.0" and kept.status is SessionStatus.PLANNED
