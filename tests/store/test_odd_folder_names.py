"""A data folder may be named anything a person or IT chooses: '?', '#', '%' and spaces included."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.paths import AppPaths
from trainer_desk.workspace import open_workspace


@pytest.mark.parametrize("name", ["training?2026", "room #2", "100% kit", "Łódź data"])
def test_a_read_only_view_opens_in_any_folder(tmp_path: Path, name: str) -> None:
    paths = AppPaths.resolve(tmp_path / name / "data")
    workspace = open_workspace(paths)
    try:
        reader = workspace.connector.connect(paths.database, read_only=True)  # the Reports view's connection
        try:
            people = reader.execute("SELECT count(*) FROM people").fetchone()[0]
        finally:
            reader.close()
        assert people == workspace.db.execute("SELECT count(*) FROM people").fetchone()[0] > 0
    finally:
        workspace.close()
