"""Data protection on the laptop: encrypted at rest, a wrong or missing key never damages anything, and
synced records are removed after the retention period while unsynced ones stay."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest

from tests.memory_keyring import MemoryKeyring, NoKeyring
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.key_store import EMPTY, TOO_SHORT, WRONG, AskPassphrase, key_name
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, audit, completions, delivery, retention, roster, sessions
from trainer_desk.workspace import open_workspace

from .test_sessions import make_session

KNOWN = [
    Person("487213", "Philippa", "Quenby-Ashworth", "NORTH", PersonRole.OFFICER),
    Person("S593317", "Ottoline", "Vandersteen", "EAST", PersonRole.STAFF),
]
DATA = Path(__file__).resolve().parent.parent / "data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_name_or_staff_number_is_readable_in_any_file_of_the_data_folder(paths: AppPaths, tmp_path: Path) -> None:
    hr_file = tmp_path / "hr.csv"
    hr_file.write_text(
        "staff_number,forename,surname,unit,role\n"
        + "".join(f"{p.staff_number},{p.forename},{p.surname},{p.unit_code},{p.role}\n" for p in KNOWN)
    )
    data = ["--data-dir", str(paths.data_dir)]
    assert main([*data, "roster", "import", str(hr_file)]) == 0
    workspace = open_workspace(paths)
    session = sessions.create_session(workspace.writer, make_session(), workspace.clock())
    for person in KNOWN:
        attendance.add_attendee(
            workspace.writer, session, person, AttendanceStatus.PRESENT, "100234", workspace.clock()
        )
    workspace.housekeeping()  # today's backup
    workspace.close()
    assert main([*data, "backup"]) == 0
    assert main([*data, "info"]) == 0

    files = [p for p in paths.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in paths.backups_dir.iterdir())
    for path in files:
        content = path.read_bytes()
        for person in KNOWN:
            for secret in (person.staff_number, person.forename, person.surname):
                assert secret.encode() not in content, f"{secret} readable in {path.name}"
                assert secret.encode("utf-16-le") not in content


def test_a_wrong_key_is_explained_and_changes_nothing(paths: AppPaths, memory_keyring: MemoryKeyring) -> None:
    open_workspace(paths).close()
    before = digest(paths.database)
    memory_keyring.set_password("Trainer Desk", key_name(paths), "11" * 32)
    with pytest.raises(UserFacingError, match="cannot be unlocked: the key or passphrase does not match"):
        open_workspace(paths)
    assert digest(paths.database) == before


def test_a_key_missing_from_the_keyring_is_explained(paths: AppPaths, memory_keyring: MemoryKeyring) -> None:
    open_workspace(paths).close()
    before = digest(paths.database)
    memory_keyring.secrets.clear()
    with pytest.raises(UserFacingError, match="is not in this computer's keyring"):
        open_workspace(paths)
    assert digest(paths.database) == before
    assert memory_keyring.secrets == {}  # no new key was made over the old one


def test_no_keyring_and_it_refuses(paths: AppPaths) -> None:
    keyring.set_keyring(NoKeyring())
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text('without_keyring = "refuse"\n')
    with pytest.raises(UserFacingError, match="no keyring to keep the database key in"):
        open_workspace(paths, ask_passphrase=lambda creating, problem: "never asked")
    assert not paths.database.exists()


def test_no_keyring_and_a_passphrase_instead(paths: AppPaths) -> None:
    keyring.set_keyring(NoKeyring())
    asked: list[tuple[bool, str]] = []

    def answer(*replies: str | None) -> AskPassphrase:
        waiting = list(replies)

        def ask(creating: bool, problem: str) -> str | None:
            asked.append((creating, problem))
            return waiting.pop(0)

        return ask

    workspace = open_workspace(paths, ask_passphrase=answer("short", "correct horse battery"))
    assert roster.count_people(workspace.db) == 260
    workspace.close()
    assert asked == [(True, ""), (True, TOO_SHORT)]
    before = digest(paths.database)

    asked.clear()
    with pytest.raises(UserFacingError, match="A passphrase is needed"):
        open_workspace(paths, ask_passphrase=answer("wrong horse battery", "", None))
    assert asked == [(False, ""), (False, WRONG), (False, EMPTY)]
    assert digest(paths.database) == before

    asked.clear()
    again = open_workspace(paths, ask_passphrase=answer("wrong horse battery", "correct horse battery"))
    assert roster.count_people(again.db) == 260
    again.close()
    assert asked == [(False, ""), (False, WRONG)]


def test_a_passphrase_database_still_opens_once_a_keyring_appears(
    paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(NoKeyring())
    open_workspace(paths, ask_passphrase=lambda creating, problem: "correct horse battery").close()
    keyring.set_keyring(memory_keyring)
    asked: list[tuple[bool, str]] = []

    def ask(creating: bool, problem: str) -> str:
        asked.append((creating, problem))
        return "correct horse battery"

    workspace = open_workspace(paths, ask_passphrase=ask)
    assert roster.count_people(workspace.db) == 260
    workspace.close()
    assert asked == [(False, "")]
    assert memory_keyring.secrets == {}  # it stays locked by the passphrase, which keeps working without a keyring
    with pytest.raises(UserFacingError, match="is not in this computer's keyring"):
        open_workspace(paths, ask_passphrase=lambda creating, problem: None)


def test_a_database_from_before_encryption_is_encrypted_and_kept(paths: AppPaths) -> None:
    paths.create()
    shutil.copy(DATA / "schema-0001_initial.sqlite3", paths.database)
    assert b"Training room 2" in paths.database.read_bytes()
    workspace = open_workspace(paths)
    assert workspace.db.execute("SELECT venue FROM sessions").fetchall() == [("Training room 2",)]
    workspace.close()
    for path in paths.data_dir.rglob("*.sqlite3"):
        assert b"Training room 2" not in path.read_bytes(), path.name


def test_retention_removes_only_what_hq_has_long_had(paths: AppPaths) -> None:
    workspace = open_workspace(paths)
    db = workspace.db
    now = datetime(2026, 11, 23, tzinfo=UTC)
    person = KNOWN[0]
    roster.upsert_people(db, [person])
    made = {}
    for label in ("old-synced", "recent-synced", "old-unsynced"):
        session = sessions.create_session(db, make_session(), now - timedelta(days=200))
        attendance.add_attendee(db, session, person, AttendanceStatus.PRESENT, "100234", now - timedelta(days=200))
        closed = delivery.close_session(
            db, session, delivery.checklist_for(db, session, []), "100234", now - timedelta(days=200)
        )
        made[label] = closed.uuid
    acked = {"old-synced": now - timedelta(days=120), "recent-synced": now - timedelta(days=10)}
    with db.atomic():
        for label, when in acked.items():  # as the sync engine will on HQ's acknowledgement
            uuid = made[label]
            db.execute("UPDATE sessions SET acked_at = ? WHERE uuid = ?", [when.isoformat(), uuid])
            db.execute("UPDATE attendance SET acked_at = ? WHERE session_uuid = ?", [when.isoformat(), uuid])
            db.execute(
                "DELETE FROM outbox WHERE entity_uuid = ? OR entity_uuid IN "
                "(SELECT uuid FROM attendance WHERE session_uuid = ?)",
                [uuid, uuid],
            )
    assert retention.purge_acknowledged(db, now, keep_days=90) == 1
    left = {s.uuid for s in sessions.list_sessions(db)}
    assert left == {made["recent-synced"], made["old-unsynced"]}
    assert db.execute("SELECT count(*) FROM attendance WHERE session_uuid = ?", [made["old-synced"]]).fetchone() == (0,)
    # The register is gone, but that the person completed the programme is still known here.
    kept = db.execute("SELECT staff_number, session_uuid FROM hq_completions").fetchall()
    assert kept == [(person.staff_number, made["old-synced"])]
    assert completions.last_completed(db, person.staff_number, "signa", "another-session") is not None
    assert audit.entries(db)[-1][2:] == ("purge", "1 synced session older than 90 days")
    assert "waited 200 days to reach HQ" in (retention.unsynced_warning(db, now) or "")
    workspace.close()


def test_leavers_go_once_no_kept_register_names_them(paths: AppPaths) -> None:
    workspace = open_workspace(paths)
    db = workspace.db
    now = datetime(2026, 11, 23, tzinfo=UTC)
    gone, kept = KNOWN[0], KNOWN[1]
    roster.upsert_people(db, [gone, kept])
    old = sessions.create_session(db, make_session(), now - timedelta(days=200))
    attendance.add_attendee(db, old, gone, AttendanceStatus.PRESENT, "100234", now - timedelta(days=200))
    delivery.close_session(db, old, delivery.checklist_for(db, old, []), "100234", now - timedelta(days=200))
    recent = sessions.create_session(db, make_session(), now - timedelta(days=5))
    attendance.add_attendee(db, recent, kept, AttendanceStatus.PRESENT, "100234", now - timedelta(days=5))
    with db.atomic():  # both left in the latest HR export (as a roster import marks them)
        db.execute("UPDATE people SET removed = 1 WHERE staff_number IN (?, ?)", [gone.staff_number, kept.staff_number])
    long_ago = (now - timedelta(days=120)).isoformat()
    with db.atomic():  # HQ acknowledged the old session long ago
        db.execute("UPDATE sessions SET acked_at = ? WHERE uuid = ?", [long_ago, old.uuid])
        db.execute("UPDATE attendance SET acked_at = ? WHERE session_uuid = ?", [long_ago, old.uuid])
        db.execute("DELETE FROM outbox")
    assert retention.purge_acknowledged(db, now, keep_days=90) == 1
    numbers = {n for (n,) in db.execute("SELECT staff_number FROM people")}
    assert gone.staff_number not in numbers  # nothing on this laptop needs them any more
    assert kept.staff_number in numbers  # a register still kept here names them
    terms = db.execute("SELECT count(*) FROM people_search WHERE staff_number = ?", [gone.staff_number]).fetchone()
    assert terms == (0,)
    workspace.close()
