"""A register window as a trainer meets it: a new session of Signa, its register opened, shown and active (so
keys reach it), for the tests that type into the register and its dialogs; and sessions of Signa with people
already on their registers."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from tests.ui.test_keyboard_reach import new_session
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.paths import bundled
from trainer_desk.store import attendance, delivery, sessions
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

PLAN = load_library(bundled("lesson_plans")).get("signa-core")


def open_register(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, point_size: int = 0, size: tuple[int, int] = (0, 0)
) -> RegisterWindow:
    """`point_size`: the type, as a laptop scaled up draws it; `size`: the window's, before it is shown."""
    assert PLAN is not None
    session = new_session(PLAN)
    sessions.create_session(workspace.db, session, session.starts_at)
    window = RegisterWindow(workspace, tasks, session, PLAN)
    if point_size:
        font = window.font()
        font.setPointSize(point_size)
        window.setFont(font)
    qtbot.addWidget(window)
    if size != (0, 0):
        window.resize(*size)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def signa_session(starts_at: datetime, status: SessionStatus = SessionStatus.PLANNED) -> Session:
    """A session of Signa in North, not yet saved."""
    assert PLAN is not None
    plan = PlanRef(PLAN.id, PLAN.version, PLAN.programme.id)
    return Session(new_uuid(), plan, "NORTH", "Room 2", DeliveryMode.IN_PERSON, starts_at, status, trainers=("100234",))


def saved_with(workspace: Workspace, session: Session, people: list[Person], close: bool) -> None:
    """`session` saved with `people` present on its register, and closed (as a trainer closes it) if `close`."""
    sessions.create_session(workspace.db, session, session.starts_at)
    for person in people:
        attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", session.starts_at)
    if close:
        checklist = delivery.CloseChecklist(True, True, True)
        delivery.close_session(workspace.db, session, checklist, "100234", session.starts_at)
