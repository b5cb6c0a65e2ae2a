"""A lead's laptop as HQ leaves it after a sync: HQ's unit tree (force, three BCUs, their teams), HQ's roster
with nearly everyone placed in a team rather than in their BCU, and the completions HQ has recorded.

North BCU: 10 people (1 placed in the BCU itself, 9 in its teams), 5 completed (3 at a session this laptop
delivered for the neighbourhood team, 2 recorded at HQ from other laptops). East BCU: 3 people, 1 completed.
West BCU: 2 people, none completed. The force: 15 people, 6 completed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.store import attendance, completions, roster, sessions, units
from trainer_desk.workspace import Workspace

HELD = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
PERIOD = ("2026-10-01", "2026-10-31")

TREE = [
    UnitNode("NSP", "Northshire Police", "force"),
    UnitNode("NORTH", "North BCU", "BCU", "NSP"),
    UnitNode("EAST", "East BCU", "BCU", "NSP"),
    UnitNode("WEST", "West BCU", "BCU", "NSP"),
    UnitNode("NORTH-RESP", "North Response", "team", "NORTH"),
    UnitNode("NORTH-NPT", "North Neighbourhood", "team", "NORTH"),
    UnitNode("NORTH-CID", "North CID", "team", "NORTH"),
    UnitNode("EAST-RESP", "East Response", "team", "EAST"),
    UnitNode("EAST-CID", "East CID", "team", "EAST"),
    UnitNode("WEST-RESP", "West Response", "team", "WEST"),
]

LEAD = Person("100234", "Gwenllian", "ap Gwilym", "NORTH", PersonRole.OFFICER, "Inspector")
NORTH_RESPONSE = [
    Person("210001", "Zbigniew", "Brzęczyszczykiewicz", "NORTH-RESP", PersonRole.OFFICER, "Constable"),
    Person("210002", "Małgorzata", "Wójcik", "NORTH-RESP", PersonRole.OFFICER, "Sergeant"),
    Person("210003", "Hương", "Nguyễn Thị", "NORTH-RESP", PersonRole.OFFICER, "Constable"),
    Person("210004", "Siôn", "Llewelyn", "NORTH-RESP", PersonRole.STAFF, "Grade 4"),
]
NORTH_NEIGHBOURHOOD = [
    Person("220001", "Đức", "Trần Văn", "NORTH-NPT", PersonRole.OFFICER, "Constable"),
    Person("220002", "Dafydd", "ap Rhys", "NORTH-NPT", PersonRole.STAFF, "PCSO"),
    Person("220003", "秀英", "王", "NORTH-NPT", PersonRole.OFFICER, "Constable"),
]
NORTH_CID = [
    Person("230001", "ليلى", "حداد", "NORTH-CID", PersonRole.OFFICER, "Detective Constable"),
    Person("230002", "Agnieszka", "Łukasiewicz", "NORTH-CID", PersonRole.OFFICER, "Detective Sergeant"),
]
EAST = [
    Person("310001", "Rhiannon", "Prys", "EAST-RESP", PersonRole.OFFICER, "Constable"),
    Person("310002", "Minh Châu", "Phạm", "EAST-CID", PersonRole.OFFICER, "Detective Constable"),
    Person("310003", "伟", "李", "EAST", PersonRole.STAFF, "Grade 5"),
]
WEST = [
    Person("410001", "فاطمة", "الزهراء", "WEST-RESP", PersonRole.OFFICER, "Constable"),
    Person("410002", "Bogdan", "Żółkiewski", "WEST-RESP", PersonRole.OFFICER, "Constable"),
]
NORTH_PEOPLE = [LEAD, *NORTH_RESPONSE, *NORTH_NEIGHBOURHOOD, *NORTH_CID]
NORTH_OUTSTANDING = [LEAD, *NORTH_RESPONSE[2:], *NORTH_CID]


def synced_from_hq(workspace: Workspace) -> Session:
    """The laptop after its sync: HQ's tree and roster (the demonstration people gone), completions HQ has
    from other laptops for two of North Response and one of East, and a session this laptop delivered for
    North's neighbourhood team, all three present. Returns that session."""
    db = workspace.db
    with db.atomic():
        units.apply_tree(db, TREE, set())
    roster.replace_roster(db, [*NORTH_PEOPLE, *EAST, *WEST], allow_shrink=True)
    with db.atomic():
        completions.add_from_hq(
            db,
            [
                (new_uuid(), person.staff_number, "signa", new_uuid(), (HELD - timedelta(days=2)).isoformat(), "1.0.0")
                for person in [*NORTH_RESPONSE[:2], EAST[0]]
            ],
        )
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH-NPT",
        "Neuadd y Dref",
        DeliveryMode.IN_PERSON,
        HELD,
        status=SessionStatus.RUNNING,  # held: its register is being taken
        ends_at=HELD + timedelta(hours=1),
        trainers=(LEAD.staff_number,),
    )
    sessions.create_session(db, session, HELD)
    for n, person in enumerate(NORTH_NEIGHBOURHOOD):
        attendance.add_attendee(
            db, session, person, AttendanceStatus.PRESENT, LEAD.staff_number, HELD + timedelta(minutes=n)
        )
    return session
