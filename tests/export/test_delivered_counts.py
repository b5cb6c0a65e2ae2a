"""The compliance report's "sessions delivered", trainers' hours and the sentence saying what its figures rest
on, as a training lead reads them: from the laptop's PDF, from the PDF HQ's console downloads, and on HQ's
dashboard. A session planned ahead has not been delivered, so it counts nowhere until it has; and printing
reports is not a change HQ is waiting for."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from tests.export.test_reports import pdf_pages
from tests.hq.console_kit import PASSWORD, admin, signed_in_http
from tests.hq_server import Hq
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance, delivery, roster, sessions
from trainer_desk.workspace import open_workspace

TRAINER = Person("100234", "Dafydd", "Rhys", "NORTH", PersonRole.OFFICER)
NORTH = [
    TRAINER,
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("710002", "Siôn", "ap Gwilym", "NORTH", PersonRole.STAFF),
]
TODAY = datetime.now().astimezone().date()
PERIOD = [(TODAY - timedelta(days=30)).isoformat(), (TODAY + timedelta(days=30)).isoformat()]


def flat_pdf(path: Path) -> str:
    return " ".join(" ".join(pdf_pages(path)).split())


def enrolled_laptop(hq: Hq, paths: AppPaths) -> list[str]:
    """A NORTH trainer's laptop, enrolled and synced through the command line as IT would set it up."""
    hq_roster.import_roster(hq.engine, NORTH)
    code = hq_devices.issue_code(hq.engine, TRAINER.staff_number, "NORTH")
    data = ["--data-dir", str(paths.data_dir)]
    assert main([*data, "enroll", hq.url, code]) == 0
    assert main([*data, "sync"]) == 0
    return data


def deliver_session(paths: AppPaths, day: date) -> Session:
    """A one-hour session delivered on `day` with one person present, closed as the trainer closes it."""
    starts = datetime.combine(day, time(9, 30)).astimezone().astimezone(UTC)
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        starts,
        trainers=(TRAINER.staff_number,),
    )
    workspace = open_workspace(paths)
    try:
        sessions.create_session(workspace.db, session, starts)
        person = roster.get_person(workspace.db, "710001")
        assert person is not None
        attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", starts)
        checklist = delivery.checklist_for(workspace.db, session, [])
        return delivery.close_session(workspace.db, session, checklist, "100234", starts + timedelta(hours=1))
    finally:
        workspace.close()


def compliance_pdf(data: list[str], target: Path) -> str:
    args = ["export", "compliance", "--programme", "signa", "--unit", "NORTH", "--from", PERIOD[0], "--to", PERIOD[1]]
    assert main([*data, *args, "-o", str(target)]) == 0
    return flat_pdf(target)


def test_a_planned_session_is_not_counted_as_delivered_on_the_laptop_at_hq_or_on_the_dashboard(
    hq: Hq, paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = enrolled_laptop(hq, paths)
    deliver_session(paths, TODAY - timedelta(days=10))
    plan = ["sessions", "plan", "--plan", "signa-core", "--venue", "Training room 2", "--unit", "NORTH"]
    for days_ahead in (7, 14):  # planned ahead by the lead, for the same trainer
        when = f"{(TODAY + timedelta(days=days_ahead)).isoformat()}T09:30"
        assert main([*data, *plan, "--at", when, "--trainer", TRAINER.staff_number]) == 0
    assert main([*data, "sync"]) == 0

    laptop = compliance_pdf(data, tmp_path / "laptop.pdf")
    # Counted from the sessions the laptop holds, as the sheet says: HQ's counts every laptop's.
    assert "1 session delivered (of the sessions this laptop holds; HQ's console counts every laptop's)." in laptop
    # An enrolled laptop holds only the feedback taken on it and phones' answers: the rest is at HQ, as it says.
    assert "Forms taken on other laptops are held at HQ" in laptop
    assert "Dafydd Rhys (100234) 1 1.0" in laptop  # the delivered hour, not the planned sessions too

    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "hq.admin", "--role", "admin"]) == 0
    console = signed_in_http(hq, "hq.admin")
    period = {"start": PERIOD[0], "end": PERIOD[1]}
    download = console.get(
        hq.url + "/console/reports/compliance",
        params={"programme": "signa", "unit": "NORTH", **period, "format": "pdf"},
        timeout=30,
    )
    assert download.status_code == 200, download.text
    (tmp_path / "hq.pdf").write_bytes(download.content)
    at_hq = flat_pdf(tmp_path / "hq.pdf")
    assert "1 session delivered." in at_hq
    assert "Dafydd Rhys (100234) 1 1.0" in at_hq

    dashboard = console.get(hq.url + "/console/", params={"programme": "signa", "unit": "NORTH", **period}, timeout=30)
    row = re.search(r"Sessions of Signa delivered, [^<]*</th>\s*<td[^>]*>(\d+)</td>", dashboard.text)
    assert row is not None and row.group(1) == "1"


def test_printing_reports_on_a_synced_laptop_leaves_nothing_waiting_for_hq(
    hq: Hq, paths: AppPaths, tmp_path: Path
) -> None:
    data = enrolled_laptop(hq, paths)
    session = deliver_session(paths, TODAY - timedelta(days=3))
    assert main([*data, "sync"]) == 0

    compliance_pdf(data, tmp_path / "first.pdf")
    second = compliance_pdf(data, tmp_path / "second.pdf")  # the first export's audit entry is in the outbox
    assert "As of the last sync with HQ" in second
    assert "waiting" not in second

    workspace = open_workspace(paths)
    late = roster.get_person(workspace.db, "710002")
    assert late is not None
    reason = "Signed the paper sheet; missed off the register"
    attendance.add_attendee(
        workspace.db, session, late, AttendanceStatus.PRESENT, "100234", session.starts_at, reason=reason
    )
    workspace.close()
    third = compliance_pdf(data, tmp_path / "third.pdf")
    assert "1 record from this laptop is still waiting to be sent to HQ." in third
