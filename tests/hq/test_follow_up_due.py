"""The six-month follow-up's due list: people who first completed a programme with follow-up questions six
months to a year ago, with the email the HR export gives, for the force's mailer; the email stays at HQ, never
reaching a laptop's pull or database."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.hq.console_kit import admin
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.roster_problems import RosterFileError
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import utc_now
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from trainer_desk.workspace import Workspace

LONDON = ZoneInfo("Europe/London")
HR_EXPORT = [
    "Staff Number,First Name,Last Name,Unit,Type,E-mail address",
    "710001,Aleksandra,Wiśniewska,NORTH,officer,a.wisniewska@example.police.uk",
    "710002,Rhys,ap Gwilym,NORTH,staff,Rhys.apGwilym@example.police.uk",
    "710003,Nguyễn,Thị Lan,NORTH,officer,",
]


def hr_export(folder: Path, lines: list[str]) -> Path:
    path = folder / "hr-export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_the_due_list_names_those_six_months_on_with_their_email_and_laptops_never_see_it(
    hq: Hq, tmp_path: Path, workspace: Workspace
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    read = hq_roster.read_roster_file(hq.engine, hr_export(tmp_path, HR_EXPORT))
    hq_roster.import_roster(hq.engine, read.people)
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    for months, number in ((7, "710001"), (2, "710002"), (7, "710003")):
        started = {**session("NORTH"), "starts_at": (utc_now() - timedelta(days=30 * months)).isoformat()}
        assert (
            laptop.push(item("session", started), item("attendance", attendance(started, number)))
            == [("created", "")] * 2
        )

    listed = tmp_path / "due.csv"
    typed = [sys.executable, "-m", "trainer_desk.hq.cli", *admin(hq), "follow-up", "due", "--link-base", hq.url]
    ran = subprocess.run([*typed, "-o", str(listed)], capture_output=True, text=True, timeout=120)  # as HQ runs it
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "wrote" in ran.stdout and "2 due" in ran.stdout
    rows = list(csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    assert [(r["staff_number"], r["email"], r["programme"]) for r in rows] == [
        ("710003", "", "signa"),  # due too, with no address: the force reaches them another way
        ("710001", "a.wisniewska@example.police.uk", "signa"),
    ]  # by surname; 710002 completed two months ago: not yet
    assert rows[0]["link"] == "" and rows[1]["link"].startswith(hq.url + "/feedback/follow-up/")
    form = requests.get(rows[1]["link"], timeout=10)  # the personal link the force's mailer sends works
    assert form.status_code == 200 and "six months on" in form.text

    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100235", "NORTH"))
    pulled = requests.get(
        hq.url + "/v1/changes",
        params={"since": 0},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {laptop.token}"},
        timeout=10,
    )
    assert pulled.status_code == 200 and "Wiśniewska" in pulled.text
    assert "@" not in pulled.text  # the roster laptops pull carries no address
    hq_link.sync_once(workspace)
    tables = [r[0] for r in workspace.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    held = "".join(str(workspace.db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in tables)
    assert "Wiśniewska" in held and "example.police.uk" not in held  # the person, never the address


def test_a_cell_that_is_not_an_email_address_is_named_by_row(hq: Hq, tmp_path: Path) -> None:
    lines = [*HR_EXPORT[:2], "710002,Rhys,ap Gwilym,NORTH,staff,07700 900123"]
    with pytest.raises(RosterFileError) as refused:
        hq_roster.read_roster_file(hq.engine, hr_export(tmp_path, lines))
    assert [str(p) for p in refused.value.problems] == ['row 3, column F "E-mail address": is not an email address']


def test_the_due_list_dates_a_completion_by_the_force_s_day(hq: Hq, tmp_path: Path) -> None:
    """Trained at 00:30 on a summer morning (BST), 23:30 the evening before in UTC, as HQ keeps it: the due list
    says the day the room met."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, hq_roster.read_roster_file(hq.engine, hr_export(tmp_path, HR_EXPORT)).people)
    today = utc_now().date()
    held = next(  # a summer day six months to a year ago: one always falls in the window
        day
        for day in (today - timedelta(days=n) for n in range(200, 360))
        if datetime.combine(day, time(0, 30), LONDON).utcoffset() == timedelta(hours=1)
    )
    starts = datetime.combine(held, time(0, 30), LONDON).astimezone(UTC)  # the evening before, in UTC
    night = {**session("NORTH"), "starts_at": starts.isoformat()}
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    assert laptop.push(item("session", night), item("attendance", attendance(night, "710001"))) == [("created", "")] * 2
    listed = tmp_path / "due.csv"
    assert hq_main([*admin(hq), "follow-up", "due", "--link-base", hq.url, "-o", str(listed)]) == 0
    rows = list(csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    assert [(r["staff_number"], r["completed_on"]) for r in rows] == [("710001", held.isoformat())]
