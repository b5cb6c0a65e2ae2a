"""On a small screen (a 1920x1080 laptop at 200% text is, to Qt, 960x540) every window fits, and the buttons a
person must press are on the screen and work: the register's Close session and Attendance sheet, Start and
Cancel, every objective of the feedback form and its Send; and the presenter's sections and audience screen
read whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from tests.ui.two_screens import run_on_two_screens
from trainer_desk.ui.audience_screen_choice import shortened

# Run in a child process: Qt fixes the screens when it starts. The child opens one window as the app does,
# presses its buttons as a person does and reports where each thing a person needs was, and what it did.
ON_A_SMALL_SCREEN = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QGroupBox, QInputDialog, QLabel, QMessageBox, QWidget

from trainer_desk.app import application

app = application()  # the app's own, with its larger type

from tests.ui.clicks import button
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance, sessions
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

workspace = open_workspace(AppPaths.resolve(Path(sys.argv[1])))
tasks = TaskRunner()
launcher = DeliveryLauncher(workspace, tasks, load_library(bundled("lesson_plans")))
plan = launcher.library.get("signa-core")
found = {}


def settle():
    for _ in range(5):
        app.processEvents()


def on_screen(widget):
    return {"rect": QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size()).getRect(), "shown": widget.isVisible()}


def seen_whole(widget):  # whole in view: inside every scrolled part it sits in, and inside its window
    rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    outer = widget.parentWidget()
    while outer is not None:
        if outer.objectName() == "qt_scrollarea_viewport" or outer.isWindow():
            if not QRect(outer.mapToGlobal(QPoint(0, 0)), outer.size()).contains(rect):
                return False
        outer = outer.parentWidget()
    return widget.isVisible()


def shown_windows(kind):
    return [w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def register():
    session = Session(
        new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Room 5", DeliveryMode.IN_PERSON,
        datetime.now(UTC), trainers=("S123280",),
    )
    sessions.create_session(workspace.db, session, datetime.now(UTC))
    person = Person("W900001", "Dev", "Patel", "EAST", PersonRole.STAFF)
    attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "S123280", datetime.now(UTC))
    return launcher.open_register(session)


if sys.argv[2] == "register":
    window = register()
    settle()
    found["window"] = on_screen(window)
    found["Totals"] = on_screen(window.totals)
    for text in ("Close session", "Attendance sheet"):
        found[text] = on_screen(button(window, text))
    QTest.mouseClick(button(window, "Close session"), Qt.MouseButton.LeftButton)
    settle()
    found["asked to close"] = [box.text() for box in shown_windows(QMessageBox)]
    for box in shown_windows(QMessageBox):
        box.reject()
    QTest.mouseClick(button(window, "Attendance sheet"), Qt.MouseButton.LeftButton)
    settle()
    found["asked where to save"] = [box.windowTitle() for box in shown_windows(QFileDialog)]
    for box in shown_windows(QFileDialog):
        box.reject()
elif sys.argv[2] == "register-not-saved":
    import resource, signal
    window = register()
    settle()
    names = [("Eilidh", "MacLeod-Fitzgerald"), ("Kwame", "Mensah"), ("Priya", "Raman"), ("Tomasz", "Nowak")]
    names += [("Jun", "Tanaka"), ("Aoife", "Byrne"), ("Siobhan", "O'Sullivan-Ramirez")]
    people = [Person(f"60000{i}", first, last, "NORTH", PersonRole.OFFICER) for i, (first, last) in enumerate(names)]
    from trainer_desk.store import roster
    roster.upsert_people(workspace.db, people)
    workspace.writer.execute("SELECT 1")
    database = workspace.paths.database
    sizes = [f.stat().st_size for f in database.parent.glob(f"{database.name}*") if f.stat().st_size]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (min(sizes), hard))  # the disk is full
    for person in people:
        window.search.setFocus()
        QTest.keyClicks(window.search, person.staff_number)
        QTest.keyClick(window.search, Qt.Key.Key_Return)
        tasks.wait()
        settle()
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    settle()
    banner = window.not_saved
    found["window"] = on_screen(window)
    for text in ("Try again", "Dismiss"):
        pressed = button(banner, text)
        found[text] = on_screen(pressed) | {"tall enough": pressed.height() >= pressed.sizeHint().height()}
    labels = [label for label in banner.findChildren(QLabel) if label.isVisible() and label.text()]
    found["banner lines"] = [
        {"text": label.text(), "rect": on_screen(label)["rect"], "needs": label.heightForWidth(label.width())}
        for label in labels
    ]
    names_area = banner.names
    found["names scroll"] = names_area.verticalScrollBar().maximum() > 0
    last = [label for label in labels if "Siobhan" in label.text()][0]
    names_area.ensureWidgetVisible(last)
    settle()
    seen = QRect(names_area.viewport().mapToGlobal(QPoint(0, 0)), names_area.viewport().size())
    found["last name reached"] = seen.contains(QRect(last.mapToGlobal(QPoint(0, 0)), last.size()))
    closing = button(window, "Close session")
    closing.setFocus(Qt.FocusReason.TabFocusReason)  # the register scrolls to what Tab reaches
    window.centralWidget().ensureWidgetVisible(closing)
    settle()
    found["Totals"] = on_screen(window.totals)
    found["Close session"] = on_screen(closing)
elif sys.argv[2] == "presenter-not-saved":
    import resource, signal
    session = Session(
        new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Room 5", DeliveryMode.IN_PERSON,
        datetime.now(UTC), trainers=("S123280",),
    )
    sessions.create_session(workspace.db, session, datetime.now(UTC))
    presenter = launcher.open_presenter(plan, session)
    tasks.wait()
    settle()
    workspace.writer.execute("SELECT 1")
    database = workspace.paths.database
    sizes = [f.stat().st_size for f in database.parent.glob(f"{database.name}*") if f.stat().st_size]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (min(sizes), hard))  # the disk is full
    presenter.sections.setFocus()
    for _ in range(5):  # five sections on: each start not saved
        QTest.keyClick(presenter.sections, Qt.Key.Key_Right)
        tasks.wait()
        settle()
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    settle()
    banner = presenter.not_saved
    found["window"] = on_screen(presenter)
    for text in ("Try again", "Dismiss", "End session"):
        pressed = button(presenter, text)
        found[text] = on_screen(pressed) | {"tall enough": pressed.height() >= pressed.sizeHint().height()}
    labels = [label for label in banner.findChildren(QLabel) if label.isVisible() and label.text()]
    found["banner lines"] = [
        {"text": label.text(), "rect": on_screen(label)["rect"], "needs": label.heightForWidth(label.width())}
        for label in labels
    ]
    script = presenter.section_script
    found["script and what comes next seen"] = [seen_whole(script.script), seen_whole(script.next_label)]
    for line, label in zip(found["banner lines"], labels):
        line["among the names"] = banner.names.isAncestorOf(label)  # these scroll past four
    found["names area"] = on_screen(banner.names.viewport())
elif sys.argv[2] == "start":
    dialog = launcher.ask_to_start(plan, None)
    dialog.show()
    settle()
    found["window"] = on_screen(dialog)
    for text in ("Start", "Cancel"):
        found[text] = on_screen(button(dialog, text))
    QTest.mouseClick(button(dialog, "Start"), Qt.MouseButton.LeftButton)  # nothing filled in: it says what
    settle()
    found["Problem with the details"] = on_screen(dialog.error)
    found["said"] = dialog.error.text()
    QTest.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)
    settle()
    found["open after Cancel"] = dialog.isVisible()
elif sys.argv[2] == "feedback":
    window = register()
    QTest.mouseClick(button(window, "Feedback form…"), Qt.MouseButton.LeftButton)  # as the trainer does
    settle()
    pin = QApplication.activeModalWidget()
    assert isinstance(pin, QInputDialog), pin
    pin.setTextValue("2468")
    pin.accept()
    form = window.feedback_form
    form.activateWindow()
    settle()
    found["window"] = on_screen(form)
    found["Send on opening"] = on_screen(form.send)
    found["questions"] = on_screen([box for box in form.findChildren(QGroupBox) if box.title().startswith("Your")][0])
    viewport = form.scroller.viewport()
    labels = {label.text(): label for label in form.findChildren(QLabel)}
    befores = {before: labels[o.text] for o, (_id, before, _after) in zip(plan.objectives, form.scores)}
    found["objectives read whole"] = []
    found["objectives"] = len(plan.objectives)
    for _ in range(40):  # Tab on to Send, as a person does, each answer scrolled into view as it is reached
        if form.focusWidget() is form.send:
            break
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        settle()
        if (label := befores.get(form.focusWidget())) is not None:  # its objective, beside it, read whole?
            seen = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
            found["objectives read whole"].append(seen.contains(QRect(label.mapToGlobal(QPoint(0, 0)), label.size())))
    found["Tab reached Send"] = form.focusWidget() is form.send
    found["Send"] = on_screen(form.send)
    found["scrolled part"] = on_screen(viewport)
    QTest.keyClick(form.send, Qt.Key.Key_Space)  # nothing answered yet: it says so
    settle()
    found["said"] = form.message.text()
    QTest.mouseClick(form.yes, Qt.MouseButton.LeftButton)
    QTest.mouseClick(form.send, Qt.MouseButton.LeftButton)
    tasks.wait()
    settle()
    found["said once answered"] = form.message.text()
    found["Send once sent"] = on_screen(form.send)
    form.force_close()
elif sys.argv[2] == "presenter":
    presenter = launcher.rehearse(plan)
    settle()
    found["window"] = on_screen(presenter)
    lines = presenter.sections.fontMetrics().lineSpacing()
    rows = range(presenter.sections.rowCount())
    found["most lines to a section"] = max(presenter.sections.rowHeight(row) for row in rows) / lines
    found["screen box"] = [presenter.screen_choice.accessibleName(), presenter.screen_choice.toolTip()]
    found["screen box shows"] = presenter.screen_choice.currentText()
    presenter.close()
elif sys.argv[2] == "shortcuts":
    presenter = launcher.rehearse(plan)
    QTest.mouseClick(button(presenter, "Shortcuts"), Qt.MouseButton.LeftButton)
    settle()
    dialog = app.activeModalWidget()
    found["window"] = on_screen(dialog)
    found["Close"] = on_screen(button(dialog, "Close"))
    found["shortest"] = dialog.minimumSizeHint().height()
    QTest.mouseClick(button(dialog, "Close"), Qt.MouseButton.LeftButton)
    settle()
    found["open after Close"] = dialog.isVisible()
    presenter.close()
elif sys.argv[2] == "paper":
    window = register()
    QTest.mouseClick(button(window, "Paper forms"), Qt.MouseButton.LeftButton)
    settle()
    dialog = app.activeModalWidget()
    found["window"] = on_screen(dialog)
    for text in ("Save the forms (Ctrl+S)", "Close"):
        found[text] = on_screen(button(dialog, text))
    QTest.mouseClick(button(dialog, "Close"), Qt.MouseButton.LeftButton)
    settle()
    found["open after Close"] = dialog.isVisible()
launcher.close_all()
tasks.wait()
workspace.close()
found["room"] = app.primaryScreen().availableGeometry().getRect()
print(json.dumps(found))
"""


