"""HQ's schema upgrades in place: records received before HQ knew who created them take their last sender
as their creator, and keep being accepted from that laptop."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, text

from tests.hq_server import backends, database_url
from trainer_desk.hq import database as hq_database
from trainer_desk.hq import devices, published, walk_in_candidates


def engine_at(url: str, revision: str) -> Engine:
    """An engine on a database upgraded only as far as `revision`, as an HQ of that release left it."""
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(hq_database.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine


def a_completion(conn: Connection, uuid: str, staff_number: str, starts: str) -> None:
    """A completion of Signa in NORTH as an HQ of an earlier release stored it (its session has the same id)."""
    conn.execute(
        text(
            "INSERT INTO completions (uuid, staff_number, attendee_unit, programme_id, session_uuid,"
            " session_unit, session_starts_at, counts) VALUES (:uuid, :who, 'NORTH', 'signa',"
            " :uuid, 'NORTH', :starts, true)"
        ),
        {"uuid": uuid, "who": staff_number, "starts": starts},
    )


def stored_before(old: Engine, rows: list[tuple[str, str, str]]) -> None:
    """Records (entity, uuid, payload) as an HQ of an earlier release stored them, sent by one laptop."""
    with old.begin() as conn:
        for n, (entity, uuid, payload) in enumerate(rows, start=1):
            conn.execute(
                text(
                    "INSERT INTO records (entity, uuid, version, deleted, payload, device_id, created_by, seq,"
                    " received_at, conflicted) VALUES (:entity, :uuid, 1, false, :payload, 'device-1',"
                    " 'device-1', :seq, '2026-11-01T09:00:00+00:00', false)"
                ),
                {"entity": entity, "uuid": uuid, "payload": payload, "seq": n},
            )


@pytest.mark.parametrize("backend", backends())
def test_records_from_before_ownership_belong_to_the_device_that_sent_them(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0002_roster_teams")
        with old.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO records (entity, uuid, version, deleted, payload, device_id, seq, received_at,"
                    " conflicted) VALUES ('audit', 'a6f0f3c5-0000-4000-8000-000000000001', 1, false, '{}',"
                    " 'device-1', 1, '2026-11-01T09:00:00+00:00', false)"
                )
            )
        old.dispose()
        engine = hq_database.open_engine(url)  # upgrades to the newest schema
        with engine.connect() as conn:
            assert conn.execute(text("SELECT created_by FROM records")).scalar_one() == "device-1"
            assert conn.execute(text("SELECT count(device_id) FROM enrollment_codes")).scalar_one() == 0
        engine.dispose()


@pytest.mark.parametrize("backend", backends())
def test_records_from_before_learn_their_session(backend: str, tmp_path: Path) -> None:
    """A session names itself; a registration names the session in its payload; an audit entry, none; a
    payload HQ stored before it refused malformed ones is left without one rather than stopping the upgrade."""
    session, registration = "5e551011-0000-4000-8000-000000000001", "a77e0000-0000-4000-8000-000000000002"
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0006_walk_in_resolutions")
        rows = [
            ("session", session, '{"unit_code": "NORTH"}'),
            ("attendance", registration, f'{{"session_uuid": "{session}", "staff_number": "710001"}}'),
            ("audit", "a0d17000-0000-4000-8000-000000000003", "{}"),
            ("feedback", "feedbac0-0000-4000-8000-000000000004", '{"session_uuid": 12}'),
        ]
        stored_before(old, rows)
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            found = {r.entity: r.session_uuid for r in conn.execute(text("SELECT entity, session_uuid FROM records"))}
        engine.dispose()
    assert found == {"session": session, "attendance": session, "audit": None, "feedback": None}


@pytest.mark.parametrize("backend", backends())
def test_registrations_from_before_fill_the_completions_table(backend: str, tmp_path: Path) -> None:
    session, present, absent = (f"5e551011-0000-4000-8000-00000000000{n}" for n in range(3))
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0008_console")
        rows = [
            ("session", session, '{"unit_code": "NORTH", "programme_id": "signa", "starts_at": "2026-10-01T09:00"}'),
            ("attendance", present, f'{{"session_uuid": "{session}", "staff_number": "710001", "status": "late"}}'),
            ("attendance", absent, f'{{"session_uuid": "{session}", "staff_number": "710002", "status": "absent"}}'),
        ]
        with old.begin() as conn:
            for n, (entity, uuid, payload) in enumerate(rows, start=1):
                conn.execute(
                    text(
                        "INSERT INTO records (entity, uuid, version, deleted, payload, device_id, created_by, seq,"
                        " received_at, conflicted, session_uuid) VALUES (:entity, :uuid, 1, false, :payload,"
                        " 'device-1', 'device-1', :seq, '2026-11-01T09:00:00+00:00', false, :session)"
                    ),
                    {"entity": entity, "uuid": uuid, "payload": payload, "seq": n, "session": session},
                )
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            found = {
                r.staff_number: (r.programme_id, r.session_unit, bool(r.counts))
                for r in conn.execute(text("SELECT staff_number, programme_id, session_unit, counts FROM completions"))
            }
        engine.dispose()
    assert found == {"710001": ("signa", "NORTH", True), "710002": ("signa", "NORTH", False)}


@pytest.mark.parametrize("backend", backends())
def test_people_completed_before_learn_when_they_first_did(backend: str, tmp_path: Path) -> None:
    """A person trained in October and again in November was first trained in October: the trend counts them
    then, and once."""
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0009_completions")
        with old.begin() as conn:
            for n, starts in enumerate(("2026-10-01T09:00:00+00:00", "2026-11-05T09:00:00+00:00")):
                a_completion(conn, f"5e551011-0000-4000-8000-00000000001{n}", "710001", starts)
            conn.execute(
                text(
                    "INSERT INTO people_completed (staff_number, programme_id, last_completed)"
                    " VALUES ('710001', 'signa', '2026-11-05T09:00:00+00:00')"
                )
            )
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT first_completed, last_completed FROM people_completed")).one()
        engine.dispose()
    assert tuple(found) == ("2026-10-01T09:00:00+00:00", "2026-11-05T09:00:00+00:00")


@pytest.mark.parametrize("backend", backends())
def test_people_who_had_left_before_are_dated_from_the_upgrade(backend: str, tmp_path: Path) -> None:
    """Their retention period starts at the upgrade: never earlier than it should."""
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0011_faq_dismissals")
        with old.begin() as conn:
            for number, removed in (("710001", False), ("710002", True)):
                conn.execute(
                    text(
                        "INSERT INTO roster (staff_number, forename, surname, unit, role, rank, team, removed, seq)"
                        " VALUES (:n, 'A', 'B', 'NORTH', 'staff', '', '', :removed, 1)"
                    ),
                    {"n": number, "removed": removed},
                )
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            found = dict(conn.execute(text("SELECT staff_number, left_at FROM roster")).all())
        engine.dispose()
    assert found["710001"] is None and found["710002"] == hq_database.utc_now().date().isoformat()


@pytest.mark.parametrize("backend", backends())
def test_completion_times_stored_with_the_force_s_offset_are_rewritten_in_utc(backend: str, tmp_path: Path) -> None:
    """A session planned at HQ kept its '+01:00', and its completions copied it: compared as text with UTC they
    fell in the wrong day or month. The person's first and last completion are worked out again from the
    rewritten times (text with mixed offsets had put them the wrong way round)."""
    times = ("2026-08-31T23:30:00+01:00", "2026-08-31T23:10:00+00:00", "31/08/2026 09:00")
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0020_records_session_recorders")
        with old.begin() as conn:
            for n, starts in enumerate(times):
                a_completion(conn, f"5e551011-0000-4000-8000-00000000002{n}", f"71000{n // 2}", starts)
            conn.execute(
                text(
                    "INSERT INTO people_completed (staff_number, programme_id, first_completed, last_completed)"
                    " VALUES ('710000', 'signa', '2026-08-31T23:10:00+00:00', '2026-08-31T23:30:00+01:00')"
                )
            )
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT uuid, session_starts_at FROM completions")).all())
            person = conn.execute(
                text("SELECT first_completed, last_completed FROM people_completed WHERE staff_number = '710000'")
            ).one()
        engine.dispose()
    assert sorted(stored.values()) == ["2026-08-31T22:30:00+00:00", "2026-08-31T23:10:00+00:00", "31/08/2026 09:00"]
    assert tuple(person) == ("2026-08-31T22:30:00+00:00", "2026-08-31T23:10:00+00:00")


@pytest.mark.parametrize("backend", backends())
def test_sessions_from_before_are_listed_by_their_start(backend: str, tmp_path: Path) -> None:
    """The console lists sessions by the start kept beside each session's payload: those received before it
    was kept take theirs (in UTC) and their unit from the payload; other records take none."""
    session, registration = "5e551011-0000-4000-8000-000000000031", "a77e0000-0000-4000-8000-000000000032"
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0022_staff_password_issued")
        rows = [
            ("session", session, '{"unit_code": "NORTH", "starts_at": "2026-09-01T00:30:00+01:00"}'),
            ("attendance", registration, f'{{"session_uuid": "{session}", "staff_number": "710001"}}'),
        ]
        stored_before(old, rows)
        old.dispose()
        engine = hq_database.open_engine(url)
        with engine.connect() as conn:
            found = {
                r.entity: (r.session_unit, r.session_starts)
                for r in conn.execute(text("SELECT entity, session_unit, session_starts FROM records"))
            }
        engine.dispose()
    assert found == {"session": ("NORTH", "2026-08-31T23:30:00+00:00"), "attendance": (None, None)}


@pytest.mark.parametrize("backend", backends())
def test_content_versions_from_before_have_no_note_and_new_ones_keep_theirs(backend: str, tmp_path: Path) -> None:
    """A version published before notes were kept shows none; the next one, published with a note, keeps it."""
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0024_starts_of_sessions_only")
        with old.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO content_versions (version, seq, manifest, published_at) VALUES (1, 1,"
                    " '{\"version\": 1, \"files\": []}', '2026-11-01T09:00:00+00:00')"
                )
            )
            conn.execute(text("UPDATE counters SET value = 1 WHERE name = 'seq'"))
        old.dispose()
        engine = hq_database.open_engine(url)
        published.record_version(engine, [], note="Signa 1.1: the new film on reporting routes")
        found = [(v.version, v.note) for v in published.versions(engine)]
        engine.dispose()
    assert found == [(2, "Signa 1.1: the new film on reporting routes"), (1, "")]


@pytest.mark.parametrize("backend", backends())
def test_laptops_known_before_hold_no_known_content_version_until_they_say(backend: str, tmp_path: Path) -> None:
    """A laptop enrolled before HQ kept each laptop's content version is listed as not known, not as the newest."""
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0026_audit_by_action")
        with old.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO devices (id, token_hash, trainer, unit, role, name, enrolled_at, revoked, lost)"
                    " VALUES ('device-1', 'hash-1', '100234', 'NORTH', 'trainer', 'laptop',"
                    " '2026-11-01T09:00:00+00:00', false, false)"
                )
            )
        old.dispose()
        engine = hq_database.open_engine(url)
        found = [(d["id"], d["content_version"]) for d in devices.list_devices(engine)]
        engine.dispose()
    assert found == [("device-1", None)]


@pytest.mark.parametrize("backend", backends())
def test_people_on_the_roster_before_are_found_by_the_name_a_walk_in_gave(backend: str, tmp_path: Path) -> None:
    """The roster imported before HQ kept each name folded for searching is offered on the walk-ins page too."""
    with database_url(backend, tmp_path) as url:
        old = engine_at(url, "0027_device_content_version")
        with old.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO roster (staff_number, forename, surname, unit, role, rank, team, removed, seq)"
                    " VALUES ('700005', 'Grzegorz', 'Brzęczyszczykiewicz', 'NORTH', 'officer', 'PC', '', false, 1)"
                )
            )
        old.dispose()
        engine = hq_database.open_engine(url)
        walk_in = {"registration": "r-1", "staff_number": "", "name_given": "grzegorz brzeczyszczykiewicz",
                   "session_unit": "NORTH", "programme_id": "signa"}  # fmt: skip
        with engine.connect() as conn:
            found = walk_in_candidates.candidates(conn, [walk_in], lambda unit: True)["r-1"].shown
        engine.dispose()
    assert [(c.staff_number, c.by_name) for c in found] == [("700005", True)]
