"""A BCU training lead previews their BCU's compliance in the Reports view of a laptop holding HQ's unit tree:
the BCU counts the people in its teams, as HQ's console does, and the whole force's table gives each BCU its
total with its teams set under it."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from tests.northshire import NORTH_OUTSTANDING, synced_from_hq
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

TEAM = "\u2003\u2003"  # how far a team is set in under its BCU


def choose(qtbot: QtBot, combo: QComboBox, typed: str) -> None:
    """Pick from a list as a person does with the keyboard: focus it and type the start of the choice."""
    combo.setFocus()
    qtbot.keyClicks(combo, typed)


def reports_view(qtbot: QtBot, workspace: Workspace) -> ReportsPanel:
    tasks = TaskRunner()
    panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.resize(900, 800)
    panel.show()
    choose(qtbot, panel.kind, "Compliance")
    choose(qtbot, panel.programme, "Signa")
    panel.date_from.setDate(QDate(2026, 10, 1))
    panel.date_to.setDate(QDate(2026, 10, 31))
    return panel


def test_a_bcus_preview_counts_the_people_in_its_teams(qtbot: QtBot, workspace: Workspace) -> None:
    synced_from_hq(workspace)
    panel = reports_view(qtbot, workspace)
    choose(qtbot, panel.unit, "North")
    assert panel.unit.currentText() == "North BCU"
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)

    lines = panel.preview.toPlainText().splitlines()
    assert "5 of the 10 who must complete it have done so (50.0%), 5 outstanding, 1 session." in lines
    table = lines[lines.index("Unit") : lines.index("Outstanding (5)")]
    assert [line for line in table if line] == [
        *("Unit", "Must complete it", "Completed", "%"),
        *("North BCU", "10", "5", "50.0%"),
        *(f"{TEAM}North CID", "2", "0", "0.0%"),
        *(f"{TEAM}North Neighbourhood", "3", "3", "100.0%"),
        *(f"{TEAM}North Response", "4", "2", "50.0%"),
    ]
    shown = panel.preview.toPlainText()
    assert all(person.full_name in shown for person in NORTH_OUTSTANDING)


def test_the_whole_forces_preview_gives_each_bcu_its_total(qtbot: QtBot, workspace: Workspace) -> None:
    synced_from_hq(workspace)
    panel = reports_view(qtbot, workspace)
    choose(qtbot, panel.unit, "The")
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)

    lines = [line for line in panel.preview.toPlainText().splitlines() if line]
    assert "6 of the 15 who must complete it have done so (40.0%), 9 outstanding, 1 session." in lines
    first = lines.index("Northshire Police")
    assert lines[first : first + 16] == [
        *("Northshire Police", "15", "6", "40.0%"),
        *(f"{TEAM}East BCU", "3", "1", "33.3%"),
        *(f"{TEAM * 2}East CID", "1", "0", "0.0%"),
        *(f"{TEAM * 2}East Response", "1", "1", "100.0%"),
    ]
    assert lines[lines.index(f"{TEAM}North BCU") + 1 : lines.index(f"{TEAM}North BCU") + 4] == ["10", "5", "50.0%"]


def test_a_laptop_enrolled_for_a_bcu_offers_that_bcu_and_its_teams_only(qtbot: QtBot, workspace: Workspace) -> None:
    """As its lead sees them in HQ's console: no whole-force list of who is outstanding, no other BCU's people."""
    synced_from_hq(workspace)
    for key, value in (("hq_url", "https://hq.northshire.police.uk"), ("enrolled_unit", "NORTH")):
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [key, value])
    panel = reports_view(qtbot, workspace)
    offered = [panel.unit.itemText(i) for i in range(panel.unit.count())]
    assert offered == [
        "North BCU",
        "North CID · North BCU",
        "North Neighbourhood · North BCU",
        "North Response · North BCU",
    ]
    assert panel.unit.currentData() == "NORTH"  # the BCU first, then its teams below it, by keyboard
    panel.unit.setFocus()
    for _ in range(3):
        qtbot.keyClick(panel.unit, Qt.Key.Key_Down)
    assert panel.unit.currentData() == "NORTH-RESP"
