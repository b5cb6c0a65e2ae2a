from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.tasks import TaskRunner


def test_broken_plans_are_listed_with_their_problems_and_cannot_be_started(qtbot: QtBot, tmp_path: Path) -> None:
    for name in ("signa-core", "upstander"):
        shutil.copytree(bundled("lesson_plans") / name, tmp_path / name)
    manifest = tmp_path / "upstander" / "plan.toml"
    manifest.write_text(manifest.read_text().replace("duration_minutes = 75", "duration_minutes = 70"))
    tasks = TaskRunner()
    panel = PlansPanel(load_library(tmp_path), tasks)
    qtbot.addWidget(panel)
    assert panel.list.count() == 2
    assert panel.explanation.text() == "1 lesson plan(s) ready to deliver; 1 cannot be used until fixed."
    panel.list.setCurrentRow(1)
    assert "upstander cannot be used" in panel.preview.toPlainText()
    assert "sections add up to 75 minutes but duration_minutes is 70" in panel.preview.toPlainText()
    assert not panel.start.isEnabled() and not panel.rehearse.isEnabled()
    panel.list.setCurrentRow(0)
    assert panel.start.isEnabled()
    assert "Objectives" in panel.preview.toPlainText()
    requested = []
    panel.rehearse_requested.connect(requested.append)
    panel.rehearse.click()
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
