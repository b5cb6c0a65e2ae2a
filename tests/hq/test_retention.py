"""Retention at HQ: the records of someone who left more than the schedule's years ago go (their roster line,
the registrations that count for them, their exemptions), and nobody else's; nothing goes without --apply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.hq.console_kit import FORCE, admin
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import schema
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.completions import catch_up
from trainer_desk.hq.database import utc_now


def test_records_of_people_who_left_long_ago_go_and_nobody_elses(hq: Hq, capsys: pytest.CaptureFixture[str]) -> None:
    hq_roster.import_roster(hq.engine, FORCE)
    north = session("NORTH", ("100234",))
    stays, goes = attendance(north, "710001"), attendance(north, "710002")
    excused = {"uuid": new_uuid(), "staff_number": "710002", "programme_id": "signa", "kind": "exempt",
               "reason": "secondment", "recorded_by": "100800", "recorded_at": "2019-01-01T09:00:00+00:00"}  # fmt: skip
    later = session("NORTH", ("100234",))
    typed = {**attendance(later, "710002"), "walk_in": True, "walk_in_name": "Rhys ap Gwilym"}  # dismissed at HQ
    old_entry = {"uuid": new_uuid(), "at": "2017-03-01T09:00:00+00:00", "actor": "710002", "action": "export",
                 "detail": "sign-in sheet for Rhys ap Gwilym's session"}  # fmt: skip
    new_entry = {**old_entry, "uuid": new_uuid(), "at": utc_now().isoformat(), "detail": "this week's"}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(
            item("session", north), item("attendance", stays), item("attendance", goes), item("exemption", excused),
            item("session", later), item("attendance", typed), item("audit", old_entry), item("audit", new_entry),
        )
        == [("created", "")] * 8
    )  # fmt: skip
    assert hq_main([*admin(hq), "walk-ins", "dismiss", typed["uuid"], "--reason", "a test entry"]) == 0
    hq_roster.import_roster(hq.engine, [p for p in FORCE if p.staff_number not in ("710002", "710003")])
    long_ago = (utc_now() - timedelta(days=7 * 366)).date().isoformat()
    with hq.engine.begin() as conn:  # 710002 left seven years ago; 710003 only today
        conn.execute(update(schema.roster).where(schema.roster.c.staff_number == "710002").values(left_at=long_ago))

    assert hq_main([*admin(hq), "retention", "--years", "6"]) == 0
    assert "would remove 1 person who left before" in capsys.readouterr().out
    with hq.engine.connect() as conn:
        still = select(schema.roster.c.staff_number).where(schema.roster.c.staff_number == "710002")
        assert conn.execute(still).first() is not None  # nothing went yet

    assert hq_main([*admin(hq), "retention", "--years", "6", "--apply"]) == 0
    said = capsys.readouterr().out
    assert "removed 1 person" in said and "with 2 registrations and 1 exemption;" in said
    catch_up(hq.engine)
    with hq.engine.connect() as conn:
        roster_left = set(conn.execute(select(schema.roster.c.staff_number)).scalars())
        registrations = set(
            conn.execute(select(schema.records.c.uuid).where(schema.records.c.entity == "attendance")).scalars()
        )
        exemptions = conn.execute(select(schema.records.c.uuid).where(schema.records.c.entity == "exemption")).all()
        credited = set(conn.execute(select(schema.completions.c.staff_number)).scalars())
        trail = [r.action for r in conn.execute(select(schema.hq_audit))]
    assert "710002" not in roster_left and "710003" in roster_left  # the recent leaver is kept
    assert registrations == {stays["uuid"]} and exemptions == [] and credited == {"710001"}
    assert "records removed" in trail
    with hq.engine.connect() as conn:
        kept_audit = set(
            conn.execute(select(schema.records.c.uuid).where(schema.records.c.entity == "audit")).scalars()
        )
        left_anywhere = [
            r.entity for r in conn.execute(select(schema.records.c.entity, schema.records.c.payload))
            if "Gwilym" in r.payload or "710002" in r.payload
        ]  # fmt: skip
    assert kept_audit == {new_entry["uuid"]}  # a laptop's audit entries go after as long as HQ's own
    assert left_anywhere == ["audit"]  # this week's entry, which names him still, and goes in its time


@pytest.mark.parametrize("years", ["0", "100000"])
def test_a_schedule_of_years_no_force_keeps_is_refused_in_words(
    hq: Hq, capsys: pytest.CaptureFixture[str], years: str
) -> None:
    """100,000 years was a date too far for Python to count back to, and the command ended in a traceback."""
    hq_roster.import_roster(hq.engine, FORCE)
    assert hq_main([*admin(hq), "retention", "--years", years, "--apply"]) == 1
    said = capsys.readouterr()
    assert "Give the years to keep records as a whole number from 1 to 100." in said.err
    assert "Traceback" not in said.err
    with hq.engine.connect() as conn:
        assert len(conn.execute(select(schema.roster.c.staff_number)).all()) == len(FORCE)
