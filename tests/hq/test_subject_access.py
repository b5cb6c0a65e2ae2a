"""A subject access request answered from the console: one person's roster entry, registrations (including
a walk-in HQ matched to them) and sessions, downloaded as JSON and read back; audited; for administrators only."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.hq.console_kit import said_at, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.hq import subject_access, walk_ins


def test_an_administrator_exports_what_hq_holds_about_one_person(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    north, later = session("NORTH", ("100234",)), session("NORTH", ("100234",))
    typo = {**attendance(north, "71OOO2"), "walk_in": True, "walk_in_name": "Rhys ap Gwilym"}
    dismissed = {**attendance(later, "710002"), "walk_in": True, "walk_in_name": "R. ap Gwilym"}
    exported = {"uuid": new_uuid(), "at": "2026-11-23T12:00:00+00:00", "actor": "710002", "action": "export",
                "detail": "attendance sheet"}  # fmt: skip
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(
            item("session", north), item("attendance", typo), item("attendance", attendance(north, "710001")),
            item("session", later), item("attendance", dismissed), item("audit", exported),
        )
        == [("created", "")] * 6
    )  # fmt: skip
    walk_ins.match(hq.engine, typo["uuid"], "710002")
    walk_ins.dismiss(hq.engine, dismissed["uuid"], "signed in twice")  # counts for nobody, but names him

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Staff number").fill("710002")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    found = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert found["roster entry"]["forename"] == "Rhys" and found["roster entry"]["surname"] == "ap Gwilym"
    assert len(found["registrations"]) == 2  # the walk-in HQ matched to him, the one dismissed, nobody else's
    registration = next(r for r in found["registrations"] if r["registration id"] == typo["uuid"])
    assert "dismissed: signed in twice" in next(
        r["correction at HQ"] for r in found["registrations"] if r["registration id"] == dismissed["uuid"]
    )
    assert [e["detail"] for e in found["what laptops recorded them doing"]] == ["attendance sheet"]
    assert registration["name given"] == "Rhys ap Gwilym" and "matched to 710002" in registration["correction at HQ"]
    assert registration["session"]["unit"] == "NORTH" and registration["status"] == "Present"
    assert "710001" not in json.dumps(found)  # the rest of the room is not his data

    page.goto(hq.url + "/console/subject-access")
    page.get_by_label("Staff number").fill("799999")
    page.get_by_role("button", name="Export").click()
    said_at(page.get_by_label("Staff number"), re.compile("HQ holds nothing about staff number 799999"))
    expect(page.get_by_label("Staff number")).to_have_value("799999")  # to correct a digit, not type it all again

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("table")).to_contain_text("subject access export")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    answer = page.goto(hq.url + "/console/subject-access")
    assert answer is not None and answer.status == 403


def test_a_trainer_no_longer_on_the_roster_still_gets_the_sessions_they_trained(hq: Hq, force: dict[str, str]) -> None:
    north = session("NORTH", ("100234", "100777"))  # a co-trainer from another force, never on this roster
    assert RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", north)) == [("created", "")]
    found = subject_access.export(hq.engine, hq.blobs, "100777")
    assert found["roster entry"] is None and found["registrations"] == []
    assert [s["session id"] for s in found["sessions trained"]] == [north["uuid"]]
