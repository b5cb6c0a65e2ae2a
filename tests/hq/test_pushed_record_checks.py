"""A laptop that sends records no Trainer Desk writes: HQ refuses each one with a reason the laptop shows, takes
the good records beside them, and the console never shows what was refused. Someone on HQ's roster is shown
under their unit there, whatever unit the laptop said."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from tests.hq.console_kit import signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import records as hq_records


def register_rows(page: str) -> dict[str, str]:
    """Each register line of a session page, by staff number, as the text of its cells: name, status, unit,
    walk-in (the staff number is the last cell, read as the key)."""
    table = page.split("<caption>Register:", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, flags=re.S)
    found = {}
    for name, cells in rows:
        *values, number = re.findall(r"<td[^>]*>([^<]*)</td>", cells)
        found[number] = " | ".join([name, *values])
    return found


def test_records_no_laptop_writes_are_refused_one_by_one(hq: Hq, force: dict[str, str]) -> None:
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    room = session("NORTH", ("100234",))
    line = attendance(room, "710002")

    def bad(**changed: Any) -> dict[str, Any]:
        return item("attendance", {**attendance(room, "710003"), **changed})

    answers = laptop.push(
        item("session", room),
        bad(status=123),
        bad(walk_in="yes"),
        bad(walk_in=True, staff_number="W1", walk_in_name="Jo\x00 Bloggs"),
        bad(walk_in=True, staff_number="W2", walk_in_name="\x1b[31mJo Bloggs"),
        bad(walk_in=True, staff_number="W3", walk_in_name="Jo \u202esggolB"),
        bad(marked_at="1999-11-23T09:05:00+00:00"),
        bad(follow_up_due="2099-05-23"),
        item("attendance", line),
        item("attendance", attendance(room, "720001", unit="NORTH")),  # an EAST officer, said to be NORTH
    )
    assert answers[0] == ("created", "")
    assert answers[-2:] == [("created", "")] * 2  # the good records in the same batch go in
    refused = answers[1:-2]
    assert [status for status, _ in refused] == ["refused"] * 7
    reasons = [reason for _, reason in refused]
    assert "the attendance status is not one Trainer Desk records" in reasons[0]
    assert "whether they walked in is neither yes nor no" in reasons[1]
    assert all("the walk-in name holds control characters or marks that reverse text" in r for r in reasons[2:5])
    assert "the time it was marked is not between 2000 and two years from now" in reasons[5]
    assert "the follow-up date is not a date between 2000 and two years from now" in reasons[6]
    assert not any("Bloggs" in r or "sggolB" in r for r in reasons)  # a reason never repeats a name

    huge = {**session("NORTH", ("100234",)), "venue": "x" * 1_000_000}
    wrong_mode = {**session("NORTH", ("100234",)), "mode": "carrier pigeon"}
    backwards = session("NORTH", ("100234",))
    backwards["ends_at"] = (datetime.fromisoformat(backwards["starts_at"]) - timedelta(days=1)).isoformat()
    [(venue_status, venue_reason), (mode_status, mode_reason), (ends_status, ends_reason)] = laptop.push(
        item("session", huge), item("session", wrong_mode), item("session", backwards)
    )
    assert ends_status == "refused" and "the session ends before it starts" in ends_reason
    pasted = {**session("NORTH", ("100234",)), "venue": "Room 1\tNorthgate\n\u202eHQ"}  # as a paste brings it
    longest = {**attendance(pasted, "W9"), "walk_in": True, "walk_in_name": "A" * 80 + " " + "B" * 80}  # the longest
    assert laptop.push(item("session", pasted), item("attendance", longest)) == [("created", "")] * 2
    assert venue_status == "refused" and "the venue is longer than 200 characters" in venue_reason
    assert mode_status == "refused" and "the delivery mode is not one Trainer Desk records" in mode_reason
    # The two sessions of the force fixture with a line each, this one with its good two, and the pasted one's.
    assert hq_records.count_records(hq.engine) == 2 * 2 + 3 + 2

    lead = signed_in_http(hq, "hq.admin")
    page = lead.get(f"{hq.url}/console/sessions/{room['uuid']}", timeout=10)
    assert page.status_code == 200
    rows = register_rows(page.text)
    assert sorted(rows) == ["710002", "720001"]
    east_line = register_rows(lead.get(f"{hq.url}/console/sessions/{force['EAST']}", timeout=10).text)["720001"]
    north_line = register_rows(page.text)["710002"]
    east_unit, north_unit = east_line.split(" | ")[2], north_line.split(" | ")[2]
    assert east_unit != north_unit
    assert rows["720001"].split(" | ")[2] == east_unit  # counted in EAST, as HQ's roster has them
    dashboard = lead.get(f"{hq.url}/console/", timeout=10)
    assert dashboard.status_code == 200 and len(dashboard.content) < 200_000


def test_a_laptop_that_clashes_with_itself_is_not_told_another_laptop_did(hq: Hq) -> None:
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    room = session("NORTH", ("100234",))
    first = attendance(room, "710002")
    twice = [item("attendance", attendance(room, "710003")), item("attendance", attendance(room, "710003"))]
    answers = laptop.push(item("session", room), item("attendance", first), *twice)
    assert answers[:3] == [("created", "")] * 3
    assert answers[3] == (
        "refused",
        "already on this session's register from another line this laptop sent: they count once",
    )

    [(status, reason)] = laptop.push(item("attendance", {**first, "status": "late"}))
    assert status == "conflict"
    assert reason.startswith("this laptop already sent a different version 1 of this, and HQ kept the first")

    assert laptop.push(item("attendance", {**first, "status": "left-early"}, version=2)) == [("created", "")]
    stale = {**item("attendance", {**first, "status": "absent"}, version=3), "base_version": 1}
    [(status, reason)] = laptop.push(stale)
    assert (status, reason) == (
        "conflict",
        "based on version 1, but HQ's current version is 2: this laptop sent it earlier",
    )
