"""Retention at HQ: keep a person's training records for as long as the force's schedule says after they leave,
then remove them; keep HQ's own audit trail, the audit entries laptops sent, and the questions trainers noted
for as long, and no longer.

Someone has left on the day an HR export first no longer lists them (`roster.left_at`); their records go once
that day is more than `years` ago, and with them everything that names them: their roster line, every
registration that counts for them (and any correction HQ made to it), their completions and their exemptions.
Sessions stay, as other people's registers and a trainer's record of delivery; feedback names nobody and stays.
Laptops keep no copy that long (they remove synced sessions after 90 days).

Nothing is removed until `apply` is asked for: `plan` says what would go, for a person to read first."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, delete, func, select

from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import schema
from trainer_desk.hq.completions import catch_up
from trainer_desk.hq.database import one_of

DEFAULT_YEARS = 6  # a common schedule for training records: six years after leaving
MOST_YEARS = 100  # a schedule longer than a working life is a slip of the keyboard
YEARS_PROBLEM = f"Give the years to keep records as a whole number from 1 to {MOST_YEARS}."
CHUNK = 500
RECORDS_REMOVED = "records removed"  # the audit trail's action; its detail: `RetentionPlan.describe()`


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    cutoff: date
    people: tuple[str, ...]  # staff numbers of those who left before the cutoff
    registrations: tuple[str, ...]  # the uuids of the registrations that count for them
    exemptions: tuple[str, ...]
    audit_entries: int
    faq_questions: tuple[str, ...]
    laptop_audit: tuple[str, ...] = ()  # the audit entries laptops sent (who exported, corrected what), as old

    def describe(self, day: Callable[[date], str] = date.isoformat) -> str:
        """What would go, in words; `day` writes the cutoff (the console writes it as it writes every day)."""
        return (
            f"{counted(len(self.people), 'person', 'people')} who left before {day(self.cutoff)}, with "
            f"{counted(len(self.registrations), 'registration')} and {counted(len(self.exemptions), 'exemption')}; "
            f"{counted(self.audit_entries + len(self.laptop_audit), 'audit entry', 'audit entries')} and "
            f"{counted(len(self.faq_questions), 'noted question')} from before then"
        )

    @property
    def empty(self) -> bool:
        return not (
            self.people or self.registrations or self.exemptions or self.audit_entries or self.faq_questions
            or self.laptop_audit
        )  # fmt: skip

    @property
    def fingerprint(self) -> str:
        """A digest of exactly what would go, whatever order the database listed it in: a removal confirmed
        after a preview goes ahead only if planning again finds the same (see the console's Records page)."""
        listed = [self.cutoff.isoformat(), self.audit_entries] + [
            sorted(found)
            for found in (self.people, self.registrations, self.exemptions, self.faq_questions, self.laptop_audit)
        ]
        return hashlib.sha256(json.dumps(listed).encode()).hexdigest()[:32]


def cutoff_for(today: date, years: int = DEFAULT_YEARS) -> date:
    """The day before which someone must have left for their records to go."""
    if not 1 <= years <= MOST_YEARS:
        raise UserFacingError(YEARS_PROBLEM)
    return today - timedelta(days=round(years * 365.25))


def plan(engine: Engine, today: date, years: int = DEFAULT_YEARS) -> RetentionPlan:
    return plan_before(engine, cutoff_for(today, years))


def plan_before(engine: Engine, cutoff: date) -> RetentionPlan:
    """What goes for a cutoff already chosen: a removal confirmed the next day removes what its preview said,
    not a day's more."""
    catch_up(engine)
    roster, c, records = schema.roster, schema.completions, schema.records
    with engine.connect() as conn:
        people = [
            r.staff_number
            for r in conn.execute(
                select(roster.c.staff_number).where(roster.c.removed.is_(True), roster.c.left_at < cutoff.isoformat())
            )
        ]
        registrations: list[str] = []
        for start in range(0, len(people), CHUNK):
            registrations += conn.execute(
                select(c.c.uuid).where(one_of(conn, c.c.staff_number, people[start : start + CHUNK]))
            ).scalars()
        leavers = set(people)
        # A walk-in typed with a leaver's number that HQ dismissed counts for nobody, so no completion finds it;
        # it still names them (the number, the name typed), and goes with them.
        dismissed = set(
            conn.execute(
                select(schema.walk_in_resolutions.c.uuid).where(schema.walk_in_resolutions.c.dismissed.is_(True))
            ).scalars()
        )
        exemptions, questions, laptop_audit = [], [], []
        for r in conn.execute(select(records.c.uuid, records.c.entity, records.c.payload).where(
            records.c.entity.in_(("exemption", "faq_question", "audit"))
            | (records.c.entity == "attendance") & one_of(conn, records.c.uuid, sorted(dismissed))
        )):  # fmt: skip
            payload = json.loads(r.payload)
            if not isinstance(payload, dict):
                continue
            if r.entity == "exemption" and payload.get("staff_number") in leavers:
                exemptions.append(r.uuid)
            elif r.entity == "faq_question" and str(payload.get("asked_at", "")) < cutoff.isoformat():
                questions.append(r.uuid)
            elif r.entity == "audit" and str(payload.get("at", "")) < cutoff.isoformat():
                laptop_audit.append(r.uuid)
            elif r.entity == "attendance" and payload.get("staff_number") in leavers:
                registrations.append(r.uuid)
        audit = conn.execute(
            select(func.count()).select_from(schema.hq_audit).where(schema.hq_audit.c.at < cutoff.isoformat())
        ).scalar_one()
    return RetentionPlan(
        cutoff, tuple(people), tuple(sorted(set(registrations))), tuple(exemptions), int(audit), tuple(questions),
        tuple(laptop_audit),
    )  # fmt: skip


def apply(engine: Engine, planned: RetentionPlan) -> None:
    """Remove what `planned` lists, in one transaction: all of it, or (on any failure) none of it."""
    records, history = schema.records, schema.record_history
    people_completed = schema.people_completed
    with engine.begin() as conn:
        for entity, uuids in (
            ("attendance", planned.registrations),
            ("exemption", planned.exemptions),
            ("faq_question", planned.faq_questions),
            ("audit", planned.laptop_audit),
        ):
            for start in range(0, len(uuids), CHUNK):
                chunk = list(uuids[start : start + CHUNK])
                conn.execute(delete(records).where(records.c.entity == entity, one_of(conn, records.c.uuid, chunk)))
                conn.execute(delete(history).where(history.c.entity == entity, one_of(conn, history.c.uuid, chunk)))
                if entity == "attendance":
                    conn.execute(delete(schema.completions).where(one_of(conn, schema.completions.c.uuid, chunk)))
                    conn.execute(
                        delete(schema.walk_in_resolutions).where(one_of(conn, schema.walk_in_resolutions.c.uuid, chunk))
                    )
        for start in range(0, len(planned.people), CHUNK):
            chunk = list(planned.people[start : start + CHUNK])
            conn.execute(delete(people_completed).where(one_of(conn, people_completed.c.staff_number, chunk)))
            conn.execute(delete(schema.roster).where(one_of(conn, schema.roster.c.staff_number, chunk)))
            invited = schema.follow_up_invitations  # whether they were asked: their follow-up answers name nobody
            conn.execute(delete(invited).where(one_of(conn, invited.c.staff_number, chunk)))
        conn.execute(delete(schema.hq_audit).where(schema.hq_audit.c.at < planned.cutoff.isoformat()))
