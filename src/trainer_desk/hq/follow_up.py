"""Who is due the six-month follow-up: people on the roster who first completed a programme whose published
plan asks follow-up questions, six months ago or more (and less than a year: past that, the question is no
longer about this training). Each is invited once, with a personal link, and reminded once a fortnight later if
they have not answered: by HQ through the force's mail relay (`follow_up_mail`), or by the force's own mailer
from the due list HQ exports. The address never leaves HQ otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, and_, insert, select, update

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import written_name
from trainer_desk.hq import force_clock, published, schema
from trainer_desk.hq.exports import Table
from trainer_desk.hq.follow_up_answers import PATH, link_hash, link_secret, token
from trainer_desk.hq.staff import StaffMember

DUE_AFTER = timedelta(days=183)
ASKED_UNTIL = timedelta(days=365)
REMIND_AFTER = timedelta(days=14)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class Due:
    staff_number: str
    forename: str
    surname: str
    email: str
    unit: str
    programme: str
    completed_on: date

    @property
    def key(self) -> tuple[str, str]:
        return (self.staff_number, self.programme)

    @property
    def name(self) -> str:
        return written_name(self.forename, self.surname)

    @property
    def due_on(self) -> date:
        return self.completed_on + DUE_AFTER


def due(engine: Engine, blobs: Path, today: date) -> list[Due]:
    plans = published.newest(engine, blobs).library.plans
    asking = sorted({p.programme.id for p in plans if p.follow_up})
    if not asking:
        return []
    roster, done = schema.roster, schema.people_completed
    # Completed on or before the day six months ago, and within the asking window, on the force's days.
    latest = force_clock.day_start(today - DUE_AFTER + timedelta(days=1))
    earliest = force_clock.day_start(today - ASKED_UNTIL)
    with engine.connect() as conn:
        rows = conn.execute(
            select(roster, done.c.programme_id, done.c.first_completed)
            .join(done, done.c.staff_number == roster.c.staff_number)
            .where(
                and_(
                    roster.c.removed.is_(False),
                    done.c.programme_id.in_(asking),
                    done.c.first_completed < latest,
                    done.c.first_completed >= earliest,
                )
            )
            .order_by(done.c.programme_id, roster.c.unit, roster.c.surname, roster.c.forename)
        ).all()
    return [
        Due(
            r.staff_number,
            r.forename,
            r.surname,
            r.email or "",
            r.unit,
            r.programme_id,
            _day_held(r.first_completed),
        )
        for r in rows
    ]


def _day_held(stored: object) -> date:
    """The day a completion's session was held, on the force's clocks (HQ keeps the moment in UTC)."""
    moment = force_clock.parsed(stored)
    return moment.date() if moment else date.fromisoformat(str(stored)[:10])


@dataclass(frozen=True, slots=True)
class Owed:
    """Who is owed what today, from one read of the invitations."""

    due: list[Due]  # due and not answered
    invite: list[Due]  # among them, with an address and never invited to this programme's follow-up
    remind: list[Due]  # invited a fortnight ago or more, with an address, not reminded yet


def owed(engine: Engine, blobs: Path, today: date) -> Owed:
    table = schema.follow_up_invitations
    with engine.connect() as conn:
        invited = {
            (r.staff_number, r.programme_id): r
            for r in conn.execute(
                select(table.c.staff_number, table.c.programme_id, table.c.invited_on, table.c.reminded_on,
                       table.c.answered)
            )
        }  # fmt: skip
    people = [d for d in due(engine, blobs, today) if not ((row := invited.get(d.key)) and row.answered)]
    reminding_from = (today - REMIND_AFTER).isoformat()
    return Owed(
        people,
        [d for d in people if d.email and d.key not in invited],
        [
            d
            for d in people
            if d.email and (row := invited.get(d.key)) and row.reminded_on is None and row.invited_on <= reminding_from
        ],
    )


def note_invited(conn: Connection, person: Due, link_token: str, today: date) -> None:
    conn.execute(
        insert(schema.follow_up_invitations).values(
            staff_number=person.staff_number,
            programme_id=person.programme,
            link_hash=link_hash(link_token),
            invited_on=today.isoformat(),
            answered=False,
        )
    )


def note_reminded(conn: Connection, person: Due, today: date) -> None:
    table = schema.follow_up_invitations
    conn.execute(
        update(table)
        .where(table.c.staff_number == person.staff_number, table.c.programme_id == person.programme)
        .values(reminded_on=today.isoformat())
    )


DUE_COLUMNS = ("staff_number", "name", "email", "unit", "programme", "completed_on", "due_on", "link")


def due_list(engine: Engine, blobs: Path, link_base: str, today: date, who: StaffMember | None = None) -> Table:
    """The due list for the force's own mailer, each person with their personal link, noting as invited those
    listed for the first time (their link then works). Those who have answered are left out; with `who`, so is
    anyone in a unit outside their grant (a force's administrator lists, and so invites, their own force's)."""
    found, secret = owed(engine, blobs, today), link_secret(engine)
    if who is not None:
        found = Owed(*([d for d in listed if who.covers(d.unit)] for listed in (found.due, found.invite, found.remind)))
    with engine.begin() as conn:
        for person in found.invite:
            note_invited(conn, person, token(secret, person.staff_number, person.programme), today)
    rows = [
        [d.staff_number, d.name, d.email, d.unit, d.programme, d.completed_on.isoformat(), d.due_on.isoformat(),
         personal_link(link_base, token(secret, d.staff_number, d.programme)) if d.email else ""]
        for d in found.due
    ]  # fmt: skip
    whose = "" if who is None or who.whole_hq else f" of {who.unit_name or who.unit}"
    return Table(DUE_COLUMNS, rows, lambda count: f"follow-up due list{whose}: {count}, with their email addresses")


def checked_link_base(link_base: str) -> str:
    """The address personal links start with, once it is one a person's browser can trust: https, or plain
    http to this machine alone (trying HQ out); a link sent to a mailbox must never lead anywhere else."""
    text = link_base.strip()
    parts = urlsplit(text)
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if not host or parts.username or parts.query or parts.fragment or not (
        parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    ):  # fmt: skip
        raise UserFacingError(
            f"The personal links need HQ's public https:// address (http:// only on this machine), not {text!r}."
        )
    return text.rstrip("/")


def personal_link(link_base: str, link_token: str) -> str:
    return link_base.rstrip("/") + PATH + link_token
