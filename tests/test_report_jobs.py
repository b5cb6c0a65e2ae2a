"""Exports through the command line as a trainer asks for them: the programme by id or title, the force's days,
CSVs that say which session they are, and a folder that refuses the file."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unwritable_folder import unwritable_folder
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.store import attendance, roster, sessions
from trainer_desk.workspace import Workspace

TRAINER = "100234"


@pytest.fixture
def laptop_on_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's own clock on UTC: its exports still go by the force's days and times (UK time), as HQ's do."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def deliver(workspace: Workspace, starts_at: datetime, people: list[Person], status: AttendanceStatus) -> Session:
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Room 4, Hutton",
        DeliveryMode.IN_PERSON,
        starts_at,
        trainers=(TRAINER,),
    )
    sessions.create_session(workspace.db, session, starts_at)
    for person in people:
        attendance.add_attendee(workspace.db, session, person, status, TRAINER, starts_at)
    return session


def officer(workspace: Workspace, number: str) -> Person:
    person = Person(number, "Sam", "Okafor", "NORTH", PersonRole.OFFICER)
    roster.upsert_people(workspace.db, [person])
    return person


def compliance_csv(workspace: Workspace, tmp_path: Path, programme: str, start: str, end: str) -> list[str]:
    """The staff numbers the compliance CSV lists as outstanding."""
    target = tmp_path / f"compliance-{programme}-{start}.csv"
    data = ["--data-dir", str(workspace.paths.data_dir)]
    args = ["export", "compliance", "--programme", programme, "--from", start, "--to", end]
    assert main([*data, *args, "--format", "csv", "-o", str(target)]) == 0
    return [row["staff_number"] for row in read_rows(target)]


@pytest.mark.parametrize("given", ["Signa", "SIGNA", "signa", " signa "])
def test_a_programme_is_found_by_its_id_or_its_title_in_any_case(
    workspace: Workspace, tmp_path: Path, given: str
) -> None:
    done = officer(workspace, "900001")
    deliver(workspace, datetime(2026, 10, 5, 9, tzinfo=UTC), [done], AttendanceStatus.PRESENT)
    workspace.close()
    outstanding = compliance_csv(workspace, tmp_path, given, "2026-10-01", "2026-10-31")
    assert done.staff_number not in outstanding
    assert len(outstanding) == 249  # the demo roster, all still to do, but its 11 contractors and volunteers


@pytest.mark.parametrize("given", ["nosuch", "Sign", ""])
def test_an_unknown_programme_is_refused_with_the_list(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    target = tmp_path / "report.pdf"
    args = ["export", "compliance", "--programme", given, "--from", "2026-10-01", "--to", "2026-10-31"]
    assert main([*data, *args, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert (f"There is no programme '{given}'." if given else "Which programme?") in err
    assert "signa (Signa)" in err and "upstander (Upstander)" in err
    assert not target.exists()


def test_a_programme_known_only_from_sessions_here_can_still_be_reported(workspace: Workspace, tmp_path: Path) -> None:
    """A plan withdrawn from this laptop leaves its sessions behind; their programme stays reportable."""
    done = officer(workspace, "900002")
    session = Session(
        new_uuid(), PlanRef("old-plan", "1.0.0", "retired"), "NORTH", "Room 1", DeliveryMode.IN_PERSON,
        datetime(2026, 10, 5, 9, tzinfo=UTC),
    )  # fmt: skip
    sessions.create_session(workspace.db, session, session.starts_at)
    attendance.add_attendee(workspace.db, session, done, AttendanceStatus.PRESENT, TRAINER, session.starts_at)
    workspace.close()
    assert done.staff_number not in compliance_csv(workspace, tmp_path, "Retired", "2026-10-01", "2026-10-31")


def test_a_period_is_counted_in_the_force_s_days(laptop_on_utc: None, workspace: Workspace, tmp_path: Path) -> None:
    """00:30 on 1 July in summer time is 23:30 UTC on 30 June: it belongs to July, as HQ counts it, even on a
    laptop whose clock says 30 June."""
    july_first = officer(workspace, "900003")
    deliver(workspace, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), [july_first], AttendanceStatus.PRESENT)
    workspace.close()
    assert july_first.staff_number not in compliance_csv(workspace, tmp_path, "signa", "2026-07-01", "2026-07-31")
    assert july_first.staff_number in compliance_csv(workspace, tmp_path, "signa", "2026-06-01", "2026-06-30")


def test_the_attendance_csv_says_which_session_it_is(laptop_on_utc: None, workspace: Workspace, tmp_path: Path) -> None:
    person = officer(workspace, "900004")
    session = deliver(workspace, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), [person], AttendanceStatus.LATE)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    target = tmp_path / "attendance.csv"
    assert main([*data, "export", "attendance", session.uuid[:8], "--format", "csv", "-o", str(target)]) == 0
    assert read_rows(target) == [
        {
            "session_date": "2026-07-01",
            "session_start": "00:30",
            "venue": "Room 4, Hutton",
            "plan": "Signa: sexism, misogyny and sexual harassment at work",
            "plan_version": "1.0.0",
            "staff_number": "900004",
            "name": "Sam Okafor",
            "unit": "North",
            "status": "late",
            "time": "2026-07-01T00:30+01:00",
            "walk_in": "",
        }
    ]


def test_the_sign_in_csv_has_a_signature_column_and_no_attendance(
    laptop_on_utc: None, workspace: Workspace, tmp_path: Path
) -> None:
    person = officer(workspace, "900005")
    session = deliver(workspace, datetime(2026, 11, 23, 9, 30, tzinfo=UTC), [person], AttendanceStatus.PRESENT)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    target = tmp_path / "sign-in.csv"
    assert main([*data, "export", "sign-in", session.uuid[:8], "--format", "csv", "-o", str(target)]) == 0
    rows = read_rows(target)
    assert list(rows[0]) == [
        "session_date", "session_start", "venue", "plan", "plan_version", "staff_number", "name", "unit", "signature"
    ]  # fmt: skip
    assert rows[0]["session_date"] == "2026-11-23" and rows[0]["session_start"] == "09:30"
    assert rows[0]["signature"] == "" and rows[0]["staff_number"] == "900005"


@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_an_export_to_a_folder_that_refuses_files_says_so_and_leaves_nothing(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    args = ["export", "compliance", "--programme", "signa", "--from", "2026-10-01", "--to", "2026-10-31"]
    with unwritable_folder(tmp_path / "stick") as folder:
        assert main([*data, *args, "--format", kind, "-o", str(folder / f"report.{kind}")]) == 1
        assert list(folder.iterdir()) == []
    err = capsys.readouterr().err
    assert f"trainer-desk: cannot write to {folder}: read-only" in err
    assert "Traceback" not in err
