"""The presenter's "Audience screen" box on a laptop with a projector, driven by keyboard and wheel as a trainer
does: only a deliberate choice moves the room's view, and a clicker's keys still turn the pages."""

from __future__ import annotations

from pathlib import Path

from tests.ui.two_screens import run_on_two_screens

WALK_THROUGH_THE_BOX = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from trainer_desk.app import application

app = application()

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import sessions
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace


def settle():
    for _ in range(10):
        app.processEvents()


workspace = open_workspace(AppPaths.resolve(Path(sys.argv[1])))
tasks = TaskRunner()
launcher = DeliveryLauncher(workspace, tasks, load_library(bundled("lesson_plans")))
plan = launcher.library.get("signa-core")
session = Session(
    new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Room 5", DeliveryMode.IN_PERSON,
    datetime.now(UTC), trainers=("S123280",),
)
sessions.create_session(workspace.writer, session, datetime.now(UTC))
presenter = launcher.open_presenter(plan, session)
presenter.activateWindow()
settle()
box = presenter.screen_choice
found = {"start": [box.currentText(), presenter.audience.screen().name()]}

presenter.sections.setFocus()
for _ in range(40):  # Tab from the Sections list to the box, as a keyboard user reaches it
    if QApplication.focusWidget() is box:
        break
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    settle()
found["reached"] = QApplication.focusWidget() is box

QTest.keyClick(box, Qt.Key.Key_Up)
QTest.keyClick(box, Qt.Key.Key_Down)
QTest.keyClick(box, Qt.Key.Key_Home)
settle()
found["after_keys"] = [box.currentText(), presenter.audience.screen().name()]

centre = QPointF(box.rect().center())
for step in (120, -120, 120):
    wheel = QWheelEvent(
        centre, QPointF(box.mapToGlobal(QPoint(0, 0))) + centre, QPoint(0, 0), QPoint(0, step),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(box, wheel)
settle()
found["after_wheel"] = [box.currentText(), presenter.audience.screen().name()]

pages = [presenter.presentation.index]
for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_N, Qt.Key.Key_PageUp):  # a clicker's keys
    box.setFocus()
    QTest.keyClick(box, key)
    settle()
    pages.append(presenter.presentation.index)
found["pages"] = pages
found["after_clicker"] = [box.currentText(), presenter.audience.screen().name()]

box.setFocus()
QTest.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # opened, then a deliberate choice
settle()
view = box.view()
laptop = next(i for i in range(box.count()) if "LAPTOP" in box.itemText(i))
while view.currentIndex().row() != laptop:
    QTest.keyClick(view, Qt.Key.Key_Down if view.currentIndex().row() < laptop else Qt.Key.Key_Up)
QTest.keyClick(view, Qt.Key.Key_Return)
settle()
found["chosen"] = [box.currentText(), presenter.audience.screen().name()]
launcher.close_all()
settle()
print(json.dumps(found))
"""


def test_only_a_deliberate_choice_takes_the_audience_screen_off_the_projector(tmp_path: Path) -> None:
    """Tabbed to the box, one Up (or the mouse wheel over it) took the room's view off the projector at once."""
    found = run_on_two_screens(
        tmp_path, (1920, 1080), (1024, 768), ["-c", WALK_THROUGH_THE_BOX, str(tmp_path / "data")]
    )
    projector = ["Audience on PROJECTOR (1024x768)", "PROJECTOR"]
    assert found["start"] == projector
    assert found["reached"]
    assert found["after_keys"] == projector
    assert found["after_wheel"] == projector
    pages = found["pages"]
    assert pages[1] > pages[0] and pages[2] > pages[1] and pages[3] > pages[2] and pages[4] < pages[3]
    assert found["after_clicker"] == projector
    assert found["chosen"] == ["Audience on LAPTOP (1920x1080)", "LAPTOP"]
