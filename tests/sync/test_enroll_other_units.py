"""Enrolling says which sessions on the laptop HQ will refuse for their unit, before the first sync sends them:
recorded for another unit before the laptop was enrolled, they and their registers never reach HQ as they are."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.hq_server import Hq
from tests.store.test_sessions import NOW, make_session
from trainer_desk.__main__ import main
from trainer_desk.hq import devices as hq_devices
from trainer_desk.paths import AppPaths
from trainer_desk.store import sessions
from trainer_desk.workspace import open_workspace


@pytest.mark.any_database
def test_enrolling_names_the_sessions_hq_will_refuse_for_their_unit(
    tmp_path: Path, hq: Hq, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = open_workspace(AppPaths.resolve(tmp_path / "d"))
    try:
        for unit in ("EAST", "WEST", "NORTH"):  # two for other units, one for the unit it will record for
            sessions.create_session(workspace.db, make_session(unit), NOW)
    finally:
        workspace.close()
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{code}\n"))
    assert main(["--data-dir", str(tmp_path / "d"), "enroll", hq.url]) == 0
    said = capsys.readouterr().out
    assert "for unit NORTH" in said
    assert (
        "2 sessions on this laptop are for other units: HQ will not take them from a laptop enrolled for North; "
        "put their unit right in Sessions." in said
    )
