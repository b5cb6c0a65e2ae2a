"""Two connections writing at once (the sync and the database worker) never fail with 'database is locked' and
never lose a write: every transaction takes the write lock when it begins."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.store import attendance, delivery, roster, sessions
from trainer_desk.store.connection import as_database
from trainer_desk.workspace import Workspace

from .test_sessions import make_session

ROUNDS = 60


def test_marking_and_section_changes_race_a_second_writer_without_a_lock_error(workspace: Workspace) -> None:
    session = make_session()
    sessions.create_session(workspace.db, session, session.starts_at)
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people LIMIT ?", [ROUNDS])]
    people = [p for n in numbers if (p := roster.get_person(workspace.db, n))]
    second = as_database(workspace.connector.connect(workspace.paths.database, check_same_thread=False))
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def register_writer() -> None:  # the database worker: marks attendees (read, then write)
        start.wait()
        try:
            for person in people:
                attendance.add_attendee(
                    workspace.writer, session, person, AttendanceStatus.PRESENT, "100234", datetime.now(UTC)
                )
        except BaseException as error:
            failures.append(error)

    def other_writer() -> None:  # another connection, as the sync's: section changes (read, then write)
        start.wait()
        try:
            for index in range(ROUNDS):
                delivery.section_started(second, session.uuid, f"section-{index % 5}", datetime.now(UTC))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=register_writer), threading.Thread(target=other_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.conn.close()
    assert failures == []
    assert len(attendance.register(workspace.db, session.uuid)) == len(people) == ROUNDS
    timed = workspace.db.execute("SELECT count(*) FROM section_timings WHERE session_uuid = ?", [session.uuid])
    assert timed.fetchone()[0] >= 1


def test_a_transaction_that_reads_then_writes_survives_another_commit_in_between(workspace: Workspace) -> None:
    """The case behind 'database is locked' (mark all, the purge at start-up, the first pull): a transaction
    reads, another connection commits, then the first one writes."""
    session = make_session()
    sessions.create_session(workspace.db, session, session.starts_at)
    (number,) = workspace.db.execute("SELECT staff_number FROM people LIMIT 1").fetchone()
    person = roster.get_person(workspace.db, number)
    assert person is not None
    second = as_database(workspace.connector.connect(workspace.paths.database, check_same_thread=False))
    read_done, other_done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def other_writer() -> None:
        read_done.wait()
        try:
            delivery.section_started(second, session.uuid, "welcome", datetime.now(UTC))
        except BaseException as error:
            failures.append(error)
        other_done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    writer = workspace.writer
    with writer.atomic():
        writer.execute("SELECT count(*) FROM attendance WHERE session_uuid = ?", [session.uuid]).fetchone()
        read_done.set()
        other_done.wait(1.0)  # holding the write lock, the other connection waits its turn; without it, it commits
        attendance.add_attendee(writer, session, person, AttendanceStatus.PRESENT, "100234", datetime.now(UTC))
    thread.join()
    second.conn.close()
    assert failures == []
    assert len(attendance.register(workspace.db, session.uuid)) == 1
    timed = workspace.db.execute("SELECT count(*) FROM section_timings WHERE session_uuid = ?", [session.uuid])
    assert timed.fetchone()[0] == 1