def on_a_small_screen(tmp_path: Path, window: str) -> dict[str, Any]:
    """Open `window` on a laptop whose screen is 960x540 to Qt, a projector beside it."""
    found = run_on_two_screens(
        tmp_path, (960, 540), (1024, 768), ["-c", ON_A_SMALL_SCREEN, str(tmp_path / "data"), window]
    )
    assert QRect(*found.pop("room")) == QRect(0, 0, 960, 540)
    return found


def assert_on_screen(found: dict[str, Any], *names: str) -> None:
    room = QRect(0, 0, 960, 540)
    for name in names:
        assert found[name]["shown"], f"{name} is hidden"
        assert room.contains(QRect(*found[name]["rect"])), f"{name} is at {found[name]['rect']}, off the screen"


def test_the_register_its_totals_and_its_last_buttons_are_on_the_screen_and_work(tmp_path: Path) -> None:
    found = on_a_small_screen(tmp_path, "register")
    assert_on_screen(found, "window", "Totals", "Close session", "Attendance sheet")
    assert any("Close the session" in said for said in found["asked to close"])
    assert found["asked where to save"]


def test_the_registers_not_saved_banner_reads_whole_on_the_screen(tmp_path: Path) -> None:
    """Seven people scanned on a full disk: the banner was crushed (lines overlapping, names cut, its buttons
    12 pixels high) and the register was taller than the screen. Now the register scrolls, the banner whole."""
    found = on_a_small_screen(tmp_path, "register-not-saved")
    assert_on_screen(found, "window", "Totals", "Close session", "Try again", "Dismiss")
    assert found["Try again"]["tall enough"] and found["Dismiss"]["tall enough"]
    lines = found["banner lines"]
    assert any("Siobhan O'Sullivan-Ramirez (600006)" in line["text"] for line in lines)  # each name whole
    for line in lines:  # each as tall as its wrapped words need, none over the next
        assert line["rect"][3] >= line["needs"], line
    outside_scroll = [QRect(*line["rect"]) for line in lines if "(6000" not in line["text"]]
    for i, rect in enumerate(outside_scroll):
        assert not any(rect.intersects(other) for other in outside_scroll[i + 1 :]), lines
    assert found["names scroll"] and found["last name reached"]  # very many names scroll, none is lost


