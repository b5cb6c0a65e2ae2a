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
