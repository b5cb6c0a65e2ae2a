"""HQ's files that hold personal data are its own account's alone: the database (with its journal) and a subject
access export were readable by every account on the server."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.hq.console_kit import FORCE
from trainer_desk.hq import database as hq_database
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_hq_s_own_database_and_a_subject_access_file_are_readable_by_hq_alone(tmp_path: Path) -> None:
    home = tmp_path / "hq"
    home.mkdir()
    database = home / "hq.sqlite3"
    engine = hq_database.open_engine(f"sqlite:///{database}")  # as HQ opens it on its first start
    hq_roster.import_roster(engine, FORCE)
    engine.dispose()
    out = tmp_path / "asked-for.json"
    assert hq_main(["--home", str(home), "subject-access", "710001", "-o", str(out)]) == 0
    assert _mode(out) == 0o600
    written = [database, *home.glob("hq.sqlite3-*")]  # its journal too, while open
    assert database in written and all(_mode(path) == 0o600 for path in written), [oct(_mode(p)) for p in written]
