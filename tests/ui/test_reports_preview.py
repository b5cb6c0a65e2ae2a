"""The Reports view's preview says what the file it previews says: the outstanding in the PDF's columns, in its
order, and a planned session's bookings as "booked", as its sheet has them; what was said of the last export
goes once another report is chosen."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.dates import ahead
from tests.northshire import NORTH_OUTSTANDING, synced_from_hq
from tests.ui.clicks import click, open_dialog
from tests.ui.test_reports_unit_tree import choose, reports_view
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.store import planning, roster
from trainer_desk.workspace import Workspace


def test_the_outstanding_are_listed_by_staff_number_then_name_as_the_pdf_lists_them(
    qtbot: QtBot, workspace: Workspace
) -> None:
    synced_from_hq(workspace)
    panel = reports_view(qtbot, workspace)
    choose(qtbot, panel.unit, "North")
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)

    lines = [line for line in panel.preview.toPlainText().splitlines() if line]
    table = lines[lines.index("Outstanding (5)") + 1 :]
    assert table[:4] == ["Staff number", "Name", "Unit", "Due"]
    names = {person.staff_number: person.full_name for person in NORTH_OUTSTANDING}
    rows = [table[i : i + 4] for i in range(4, len(table), 4)]
    assert {row[0] for row in rows} == set(names)
    assert all(row[1] == names[row[0]] for row in rows)


def test_a_planned_sessions_bookings_are_previewed_as_booked_and_saved_to_goes_with_another_report(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview counted a planned session's two bookings as "2 absent", where its sheet says "Booked"; and
    "Saved to …" stayed up over the next report chosen, as if that one had been saved."""
    numbers = [r[0] for r in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 3")]
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime.combine(ahead(45), time(9, 30), UTC),
        trainers=(numbers[0],),
    )
    booked = [p for p in (roster.get_person(workspace.db, n) for n in numbers[1:]) if p]
    planning.plan_session(workspace.db, session, booked, numbers[0], datetime.now(UTC))
    panel = reports_view(qtbot, workspace)
    panel.kind.setFocus()
    qtbot.keyClick(panel.kind, Qt.Key.Key_Home)  # the first report: the attendance sheet
    assert panel.kind.currentText() == "Attendance sheet"
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    shown = panel.preview.toPlainText()
    assert "2 on the register: 0 present, 0 late, 0 left early, 2 booked." in shown
    assert "absent" not in shown

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    click(qtbot, panel, "Export…")
    chooser = open_dialog(qtbot)
    assert isinstance(chooser, QFileDialog)
    click(qtbot, chooser, "Save")
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=15000)
    [sheet] = home.glob("*.pdf")
    printed = " ".join(" ".join(page.extract_text() for page in PdfReader(sheet).pages).split())
    assert "2 booked" in printed  # the preview said what the sheet says

    panel.kind.setFocus()
    qtbot.keyClick(panel.kind, Qt.Key.Key_Down)  # the next report
    assert panel.kind.currentText() == "Sign-in sheet"
    assert "Saved to" not in panel.explanation.text()
    assert panel.explanation.text() == "Attendance sheets, sign-in sheets and compliance, as PDF or CSV."
    panel.tasks.wait()
