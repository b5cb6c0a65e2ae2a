"""The advice under a roster file's problems names every unit the laptop knows. A real force has some forty,
and the box worked out too small a height for the advice wrapped over many lines, so the last units were cut
off at its bottom edge, most of all with the larger text some trainers need."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_roster_import import choose, panel
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.store import units
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.ui.roster_problems_dialog import RosterProblemsDialog
from trainer_desk.workspace import Workspace

__all__ = ["panel"]  # the Roster view, as the import's tests open it

PLACES = ["Central", "North", "South", "East", "West", "North East", "North West", "South East", "South West"]
TREE = [UnitNode("FORCE", "The Force", "force")]
TREE += [UnitNode(p.upper().replace(" ", "-"), p, "BCU", "FORCE") for p in PLACES]
TREE += [UnitNode(f"{p.upper().replace(' ', '-')}-RP", f"{p} Response", "team", "FORCE") for p in PLACES]
TREE += [UnitNode(f"{p.upper().replace(' ', '-')}-NP", f"{p} Neighbourhood Policing", "team", "FORCE") for p in PLACES]
TREE += [UnitNode(f"{p.upper().replace(' ', '-')}-CID", f"{p} Criminal Investigation", "team", "FORCE") for p in PLACES]
TREE += [
    UnitNode("CONTACT", "Contact Management", "department", "FORCE"),
    UnitNode("PROTECT", "Specialist Operations - Protection", "department", "FORCE"),
    UnitNode("WEST-HQ", "Westshire Headquarters", "department", "FORCE"),
]


def on_view(box: RosterProblemsDialog, part: QWidget) -> QRect:
    """Where a part of the box is, in the box's own terms."""
    return QRect(part.mapTo(box, QPoint(0, 0)), part.size())


def last_line_in_view(box: RosterProblemsDialog) -> bool:
    """Whether the last line of the advice's wrapped text is in view: not cut off at the bottom of the box, nor
    of the area that holds it."""
    label = box.advice
    needed = label.heightForWidth(label.width())
    holder = label.parentWidget()
    assert holder is not None
    seen = on_view(box, holder).intersected(box.rect())
    return label.height() >= needed and seen.contains(label.mapTo(box, QPoint(label.width() // 2, needed - 1)))


@pytest.mark.parametrize(("scale", "scrolls"), [(1, False), (2, True), (3, True)])
def test_the_advice_naming_the_units_of_a_force_of_forty_is_read_to_its_last_word(
    qtbot: QtBot,
    panel: RosterPanel,
    workspace: Workspace,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    scale: int,
    scrolls: bool,
) -> None:
    """At the usual text size the box grows to hold the advice, every unit named; at twice it and more it would
    be taller than the screen, so the advice scrolls, from the keyboard too, to its last line."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    units.apply_tree(workspace.db, TREE, set())
    assert len(units.list_units(workspace.db)) == 40
    lines = ["Staff Number,First Name,Last Name,Unit,Type"]
    lines += [f"{500000 + i},Siân,Evans,North,officer" for i in range(1, 39)]
    lines.append("500039,Dafydd,Evans,WESTSHIRE-NORTH,officer")  # row 40
    path = tmp_path / "units.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    usual = app.font()
    larger = QFont(usual)
    larger.setPointSizeF(usual.pointSizeF() * scale)
    app.setFont(larger)  # the text size the trainer set for every window
    request.addfinalizer(lambda: app.setFont(usual))
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
    box = panel.problem_box
    assert isinstance(box, RosterProblemsDialog)
    assert box.advice.font().pointSizeF() == larger.pointSizeF()
    assert box.problems.toPlainText() == """row 40, column D "Unit": 'WESTSHIRE-NORTH' is not a known unit"""
    # Every one of the force's forty units is named, so the trainer finds theirs (it said "and 20 more").
    assert all(f"({unit.code})" in box.advice.text() for unit in units.list_units(workspace.db))
    assert "more." not in box.advice.text()
    assert box.screen().availableGeometry().contains(box.frameGeometry())  # on the screen
    assert on_view(box, box.ok_button).bottom() < box.height()
    if not scrolls:
        assert last_line_in_view(box)
        return
    assert not last_line_in_view(box)  # three times the size: more than the screen holds
    qtbot.keyClick(box.ok_button, Qt.Key.Key_Backtab)  # Shift+Tab from OK to the advice
    advice = box.focusWidget()
    assert advice.accessibleName() == "What to do"
    for _ in range(10):
        qtbot.keyClick(advice, Qt.Key.Key_PageDown)
    assert last_line_in_view(box)
