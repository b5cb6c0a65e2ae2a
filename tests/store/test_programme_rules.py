"""Compliance counts a programme's audience only, keeps a completion while it is valid, and lists people who
are exempt or completed it another way apart from those it chases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.roster_import import read_roster_file
from trainer_desk.core.roster_problems import RosterFileError
from trainer_desk.paths import bundled
from trainer_desk.store import attendance, audit, exemptions, reports, roster, sessions
from trainer_desk.workspace import Workspace

from .test_sessions import make_session

LETTERHEAD = Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE")
UNIT = [
    Person("730001", "Ffion", "Rhys", "NORTH", PersonRole.OFFICER, rank="Sergeant"),
    Person("730002", "Tomasz", "Kowalczyk", "NORTH", PersonRole.OFFICER, rank="Inspector"),
    Person("730003", "Lan", "Trần", "NORTH", PersonRole.OFFICER, rank="Constable"),
    Person("730004", "Amira", "Haddad", "NORTH", PersonRole.STAFF, rank="Band D"),
    Person("730005", "Wei", "Zhang", "NORTH", PersonRole.STAFF, rank="Band B"),
]


def rules_file(folder: Path, text: str) -> Path:
    path = folder / "programmes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def only_these(workspace: Workspace) -> None:
    with workspace.db.atomic():
        workspace.db.execute("DELETE FROM people_search")
        workspace.db.execute("DELETE FROM people")
    roster.upsert_people(workspace.db, UNIT)


def completed(workspace: Workspace, person: Person, programme: str, when: datetime) -> None:
    session = make_session()
    session = type(session)(
        session.uuid,
        type(session.plan)("p", "1.0.0", programme),
        session.unit_code,
        session.venue,
        session.mode,
        when,
        trainers=session.trainers,
    )
    sessions.create_session(workspace.db, session, when)
    attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", when)


def test_only_the_audience_counts_and_an_expired_completion_is_outstanding(
    workspace: Workspace, tmp_path: Path
) -> None:
    rules = read_rules(
        rules_file(
            tmp_path,
            '[[programme]]\nid = "supervisors"\nroles = ["officer", "staff"]\n'
            'ranks = ["sergeant", "INSPECTOR", "Band D"]\ndue = 2020-01-31\nrefresh_months = 24\n',
        )
    )
    only_these(workspace)
    completed(workspace, UNIT[0], "supervisors", datetime(2025, 6, 1, 9, tzinfo=UTC))  # still valid
    completed(workspace, UNIT[1], "supervisors", datetime(2022, 6, 1, 9, tzinfo=UTC))  # expired by 2026
    report = reports.compliance(
        workspace.db,
        LETTERHEAD,
        "supervisors",
        "Supervisors",
        None,
        date(2026, 11, 1),
        date(2026, 11, 30),
        rule=rules["supervisors"],
    )
    assert (report.people, report.completed) == (3, 1)  # the constable and the Band B are not its audience
    assert [(o.staff_number, o.standing) for o in report.outstanding] == [("730004", "overdue"), ("730002", "overdue")]
    assert "Band D, Inspector, Sergeant" in report.audience and "counts for 24 months" in report.audience


def test_exempt_and_completed_another_way_are_not_chased(workspace: Workspace) -> None:
    only_these(workspace)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with pytest.raises(UserFacingError, match="reason"):
        exemptions.record(workspace.db, "730003", "signa", ExemptionKind.EXEMPT, " ", "100800", now)
    exemptions.record(workspace.db, "730003", "signa", ExemptionKind.EXEMPT, "long-term absence", "100800", now)
    exemptions.record(
        workspace.db, "730005", "signa", ExemptionKind.OTHER_WAY, "one to one with the wellbeing lead", "100800", now
    )
    rule = read_rules(bundled("lesson_plans") / "programmes.toml")["signa"]
    report = reports.compliance(
        workspace.db, LETTERHEAD, "signa", "Signa", "NORTH", date(2026, 11, 1), date(2026, 11, 30), rule=rule
    )
    assert (report.people, report.completed) == (4, 1)  # the exempt one is out of the count; the other counts
    assert {o.staff_number for o in report.outstanding} == {"730001", "730002", "730004"}
    assert {(o.staff_number, o.standing) for o in report.excused} == {
        ("730003", "exempt"),
        ("730005", "completed another way"),
    }
    actions = [entry[2] for entry in audit.entries(workspace.db)]
    assert actions.count("exemption") == 2
    waiting = workspace.db.execute("SELECT count(*) FROM outbox WHERE entity = 'exemption'").fetchone()[0]
    assert waiting == 2  # each goes to HQ


def test_a_broken_rules_file_names_the_file_and_programme(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match=r"programmes.toml: programme 1 \(signa\): due must be a date"):
        read_rules(rules_file(tmp_path, '[[programme]]\nid = "signa"\ndue = "soon"\n'))
    assert read_rules(tmp_path / "missing.toml") == {}


def test_a_new_joiner_is_due_so_many_days_after_joining(workspace: Workspace, tmp_path: Path) -> None:
    today = datetime.now().astimezone().date()
    joined = today - timedelta(days=10)
    csv = tmp_path / "roster.csv"
    csv.write_text(  # as HR exports it: a start date column, day first
        "Staff Number,First Name,Last Name,Unit,Type,Start Date\n"
        "730011,Siân,Pryce,NORTH,officer,01/09/2015\n"
        f"730012,Nguyễn,Văn An,NORTH,officer,{joined:%d/%m/%Y}\n"
        "730013,Oluwaseun,Adeyemi,NORTH,staff,\n",
        encoding="utf-8",
    )
    people = read_roster_file(csv, ["NORTH"])
    assert [p.joined for p in people] == [date(2015, 9, 1), joined, None]
    with workspace.db.atomic():
        workspace.db.execute("DELETE FROM people_search")
        workspace.db.execute("DELETE FROM people")
    roster.upsert_people(workspace.db, people)
    assert roster.get_person(workspace.db, "730012").joined == joined  # type: ignore[union-attr]
    rules = read_rules(
        rules_file(tmp_path, '[[programme]]\nid = "signa"\ndue = 2020-01-31\ndue_days_after_joining = 90\n')
    )
    report = reports.compliance(
        workspace.db, LETTERHEAD, "signa", "Signa", "NORTH", today - timedelta(days=30), today, rule=rules["signa"]
    )
    standing = {o.staff_number: o.standing for o in report.outstanding}
    assert standing == {
        "730011": "overdue",  # joined long before the date everyone had to complete it by
        "730012": f"due {(joined + timedelta(days=90)).day} {joined + timedelta(days=90):%b %Y}",  # 7 Jan, not 07
        "730013": "overdue",  # no joining date recorded: the programme's date
    }
    assert "for those who join later, 90 days after joining" in report.audience


def test_a_joining_date_that_is_not_a_date_is_named_by_row(tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "Staff Number,First Name,Last Name,Unit,Date Joined\n730021,Ana,Pereira,NORTH,31/13/2026\n", encoding="utf-8"
    )
    with pytest.raises(RosterFileError) as raised:
        read_roster_file(csv, ["NORTH"])
    assert 'row 2, column E "Date Joined": is not a date: write it as 31/01/2026 or 2026-01-31' in str(raised.value)
