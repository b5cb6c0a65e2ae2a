"""`trainer-desk sessions`: a session planned ahead from a booking list (as Excel saves it), listed, shown, and
its sign-in sheet printed before the day with the expected people on it."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.dates import ahead, long_date
from tests.export.test_reports import pdf_pages
from tests.file_keyring import FileKeyring
from tests.memory_keyring import MemoryKeyring
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance, exemptions, roster, sessions
from trainer_desk.workspace import open_workspace

AHEAD = ahead()  # the day the sessions here are planned for
BOOKED = [
    Person("720001", "Małgorzata", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("720002", "Siôn", "ap Dafydd", "NORTH", PersonRole.STAFF),
    Person("720003", "Thị Hương", "Nguyễn", "EAST", PersonRole.OFFICER),
    Person("720004", "فاطمة", "الزهراء", "EAST", PersonRole.STAFF),
]


@pytest.fixture
def data(paths: AppPaths) -> list[str]:
    workspace = open_workspace(paths)
    roster.upsert_people(workspace.db, BOOKED)
    workspace.close()
    return ["--data-dir", str(paths.data_dir)]


def booking_list(folder: Path, people: list[Person]) -> Path:
    """As Excel's 'Unicode Text' saves it: UTF-16 with a byte-order mark, tab-separated, CRLF."""
    lines = ["Staff Number\tFirst Name\tLast Name\tUnit\tType"]
    lines += [f"{p.staff_number}\t{p.forename}\t{p.surname}\t{p.unit_code}\t{p.role.value}" for p in people]
    path = folder / "booked.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def test_a_session_planned_from_a_booking_list_prints_its_sign_in_sheet_before_the_day(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Training room 2"]
    who = ["--unit", "north", "--trainer", "100234", "--expect", str(booking_list(tmp_path, BOOKED))]
    who += ["--wellbeing-contact", "Sgt Dafydd Rhys, Wellbeing, 01632 960777"]
    assert main([*data, *plan, *who]) == 0
    assert "4 expected" in capsys.readouterr().out
    assert main([*data, "sessions", "list"]) == 0
    listed = capsys.readouterr().out
    assert "planned" in listed and "4 on the register" in listed and "Training room 2" in listed
    short = listed.split()[0]
    assert main([*data, "sessions", "show", short]) == 0
    shown = capsys.readouterr().out
    assert "Małgorzata Wiśniewska" in shown and "Absent" in shown
    assert "wellbeing contact: Sgt Dafydd Rhys, Wellbeing, 01632 960777" in shown
    sheet = tmp_path / "sign-in.pdf"
    assert main([*data, "export", "sign-in", short, "-o", str(sheet)]) == 0
    text = " ".join(pdf_pages(sheet))
    assert all(p.staff_number in text for p in BOOKED) and "Wiśniewska" in text and long_date(AHEAD) in text
    workspace = open_workspace(paths)
    [session] = sessions.list_sessions(workspace.db)
    register = attendance.register(workspace.db, session.uuid)
    workspace.close()
    assert session.status is SessionStatus.PLANNED and session.unit_code == "NORTH"
    assert {line.attendance.status for line in register} == {AttendanceStatus.ABSENT}  # booked until they come


