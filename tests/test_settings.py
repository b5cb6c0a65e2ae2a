from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.core.errors import UserFacingError
from trainer_desk.settings import Settings, load_settings


def test_defaults_when_no_files(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml", tmp_path / "none2.toml") == Settings()


def test_user_overrides_it_except_where_it_locked_a_setting(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    user = tmp_path / "user.toml"
    system.write_text('force_name = "Northshire Police"\nhq_url = "https://hq.example"\nlocked = ["hq_url"]\n')
    user.write_text('force_name = "My Force"\nhq_url = "https://elsewhere.example"\n')
    settings = load_settings(system, user)
    assert settings.force_name == "My Force"
    assert settings.hq_url == "https://hq.example"


def test_unknown_keys_and_bad_toml_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("force_nme = 'x'\n")
    with pytest.raises(UserFacingError, match=f"{bad}: unknown setting 'force_nme'"):
        load_settings(bad, tmp_path / "none.toml")
    bad.write_text("force_name = \n")
    with pytest.raises(UserFacingError, match=f"{bad}: settings file is not valid TOML"):
        load_settings(tmp_path / "none.toml", bad)


def test_it_can_set_the_unit_list(tmp_path: Path) -> None:
    from trainer_desk.core.units import UnitKind
    from trainer_desk.paths import AppPaths
    from trainer_desk.store import units
    from trainer_desk.workspace import open_workspace

    paths = AppPaths.resolve(tmp_path / "d")
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text(
        'units = [{code = "harbour", name = "Harbour Command", kind = "OCU"}, '
        '{code = "NORTH", name = "Northern Area", kind = "BCU"}]\n'
    )
    workspace = open_workspace(paths)
    found = {u.code: u for u in units.list_units(workspace.db)}
    workspace.close()
    assert found["HARBOUR"].name == "Harbour Command" and found["HARBOUR"].kind is UnitKind.OCU
    assert found["NORTH"].name == "Northern Area"
    bad = tmp_path / "bad.toml"
    bad.write_text('units = [{code = "X", name = "Y", kind = "Borough"}]\n')
    with pytest.raises(UserFacingError, match="unit 1 needs text code and name, and kind BCU or OCU"):
        load_settings(bad, tmp_path / "none.toml")
