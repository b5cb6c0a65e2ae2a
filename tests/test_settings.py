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


def test_how_hq_is_reached_is_read_from_its_file_only(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    user = tmp_path / "user.toml"
    system.write_text(
        'hq_certificates = "system"\nhq_ca_file = "/etc/ssl/force-root.pem"\n'
        'hq_proxy = "http://proxy.northshire.police.uk:8080"\n'
    )
    settings = load_settings(system, user)
    assert (settings.hq_certificates, settings.hq_ca_file, settings.hq_proxy) == (
        "system",
        "/etc/ssl/force-root.pem",
        "http://proxy.northshire.police.uk:8080",
    )
    for line in ('hq_proxy = "http://elsewhere:3128"', 'hq_ca_file = "mine.pem"', 'hq_certificates = "bundled"'):
        user.write_text(line + "\n")
        key = line.split()[0]
        with pytest.raises(UserFacingError, match=f"{user}: setting '{key}' can only be set by IT, in {system}"):
            load_settings(system, user)


def test_hq_network_settings_are_checked(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    none = tmp_path / "none.toml"
    system.write_text('hq_proxy = "system"\n')
    assert load_settings(system, none).hq_proxy == "system"
    for bad in ("proxy.example:8080", "http://proxy.example", "socks5://proxy.example:1080", "http://p:80/path"):
        system.write_text(f'hq_proxy = "{bad}"\n')
        with pytest.raises(UserFacingError, match="'hq_proxy' must be \"system\" or a proxy's address with its port"):
            load_settings(system, none)
    system.write_text('hq_certificates = "windows"\n')
    with pytest.raises(UserFacingError, match="'hq_certificates' must be one of: bundled, system"):
        load_settings(system, none)
