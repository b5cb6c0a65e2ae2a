"""HQ's roster: replaced from each HR export, every change numbered so laptops pull only what changed."""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select, update

from trainer_desk.core.people import Person
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq


def import_roster(engine: Engine, people: list[Person]) -> tuple[int, int, int]:
    """Replace HQ's roster; every change gets a sequence number so laptops pull only what changed."""
    incoming = {p.staff_number: p for p in people}
    added = changed = left = 0
    with engine.begin() as conn:
        existing = {r.staff_number: r for r in conn.execute(select(schema.roster))}
        for number, person in incoming.items():
            old = existing.get(number)
            values = {
                "forename": person.forename,
                "surname": person.surname,
                "unit": person.unit_code,
                "role": person.role.value,
                "rank": person.rank,
                "team": person.team,
                "joined": person.joined.isoformat() if person.joined else None,
                "removed": False,
            }
            if old is None:
                conn.execute(
                    insert(schema.roster).values(staff_number=number, previous_unit=None, seq=next_seq(conn), **values)
                )
                added += 1
            elif any(getattr(old, k) != v for k, v in values.items()):
                conn.execute(
                    update(schema.roster)
                    .where(schema.roster.c.staff_number == number)
                    .values(
                        previous_unit=old.unit if old.unit != person.unit_code else old.previous_unit,
                        seq=next_seq(conn),
                        **values,
                    )
                )
                changed += 1
        for number, old in existing.items():
            if number not in incoming and not old.removed:
                conn.execute(
                    update(schema.roster)
                    .where(schema.roster.c.staff_number == number)
                    .values(removed=True, seq=next_seq(conn))
                )
                left += 1
    return added, changed, left


def roster_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            r.unit: int(r.n)
            for r in conn.execute(
                select(schema.roster.c.unit, func.count().label("n"))
                .where(schema.roster.c.removed.is_(False))
                .group_by(schema.roster.c.unit)
            )
        }
