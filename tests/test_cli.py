"""The command line as a person uses it: exit codes and messages, never a traceback for their mistakes."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

import pytest

from tests.damaged_database import damage_one_page
from tests.dates import ahead
from tests.unwritable_folder import unwritable_folder
from trainer_desk import __version__
from trainer_desk.__main__ import main
from trainer_desk.logs import LOG_FILE_NAME
from trainer_desk.paths import HOME_ENV, AppPaths
from trainer_desk.store.instance_lock import InstanceLock
from trainer_desk.workspace import Workspace


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
    assert main(["--data-dir", data, "info"]) == 0
    assert main(["--data-dir", data, "backup", "-o", str(target)]) == 0
    assert target.stat().st_size > 0
    assert main(["--data-dir", data, "backup", "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_plans_validate_passes_the_bundled_plans(capsys: pytest.CaptureFixture[str]) -> None:
    from trainer_desk.paths import bundled

    root = bundled("lesson_plans")
    assert main(["plans", "validate", *map(str, sorted(root.iterdir()))]) == 0
    captured = capsys.readouterr()
    # four plans, the shared FAQ, the rules and the force's facts; the demonstration force leaves some blank
    assert captured.out.startswith("7 checked, all valid")
    assert all("warning: force field" in line for line in captured.err.splitlines())


def test_plans_validate_fails_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    plan = tmp_path / "example-plan"
    shutil.copytree(Path(__file__).parent / "data" / "plans" / "example-plan", plan)
    (plan / "plan.toml").write_text((plan / "plan.toml").read_text().replace("minutes = 15", "minutes = 16"))
    assert main(["plans", "validate", str(plan), str(tmp_path / "nothing-here")]) == 1
    captured = capsys.readouterr()
    assert f"{plan}/plan.toml:6: sections add up to 31 minutes but duration_minutes is 30" in captured.err
    assert "nothing-here:1: not a lesson plan folder" in captured.err
    assert captured.out.strip() == "1 checked, 2 problems"


def test_plans_validate_fails_on_captions_a_laptop_only_warns_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    plan = tmp_path / "example-plan"
    shutil.copytree(Path(__file__).parent / "data" / "plans" / "example-plan", plan)
    (plan / "videos" / "film.vtt").write_text("WEBVTT\n\nNOTE to be captioned\n")
    assert main(["plans", "validate", str(plan)]) == 1
    captured = capsys.readouterr()
    assert f"{plan}/plan.toml:48: captions file videos/film.vtt: the captions hold no cue" in captured.err
    assert captured.out.strip() == "1 checked, 1 problem"


def test_plans_list_shows_every_bundled_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "plans", "list"]) == 0
    out = capsys.readouterr().out
    assert "signa-core" in out and "Managing an Inclusive Workplace" in out and "BROKEN" not in out


def test_an_empty_data_folder_name_is_refused_not_taken_as_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--data-dir", "", "info"])
    assert done.value.code == 2
    assert "--data-dir needs a folder name, and was given an empty one" in capsys.readouterr().err
    assert not (tmp_path / "xdg-data").exists()  # the platform's default data folder was never made
    with pytest.raises(ValueError, match="empty"):
        AppPaths.resolve(" ")


def test_backup_works_while_the_app_is_open_and_copies_only_what_was_saved(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The open workspace holds the single-instance lock and a write in progress, as the running app would."""
    db = workspace.db
    db.execute("INSERT INTO sync_state (key, value) VALUES ('saved', 'yes')")
    writer = workspace.writer
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO sync_state (key, value) VALUES ('half-done', 'no')")
    target = tmp_path / "copy.sqlite3"
    try:
        assert main(["--data-dir", str(workspace.paths.data_dir), "backup", "-o", str(target)]) == 0
    finally:
        writer.execute("ROLLBACK")
    assert capsys.readouterr().out.strip() == f"backup written to {target}"
    copy = workspace.connector.connect(target, read_only=True)
    try:
        assert copy.execute("SELECT key FROM sync_state WHERE key IN ('saved', 'half-done')").fetchall() == [("saved",)]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.sqlite3"]


