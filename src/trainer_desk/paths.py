"""Where Trainer Desk keeps its data, logs and settings, and where its bundled content lies.

Everything follows the platform's conventions (platformdirs) unless a data folder is named with
`--data-dir` or `TRAINER_DESK_HOME`; then data, logs and settings all live inside that one folder, so a
trainer (or a test) can keep a whole installation in one place.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from trainer_desk.core.atomic_file import OWNER_ONLY_FOLDER, keep_to_owner

APP_DIR_NAME = "TrainerDesk"
HOME_ENV = "TRAINER_DESK_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "trainer-desk.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def content_dir(self) -> Path:
        """Lesson plans, videos and FAQs sent by HQ; the bundled ones stay where the app is installed."""
        return self.data_dir / "content"

    @property
    def plan_cache(self) -> Path:
        """The lesson plans as last read (see `plan_cache`): safe to delete."""
        return self.data_dir / "cache" / "lesson-plans.json"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "trainer-desk.lock"

    @property
    def user_config(self) -> Path:
        return self.config_dir / "config.toml"

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """The folders to use: `data_dir` when named, else the environment's, else the platform's. An empty
        `data_dir` is refused rather than taken as "not named", so a blank never lands on the real data."""
        if data_dir is not None and not os.fspath(data_dir).strip():
            raise ValueError("an empty data folder name")
        chosen = data_dir or os.environ.get(HOME_ENV)
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(data_dir=root, log_dir=root / "logs", config_dir=root / "settings")
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
        )

    def create(self) -> None:
        """The folders, their owner's alone on POSIX (0700): the database, its backups and the logs name people
        and their staff numbers, and the data folder was readable by every account on the laptop. One made
        before this is tightened too."""
        for folder in (self.data_dir, self.log_dir, self.config_dir, self.backups_dir):
            folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
            keep_to_owner(folder, folder=True)


def system_config_file() -> Path:
    """The file IT manages for a whole machine; read before the user's own settings."""
    return Path(platformdirs.site_config_dir(APP_DIR_NAME, appauthor=False, multipath=False)) / ("config.toml")


def bundled(name: str) -> Path:
    """A folder shipped with the app: `lesson_plans` or `resources`.

    Installed wheels and frozen bundles carry them inside the package; a source checkout keeps them at the
    top of the repository.
    """
    package_dir = Path(__file__).resolve().parent
    inside = package_dir / "_bundled" / name
    if inside.is_dir():
        return inside
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root and (Path(frozen_root) / name).is_dir():
        return Path(frozen_root) / name
    return package_dir.parent.parent / name
