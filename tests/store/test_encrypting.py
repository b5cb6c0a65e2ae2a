"""Encrypting a database from before encryption never leaves zeros where the data was, nor a readable copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer_desk.paths import AppPaths
from trainer_desk.workspace import open_workspace

DATA = Path(__file__).resolve().parent.parent / "data"


def test_a_readable_copy_left_by_a_power_cut_mid_swap_is_shredded_at_the_next_start(paths: AppPaths) -> None:
    paths.create()
    shutil.copy(DATA / "schema-0001_initial.sqlite3", paths.database)
    workspace = open_workspace(paths)  # encrypts it in place
    workspace.close()
    # As the disk would hold it had the power gone after the swap and before the plain copy was shredded.
    left_behind = paths.database.with_name(paths.database.name + ".plain")
    shutil.copy(DATA / "schema-0001_initial.sqlite3", left_behind)
    workspace = open_workspace(paths)
    try:
        assert workspace.db.execute("SELECT venue FROM sessions").fetchall() == [("Training room 2",)]
    finally:
        workspace.close()
    assert not left_behind.exists()
    for path in paths.data_dir.rglob("*"):
        if path.is_file():
            assert b"Training room 2" not in path.read_bytes(), path.name
