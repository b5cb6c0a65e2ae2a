"""The app syncing with a real HQ on loopback: enrollment from the Sync view, the status bar, a remote wipe."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq, silent_server
from tests.store.test_sessions import NOW, make_session
from tests.sync.answering import answering
from tests.sync.network import held_on_the_way
from tests.sync.test_sync import register_people
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer, button, open_dialog
from trainer_desk.app import build_main_window
from trainer_desk.core.plan_library import load_library
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.paths import bundled
from trainer_desk.store import delivery, outbox, sessions
from trainer_desk.sync import credentials
from trainer_desk.sync.client import SyncError
from trainer_desk.ui.enroll_dialog import EnrollDialog
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def sync_panel(window: MainWindow) -> SyncPanel:
    window.navigation.setCurrentRow(4)
    panel = window.current_panel()
    assert isinstance(panel, SyncPanel)
    return panel


def test_enroll_and_sync_from_the_app(qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq) -> None:
    register_people(workspace, 7)
    panel = sync_panel(window)
    assert window.sync_label.text() == "Not connected to HQ · 8 records waiting to be sent"
    assert not panel.sync_button.isEnabled()
    dialog = panel.ask_to_enroll()
    assert unnamed_interactive_widgets(dialog) == []
    dialog.reject()
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    assert hq_records.count_records(hq.engine) == 8
    assert "Last successful sync" in panel.state.text() and panel.explanation.text() == "Nothing is waiting to be sent."
    assert unnamed_interactive_widgets(panel) == []
    window.resize(1400, 900)  # nothing waiting: what there is to read sits together under the heading
    qtbot.waitUntil(lambda: panel.height() > 700)
    for lines in (panel.explanation, panel.state):  # not stretched down the view, its words in the middle
        assert lines.height() < lines.sizeHint().height() + 20
    assert panel.sync_button.geometry().top() - panel.state.geometry().bottom() < 30


def test_a_revoked_laptop_is_told_plainly(qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq) -> None:
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    register_people(workspace, 3)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "revoked")
    window.syncing.sync_now()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Sync problem"), timeout=15000)
    assert "enroll it again" in window.sync_label.text() and "4 records waiting to be sent" in window.sync_label.text()


def test_a_lost_laptop_is_wiped_and_says_so(qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq) -> None:
    register_people(workspace, 4)
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    register_people_again = workspace.db.execute("SELECT count(*) FROM attendance").fetchone()[0]
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    window.syncing.sync_now()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.closing_notice is not None, timeout=15000)
    assert "reported this laptop as lost" in window.closing_notice.text()  # type: ignore[union-attr]
    assert workspace.closed and not workspace.paths.database.exists()
    assert hq_records.count_records(hq.engine, "attendance") == register_people_again
    window.closing_notice.done(0)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.isVisible())


def test_offline_shows_as_one_phrase_and_the_sync_view_says_more(window: MainWindow, workspace: Workspace) -> None:
    register_people(workspace, 2)
    with workspace.db.atomic():
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', 'http://127.0.0.1:9')")
    assert window.syncing is not None
    # What a sync that found no network reports, delivered as the background task delivers it.
    window.syncing._on_failed(SyncError("offline", "HQ could not be reached: no connection to it. Kept here."))
    assert window.sync_label.text() == "Offline: HQ not reachable · 3 records waiting to be sent"
    assert "no connection to it" in sync_panel(window).state.text()


def test_closing_the_app_stops_a_sync_that_is_waiting_for_hq(qtbot: QtBot, workspace: Workspace) -> None:
    # A real server that answers every push as an HQ that crashed part-way does (5xx, plain text, none of HQ's
    # headers), so the laptop retries with growing waits in between.
    heard: list[str] = []
    with answering(500, {"Content-Type": "text/plain"}, b"Internal Server Error", heard) as url:
        window, tasks, outcomes = _syncing_window(qtbot, workspace, int(url.rsplit(":", 1)[1]), people=5)
        qtbot.waitUntil(lambda: len(heard) == 1, timeout=10000)  # the first attempt failed; now a wait
        error = _closed(qtbot, window, tasks, outcomes)
        assert "Everything stays saved" in error.message
        assert outbox.waiting_count(workspace.db) == 6  # five registrations and the session, all still here
    assert len(heard) == 1  # without stopping, three more attempts would follow over several seconds


def test_closing_the_app_does_not_wait_for_an_hq_that_never_answers(qtbot: QtBot, workspace: Workspace) -> None:
    # Without stopping, the laptop would wait for its 30-second read timeout.
    with silent_server() as (port, accepted):
        window, tasks, outcomes = _syncing_window(qtbot, workspace, port, people=2)
        assert accepted()  # the push is sent, and no answer will come
        _closed(qtbot, window, tasks, outcomes)
        assert outbox.waiting_count(workspace.db) == 3


def test_closing_the_app_while_enrolling_with_an_hq_at_fault_does_not_wait_out_its_retries(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Typing the code asks HQ which unit it is for, and Enroll sends it: against an HQ that answers each with a
    fault, both went on trying with growing waits in between, and quitting the app waited for them."""
    heard: list[str] = []
    with answering(500, {"Content-Type": "text/plain"}, b"Internal Server Error", heard) as url:
        tasks = TaskRunner()
        window = build_main_window(workspace, tasks)
        qtbot.addWidget(window)
        window.show()
        panel = sync_panel(window)
        qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
        dialog = open_dialog(qtbot)
        assert isinstance(dialog, EnrollDialog)
        dialog.url.selectAll()
        qtbot.keyClicks(dialog.url, url)
        qtbot.keyClicks(dialog.code, "ABCD-EFGH-JKMN")
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: any("enroll" in request for request in heard), timeout=10000)
        window.close()
        assert tasks.wait(1000)  # nothing left running: the look-up and the enrolling both stopped
    assert len([request for request in heard if "enroll" in request]) == 1  # and neither was tried again


