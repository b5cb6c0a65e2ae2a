"""The command line as a person uses it: exit codes and messages, never a traceback for their mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk import __version__
from trainer_desk.__main__ import main
from trainer_desk.paths import HOME_ENV, AppPaths
from trainer_desk.store.instance_lock import InstanceLock


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"trainer-desk {__version__}"
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "--data-dir DIR" in capsys.readouterr().out


def test_an_unknown_command_is_an_error_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["teleport"])
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert "invalid choice: 'teleport'" in captured.err
    assert "Traceback" not in captured.err


def test_info_uses_the_data_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"data folder:      {tmp_path / 'home'}" in out
    assert "people on roster: 260" in out
    assert (tmp_path / "home" / "trainer-desk.sqlite3").exists()


def test_a_second_copy_says_so_and_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.resolve(tmp_path / "d")
    with InstanceLock(paths.lock_file):
        assert main(["--data-dir", str(paths.data_dir), "info"]) == 1
    err = capsys.readouterr().err
    assert "already running" in err
    assert not paths.database.exists()


def test_a_broken_settings_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.resolve(tmp_path / "d")
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text('force_name = "Demo"\nprotective_marking = 3\n')
    assert main(["--data-dir", str(paths.data_dir), "info"]) == 1
    err = capsys.readouterr().err
    assert f"{paths.user_config}: setting 'protective_marking' must be a str" in err
    assert "Traceback" not in err


def test_a_data_folder_that_cannot_be_created_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    assert main(["--data-dir", str(blocker / "data"), "info"]) == 1
    assert "cannot write logs in" in capsys.readouterr().err


def test_backup_writes_a_whole_copy_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.sqlite3"
    data = str(tmp_path / "d")
    assert main(["--data-dir", data, "backup", "-o", str(target)]) == 0
    assert target.stat().st_size > 0
    assert main(["--data-dir", data, "backup", "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_plans_validate_passes_the_bundled_plans(capsys: pytest.CaptureFixture[str]) -> None:
    from trainer_desk.paths import bundled

    root = bundled("lesson_plans")
    assert main(["plans", "validate", *map(str, sorted(root.iterdir()))]) == 0
    assert capsys.readouterr().out.strip() == "5 checked, all valid"


def test_plans_validate_fails_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    plan = tmp_path / "example-plan"
    shutil.copytree(Path(__file__).parent / "data" / "plans" / "example-plan", plan)
    (plan / "plan.toml").write_text((plan / "plan.toml").read_text().replace("minutes = 15", "minutes = 16"))
    assert main(["plans", "validate", str(plan), str(tmp_path / "nothing-here")]) == 1
    captured = capsys.readouterr()
    assert f"{plan}/plan.toml:6: sections add up to 31 minutes but duration_minutes is 30" in captured.err
    assert "nothing-here:1: not a lesson plan folder" in captured.err
    assert captured.out.strip() == "1 checked, 2 problem(s)"


def test_plans_list_shows_every_bundled_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "plans", "list"]) == 0
    out = capsys.readouterr().out
    assert "signa-core" in out and "Managing an Inclusive Workplace" in out and "BROKEN" not in out
