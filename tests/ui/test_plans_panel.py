from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.store import units
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def test_broken_plans_are_listed_with_their_problems_and_cannot_be_started(qtbot: QtBot, tmp_path: Path) -> None:
    for name in ("signa-core", "upstander"):
        shutil.copytree(bundled("lesson_plans") / name, tmp_path / name)
    manifest = tmp_path / "upstander" / "plan.toml"
    manifest.write_text(manifest.read_text().replace("duration_minutes = 75", "duration_minutes = 70"))
    tasks = TaskRunner()
    panel = PlansPanel(load_library(tmp_path), tasks)
    qtbot.addWidget(panel)
    assert panel.list.count() == 2
    assert panel.explanation.text() == "1 lesson plan ready to deliver; 1 cannot be used until fixed."
    panel.list.setCurrentRow(1)
    listed = "Upstander: stepping in when it matters (upstander) (cannot be used: 1 problem)"
    assert panel.list.item(1).text() == listed  # by the title a trainer knows, with its folder
    assert "Upstander: stepping in when it matters (upstander) cannot be used" in panel.preview.toPlainText()
    assert "sections add up to 75 minutes but duration_minutes is 70" in panel.preview.toPlainText()
    requested: list[LessonPlan] = []
    panel.deliver_with(requested.append, requested.append)
    assert not panel.start.isEnabled() and not panel.rehearse.isEnabled()
    panel.list.setCurrentRow(0)
    assert panel.start.isEnabled()
    assert "Objectives" in panel.preview.toPlainText()
    qtbot.mouseClick(panel.rehearse, Qt.MouseButton.LeftButton)
    assert [p.id for p in requested] == ["signa-core"]
    assert unnamed_interactive_widgets(panel) == []


def test_the_facilitator_script_is_written_in_the_background(qtbot: QtBot, tmp_path: Path) -> None:
    tasks = TaskRunner()
    library = load_library(bundled("lesson_plans"))
    panel = PlansPanel(library, tasks)
    qtbot.addWidget(panel)
    plan = panel.selected_plan()
    assert plan is not None
    panel.export_script(plan, tmp_path / "script.pdf")
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Facilitator script saved"), timeout=10000)
    assert (tmp_path / "script.pdf").read_bytes().startswith(b"%PDF")
    tasks.wait()


def test_the_trainer_is_told_before_starting_what_the_plan_lacks(
    qtbot: QtBot, tmp_path: Path, workspace: Workspace
) -> None:
    plan_folder = tmp_path / "example-plan"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "plans" / "example-plan", plan_folder)
    card = plan_folder / "signposting.md"
    card.write_text("# Report it\n\n{{force.reporting_routes}}\n\nAfterwards, talk to {{force.wellbeing_lead}}.\n")
    manifest = plan_folder / "plan.toml"
    manifest.write_text(
        manifest.read_text().replace(
            "\n[programme]",
            '\n[preparation]\ntrainers = "Co-delivered with a wellbeing specialist."\ngroup_size = "8 to 16"\n'
            'checklist = ["Films tested on this projector", "Roster synced today"]\n\n[programme]',
            1,
        )
    )
    library = load_library(tmp_path, force=ForceFields({"reporting_routes": "- Fernshire Standards: 01632 960555"}))
    panel = PlansPanel(library, TaskRunner())
    qtbot.addWidget(panel)
    panel.show()
    item = panel.list.item(0)
    assert "Before you start" in item.text()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    preview = panel.preview.toPlainText()
    assert "Before you start: The films in this plan are samples" in preview
    assert "Your force's details are missing from this plan: the wellbeing contact for this session." in preview

    dialog = StartSessionDialog(
        None, workspace.db, list(library.plans), library.plans[0], units.list_units(workspace.db)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notices.isVisible()
    assert "the wellbeing contact for this session" in dialog.notices.text()
    assert "samples" in dialog.notices.text()
    assert "Who may deliver it: Co-delivered with a wellbeing specialist." in dialog.notices.text()
    steps = [box for box in dialog.checklist.findChildren(QCheckBox) if box.isVisible()]
    assert [box.text() for box in steps] == ["Films tested on this projector", "Roster synced today"]
    qtbot.mouseClick(steps[0], Qt.MouseButton.LeftButton, pos=QPoint(6, steps[0].height() // 2))  # its box
    assert steps[0].isChecked()
    assert "Group size: 8 to 16" in preview_of(panel)
    assert library.plans[0].signposting.count("Fernshire Standards: 01632 960555") == 1


def preview_of(panel: PlansPanel) -> str:
    return panel.preview.toPlainText()


def test_a_plan_whose_programme_has_its_name_says_it_once(qtbot: QtBot, tasks: TaskRunner) -> None:
    """'Managing an Inclusive Workplace' was listed twice in a row, title then programme, and read out twice."""
    library = load_library(bundled("lesson_plans"))
    panel = PlansPanel(library, tasks)
    qtbot.addWidget(panel)
    lines = {
        panel.list.item(row).data(Qt.ItemDataRole.UserRole).id: panel.list.item(row).text()
        for row in range(panel.list.count())
    }
    inclusive = next(line for line in lines.values() if line.startswith("Managing an Inclusive Workplace"))
    assert inclusive.count("Managing an Inclusive Workplace") == 1
    others = [p for p in library.plans if p.programme.name != p.title and p.id in lines]
    assert others, "a bundled plan whose programme is named otherwise"
    for plan in others:  # another programme's name is still given, after the title
        assert lines[plan.id].startswith(f"{plan.title}\n{plan.programme.name} · v")