def _syncing_window(
    qtbot: QtBot, workspace: Workspace, port: int, people: int
) -> tuple[MainWindow, TaskRunner, list[object]]:
    """The app, enrolled with the HQ on `port`, with `people` registered, and a sync started."""
    with workspace.db.atomic():
        workspace.db.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [f"http://127.0.0.1:{port}"]
        )
    credentials.save_token(workspace.paths.data_dir, "a-token", workspace.keychain)
    register_people(workspace, people)
    tasks = TaskRunner()
    window = build_main_window(workspace, tasks)
    qtbot.addWidget(window)
    window.show()
    assert window.syncing is not None
    outcomes: list[object] = []
    window.syncing.finished.connect(outcomes.append)
    window.syncing.sync_now()
    return window, tasks, outcomes


def _closed(qtbot: QtBot, window: MainWindow, tasks: TaskRunner, outcomes: list[object]) -> SyncError:
    """Close the window; the sync under way must end, stopped, with nothing left running."""
    window.close()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10000)
    [error] = outcomes
    assert isinstance(error, SyncError) and error.kind == "stopped"
    assert tasks.wait(1000)
    return error


def test_the_backlog_names_each_session_by_plan_title_and_unit(qtbot: QtBot, workspace: Workspace) -> None:
    register_people(workspace, 3)
    delivery.note_unanswered_question(workspace.db, "signa-core", "Does this apply off duty?", NOW)
    tasks = TaskRunner()
    panel = SyncPanel(workspace, tasks, SyncController(workspace, tasks), load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    table = panel.backlog
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    title = "Signa: sexism, misogyny and sexual harassment at work"
    assert headers == ["Session", "Waiting"]
    assert rows == [
        [f"{NOW.astimezone():%a %d %b %Y %H:%M} · {title} · North · Room 4 · planned", "4"],
        ["Other records", "1"],
    ]
    tasks.wait()


def test_enrolling_with_an_hq_that_never_answers_does_not_hold_up_the_register(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """The network is never waited on by the database worker: a mark saves while enrollment hangs."""
    panel = sync_panel(window)
    with silent_server() as (port, accepted):
        panel.enroll(f"http://127.0.0.1:{port}", "ABCD-EFGH")
        assert accepted()
        assert panel.explanation.text() == "Enrolling…"
        saved: list[object] = []
        db, session = workspace.writer, make_session()
        window.launcher.tasks.run_db(lambda: sessions.create_session(db, session, NOW), on_success=saved.append)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Not enrolled"), timeout=15000)


def test_the_started_app_on_an_unencrypted_database_enrolls_and_syncs(qtbot: QtBot, tmp_path: Path, hq: Hq) -> None:
    """`encrypt_database = false`: the window never asks the keyring for a database key, yet HQ's device token
    still goes into the keyring, and the next day's app reads it back from there to sync."""
    from PySide6.QtWidgets import QLineEdit

    from tests.ui.clicks import click, open_dialog
    from tests.ui.test_whole_session import run_app
    from trainer_desk.paths import AppPaths

    data = tmp_path / "data"
    config = AppPaths.resolve(data).user_config
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("encrypt_database = false\n")
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")

    def opened(window: MainWindow) -> SyncPanel:
        qtbot.waitUntil(lambda: window.sync_label.text() != "", timeout=15000)  # said once the database is open
        return sync_panel(window)

    def enroll(window: MainWindow) -> None:
        panel = opened(window)
        click(qtbot, panel, "Enroll with HQ…")
        fields = {field.accessibleName(): field for field in open_dialog(qtbot).findChildren(QLineEdit)}
        fields["HQ address"].clear()
        qtbot.keyClicks(fields["HQ address"], hq.url)
        qtbot.keyClicks(fields["Enrollment code"], code)
        click(qtbot, open_dialog(qtbot), "Enroll")
        qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=20000)

    def sync_next_day(window: MainWindow) -> None:
        panel = opened(window)
        qtbot.waitUntil(lambda: panel.sync_button.text() == "Sync now", timeout=20000)  # its own sync, over
        click(qtbot, panel, "Sync now")
        qtbot.waitUntil(lambda: window.sync_label.text() != "Syncing…", timeout=20000)
        assert window.sync_label.text() == "Synced"
        assert "Last successful sync" in panel.state.text()
        assert f"HQ: {hq.url} · this laptop records for North" in panel.state.text()
        assert re.search(r"The last sync: \d+ records? sent, 0 roster changes received\.", panel.state.text())
        assert panel.enroll_button.text() == "Enroll again…"  # still possible, not offered as if never done

    run_app(qtbot, data, enroll)
    run_app(qtbot, data, sync_next_day)
    [device] = hq_devices.list_devices(hq.engine)
    assert device["unit"] == "NORTH"


def test_a_clock_a_year_fast_is_said_in_days_and_which_way(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """The laptop's date was set a year ahead: the Sync view said the clock "differs by 525600 minutes"."""
    real = workspace.clock
    workspace.clock = lambda: real() + timedelta(days=365)  # type: ignore[method-assign]
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    panel = sync_panel(window)
    qtbot.waitUntil(lambda: "clock was" in panel.state.text(), timeout=5000)
    assert "This laptop's clock was 365 days ahead of HQ's at the last sync (" in panel.state.text()
    assert "): set its date and time" in panel.state.text()

    # And before a session starts, whose register would be dated a year ahead, at HQ too.
    window.navigation.setCurrentRow(0)
    qtbot.mouseClick(button(window.current_panel(), "Start a session…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, StartSessionDialog)
    assert dialog.notices.isVisible() and "365 days ahead of HQ's" in dialog.notices.text()
    dialog.reject()


def test_a_clock_twenty_minutes_fast_is_said_before_a_session_starts(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """Only a clock a day out was pointed out where a session starts; twenty minutes dates its register wrongly."""
    real = workspace.clock
    workspace.clock = lambda: real() + timedelta(minutes=20)  # type: ignore[method-assign]
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    said = "This laptop's clock was 20 minutes ahead of HQ's at the last sync ("
    qtbot.waitUntil(lambda: said in sync_panel(window).state.text(), timeout=5000)
    window.navigation.setCurrentRow(0)
    qtbot.mouseClick(button(window.current_panel(), "Start a session…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, StartSessionDialog)
    assert dialog.notices.isVisible() and said in dialog.notices.text()
    assert (
        "): set its date and time" in dialog.notices.text() and "may have been set right" not in dialog.notices.text()
    )
    dialog.reject()

    # The trainer sets the clock right, offline: the warning no longer says the clock is out as if just seen.
    workspace.clock = real  # type: ignore[method-assign]
    qtbot.mouseClick(button(window.current_panel(), "Start a session…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, StartSessionDialog)
    notices = dialog.notices.text()
    assert "This laptop's clock was 20 minutes ahead of HQ's when measured at the last sync (" in notices
    assert "it may have been set right since. Check its date and time: the next sync measures it again." in notices
    assert "set its date and time, or what it records is dated wrongly" not in notices
    dialog.reject()


def test_the_enroll_dialog_stays_open_until_hq_takes_the_code_and_a_code_typed_with_spaces_is_taken(
    qtbot: QtBot, window: MainWindow, hq: Hq
) -> None:
    """The dialog closed at once: an address without https:// was refused after it had gone, and the code with
    it. A code typed in lower case with spaces, as read off a printout, was refused as unknown."""
    panel = sync_panel(window)
    qtbot.mouseClick(button(panel, "Enroll with HQ…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, EnrollDialog)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, hq.url.removeprefix("http://"))
    qtbot.keyClicks(dialog.code, code.lower().replace("-", " "))
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "is not a web address" in dialog.error.text()
    assert dialog.focusWidget() is dialog.url and dialog.code.text() == code.lower().replace("-", " ")

    dialog.url.clear()
    qtbot.keyClicks(dialog.url, hq.url)
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "0000 0000 0000 0000")  # a slip: HQ refuses it, and says so here
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    assert not dialog.enroll_button.isEnabled()  # one request at a time for a one-time code
    qtbot.waitUntil(lambda: "Not enrolled" in dialog.error.text(), timeout=15000)
    assert dialog.isVisible() and "unknown, used or expired" in dialog.error.text()
    assert dialog.enroll_button.isEnabled()

    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code.lower().replace("-", " "))
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=20000)


def enroll_through(qtbot: QtBot, panel: SyncPanel, url: str, code: str) -> EnrollDialog:
    """Enroll with HQ… clicked, the address and code typed, and Enroll clicked: the dialog, its request sent."""
    qtbot.mouseClick(button(panel, "Enroll with HQ…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, EnrollDialog)
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, url)
    qtbot.keyClicks(dialog.code, code)
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    return dialog


def test_closing_the_enroll_dialog_while_hq_has_the_code_says_it_is_already_sent_and_the_outcome_is_told(
    qtbot: QtBot, window: MainWindow, hq: Hq
) -> None:
    """Closing it offered "Close without saving", yet the code went on to HQ and enrolled the laptop with
    nobody told. Now closing says the code is already sent, and the Sync view says how it ended."""
    panel = sync_panel(window)
    already = (
        "Already sent to HQ: closing this window does not stop it. If HQ takes the code, this laptop is enrolled; "
        "if not, the Sync view says why. Close this window?"
    )
    with held_on_the_way(hq.url) as (url, release):
        dialog = enroll_through(qtbot, panel, url, "0000-0000-0000-0000")  # a slip, for HQ to refuse
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert answer(qtbot, "Keep it open") == already  # Escape's answer too: nothing lost by a stray key
        assert dialog.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert answer(qtbot, "Close this window") == already
        assert not dialog.isVisible()
        release.set()
        qtbot.waitUntil(lambda: panel.explanation.text().startswith("Not enrolled:"), timeout=15000)
        assert "unknown, used or expired" in panel.explanation.text()
        release.clear()

        code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
        dialog = enroll_through(qtbot, panel, url, code)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert answer(qtbot, "Close this window") == already
        release.set()
        qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=20000)  # enrolled, and said so
        assert not dialog.isVisible()


def test_the_keys_stay_on_sync_now_while_it_runs(qtbot: QtBot, window: MainWindow, hq: Hq) -> None:
    """Sync now was greyed out while it ran, which passed the keys on to "Enroll with HQ…": the trainer's next
    Space opened the enrollment. It now says it is syncing, and keeps the keys."""
    panel = sync_panel(window)
    panel.enroll(hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.sync_button.setFocus()
    qtbot.keyClick(panel.sync_button, Qt.Key.Key_Space)
    assert panel.sync_button.text() == "Syncing…" and panel.sync_button.hasFocus()
    qtbot.waitUntil(lambda: panel.sync_button.text() == "Sync now", timeout=15000)
    assert panel.sync_button.hasFocus() and window.sync_label.text() == "Synced"


def test_enrolling_says_its_progress_as_progress_and_each_refusal_at_once_in_both_places(
    qtbot: QtBot, window: MainWindow, hq: Hq
) -> None:
    """ "Enrolling…" was shown, red, in the label read out as "Enrollment problem"; an address nothing listens at
    still said "Enrolling…" seconds after the connection was refused; and after a certificate refusal, the Sync
    view behind went on saying it while the dialog had moved on."""
    panel = sync_panel(window)
    qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, EnrollDialog)
    labels = {label.accessibleName(): label for label in dialog.findChildren(QLabel) if label.accessibleName()}
    progress, problem = labels["Enrollment progress"], labels["Enrollment problem"]
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    port = hq.url.rsplit(":", 1)[1]

    def enroll_at(url: str) -> None:
        dialog.url.setFocus()
        dialog.url.selectAll()
        qtbot.keyClicks(dialog.url, url)
        qtbot.keyClick(dialog.url, Qt.Key.Key_Return)

    qtbot.keyClicks(dialog.code, code)
    enroll_at(f"https://127.0.0.1:{port}")  # HQ speaks plain http here: the TLS handshake fails
    qtbot.waitUntil(
        lambda: problem.isVisible() and "certificate could not be verified" in problem.text(), timeout=10000
    )
    assert not progress.isVisible()
    assert panel.explanation.text().startswith("Not enrolled: HQ's certificate could not be verified")

    with silent_server() as (silent, _accepted):  # a port nothing answers at, once this server has gone
        pass
    enroll_at(f"http://127.0.0.1:{silent}")
    assert progress.isVisible() and progress.text() == "Enrolling…" and not problem.isVisible()
    assert panel.explanation.text() == "Enrolling…"
    qtbot.waitUntil(lambda: problem.isVisible(), timeout=2000)  # refused at once: said at once
    assert problem.text().startswith("Not enrolled: HQ could not be reached at this address")
    assert panel.explanation.text() == problem.text()

    enroll_at("http://hq.example.police.uk")  # refused here, before anything is sent
    assert problem.text().endswith("is not https: registrations are only ever sent over verified TLS")
    assert panel.explanation.text() == f"Not enrolled: {problem.text()}"

    enroll_at(hq.url)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Synced", timeout=15000)
