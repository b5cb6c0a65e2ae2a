"""Each record is its own laptop's: another laptop's change is refused item by item, with a reason, and the
owner's later corrections still arrive. A session assigned to a laptop is that laptop's to record in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from tests.store.test_sessions import make_session
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import devices, schema, units
from trainer_desk.hq import records as hq_records
from trainer_desk.store import attendance as attendance_store
from trainer_desk.store import outbox, roster, sessions
from trainer_desk.workspace import Workspace

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def stored(hq: Hq, uuid: str) -> dict[str, object]:
    [row] = [r for r in hq_records.registrations(hq.engine) if r["uuid"] == uuid]
    return row


def test_a_laptop_cannot_change_another_laptops_records_and_the_owners_corrections_still_arrive(hq: Hq) -> None:
    owner = RawLaptop.enrolled(hq, "100111")
    other = RawLaptop.enrolled(hq, "100222")
    room = session(trainers=("100111",))
    first, second = attendance(room, "600001"), attendance(room, "600002", unit="SOUTH")  # visitors are normal
    assert [s for s, _ in owner.push(item("session", room), item("attendance", first), item("attendance", second))] == [
        "created"
    ] * 3

    elsewhere = session(unit="SOUTH", trainers=("100222",))
    own_room = session(trainers=("100222",))
    answers = other.push(
        item("attendance", {**first, "status": "absent"}, version=2),  # overwrite the owner's line
        item("attendance", second, version=2, op="delete"),  # delete another
        item("attendance", attendance(room, "600003")),  # add a line to the owner's session
        item("session", elsewhere),  # a session for a unit this laptop does not record for
        item("attendance", attendance(elsewhere, "600004", unit="SOUTH")),
        item("session", {**room, "trainers": ["100222"]}, version=2),  # take the owner's session over
        item("session", own_room),  # its own work, in the same batch, is still taken
        item("attendance", attendance(own_room, "600005")),
    )
    assert [s for s, _ in answers] == ["refused"] * 6 + ["created"] * 2
    reasons = [r for _, r in answers]
    assert "recorded by another laptop" in reasons[0] and "recorded by another laptop" in reasons[1]
    assert "not assigned to this laptop's trainer" in reasons[2]
    assert reasons[3] == "this session is for South, and this laptop records for North"
    assert "HQ has no such session" in reasons[4]
    assert "recorded by another laptop" in reasons[5]

    # Nothing of the refused items was stored, nor flagged as a conflict; the owner's corrections arrive.
    assert stored(hq, first["uuid"])["status"] == "present" and not stored(hq, first["uuid"])["conflicted"]
    assert not stored(hq, second["uuid"])["deleted"]
    late = {**first, "status": "late"}
    assert owner.push(
        item("attendance", late, version=2), item("attendance", {**late, "status": "absent"}, version=3)
    ) == [
        ("created", ""),
        ("created", ""),
    ]
    assert owner.push(item("attendance", second, version=2, op="delete")) == [("created", "")]
    assert stored(hq, first["uuid"])["status"] == "absent" and stored(hq, first["uuid"])["version"] == 3
    assert stored(hq, second["uuid"])["deleted"]

    # HQ knows who created each record, whoever changed it last.
    with hq.engine.connect() as conn:
        creators = {
            r.uuid: r.created_by for r in conn.execute(select(schema.records.c.uuid, schema.records.c.created_by))
        }
    assert len(set(creators.values())) == 2 and creators[first["uuid"]] == creators[room["uuid"]]
    assert creators[own_room["uuid"]] != creators[room["uuid"]]


def test_a_session_planned_elsewhere_is_the_assigned_trainers_laptop_to_record(hq: Hq) -> None:
    planner = RawLaptop.enrolled(hq, "100900")
    trainer = RawLaptop.enrolled(hq, "100111")
    stranger = RawLaptop.enrolled(hq, "100222")
    planned = session(trainers=("100111",), status="planned")
    assert planner.push(item("session", planned)) == [("created", "")]
    line = attendance(planned, "600001")
    assert trainer.push(item("attendance", line), item("session", {**planned, "status": "closed"}, version=2)) == [
        ("created", ""),
        ("created", ""),
    ]
    # The trainer's laptop corrects its own line; the planner's laptop may correct what is recorded in its session.
    assert trainer.push(item("attendance", {**line, "status": "late"}, version=2)) == [("created", "")]
    assert planner.push(item("attendance", {**line, "status": "absent"}, version=3)) == [("created", "")]
    [(status, reason)] = stranger.push(item("attendance", {**line, "status": "present"}, version=4))
    assert status == "refused" and "recorded by another laptop" in reason
    assert stored(hq, line["uuid"])["status"] == "absent"


def test_a_session_given_to_a_trainer_of_another_unit_is_recorded_by_that_trainer_s_laptop(hq: Hq) -> None:
    """North's lead plans a North session for a trainer whose laptop records for East: that laptop records
    its delivery and register; another East laptop may not, and the session stays North's."""
    lead = RawLaptop.enrolled(hq, "100800", role="training_lead")
    trainer = RawLaptop.enrolled(hq, "720900", unit="EAST")
    stranger = RawLaptop.enrolled(hq, "720901", unit="EAST")
    planned = session(trainers=("720900",), status="planned")
    assert lead.push(item("session", planned)) == [("created", "")]
    line = attendance(planned, "600001")
    running = {**planned, "status": "running"}
    assert trainer.push(item("session", running, version=2), item("attendance", line)) == [("created", "")] * 2
    assert trainer.push(item("attendance", {**line, "status": "late"}, version=2)) == [("created", "")]
    [(status, reason)] = stranger.push(item("attendance", {**line, "status": "absent"}, version=3))
    assert status == "refused"
    [(status, reason)] = trainer.push(item("session", {**running, "unit_code": "EAST"}, version=3))
    assert (
        status == "refused"
        and reason == "this session is for North: only whoever planned it may give it to another unit"
    )
    [held] = [s for s in hq_records.live_sessions(hq.engine) if s.uuid == planned["uuid"]]
    assert held.payload["unit_code"] == "NORTH" and held.payload["status"] == "running"
    assert stored(hq, line["uuid"])["status"] == "late"