def test_a_booking_list_naming_someone_not_on_the_roster_plans_nothing(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stranger = Person("799999", "Nobody", "Known", "NORTH", PersonRole.STAFF)
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Room 1"]
    who = ["--unit", "NORTH", "--trainer", "100234", "--expect", str(booking_list(tmp_path, [*BOOKED, stranger]))]
    assert main([*data, *plan, *who]) == 1
    error = capsys.readouterr().err
    assert "booked.csv" in error and "799999" in error and "not on the roster" in error
    assert main([*data, *plan[:-2], "--venue", "Room 1", "--unit", "NOWHERE", "--trainer", "100234"]) == 1
    assert "Unknown unit 'NOWHERE'" in capsys.readouterr().err
    workspace = open_workspace(paths)
    assert sessions.list_sessions(workspace.db) == []
    workspace.close()


def test_a_session_is_not_planned_for_a_day_gone_by_nor_twice(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A slip of the year, or the same booking list run again: refused, saying why, and nothing planned."""
    who = ["--unit", "NORTH", "--trainer", "100234", "--expect", str(booking_list(tmp_path, BOOKED))]
    gone = f"{date.today() - timedelta(days=365)}T09:30"
    assert main([*data, "sessions", "plan", "--plan", "signa-core", "--at", gone, "--venue", "Room 1", *who]) == 1
    assert "already gone by" in capsys.readouterr().err
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Room 1"]
    assert main([*data, *plan, *who]) == 0
    capsys.readouterr()
    again = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", " room  1 "]
    assert main([*data, *again, *who]) == 1
    assert "Already planned" in capsys.readouterr().err
    workspace = open_workspace(paths)
    try:
        [session] = sessions.list_sessions(workspace.db)
        assert len(attendance.register(workspace.db, session.uuid)) == len(BOOKED)  # booked once, not twice
    finally:
        workspace.close()


def test_people_due_at_another_session_then_are_named_and_planned_only_when_meant(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lead plans a second room at 10:00 with the trainer and two people of the first, which runs from 09:30
    for an hour: refused, naming both people and the trainer's other room; with --anyway, planned. At 10:30,
    once the first has ended, nobody is due elsewhere."""
    first = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Room 1"]
    who = ["--unit", "NORTH", "--trainer", "100234", "--expect", str(booking_list(tmp_path, BOOKED[:2]))]
    assert main([*data, *first, *who]) == 0
    capsys.readouterr()
    second = ["sessions", "plan", "--plan", "upstander", "--at", f"{AHEAD}T10:00", "--venue", "Room 2", *who]
    assert main([*data, *second]) == 1
    said = capsys.readouterr().err
    room_1 = f"Signa: sexism, misogyny and sexual harassment at work, {AHEAD} 09:30, Room 1"
    assert "3 of the people named are due at another session at that time" in said
    assert f"Małgorzata Wiśniewska (720001) is booked on {room_1}" in said
    assert f"Siôn ap Dafydd (720002) is booked on {room_1}" in said
    assert f"100234 trains {room_1}" in said  # the trainer, not on this laptop's roster
    assert main([*data, *second, "--anyway"]) == 0
    later = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T11:15", "--venue", "Room 1"]
    assert main([*data, *later, "--unit", "NORTH", "--trainer", "100234"]) == 0  # 10:00 and 75 minutes: free
    workspace = open_workspace(paths)
    try:
        assert len(sessions.list_sessions(workspace.db)) == 3
    finally:
        workspace.close()


def test_moving_or_reassigning_a_planned_session_onto_a_clash_is_said_and_done_only_when_meant(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Room 1 runs from 09:30 with two people booked; Room 2 is planned for the afternoon. Moving Room 2 to
    09:45 would put its trainer in both rooms, and giving it to someone booked on Room 1 would too: each is
    refused, naming them, and done with --anyway. Planning was checked; a move was not."""
    room_1 = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Room 1"]
    booked = ["--expect", str(booking_list(tmp_path, BOOKED[:2]))]
    assert main([*data, *room_1, "--unit", "NORTH", "--trainer", "100234", *booked]) == 0
    room_2 = ["sessions", "plan", "--plan", "upstander", "--at", f"{AHEAD}T14:00", "--venue", "Room 2"]
    assert main([*data, *room_2, "--unit", "NORTH", "--trainer", "100234"]) == 0
    workspace = open_workspace(paths)
    try:
        (second,) = [s.uuid for s in sessions.list_sessions(workspace.db) if s.venue == "Room 2"]
    finally:
        workspace.close()
    capsys.readouterr()

    move = ["sessions", "move", second[:8], "--at", f"{AHEAD}T09:45", "--by", "100234"]
    assert main([*data, *move]) == 1
    said = capsys.readouterr().err
    assert "Not changed: 1 of the people named is due at another session at that time" in said
    assert f"100234 trains Signa: sexism, misogyny and sexual harassment at work, {AHEAD} 09:30, Room 1" in said
    assert main([*data, *move, "--anyway"]) == 0
    assert "moved" in capsys.readouterr().out

    assign = ["sessions", "assign", second[:8], "--trainer", "720001", "--by", "100234"]
    assert main([*data, *assign]) == 1
    assert "Małgorzata Wiśniewska (720001) is booked on Signa" in capsys.readouterr().err
    assert main([*data, *assign, "--anyway"]) == 0
    workspace = open_workspace(paths)
    try:
        moved = sessions.get_session(workspace.db, second)
        assert moved is not None and moved.trainers == ("720001",)
        assert f"{moved.starts_at.astimezone():%H:%M}" == "09:45"
    finally:
        workspace.close()


def test_a_trainer_on_the_booking_list_is_not_booked_on_their_own_session(
    data: list[str], paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Room 1"]
    booked = ["--expect", str(booking_list(tmp_path, BOOKED[:2]))]
    assert main([*data, *plan, "--unit", "NORTH", "--trainer", "720001", *booked]) == 0
    assert capsys.readouterr().out.rstrip().endswith("1 expected")
    workspace = open_workspace(paths)
    try:
        (session,) = sessions.list_sessions(workspace.db)
        on_register = [line.attendance.staff_number for line in attendance.register(workspace.db, session.uuid)]
        assert on_register == ["720002"]
    finally:
        workspace.close()


def test_someone_is_excused_from_a_programme_from_the_command_line(
    data: list[str], paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    exempt = ["roster", "exempt", "720003", "--programme", "signa", "--by", "100800"]
    assert main([*data, *exempt, "--reason", "long-term sick leave"]) == 0
    assert "720003 exempt for signa" in capsys.readouterr().out
    assert main([*data, *exempt, "--reason", " "]) == 1
    assert "Give the reason" in capsys.readouterr().err
    assert main([*data, *exempt[:2], "799999", *exempt[3:], "--reason", "x"]) == 1
    assert "799999 is on the roster" in capsys.readouterr().err
    mistyped = ["roster", "exempt", "720004", "--programme", "signaa", "--by", "100800", "--reason", "secondment"]
    assert main([*data, *mistyped]) == 1
    assert "There is no programme 'signaa'" in capsys.readouterr().err
    titled = ["roster", "exempt", "720004", "--programme", "Signa", "--by", "100800", "--reason", "secondment"]
    assert main([*data, *titled]) == 0  # the title, as the sheets spell it
    assert "720004 exempt for signa" in capsys.readouterr().out
    workspace = open_workspace(paths)
    kinds = exemptions.for_programme(workspace.db, "signa")
    workspace.close()
    assert kinds == {"720003": ExemptionKind.EXEMPT, "720004": ExemptionKind.EXEMPT}


def test_paper_feedback_forms_print_one_page_per_person_with_the_plan_s_objectives_and_no_names(
    data: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{AHEAD}T09:30", "--venue", "Training room 2"]
    who = ["--unit", "NORTH", "--trainer", "100234", "--expect", str(booking_list(tmp_path, BOOKED))]
    assert main([*data, *plan, *who]) == 0
    assert main([*data, "sessions", "list"]) == 0
    short = capsys.readouterr().out.splitlines()[-1].split()[0]

    forms = tmp_path / "forms.pdf"
    assert main([*data, "export", "feedback-form", short, "-o", str(forms)]) == 0
    pages = pdf_pages(forms)
    assert len(pages) == len(BOOKED)  # one per person booked
    signa = load_library(bundled("lesson_plans")).get("signa-core")
    assert signa is not None
    first = " ".join(pages[0].split())
    assert "Would you recommend this training to a colleague?" in first and "If not, why not?" in first
    assert all(" ".join(o.text.split())[:40] in first for o in signa.objectives)
    for n, objective in enumerate(signa.objectives, start=1):  # numbered as the keying grid numbers them
        assert f"Aim {n} {' '.join(objective.text.split())[:20]}" in first
    assert long_date(AHEAD) in first and "Training room 2" in first
    assert not any(p.surname in " ".join(pages) or p.staff_number in " ".join(pages) for p in BOOKED)

    assert main([*data, "export", "feedback-form", short, "--copies", "30", "-o", str(forms)]) == 0
    assert len(pdf_pages(forms)) == 30
    assert main([*data, "export", "feedback-form", short, "--copies", "0", "-o", str(forms)]) == 1  # not 20
    assert "Print between 1 and 500 feedback forms" in capsys.readouterr().err
    assert main([*data, "export", "feedback-form", short, "--format", "csv"]) == 1
    assert "The feedback form is for printing: choose PDF." in capsys.readouterr().err


def test_a_listing_read_only_in_part_ends_quietly(data: list[str], memory_keyring: MemoryKeyring) -> None:
    """`trainer-desk sessions list | head` called itself a fault in the program when head stopped reading."""
    for (service, name), secret in memory_keyring.secrets.items():  # the database key, for the child too
        FileKeyring().set_password(service, name, secret)
    for day in range(1, 29):
        plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{ahead(60 + day)}T09:30", "--venue", "Room 1"]
        assert main([*data, *plan, "--unit", "NORTH", "--trainer", "720001"]) == 0
    listing = subprocess.Popen(
        [sys.executable, "-m", "trainer_desk", *data, "sessions", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert listing.stdout is not None and listing.stderr is not None
    fcntl.fcntl(listing.stdout, fcntl.F_SETPIPE_SZ, 4096)  # a page: the listing is longer than the pipe holds
    first = listing.stdout.readline()
    listing.stdout.close()  # as head does after its lines
    said = listing.stderr.read().decode()
    listing.stderr.close()
    assert listing.wait(timeout=60) == 0, said
    assert first and said == ""
