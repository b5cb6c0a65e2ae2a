"""Exports read back as a person would: PDFs opened with a PDF library, CSVs through the csv module."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from trainer_desk.__main__ import main
from trainer_desk.core.atomic_file import atomic_target
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.csv_file import safe_cell, write_csv
from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, audit, delivery, feedback, planning, roster, sessions
from trainer_desk.workspace import Workspace, open_workspace

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
STATUSES = [AttendanceStatus.PRESENT] * 5 + [
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT,
]


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def make_people(count: int, unit: str = "NORTH") -> list[Person]:
    return [Person(f"7{n:05d}", f"Forename{n}", f"Surname{n}", unit, PersonRole.OFFICER) for n in range(count)]


def session_with_register(workspace: Workspace, people: list[Person], programme: str = "signa") -> Session:
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", programme),
        "NORTH",
        "Room 4",
        DeliveryMode.IN_PERSON,
        T0,
        trainers=("100234",),
        status=SessionStatus.RUNNING,  # given: a planned one's absent lines are people booked
    )
    sessions.create_session(workspace.db, session, T0)
    for n, person in enumerate(people):
        walk_in = n % 25 == 24
        attendance.add_attendee(
            workspace.db,
            session,
            person,
            STATUSES[n % len(STATUSES)],
            "100234",
            T0 + timedelta(seconds=n),
            walk_in=walk_in,
        )
    return session


@pytest.fixture
def filled(workspace: Workspace) -> tuple[Workspace, Session, list[Person]]:
    people = make_people(120)
    roster.upsert_people(workspace.db, people)
    return workspace, session_with_register(workspace, people), people


def test_attendance_sheet_lists_everyone_once_with_totals_marking_and_page_numbers(
    filled: tuple[Workspace, Session, list[Person]], tmp_path: Path
) -> None:
    workspace, session, people = filled
    target = tmp_path / "sheet.pdf"
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    assert main([*data, "export", "attendance", session.uuid[:8], "-o", str(target)]) == 0
    pages = pdf_pages(target)
    text = "\n".join(pages)
    assert len(pages) >= 4  # 120 lines flow over pages
    for person in people:
        assert len(re.findall(rf"\b{person.staff_number}\b", text)) == 1, person.staff_number
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2  # header and footer
        assert f"page {number} of {len(pages)}" in page
        assert "Staff number" in page  # the header row repeats on every page
    flat = " ".join(text.split())
    assert (
        "120 on the register: 75 present, 15 late, 15 left early, 15 absent. 90 completed the training, 4 of them "
        "walk-ins, who count in compliance figures once HQ has matched them to the roster. 4 walk-ins in all"
    ) in flat  # why the unit's compliance report may count fewer than this sheet
    absent = [p.staff_number for n, p in enumerate(people) if STATUSES[n % len(STATUSES)] is AttendanceStatus.ABSENT]
    for number in absent:  # a booking's time is not an arrival: an absent line has none
        assert re.search(rf"\b{number} \S+ \S+ North Absent (?!\d\d:\d\d)", flat), number
    assert re.search(rf"\b{people[0].staff_number} \S+ \S+ North Present 09:00", flat)
    assert "Signa" in flat and "version 1.0.0" in flat and "Room 4" in flat
    assert "Mode In person" in flat  # in words, not as stored ("in-person")


def test_a_line_corrected_after_closing_says_so_on_the_signed_sheet(workspace: Workspace, tmp_path: Path) -> None:
    """The sheet a lead signs shows which lines were changed after the session closed, so a corrected register
    never reads as the one taken on the day."""
    people = make_people(3)
    roster.upsert_people(workspace.db, people)
    session = session_with_register(workspace, people)
    closed = delivery.set_status(workspace.db, session, SessionStatus.CLOSED, T0 + timedelta(hours=3))
    first = attendance.register(workspace.db, session.uuid)[0].attendance
    attendance.change_status(
        workspace.db, closed, first, AttendanceStatus.LATE, "100234", T0 + timedelta(days=1), "came at 09:40"
    )
    target = tmp_path / "sheet.pdf"
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    assert main([*data, "export", "attendance", session.uuid[:8], "-o", str(target)]) == 0
    flat = " ".join("\n".join(pdf_pages(target)).split())
    assert re.search(rf"\b{first.staff_number} \S+ \S+ North Late \(corrected\)", flat)
    assert "1 line corrected after the session closed; the reasons are kept with the register." in flat
    assert flat.count("(corrected)") == 1


def test_sign_in_sheet_has_expected_people_and_blank_rows(
    filled: tuple[Workspace, Session, list[Person]], tmp_path: Path
) -> None:
    workspace, session, people = filled
    target = tmp_path / "sign-in.pdf"
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    assert main([*data, "export", "sign-in", session.uuid[:8], "-o", str(target)]) == 0
    text = "\n".join(pdf_pages(target))
    expected = [p for n, p in enumerate(people) if n % 25 != 24]  # walk-ins were not expected
    assert all(p.staff_number in text for p in expected)
    assert "Signature" in text and "Present" not in text


def test_compliance_counts_completions_against_the_roster(workspace: Workspace, tmp_path: Path) -> None:
    north, east = (
        make_people(10, "NORTH"),
        [Person(f"8{n:05d}", "A", f"B{n}", "EAST", PersonRole.STAFF) for n in range(4)],
    )
    with workspace.db.atomic():
        workspace.db.execute("DELETE FROM people_search")
        workspace.db.execute("DELETE FROM people")
    roster.upsert_people(workspace.db, [*north, *east])
    session = session_with_register(workspace, north[:8])  # 5 present, 1 late, 1 left early, 1 absent
    session = delivery.close_session(
        workspace.db, session, delivery.checklist_for(workspace.db, session, []), "100234", T0 + timedelta(hours=1)
    )
    forms = (
        (True, "", ObjectiveRating("impact", 2, 4)),
        (True, "", ObjectiveRating("impact", 2, 4)),
        (False, "Too long", ObjectiveRating("impact", 2, 4)),
        (None, "", ObjectiveRating("impact", None, 5)),  # blanks: not counted, not averaged
        (True, "", ObjectiveRating("impact", 2, 4)),
        (True, "", ObjectiveRating("impact", 2, 4)),
    )
    for recommend, reason, rating in forms:
        feedback.save_feedback(workspace.db, Feedback(new_uuid(), session.uuid, recommend, reason, (rating,)), T0)
    ahead = Session(
        new_uuid(), PlanRef("signa-core", "1.0.0", "signa"), "EAST", "Room 1", DeliveryMode.IN_PERSON,
        datetime(2027, 1, 14, 9, 30, tzinfo=UTC), trainers=("100234",),
    )  # fmt: skip
    planning.plan_session(workspace.db, ahead, east[:1], "100234", T0)  # the lead need not chase east[0]
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf, csv_path = tmp_path / "c.pdf", tmp_path / "c.csv"
    common = ["export", "compliance", "--programme", "signa", "--from", "2026-10-01", "--to", "2026-10-31"]
    assert main([*data, *common, "-o", str(pdf)]) == 0
    flat = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "6 of the 14 who must complete it have done so (42.9%); 1 session delivered." in flat
    assert "From this laptop's records only: it is not connected to HQ" in flat
    assert "North 10 6 4 60.0" in flat and "East 4 0 4 0.0" in flat
    # Filled in on this laptop at the trainer's own session of six: the reason may be read here.
    taken = "6 forms (taken on this laptop); 80% of the 5 who answered (1 left it blank) would recommend"
    assert taken in flat and "Too long" in flat
    assert re.search(r"Objective Before Answered After Answered [^0-9]+ 2\.0 5 4\.2 6 ", flat)  # 25/6
    assert "Outstanding (8)" in flat
    assert "booked for 14 Jan 2027" in flat  # the printed list says it too, beside how pressing it is
    assert main([*data, *common, "--unit", "EAST", "--format", "csv", "-o", str(csv_path)]) == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["staff_number"] for r in rows) == sorted(p.staff_number for p in east)
    assert {r["unit"] for r in rows} == {"East"}
    booked = {r["staff_number"]: r["booked_for"] for r in rows if r["booked_for"]}
    assert booked == {east[0].staff_number: "2027-01-14"}
    # Dates a spreadsheet sorts and filters as dates; how pressing it is, a word of its own; and the day counted.
    assert {(r["due_by"], r["overdue_or_due_soon"], r["counted_on"]) for r in rows} == {
        ("2027-03-31", "", "2026-10-31")
    }
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    later = ["export", "compliance", "--programme", "signa", "--from", "2026-11-01", "--to", "2026-11-30"]
    assert main([*data, *later, "-o", str(pdf)]) == 0  # October's completions still count in November
    assert "6 of the 14 who must complete it" in " ".join(" ".join(pdf_pages(pdf)).split())
    earlier = ["export", "compliance", "--programme", "signa", "--from", "2026-09-01", "--to", "2026-09-30"]
    assert main([*data, *earlier, "-o", str(pdf)]) == 0  # nobody had completed it by the end of September
    assert "0 of the 14 who must complete it" in " ".join(" ".join(pdf_pages(pdf)).split())
    again = open_workspace(AppPaths.resolve(data[1]))
    actions = [entry[2] for entry in audit.entries(again.db)]
    again.close()
    assert actions.count("export") == 4


def test_csv_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    rows = [["100001", '=HYPERLINK("http://x")', "+44", "-1", "@SUM(A1)", "plain", "Ní Bhriain"]]
    path = write_csv(tmp_path / "x.csv", ["a", "b", "c", "d", "e", "f", "g"], rows)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        back = list(csv.reader(handle))
    assert back[1] == ["100001", '\'=HYPERLINK("http://x")', "'+44", "'-1", "'@SUM(A1)", "plain", "Ní Bhriain"]
    assert safe_cell(None) == "" and safe_cell(7) == "7"


def test_command_line_export_errors(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    assert main([*data, "export", "attendance", "abc"]) == 1
    assert "at least the first 6 characters" in capsys.readouterr().err
    assert main([*data, "export", "attendance", "ffffffff"]) == 1
    assert "No session on this laptop has an id starting 'ffffffff'" in capsys.readouterr().err
    args = ["export", "compliance", "--programme", "signa", "--from", "2026-12-01", "--to", "2026-01-01"]
    assert main([*data, *args]) == 1
    assert "--from must not be after --to" in capsys.readouterr().err
    args = [
        "export",
        "compliance",
        "--programme",
        "signa",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-01",
        "--unit",
        "ATLANTIS",
        "-o",
        str(tmp_path / "nowhere" / "c.pdf"),
    ]
    assert main([*data, *args]) == 1
    assert "There is no unit 'ATLANTIS'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*data, "export", "compliance", "--programme", "signa", "--from", "yesterday", "--to", "2026-01-01"])
    assert "'yesterday' is not a date" in capsys.readouterr().err


def test_a_crash_mid_write_leaves_the_old_file_and_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"%PDF the previous, complete sheet")
    with pytest.raises(RuntimeError), atomic_target(target) as partial:
        partial.write_bytes(b"%PDF half a sheet")
        raise RuntimeError("the laptop died here")
    assert target.read_bytes() == b"%PDF the previous, complete sheet"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_default_file_names_carry_the_marking_and_name_no_one(
    filled: tuple[Workspace, Session, list[Person]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, session, people = filled
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    monkeypatch.chdir(tmp_path)
    assert main([*data, "export", "attendance", session.uuid[:8], "--format", "csv"]) == 0
    [written] = list(tmp_path.glob("*.csv"))
    assert written.name == f"OFFICIAL-SENSITIVE-attendance-2026-10-05-NORTH-{session.uuid[:8]}.csv"
    assert not any(p.surname in written.name or p.staff_number in written.name for p in people)


def test_compliance_by_team_when_the_roster_records_teams(workspace: Workspace, tmp_path: Path) -> None:
    people = [
        Person(f"4{n:05d}", "A", f"B{n}", "NORTH", PersonRole.OFFICER, team="Response A" if n < 6 else "CID")
        for n in range(10)
    ]
    with workspace.db.atomic():
        workspace.db.execute("DELETE FROM people_search")
        workspace.db.execute("DELETE FROM people")
    roster.upsert_people(workspace.db, people)
    session_with_register(workspace, people[:5])  # statuses: 5 present among the Response A team
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf = tmp_path / "c.pdf"
    args = ["export", "compliance", "--programme", "signa", "--from", "2026-10-01", "--to", "2026-10-31"]
    assert main([*data, *args, "-o", str(pdf)]) == 0
    flat = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "Completion by team" in flat
    assert "North CID 4 0 0.0" in flat and "North Response A 6 5 83.3" in flat


def test_the_chase_list_reads_by_surname_whatever_its_case(workspace: Workspace, tmp_path: Path) -> None:
    """Welsh and Dutch surnames start in lower case ("ap Gwilym", "van Dijk"): listed among the others by their
    letters, not after every capitalised one."""
    people = [
        Person("500001", "Thị Lan", "Nguyễn", "NORTH", PersonRole.OFFICER),
        Person("500002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
        Person("500003", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
        Person("500004", "Daan", "van Dijk", "NORTH", PersonRole.STAFF),
    ]
    with workspace.db.atomic():
        workspace.db.execute("DELETE FROM people_search")
        workspace.db.execute("DELETE FROM people")
    roster.upsert_people(workspace.db, people)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    chase = tmp_path / "c.csv"
    args = ["export", "compliance", "--programme", "signa", "--from", "2026-10-01", "--to", "2026-10-31"]
    assert main([*data, *args, "--format", "csv", "-o", str(chase)]) == 0
    with chase.open(encoding="utf-8-sig", newline="") as handle:
        names = [r["name"] for r in csv.DictReader(handle)]
    assert names == ["Rhys ap Gwilym", "Thị Lan Nguyễn", "Daan van Dijk", "Aleksandra Wiśniewska"]


def test_a_long_name_on_the_compliance_report_breaks_between_words(workspace: Workspace, tmp_path: Path) -> None:
    """reportlab broke a name too wide for its column wherever the line ran out: 'Konstantyno / wicz'."""
    long_name = Person("710031", "Gruffydd ap Rhys", "Featherstonehaugh-Llewellyn-Konstantynowicz-Wiśniewska",
                       "NORTH", PersonRole.OFFICER)  # fmt: skip  # one word, wider than the name column
    roster.upsert_people(workspace.db, [long_name])
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf = tmp_path / "c.pdf"
    common = ["export", "compliance", "--programme", "signa", "--from", "2026-10-01", "--to", "2026-10-31"]
    assert main([*data, *common, "--unit", "NORTH", "-o", str(pdf)]) == 0
    words = " ".join(pdf_pages(pdf)).split()
    for whole in ("Gruffydd", "Featherstonehaugh-", "Llewellyn", "Konstantynowicz-", "Wiśniewska"):
        assert any(whole in word for word in words), whole