def test_a_training_lead_corrects_records_of_its_own_units_sessions_only(hq: Hq) -> None:
    trainer = RawLaptop.enrolled(hq, "100111")
    room = session(trainers=("100111",))
    line = attendance(room, "600001")
    trainer.push(item("session", room), item("attendance", line))
    lead_elsewhere = RawLaptop.enrolled(hq, "100700", unit="SOUTH", role="training_lead")
    lead = RawLaptop.enrolled(hq, "100800", role="training_lead")
    [(status, _)] = lead_elsewhere.push(item("attendance", {**line, "status": "absent"}, version=2))
    assert status == "refused"
    assert lead.push(item("attendance", {**line, "status": "left-early"}, version=2)) == [("created", "")]
    assert stored(hq, line["uuid"])["status"] == "left-early"


def test_a_replay_of_an_identical_record_is_a_duplicate_whoever_sends_it(hq: Hq) -> None:
    """A laptop enrolled again gets a new device: the records it sent before are still acknowledged, and
    those in its trainer's sessions are still its to correct."""
    before = RawLaptop.enrolled(hq, "100111")
    room = session(trainers=("100111",))
    line = attendance(room, "600001")
    before.push(item("session", room), item("attendance", line))
    again = RawLaptop.enrolled(hq, "100111")
    assert again.push(item("attendance", line)) == [("duplicate", "")]
    assert again.push(item("attendance", {**line, "status": "late"}, version=2)) == [("created", "")]
    stranger = RawLaptop.enrolled(hq, "100222")
    assert stranger.push(item("attendance", {**line, "status": "late"}, version=2)) == [("duplicate", "")]


