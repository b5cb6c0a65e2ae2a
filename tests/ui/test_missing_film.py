"""A film not yet on the laptop is a warning, not a broken plan: the session starts, the section says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.clicks import click
from tests.ui.films import play_film
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.plan_loader import load_plan
from trainer_desk.paths import bundled
from trainer_desk.store import units
from trainer_desk.ui.audience_window import STARTING_SHORTLY
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def test_a_missing_film_leaves_the_plan_usable_and_is_said_in_its_section(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    shutil.copytree(bundled("lesson_plans") / "signa-core", tmp_path / "signa-core")
    (tmp_path / "signa-core" / "videos" / "voices.mp4").unlink()
    plan, problems = load_plan(tmp_path / "signa-core")
    assert plan is not None  # still deliverable
    assert [p.message for p in problems] == ["file 'videos/voices.mp4' is missing"]  # and the author is told
    assert all(p.warning for p in problems)

    library = load_library(tmp_path)
    tasks = TaskRunner()
    panel = PlansPanel(library, tasks)
    qtbot.addWidget(panel)
    panel.show()
    assert library.broken == ()
    assert "1 file missing" in panel.list.item(0).text()
    assert "voices.mp4" in panel.preview.toPlainText()
    launcher = DeliveryLauncher(workspace, tasks, library)
    panel.deliver_with(launcher.rehearse, launcher.rehearse)
    assert panel.start.isEnabled() and panel.rehearse.isEnabled() and panel.script_pdf.isEnabled()
    click(qtbot, panel, "Rehearse")
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=3000)
    presenter = launcher.presenters[0]
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # the film's section
    assert "voices.mp4 is missing on this laptop" in presenter.video_controls.video_message.text()
    room = presenter.audience  # the room is shown the section's framing, and promised no film
    assert room.shown_page() == "video" and room.video_title.isVisible()
    assert "Four fictional accounts" in room.video_title.toPlainText()
    assert STARTING_SHORTLY not in room.video_title.toPlainText()
    qtbot.keyClick(presenter, Qt.Key.Key_K)  # nothing to play, and nothing breaks
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert presenter.presentation.index == 2
    presenter.close()
    tasks.wait()


def test_the_presenter_offers_a_choice_of_sound_output(qtbot: QtBot, workspace: Workspace) -> None:
    library = load_library(bundled("lesson_plans"))
    plan = library.get("signa-core")
    assert plan is not None
    tasks = TaskRunner()
    presenter = DeliveryLauncher(workspace, tasks, library).rehearse(plan)
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert (
        presenter.video_controls.sound_output.isVisible()
        and presenter.video_controls.sound_output.accessibleName() == "Sound output"
    )
    shown = [
        presenter.video_controls.sound_output.itemText(i) for i in range(presenter.video_controls.sound_output.count())
    ]
    # The laptop's outputs (HDMI to the projector among them) or, on a machine with none, a plain sentence.
    assert shown and all(shown)
    assert presenter.video_controls.sound_output.isEnabled() == (shown != ["No sound output found"])
    presenter.close()
    tasks.wait()


def test_the_start_dialog_says_which_film_is_not_on_the_laptop(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    """The start dialog said nothing of a missing film, while the plan's checklist read 'Both films tested': the
    trainer first heard of it in front of the room."""
    shutil.copytree(bundled("lesson_plans") / "signa-core", tmp_path / "signa-core")
    (tmp_path / "signa-core" / "videos" / "voices.mp4").unlink()
    library = load_library(tmp_path)
    plan = library.get("signa-core")
    assert plan is not None
    dialog = StartSessionDialog(None, workspace.db, list(library.plans), plan, units.list_units(workspace.db))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notices.isVisible()
    assert "(voices.mp4) is not on this laptop: that section goes on without it" in dialog.notices.text()
    dialog.close_without_asking()


@pytest.mark.parametrize(
    "timing",
    ["99:99:99.999 --> 00:00:05.800", "00:00:03.995 --> 00:00:03.995", "00:01:03.995 --> 00:00:05.800"],
    ids=["no-such-time", "ends-as-it-starts", "ends-before-it-starts"],
)
def test_a_cue_timed_at_no_real_time_is_the_same_warning_as_a_broken_timing(
    qtbot: QtBot, tmp_path: Path, timing: str
) -> None:
    """Such a cue was dropped without a word: its caption never showed, and the plan read as whole."""
    shutil.copytree(bundled("lesson_plans") / "signa-core", tmp_path / "signa-core")
    captions = tmp_path / "signa-core" / "videos" / "voices.vtt"
    captions.write_text(captions.read_text().replace("00:00:03.995 --> 00:00:05.800", timing))
    library = load_library(tmp_path)
    panel = PlansPanel(library, TaskRunner())
    qtbot.addWidget(panel)
    panel.show()
    assert "1 file missing or unreadable" in panel.list.item(0).text()
    said = f"captions file videos/voices.vtt: line 7 of the captions is not a WebVTT timing ({timing})"
    assert said in panel.preview.toPlainText()
    assert "the film plays without captions" in panel.preview.toPlainText()


def test_a_broken_caption_file_is_a_warning_and_the_film_plays_without_it(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    shutil.copytree(bundled("lesson_plans") / "signa-core", tmp_path / "signa-core")
    captions = tmp_path / "signa-core" / "videos" / "voices.vtt"
    captions.write_text(captions.read_text().replace("00:00:03.995 --> 00:00:05.800", "00:00:03,995 --> 00:00:05,800"))
    library = load_library(tmp_path)
    assert library.broken == ()  # the plan is usable on the day
    tasks = TaskRunner()
    panel = PlansPanel(library, tasks)
    qtbot.addWidget(panel)
    panel.show()
    assert "1 file missing or unreadable" in panel.list.item(0).text()
    said = "captions file videos/voices.vtt: line 7 of the captions is not a WebVTT timing"
    assert said in panel.preview.toPlainText()  # named as clearly as before, with its line
    assert "the film plays without captions" in panel.preview.toPlainText()
    dialog = StartSessionDialog(
        None, workspace.db, list(library.plans), library.plans[0], units.list_units(workspace.db)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notices.isVisible() and said in dialog.notices.text()
    dialog.reject()

    launcher = DeliveryLauncher(workspace, tasks, library)
    panel.deliver_with(launcher.rehearse, launcher.rehearse)
    assert panel.start.isEnabled() and panel.rehearse.isEnabled()
    click(qtbot, panel, "Rehearse")
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=3000)
    presenter = launcher.presenters[0]
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # the film's section
    message = presenter.video_controls.video_message
    qtbot.waitUntil(lambda: "The captions for this video cannot be read" in message.text(), timeout=5000)
    assert "line 7 of the captions" in message.text() and "it plays without them" in message.text()
    play_film(qtbot, presenter)
    presenter.close()
    tasks.wait()
