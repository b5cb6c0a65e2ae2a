"""The Roster view on a laptop holding HQ's unit tree counts each unit with the units under it, as HQ does: a
BCU whose people sit in its teams read as having one person."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.northshire import synced_from_hq
from trainer_desk.ui.changes import ChangeChannel
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

TEAM = "\u2003\u2003"  # how far a unit is set in under the one it is part of


def test_each_bcu_counts_the_people_in_its_teams_with_the_teams_under_it(qtbot: QtBot, workspace: Workspace) -> None:
    synced_from_hq(workspace)
    tasks = TaskRunner()
    panel = RosterPanel(workspace.db, workspace, tasks, ChangeChannel())
    qtbot.addWidget(panel)
    panel.show()
    table = panel.table
    shown = [(table.item(row, 0).text(), table.item(row, 1).text()) for row in range(table.rowCount())]
    assert shown == [
        ("Northshire Police (force)", "15"),
        (f"{TEAM}East BCU (BCU)", "3"),
        (f"{TEAM * 2}East CID (team)", "1"),
        (f"{TEAM * 2}East Response (team)", "1"),
        (f"{TEAM}North BCU (BCU)", "10"),
        (f"{TEAM * 2}North CID (team)", "2"),
        (f"{TEAM * 2}North Neighbourhood (team)", "3"),
        (f"{TEAM * 2}North Response (team)", "4"),
        (f"{TEAM}West BCU (BCU)", "2"),
        (f"{TEAM * 2}West Response (team)", "2"),
    ]
    assert panel.explanation.text() == "15 people this laptop can register, by unit."
    tasks.wait()