def test_a_laptops_refused_records_stay_flagged_and_never_hold_back_the_rest(workspace: Workspace, hq: Hq) -> None:
    """The real laptop: a session it recorded for a unit it is not enrolled for is refused with its line,
    and every record after them still reaches HQ, then and in later syncs."""
    assert hq_link.enroll(workspace, hq.url, devices.issue_code(hq.engine, "100234", "NORTH")) == "NORTH"
    people = [Person(f"60{n:04d}", f"Fore{n}", f"Sur{n}", "NORTH", PersonRole.OFFICER) for n in range(3)]
    roster.upsert_people(workspace.db, people)
    wrong_unit = sessions.create_session(workspace.db, make_session(unit="SOUTH"), T0)
    attendance_store.add_attendee(workspace.db, wrong_unit, people[0], AttendanceStatus.PRESENT, "100234", T0)
    right_unit = sessions.create_session(workspace.db, make_session(), T0)
    attendance_store.add_attendee(workspace.db, right_unit, people[1], AttendanceStatus.PRESENT, "100234", T0)
    report = hq_link.sync_once(workspace)
    assert (report.pushed, report.flagged) == (2, 2)
    attendance_store.add_attendee(workspace.db, right_unit, people[2], AttendanceStatus.LATE, "100234", T0)
    again = hq_link.sync_once(workspace)
    assert (again.pushed, again.flagged) == (1, 0)
    assert outbox.waiting_count(workspace.db) == 2  # the two refused, kept on the laptop
    reasons = [r[0] for r in workspace.db.execute("SELECT last_error FROM outbox ORDER BY seq")]
    assert "for South, and this laptop records for North" in reasons[0] and "HQ has no such session" in reasons[1]
    assert sorted(r["staff_number"] for r in hq_records.registrations(hq.engine)) == ["600001", "600002"]


def test_two_co_trainers_registering_the_same_person_leave_one_line_at_hq(hq: Hq) -> None:
    """Both trainers of one session, each on their own laptop, add the same walk-up: HQ once kept both lines,
    so its register listed them twice, and each laptop then dropped the other's line without a word. The second
    is refused, saying why; the first stands; and removing it frees the place for another line."""
    first, second = RawLaptop.enrolled(hq, "100234"), RawLaptop.enrolled(hq, "100236")
    room = session(trainers=("100234", "100236"))
    assert first.push(item("session", room)) == [("created", "")]
    mine, theirs = attendance(room, "710002"), {**attendance(room, "710002"), "recorded_by": "100236"}
    assert first.push(item("attendance", mine)) == [("created", "")]
    [(status, reason)] = second.push(item("attendance", theirs))
    assert status == "refused" and "already on this session's register at HQ" in reason
    assert [r["staff_number"] for r in hq_records.registrations(hq.engine)] == ["710002"]

    other = attendance(room, "710003")  # someone else is still welcome from the second laptop
    assert second.push(item("attendance", other)) == [("created", "")]
    removed = item("attendance", mine, version=2, op="delete")
    again = {**attendance(room, "710002"), "recorded_by": "100236"}
    assert [s for s, _ in first.push(removed)] == ["created"]
    assert second.push(item("attendance", again)) == [("created", "")]  # once the first line is gone
    live = [r["staff_number"] for r in hq_records.registrations(hq.engine) if not r["deleted"]]
    assert sorted(live) == ["710002", "710003"]


def test_a_lead_s_laptop_and_the_trainer_s_registering_one_person_leave_one_line_at_hq(hq: Hq) -> None:
    """A one-trainer session: the trainer's laptop registers someone, and the BCU lead's laptop, which may
    record in any session of its unit, adds the same person. HQ checked for a second line only where a session
    had co-trainers; now wherever another laptop records in it, whichever pushes first."""
    trainer, lead = RawLaptop.enrolled(hq, "100234"), RawLaptop.enrolled(hq, "100800", role="training_lead")
    room = session(trainers=("100234",))
    assert trainer.push(item("session", room)) == [("created", "")]
    assert trainer.push(item("attendance", attendance(room, "710002"))) == [("created", "")]
    [(status, reason)] = lead.push(item("attendance", {**attendance(room, "710002"), "recorded_by": "100800"}))
    assert status == "refused" and "already on this session's register at HQ" in reason
    assert lead.push(item("attendance", {**attendance(room, "710003"), "recorded_by": "100800"})) == [("created", "")]
    [(status, _)] = trainer.push(item("attendance", attendance(room, "710003")))  # the other way round
    assert status == "refused"
    assert sorted(r["staff_number"] for r in hq_records.registrations(hq.engine)) == ["710002", "710003"]


