from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.damaged_database import damage_one_page
from trainer_desk.core.errors import UserFacingError
from trainer_desk.store import backups, roster
from trainer_desk.store.connection import Database, IntegrityError, OperationalError
from trainer_desk.store.database import open_database, schema_version
from trainer_desk.store.migration_runner import Migrations
from trainer_desk.store.migrations import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ALL = migrations.names


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_file_gets_every_migration_and_the_default_units(tmp_path: Path) -> None:
    db = open_database(tmp_path / "td.sqlite3", tmp_path / "backups", lambda: NOW)
    assert schema_version(db) == ALL
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM units WHERE kind = 'BCU'").fetchone()[0] == 12
    db.conn.close()


@pytest.mark.parametrize("saved", sorted(DATA.glob("schema-*.sqlite3")), ids=lambda p: p.stem)
def test_every_released_schema_upgrades_and_keeps_its_records(saved: Path, tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    shutil.copy(saved, path)
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    assert schema_version(db) == ALL
    assert db.execute("SELECT venue FROM sessions").fetchall() == [("Training room 2",)]
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    db.conn.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    open_database(path, tmp_path / "backups", lambda: NOW).conn.close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('trainer_desk', '0999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(UserFacingError, match=r"written by a newer version.*0999_from_the_future"):
        open_database(path, tmp_path / "backups", lambda: NOW)
    assert digest(path) == before


def test_a_copy_is_taken_before_migrating_and_a_failed_migration_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "td.sqlite3"
    open_database(path, tmp_path / "backups", lambda: NOW).conn.close()

    extended = Migrations("trainer_desk")
    extended.migrations.extend(migrations.migrations)

    @extended(name="0002_broken")
    def _broken(db: Database) -> None:
        db.execute("ALTER TABLE sessions ADD COLUMN weather TEXT")
        raise OperationalError("disk I/O error")

    with pytest.raises(UserFacingError, match="disk is full or failing"):
        open_database(path, tmp_path / "backups", lambda: NOW, migrations=extended)
    copies = list((tmp_path / "backups").glob("pre-migration-20261123-093000.sqlite3"))
    assert len(copies) == 1 and backups.is_healthy(copies[0])
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    columns = set(db.columns("sessions"))
    assert "weather" not in columns
    assert schema_version(db) == ALL
    db.conn.close()


def test_a_damaged_file_is_explained_with_the_last_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    good = backups.take_backup(db.conn, tmp_path / "backups", "daily-20261122.sqlite3")
    db.conn.close()
    (tmp_path / "backups" / "daily-20261123.sqlite3").write_bytes(b"not a database at all" * 100)
    data = bytearray(path.read_bytes())
    data[0:100] = b"\x00" * 100  # wipe the header
    path.write_bytes(bytes(data))
    with pytest.raises(UserFacingError) as caught:
        open_database(path, tmp_path / "backups", lambda: NOW)
    text = str(caught.value)
    assert f"The database {path} is damaged" in text
    assert str(good) in text


def test_a_damaged_file_without_backups_says_to_keep_it(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xee" * 4000)
    with pytest.raises(UserFacingError, match=r"No good backup was found\. Keep the damaged file"):
        open_database(path, tmp_path / "backups", lambda: NOW)


def test_feedback_saved_before_no_answer_existed_upgrades_intact_and_then_takes_blanks(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    shutil.copy(DATA / "schema-0006_teams.sqlite3", path)
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    assert "0007_feedback_no_answer" in schema_version(db)
    assert db.execute(
        "SELECT would_recommend, reason_not, acked_at IS NOT NULL FROM feedback ORDER BY rowid"
    ).fetchall() == [
        (1, "", 1),
        (0, "Too long", 1),
    ]
    # Sent to HQ before forms recorded where they came from: counted as received from HQ, so a laptop never
    # reads a reason it cannot be sure was filled in on it.
    assert db.execute("SELECT through_hq FROM feedback ORDER BY rowid").fetchall() == [(1,), (1,)]
    assert db.execute(
        "SELECT objective_id, before, after FROM feedback_ratings ORDER BY feedback_uuid, objective_id"
    ).fetchall() == [
        ("impact", 2, 4),
        ("powers", 3, 5),
        ("impact", 1, 3),
        ("powers", 4, 4),
    ]
    assert db.execute("SELECT staff_number, status FROM attendance").fetchall() == [("100002", "present")]
    assert db.execute("SELECT team FROM people ORDER BY staff_number").fetchall() == [("Response 1",), ("Response 2",)]
    with db.atomic():
        db.execute(
            "INSERT INTO feedback (uuid, session_uuid, would_recommend) VALUES ('f3', ?, NULL)",
            ["6f0f3c52-0000-4000-8000-000000000001"],
        )
        db.execute(
            "INSERT INTO feedback_ratings (feedback_uuid, objective_id, before, after) VALUES ('f3', 'impact', NULL, 4)"
        )
    with pytest.raises(IntegrityError, match="CHECK"):
        db.execute("INSERT INTO feedback_ratings (feedback_uuid, objective_id, before) VALUES ('f3', 'powers', 6)")
    # The rebuilt tables still hang off the session: removing it removes its feedback and their ratings.
    db.execute("DELETE FROM sessions")
    assert db.execute("SELECT count(*) FROM feedback_ratings").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.conn.close()


@pytest.mark.parametrize("saved", sorted(DATA.glob("schema-000[12]_*.sqlite3")), ids=lambda p: p.stem)
def test_people_from_before_the_search_index_can_be_found_after_the_upgrade(saved: Path, tmp_path: Path) -> None:
    from trainer_desk.store import roster

    path = tmp_path / "td.sqlite3"
    shutil.copy(saved, path)
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    found = roster.search_people(db, "pers")
    assert [(p.forename, p.surname) for p in found] == [("Test", "Person")]
    db.conn.close()


def test_a_damaged_file_gets_one_short_paragraph_and_the_findings_go_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "td.sqlite3"
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)", [(f"k{n:04d}", "v" * 40) for n in range(600)]
        )
    good = backups.take_backup(db.conn, tmp_path / "backups", "daily-20261122.sqlite3")
    db.conn.close()
    findings = damage_one_page(path)
    with caplog.at_level("ERROR", logger="trainer_desk"), pytest.raises(UserFacingError) as caught:
        open_database(path, tmp_path / "backups", lambda: NOW)
    text = str(caught.value)
    assert len(text.splitlines()) == 2, text
    assert " page " not in text and "Rowid" not in text
    assert f"The database {path} is damaged and cannot be used." in text
    assert f"The newest good backup is {good}" in text
    assert f"run: trainer-desk --data-dir {tmp_path} restore {good}" in text
    [record] = [r for r in caplog.records if r.getMessage().startswith("database damaged:")]
    assert len(record.getMessage().splitlines()) == len(findings)  # every finding, as SQLCipher words it


def test_the_forces_completions_and_exemptions_survive_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "td.sqlite3"
    shutil.copy(DATA / "schema-0010_exemptions.sqlite3", path)
    db = open_database(path, tmp_path / "backups", lambda: NOW)
    assert schema_version(db) == ALL
    assert db.execute("SELECT staff_number, programme_id FROM hq_completions").fetchall() == [("100001", "signa")]
    assert db.execute("SELECT staff_number, kind, reason FROM exemptions").fetchall() == [
        ("100001", "exempt", "long-term absence")
    ]
    db.conn.close()


def test_people_whose_names_the_last_release_could_not_search_are_found_after_the_upgrade(tmp_path: Path) -> None:
    """The last release folded Arabic and Chinese names to nothing and Đặng to 'ang': a laptop upgraded with
    its roster in place finds them without waiting for the next roster."""
    released = Migrations("trainer_desk")
    released.migrations.extend(m for m in migrations.migrations if m.name <= "0013_joined")
    path = tmp_path / "td.sqlite3"
    db = open_database(path, tmp_path / "backups", lambda: NOW, migrations=released)
    as_released = [  # number, forename, surname, search text and terms as the last release wrote them
        ("S900001", "محمد", "العتيبي", "", []),
        ("S900002", "Văn", "Đặng", "van ang", [(0, "ang"), (1, "van")]),
        ("S900003", "Anna", "Smith", "anna smith", [(0, "smith"), (1, "anna")]),
    ]
    for number, fore, sur, folded, terms in as_released:
        db.execute(
            "INSERT INTO people (staff_number, forename, surname, unit_code, role, search_text)"
            " VALUES (?, ?, ?, 'NORTH', 'staff', ?)",
            (number, fore, sur, folded),
        )
        db.conn.executemany(
            "INSERT INTO people_search (kind, term, staff_number) VALUES (?, ?, ?)",
            [(kind, term, number) for kind, term in terms],
        )
    db.conn.commit()
    db.conn.close()

    db = open_database(path, tmp_path / "backups", lambda: NOW)
    assert schema_version(db) == ALL
    found = {typed: [p.staff_number for p in roster.search_people(db, typed)] for typed in ("العتيبي", "dang", "smith")}
    assert found == {"العتيبي": ["S900001"], "dang": ["S900002"], "smith": ["S900003"]}
    db.conn.close()


def test_comments_of_forms_still_waiting_to_be_sent_are_kept_on_the_laptop_after_the_upgrade(tmp_path: Path) -> None:
    """Until 0016 a comment written with a Yes was kept only in what waited to go to HQ: a laptop upgraded
    before its next sync keeps those comments with their forms, and every form can take one from then on."""
    released = Migrations("trainer_desk")
    released.migrations.extend(m for m in migrations.migrations if m.name <= "0015_feedback_origin")
    path = tmp_path / "td.sqlite3"
    shutil.copy(DATA / "schema-0010_exemptions.sqlite3", path)
    db = open_database(path, tmp_path / "backups", lambda: NOW, migrations=released)
    session_uuid = db.execute("SELECT uuid FROM sessions").fetchone()[0]
    with db.atomic():
        for uuid, recommend, payload in (
            ("f-yes", 1, json.dumps({"uuid": "f-yes", "would_recommend": True, "comment": " Loved the films. "})),
            ("f-no", 0, json.dumps({"uuid": "f-no", "would_recommend": False, "reason_not": "Too long"})),
            ("f-odd", None, "not a form"),
        ):
            db.execute(
                "INSERT INTO feedback (uuid, session_uuid, would_recommend) VALUES (?, ?, ?)",
                [uuid, session_uuid, recommend],
            )
            db.execute(
                "INSERT INTO outbox (entity, entity_uuid, version, op, payload, created_at)"
                " VALUES ('feedback', ?, 1, 'upsert', ?, ?)",
                [uuid, payload, NOW.isoformat()],
            )
    db.conn.close()

    db = open_database(path, tmp_path / "backups", lambda: NOW)
    assert "0016_feedback_comment" in schema_version(db)
    kept = db.execute("SELECT uuid, comment FROM feedback WHERE uuid LIKE 'f-%' ORDER BY uuid").fetchall()
    assert [tuple(row) for row in kept] == [("f-no", ""), ("f-odd", ""), ("f-yes", "Loved the films.")]
    db.conn.close()
