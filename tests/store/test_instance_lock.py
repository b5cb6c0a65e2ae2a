from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.store.instance_lock import AlreadyRunningError, InstanceLock


def test_a_second_holder_is_told_the_app_is_already_running(tmp_path: Path) -> None:
    with (
        InstanceLock(tmp_path / "td.lock"),
        pytest.raises(AlreadyRunningError, match=f"already running with the data folder {tmp_path}"),
    ):
        InstanceLock(tmp_path / "td.lock").acquire()
    with InstanceLock(tmp_path / "td.lock"):  # released: the next start works, stale file or not
        pass