def test_the_presenters_not_saved_banner_reads_whole_and_the_presenter_fits(tmp_path: Path) -> None:
    """Five sections on, on a full disk: the presenter was 718 pixels tall on a 540-pixel screen, End session
    under its foot, and its squeezed banner's advice lay over its last entry. Now the middle column scrolls."""
    found = on_a_small_screen(tmp_path, "presenter-not-saved")
    assert_on_screen(found, "window", "Try again", "Dismiss", "End session")
    assert found["Try again"]["tall enough"] and found["Dismiss"]["tall enough"]
    lines = found["banner lines"]
    assert any("Free some space" in line["text"] for line in lines)
    outside_scroll = [line for line in lines if not line["among the names"]]
    for line in outside_scroll:  # each as tall as its wrapped words need
        assert line["rect"][3] >= line["needs"], line
    rects = [QRect(*line["rect"]) for line in outside_scroll] + [QRect(*found["names area"]["rect"])]
    for i, rect in enumerate(rects):  # none over another, nor over the names
        assert not any(rect.intersects(other) for other in rects[i + 1 :]), lines


def test_on_a_large_screen_the_presenters_not_saved_banner_leaves_the_script_in_view(tmp_path: Path) -> None:
    """Where the presenter has room, the banner shortens the script rather than pushing it out of view."""
    found = run_on_two_screens(
        tmp_path, (1920, 1080), (1024, 768), ["-c", ON_A_SMALL_SCREEN, str(tmp_path / "data"), "presenter-not-saved"]
    )
    assert found["script and what comes next seen"] == [True, True]


