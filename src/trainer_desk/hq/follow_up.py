"""Who is due the six-month follow-up: people on the roster who first completed a programme whose published
plan asks follow-up questions, six months ago or more (and less than a year: past that, the question is no
longer about this training). HQ exports them, with the email address the roster gives, for the force's own
mailer; the address never leaves HQ otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, and_, select

from trainer_desk.core.csv_file import write_csv
from trainer_desk.hq import published, schema

DUE_AFTER = timedelta(days=183)
ASKED_UNTIL = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Due:
    staff_number: str
    name: str
    email: str
    unit: str
    programme: str
    completed_on: date

    @property
    def due_on(self) -> date:
        return self.completed_on + DUE_AFTER


def due(engine: Engine, blobs: Path, today: date) -> list[Due]:
    plans = published.newest(engine, blobs).library.plans
    asking = sorted({p.programme.id for p in plans if p.follow_up})
    if not asking:
        return []
    roster, done = schema.roster, schema.people_completed
    latest, earliest = (today - DUE_AFTER).isoformat() + "~", (today - ASKED_UNTIL).isoformat()
    with engine.connect() as conn:
        rows = conn.execute(
            select(roster, done.c.programme_id, done.c.first_completed)
            .join(done, done.c.staff_number == roster.c.staff_number)
            .where(
                and_(
                    roster.c.removed.is_(False),
                    done.c.programme_id.in_(asking),
                    done.c.first_completed <= latest,
                    done.c.first_completed >= earliest,
                )
            )
            .order_by(done.c.programme_id, roster.c.unit, roster.c.surname, roster.c.forename)
        ).all()
    return [
        Due(
            r.staff_number,
            f"{r.forename} {r.surname}",
            r.email or "",
            r.unit,
            r.programme_id,
            date.fromisoformat(str(r.first_completed)[:10]),
        )
        for r in rows
    ]


def write_due_list(people: list[Due], path: Path) -> Path:
    """The due list as CSV for the force's mailer (it holds email addresses: keep it at HQ)."""
    return write_csv(
        path,
        ["staff_number", "name", "email", "unit", "programme", "completed_on", "due_on"],
        [
            [d.staff_number, d.name, d.email, d.unit, d.programme, d.completed_on.isoformat(), d.due_on.isoformat()]
            for d in people
        ],
    )
