"""Records HQ sends that this laptop cannot read are left out, and the sync says how many, without naming
anyone, instead of reporting a clean sync."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.hq_server import Hq
from tests.sync.unreadable_at_hq import WALK_IN_NAME, unreadable_records_at_hq
from trainer_desk.__main__ import main
from trainer_desk.hq import devices as hq_devices
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance
from trainer_desk.workspace import open_workspace


def test_the_command_line_says_how_many_records_from_hq_were_left_out(
    tmp_path: Path, hq: Hq, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    room = unreadable_records_at_hq(hq)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "enroll", hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH")]) == 0
    capsys.readouterr()
    with caplog.at_level(logging.DEBUG):
        assert main([*data, "sync"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("synced: 0 records sent")
    assert "2 records from HQ could not be read and were left out: tell HQ." in said
    assert "Bloggs" not in said and "sggolB" not in said and WALK_IN_NAME not in caplog.text
    assert "600002" not in said + caplog.text  # nor their staff numbers

    laptop = open_workspace(AppPaths.resolve(tmp_path / "d"))
    try:  # the good line beside them arrived
        assert [line.attendance.staff_number for line in attendance.register(laptop.db, room)] == ["600001"]
    finally:
        laptop.close()

    assert main([*data, "sync"]) == 0  # nothing new left out: the next sync is clean again
    assert "left out" not in capsys.readouterr().out
