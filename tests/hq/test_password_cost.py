"""HQ stores passwords at argon2-cffi's default cost (RFC 9106: 64 MiB, three passes, four lanes), whatever
the tests use to run quickly (`tests/password_cost.py`): an account made by a new HQ program, as an
administrator makes one, is hashed at that cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from trainer_desk.hq import database as hq_database


def test_an_account_made_at_hq_is_hashed_at_the_full_cost(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    hq = [sys.executable, "-m", "trainer_desk.hq.cli", "--home", str(tmp_path / "home"), "--db", url]
    made = subprocess.run(
        [*hq, "users", "add", "hq.admin", "--role", "admin"],
        input="a long passphrase nobody guesses\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    engine = hq_database.open_engine(url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT password_hash FROM staff WHERE username = 'hq.admin'")).scalar_one()
    finally:
        engine.dispose()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "a long passphrase" not in stored
