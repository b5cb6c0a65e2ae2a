"""The first steps of setting up a new HQ, in the order they depend on each other, each marked done once it is:
a fresh HQ's dashboard said only that nothing was published, and a learning team running HQ from the console
alone had to guess where to begin (a roster checked against units not yet imported, a code issued for a unit
that did not exist yet)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select

from trainer_desk.hq import schema, units


@dataclass(frozen=True, slots=True)
class Step:
    """One step: the address and name of the page that does it, what to do there, and whether it is done."""

    href: str
    page: str
    what: str
    done: bool


def first_steps(engine: Engine, demonstration: bool = False) -> list[Step]:
    """The five steps, each read from what HQ holds: a unit tree imported, anyone on the roster, lesson content
    published, an account besides the first administrator's, and an enrollment code ever issued. Content that
    is still the demonstration's (`demonstration`, published anyway) does not count as done: laptops would show
    a made-up force's facts and due dates as the force's own, so the step stays, saying what is left to do."""
    with engine.connect() as conn:
        tree = units.tree_seq(conn) is not None
        people = _count(conn, schema.roster) > 0
        content = _count(conn, schema.content_versions) > 0
        accounts = _count(conn, schema.staff) > 1
        codes = _count(conn, schema.enrollment_codes) > 0 or _count(conn, schema.devices) > 0
    return [
        Step("/console/units", "Units", "import the force's units: the force, its BCUs and their teams.", tree),
        Step("/console/roster", "Roster", "load the HR export of everyone who must complete training.", people),
        Step(
            "/console/content",
            "Lesson content",
            "replace the demonstration content published with the force's own.",
            False,
        )
        if content and demonstration
        else Step("/console/content", "Lesson content", "publish the lesson plans, videos and FAQ answers.", content),
        Step("/console/accounts", "Accounts", "add an account for each BCU training lead and colleague.", accounts),
        Step("/console/enrollment", "Enrollment codes", "issue a code to enrol each trainer's laptop.", codes),
    ]


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
