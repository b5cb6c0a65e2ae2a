"""One HQ serving two forces publishes one set of lesson content, with each force's own details beside the
shared force.toml: a Westshire laptop and a Northshire laptop, enrolled and synced for real, each show their
own force's wellbeing lead on the signposting card. Before, both showed the shared file's, so Westshire's
projector named Northshire's wellbeing hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.forces_content import NORTH_WELLBEING, PEOPLE, WEST_AND_NORTH, WEST_WELLBEING, plans_for_two_forces
from tests.hq_server import Hq
from tests.ui.test_delivery import ready
from trainer_desk import hq_link
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.units import import_units
from trainer_desk.lesson_content import force_fields, load_plans
from trainer_desk.paths import AppPaths
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

pytestmark = pytest.mark.any_database  # what a laptop shows: the same on either database


def test_each_force_s_laptop_shows_its_own_wellbeing_lead(
    qtbot: QtBot, hq: Hq, tasks: TaskRunner, tmp_path: Path
) -> None:
    import_units(hq.engine, WEST_AND_NORTH)
    hq_roster.import_roster(hq.engine, PEOPLE)
    plans = plans_for_two_forces(tmp_path)
    hq_content.publish_content(hq.engine, plans, hq.blobs, allow_sample_media=True)

    for name, unit, wellbeing, force_name in (
        ("west", "WST-1", WEST_WELLBEING, "Westshire Police"),
        ("north", "NTH-1", NORTH_WELLBEING, "Northshire Police"),
    ):
        workspace = open_workspace(AppPaths.resolve(tmp_path / name))
        try:
            hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", unit))
            hq_link.sync_once(workspace)
            fields = force_fields(workspace.paths)
            assert (fields.value("name"), fields.value("wellbeing_lead")) == (force_name, wellbeing)

            library = load_plans(workspace.paths)
            plan = library.get("raising-concerns")
            assert plan is not None
            launcher = DeliveryLauncher(workspace, tasks, library)
            presenter = ready(qtbot, launcher.rehearse(plan))
            qtbot.keyClick(presenter, Qt.Key.Key_S)
            assert presenter.audience.shown_page() == "signposting"
            card = presenter.audience.signposting.toPlainText()
            assert wellbeing in card
            assert (NORTH_WELLBEING if name == "west" else WEST_WELLBEING) not in card
            presenter.close()
            tasks.wait()
        finally:
            workspace.close()