def test_start_and_cancel_stay_on_the_screen_and_work(tmp_path: Path) -> None:
    found = on_a_small_screen(tmp_path, "start")
    assert_on_screen(found, "window", "Start", "Cancel", "Problem with the details")
    assert "Say where the session is held." in found["said"]
    assert found["open after Cancel"] is False


def test_every_objective_reads_whole_and_send_is_on_the_screen_from_the_start(tmp_path: Path) -> None:
    """Send stays in view below the questions, which scroll: it was the last thing in the scrolled part, under
    the fold at 960x540, reached only by scrolling past every question."""
    found = on_a_small_screen(tmp_path, "feedback")
    assert_on_screen(found, "window", "Send on opening", "Send", "Send once sent")
    window = QRect(*found["window"]["rect"])
    assert window.contains(QRect(*found["Send on opening"]["rect"]))  # in view as the form opens
    assert found["Send"] == found["Send on opening"] == found["Send once sent"]  # never scrolled, never moved
    assert not QRect(*found["scrolled part"]["rect"]).intersects(QRect(*found["Send"]["rect"]))  # not under it
    assert found["objectives read whole"] == [True] * found["objectives"]  # each, as Tab reaches its Before box
    assert found["Tab reached Send"]
    assert found["said"] == "Nothing to send: no question is answered yet."
    assert found["said once answered"] == "Thank you. Saved (1 so far). Please pass the laptop on."


def test_send_stands_just_under_the_questions_on_a_large_screen(tmp_path: Path) -> None:
    """Where the whole form fits, Send is straight under the questions: they asked for the height they would
    have in a narrow column, and Send stood a fifth of the screen further down."""
    found = run_on_two_screens(
        tmp_path, (1920, 1080), (1024, 768), ["-c", ON_A_SMALL_SCREEN, str(tmp_path / "data"), "feedback"]
    )
    questions, send = QRect(*found["questions"]["rect"]), QRect(*found["Send on opening"]["rect"])
    assert 0 <= send.top() - questions.bottom() <= send.height()
    assert found["said once answered"] == "Thank you. Saved (1 so far). Please pass the laptop on."


def test_the_presenters_sections_and_audience_screen_read_whole(tmp_path: Path) -> None:
    found = on_a_small_screen(tmp_path, "presenter")
    assert_on_screen(found, "window")
    assert found["most lines to a section"] <= 3.5  # not a word or two to a line, five lines a section
    shows = found["screen box shows"]
    assert found["screen box"] == [f"Audience screen: {shows}", shows]  # whole, for a screen reader and a tooltip


def test_the_shortcut_help_fits_and_closes(tmp_path: Path) -> None:
    found = on_a_small_screen(tmp_path, "shortcuts")
    assert_on_screen(found, "window", "Close")
    assert found["shortest"] <= 540 - 40 - 30  # under a taskbar and a title bar, as on a real laptop, it fits
    assert found["open after Close"] is False


def test_the_paper_forms_fit_with_save_and_close_on_the_screen(tmp_path: Path) -> None:
    found = on_a_small_screen(tmp_path, "paper")
    assert_on_screen(found, "window", "Save the forms (Ctrl+S)", "Close")
    assert found["open after Close"] is False


def test_a_narrow_audience_screen_box_keeps_the_screens_size_whole(qapp: QApplication) -> None:
    metrics = QFontMetrics(qapp.font())
    said = "Audience on PROJECTOR-IN-THE-MAIN-HALL (1024x768)"
    assert shortened(said, metrics.horizontalAdvance(said), metrics) == said
    short = shortened(said, metrics.horizontalAdvance("PROJECTOR (1024x768)"), metrics)
    assert short.startswith("PROJECT") and short.endswith("… (1024x768)")  # never "Audience on PROJECTOR (51"