def test_backup_to_a_folder_that_refuses_files_says_so_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "d")
    assert main(["--data-dir", data, "info"]) == 0
    with unwritable_folder(tmp_path / "stick") as folder:
        assert main(["--data-dir", data, "backup", "-o", str(folder / "copy.sqlite3")]) == 1
        assert list(folder.iterdir()) == []
    err = capsys.readouterr().err
    assert f"trainer-desk: cannot write to {folder}: read-only" in err


def test_backup_of_a_folder_with_no_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "backup"]) == 1
    assert "There is no database in" in capsys.readouterr().err
    assert not (tmp_path / "d" / "trainer-desk.sqlite3").exists()


def run_restore_as_advised(advice: str) -> int:
    """Run the `trainer-desk --data-dir DIR restore BACKUP` a message gave, word for word."""
    words = shlex.split(advice)
    assert words[0] == "trainer-desk"
    return main(words[1:])


def test_a_damaged_database_gets_a_short_message_whose_restore_command_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = AppPaths.resolve(tmp_path / "d")
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text("encrypt_database = false\n")
    data = ["--data-dir", str(paths.data_dir)]
    assert main([*data, "backup"]) == 1  # no database yet
    assert main([*data, "info"]) == 0
    assert main([*data, "backup", "-o", str(paths.backups_dir / "daily-20261122.sqlite3")]) == 0
    findings = damage_one_page(paths.database)
    capsys.readouterr()

    assert main([*data, "info"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2, err
    assert f"trainer-desk: The database {paths.database} is damaged and cannot be used." in err
    assert "Rowid" not in err
    log_text = (paths.log_dir / LOG_FILE_NAME).read_text()
    damage_report = log_text.split("database damaged: ", 1)[1]
    assert len(damage_report.splitlines()) >= len(findings)  # every finding (SQLCipher words them its own way)

    advice = err.split("run: ", 1)[1].split(" (the damaged file", 1)[0]
    assert run_restore_as_advised(advice) == 0
    assert main([*data, "info"]) == 0
    assert "people on roster: 260" in capsys.readouterr().out
    assert len(list(paths.data_dir.glob("trainer-desk.sqlite3.damaged-*"))) == 1


def test_restore_refuses_while_the_app_is_open_and_changes_nothing(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(workspace.paths.data_dir)
    copy = tmp_path / "copy.sqlite3"
    assert main(["--data-dir", data, "backup", "-o", str(copy)]) == 0
    before = workspace.paths.database.read_bytes()
    capsys.readouterr()
    assert run_restore_as_advised(f"trainer-desk --data-dir {data} restore {copy}") == 1
    assert "already running" in capsys.readouterr().err
    assert workspace.paths.database.read_bytes() == before


def test_plans_validate_names_a_broken_programme_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "programmes.toml"
    rules.write_text('[[programme]]\nid = "signa"\nrefresh_months = "often"\n', encoding="utf-8")
    assert main(["plans", "validate", str(rules)]) == 1
    assert "programme 1 (signa): refresh_months must be a whole number of months" in capsys.readouterr().err


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_the_data_folder_and_an_exported_sheet_are_the_owners_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The data folder was made readable by every account on the laptop (755), and so were exported sheets,
    which name people and their staff numbers (644). Made, or found, they are the owner's alone."""
    old = os.umask(0o022)  # the usual one
    try:
        data = tmp_path / "data"
        assert main(["--data-dir", str(data), "info"]) == 0
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        data.chmod(0o755)  # made by an earlier version
        assert main(["--data-dir", str(data), "info"]) == 0
        assert stat.S_IMODE(data.stat().st_mode) == 0o700

        plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{ahead()}T09:30", "--venue", "Room 2"]
        assert main(["--data-dir", str(data), *plan, "--unit", "north", "--trainer", "100234"]) == 0
        capsys.readouterr()
        assert main(["--data-dir", str(data), "sessions", "list"]) == 0
        short = capsys.readouterr().out.split()[0]
        sheet = tmp_path / "sign-in.pdf"
        assert main(["--data-dir", str(data), "export", "sign-in", short, "-o", str(sheet)]) == 0
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    finally:
        os.umask(old)
