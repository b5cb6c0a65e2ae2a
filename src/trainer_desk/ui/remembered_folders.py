"""The folder a file was last chosen from, per kind of file, so the next chooser opens there.

Trainers keep HR's roster exports in one place (a shared drive, a downloads folder), and the chooser opened in
the home folder every time. Only the folder is kept, never the file's name, which may say whose data it is. It
lives in a small file beside the trainer's settings, not in IT's settings file nor the records' database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from trainer_desk.paths import AppPaths

ROSTER = "roster_folder"


def _store(paths: AppPaths) -> QSettings:
    return QSettings(str(paths.config_dir / "remembered-folders.ini"), QSettings.Format.IniFormat)


def last_folder(paths: AppPaths, kind: str) -> Path:
    """The folder a file of this kind last came from, while it still exists; else the home folder (where
    downloads and e-mail attachments are saved from)."""
    value = _store(paths).value(kind, "")
    folder = Path(value) if isinstance(value, str) and value else None
    return folder if folder is not None and folder.is_dir() else Path.home()


def remember_folder(paths: AppPaths, kind: str, chosen: Path) -> None:
    """Keep the folder of the file just chosen (not the file itself)."""
    store = _store(paths)
    store.setValue(kind, str(chosen.parent))
    store.sync()
