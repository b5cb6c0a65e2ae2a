"""Atomic writes: whole or nothing, forced to disk, and a failure explained in words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.unwritable_folder import unwritable_folder
from trainer_desk.core.atomic_file import atomic_target
from trainer_desk.core.csv_file import write_csv
from trainer_desk.core.errors import UserFacingError


def test_a_folder_that_refuses_files_is_named_and_nothing_is_left(tmp_path: Path) -> None:
    with unwritable_folder(tmp_path / "stick") as folder:
        with pytest.raises(UserFacingError) as caught:
            write_csv(folder / "register.csv", ["a"], [["1"]])
        assert str(caught.value).startswith(f"cannot write to {folder}: read-only")
        assert list(folder.iterdir()) == []


def test_the_clean_up_never_hides_why_writing_failed(tmp_path: Path) -> None:
    """A folder left where the temporary file goes: writing fails, and so does removing it (EISDIR). The person
    hears about the first, not a crash in the second."""
    in_the_way = tmp_path / ".register.csv.partial"
    in_the_way.mkdir()
    (in_the_way / "someone's file").write_text("kept")
    with pytest.raises(UserFacingError, match=f"cannot write to {tmp_path}: "):
        write_csv(tmp_path / "register.csv", ["a"], [["1"]])
    assert (in_the_way / "someone's file").read_text() == "kept"
    assert not (tmp_path / "register.csv").exists()


def test_a_failure_inside_the_block_leaves_no_partial_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="half way"), atomic_target(tmp_path / "out.pdf") as partial:
        partial.write_bytes(b"%PDF half")
        raise ValueError("half way")
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_synced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which inode each fsync reached, and whether the final name existed yet at that moment."""
    target = tmp_path / "out.csv"
    synced: list[tuple[int, bool]] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append((os.fstat(fd).st_ino, target.exists()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    write_csv(target, ["a"], [["1"]])
    assert synced == [(target.stat().st_ino, False), (tmp_path.stat().st_ino, True)]
    assert target.read_bytes() == "\ufeffa\r\n1\r\n".encode()


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="does not exist"), atomic_target(tmp_path / "no" / "x.csv"):
        pass