def test_a_booked_line_marked_present_on_the_lead_s_laptop_is_refused_when_the_trainer_s_has_them(hq: Hq) -> None:
    """The lead's laptop books someone (absent); the trainer's laptop has them present; then the lead's marks its
    booked line present too. HQ once took that change, and its register had the person twice, present."""
    trainer, lead = RawLaptop.enrolled(hq, "100234"), RawLaptop.enrolled(hq, "100800", role="training_lead")
    room = session(trainers=("100234",))
    assert trainer.push(item("session", room)) == [("created", "")]
    booked = {**attendance(room, "710001"), "status": "absent", "recorded_by": "100800"}
    assert lead.push(item("attendance", booked)) == [("created", "")]
    # A booked line holds no place on the register: the trainer's present line is taken.
    assert trainer.push(item("attendance", attendance(room, "710001"))) == [("created", "")]
    [(status, reason)] = lead.push(item("attendance", {**booked, "status": "present"}, version=2))
    assert status == "refused" and "already on this session's register at HQ" in reason
    present = [r for r in hq_records.registrations(hq.engine) if r["status"] in ("present", "late")]
    assert [r["staff_number"] for r in present] == ["710001"]


def test_a_correction_to_a_line_another_laptop_deleted_is_told_it_was_deleted(hq: Hq) -> None:
    """The lead's laptop deletes the trainer's line while the trainer, offline, marks it late: both are the line's
    version 2. The trainer was told "HQ has different content for this version"; now that it was deleted."""
    trainer, lead = RawLaptop.enrolled(hq, "100234"), RawLaptop.enrolled(hq, "100800", role="training_lead")
    room = session(trainers=("100234",))
    line = attendance(room, "710001")
    assert trainer.push(item("session", room), item("attendance", line)) == [("created", "")] * 2
    assert lead.push(item("attendance", line, version=2, op="delete")) == [("created", "")]
    [(status, reason)] = trainer.push(item("attendance", {**line, "status": "late"}, version=2))
    assert status == "refused" and reason == "deleted at HQ: a deleted record is never brought back"


def test_refusals_name_units_as_the_force_s_tree_names_them(hq: Hq) -> None:
    """A line for another unit's session, and a given session moved to another unit, are refused naming both
    units as the trainer knows them, the code in brackets."""
    units.import_units(
        hq.engine,
        [
            UnitNode("FORCE", "The Force", "force"),
            UnitNode("NORTH", "North BCU", "BCU", "FORCE"),
            UnitNode("EAST", "East BCU", "BCU", "FORCE"),
        ],
    )
    east = RawLaptop.enrolled(hq, "720900", unit="EAST")
    north = RawLaptop.enrolled(hq, "100111")
    theirs = session(unit="EAST", trainers=("720900",))
    assert east.push(item("session", theirs)) == [("created", "")]
    assert north.push(item("attendance", attendance(theirs, "600001"))) == [
        ("refused", "its session is for East BCU (EAST), and this laptop records for North BCU (NORTH)")
    ]
    lead = RawLaptop.enrolled(hq, "100800", role="training_lead")
    given = session(trainers=("720900",), status="planned")
    assert lead.push(item("session", given)) == [("created", "")]
    assert east.push(item("session", {**given, "unit_code": "EAST"}, version=2)) == [
        ("refused", "this session is for North BCU (NORTH): only whoever planned it may give it to another unit")
    ]
