from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer_desk.store import backups
from trainer_desk.store.connection import Connector
from trainer_desk.store.database import open_database


def test_one_daily_copy_a_day_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    db = open_database(tmp_path / "td.sqlite3", tmp_path / "b")
    day = datetime(2026, 11, 1, 8, tzinfo=UTC)
    for n in range(10):
        assert backups.daily_backup_if_due(db.conn, tmp_path / "b", day + timedelta(days=n), keep=7)
        assert backups.daily_backup_if_due(db.conn, tmp_path / "b", day + timedelta(days=n, hours=3), keep=7) is None
    kept = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert kept == [f"daily-202611{d:02d}.sqlite3" for d in range(4, 11)]
    assert all(backups.is_healthy(tmp_path / "b" / name) for name in kept)
    db.conn.close()


def test_a_backup_holds_what_was_committed(tmp_path: Path) -> None:
    db = open_database(tmp_path / "td.sqlite3", tmp_path / "b")
    with db.atomic():
        db.execute("INSERT INTO sync_state (key, value) VALUES ('k', 'v')")
    copy = backups.take_backup(db.conn, tmp_path / "b", "copy.sqlite3")
    db.conn.close()
    again = open_database(copy, tmp_path / "b2")
    assert again.execute("SELECT value FROM sync_state WHERE key = 'k'").fetchone() == ("v",)
    again.conn.close()


def test_a_backup_is_one_self_contained_file_even_from_a_database_in_wal_mode(tmp_path: Path) -> None:
    """The copy takes the source's pages, WAL flag and all; reading a copy left in WAL mode needs (and makes)
    -wal and -shm files beside it, which a copy carried away on a stick would not have."""
    db = open_database(tmp_path / "td.sqlite3", tmp_path / "b")
    copy = backups.take_backup(db.conn, tmp_path / "b", "copy.sqlite3")
    db.conn.close()
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # the header's rollback-journal (not WAL) versions
    assert backups.is_healthy(copy)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["copy.sqlite3"]


def test_a_copy_of_a_database_file_changes_nothing_in_it(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    db = open_database(path, tmp_path / "b")
    db.execute("INSERT INTO sync_state (key, value) VALUES ('k', 'v')")
    db.conn.close()
    before = path.read_bytes()
    copy = backups.copy_database(path, tmp_path / "elsewhere", "copy.sqlite3", Connector())
    assert path.read_bytes() == before
    again = open_database(copy, tmp_path / "b2")
    assert again.execute("SELECT value FROM sync_state WHERE key = 'k'").fetchone() == ("v",)
    again.conn.close()
