"""Who is excused from a programme at HQ, and what that does to its figures: the one place HQ decides it.

An exemption reaches HQ as a record (entity "exemption"), sent by a laptop or recorded in the console; the
newest version for a person and programme wins, as on the laptop that replaced it, and a withdrawal recorded in
the console (`WITHDRAWN`) is such a version: after it, the person is counted and chased again. What it means is the
laptop's (`compliance_count.count`): someone exempt is neither counted nor chased; someone who completed it
another way counts as completed. The Reports download hands `kinds` to that function; the console's chase
list, its CSV and the dashboard ask the same `Excused` for conditions on the roster, so they cannot disagree
with the report, or with each other, about who is excused."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.hq import schema
from trainer_desk.hq.completions import catch_up_for_reading
from trainer_desk.sync.pulled_changes import WITHDRAWN

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")  # YYYY-MM, as the dashboard's months are


@dataclass(frozen=True, slots=True)
class Excused:
    """One programme's exemptions: staff number -> kind, the month (YYYY-MM) each was recorded, and its reason
    (for the compliance report, which lists the excused with it)."""

    kinds: dict[str, ExemptionKind] = field(default_factory=dict)
    recorded: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def exempt(self) -> list[str]:
        """Neither counted nor chased."""
        return sorted(n for n, kind in self.kinds.items() if kind is ExemptionKind.EXEMPT)

    @property
    def other_way(self) -> list[str]:
        """Counted, and as having completed it."""
        return sorted(n for n, kind in self.kinds.items() if kind is ExemptionKind.OTHER_WAY)

    def counted(self, staff_number: ColumnElement[str]) -> ColumnElement[bool]:
        """Roster rows that count towards the programme's figures: everyone but the exempt."""
        return staff_number.not_in(self.exempt)

    def completed_another_way(self, staff_number: ColumnElement[str]) -> ColumnElement[bool]:
        """Roster rows who count as having completed it without a registration to show for it."""
        return staff_number.in_(self.other_way)


def for_programme(engine: Engine, programme_id: str) -> Excused:
    """The programme's exemptions as the laptops (and the console) that recorded them last said: read in the
    order HQ received them, so a later record for the same person replaces an earlier one."""
    records = schema.records
    kinds: dict[str, ExemptionKind] = {}
    recorded: dict[str, str] = {}
    reasons: dict[str, str] = {}
    with engine.connect() as conn:
        for r in conn.execute(
            select(records.c.payload)
            .where(records.c.entity == "exemption", records.c.deleted.is_(False))
            .order_by(records.c.seq)
        ):
            payload = json.loads(r.payload)
            if not isinstance(payload, dict) or payload.get("programme_id") != programme_id:
                continue
            number = str(payload.get("staff_number", ""))
            if payload.get("kind") == WITHDRAWN:
                kinds.pop(number, None)
                recorded.pop(number, None)
                continue
            try:
                kind = ExemptionKind(str(payload.get("kind")))
            except ValueError:
                continue
            kinds[number] = kind
            reasons[number] = str(payload.get("reason") or "")
            month = str(payload.get("recorded_at") or "")[:7]
            if MONTH.fullmatch(month):
                recorded[number] = month
            else:
                recorded.pop(number, None)  # a laptop's payload is not trusted to be well formed
    return Excused(kinds, recorded, reasons)


def completed_already(engine: Engine, staff_number: str, programme_id: str) -> str:
    """The day (YYYY-MM-DD) `staff_number` last completed the programme at a session, or "": an exemption
    recorded for them takes them out of the completed, which the person recording it is told."""
    catch_up_for_reading(engine)
    done = schema.people_completed.c
    with engine.connect() as conn:
        last = conn.execute(
            select(done.last_completed).where(done.staff_number == staff_number, done.programme_id == programme_id)
        ).scalar_one_or_none()
    return force_clock.shown_day(last) if last else ""  # the force's day: stored times are UTC
