"""Enrollment codes as an administrator handles them: issued (and recorded in the audit trail), listed while they
wait to be used, and withdrawn. A code printed for a trainer who then leaves, or a printout lost on a train,
stayed usable until it expired; now it can be withdrawn first. The console and the command line call these same
functions.

HQ keeps a code only hashed (`devices.issue_code`), so a code is named by its reference: the first twelve hex
digits of its hash. That tells nobody the code, yet picks out one among those issued, and the audit trail names
a code by it when it is issued and when it is withdrawn, which is how the list knows who issued each.

A withdrawn code is spent as a used one is (`used_at`), by no device: a laptop enrolling with it is refused as
with any unknown or used code, and `_enrolled_before` finds no device of it to answer again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from trainer_desk.core import force_clock
from trainer_desk.hq import audit_trail, devices, schema
from trainer_desk.hq.database import hashed, utc_now, writing

ISSUED = "enrollment code"  # the audit trail's action; its detail: "<reference>: for <trainer> in <unit> as <role>"
WITHDRAWN = "enrollment code withdrawn"  # its detail as for ISSUED
REFERENCE_LENGTH = 12
_REFERENCE = re.compile(f"^[0-9a-f]{{{REFERENCE_LENGTH}}}$")


@dataclass(frozen=True, slots=True)
class Code:
    """A code as HQ holds it, without the code itself. `spent_at` is when it was used or withdrawn; `issued_at`
    and `issued_by` come from the audit trail, None for a code issued before it named codes by reference."""

    code_hash: str
    trainer: str
    unit: str
    role: str
    expires_at: str
    spent_at: str | None = None
    device_id: str | None = None
    issued_at: str | None = None
    issued_by: str | None = None

    @property
    def reference(self) -> str:
        return self.code_hash[:REFERENCE_LENGTH]

    @property
    def state(self) -> str:
        """'waiting', 'used' (it enrolled a laptop), 'withdrawn' or 'expired'."""
        if self.spent_at is not None:
            return "used" if self.device_id else "withdrawn"
        return "expired" if self.expires_at < utc_now().isoformat() else "waiting"

    @property
    def detail(self) -> str:
        """How the audit trail names it."""
        return f"{self.reference}: for {self.trainer} in {self.unit} as {self.role}"


def issue(engine: Engine, actor: str, trainer: str, unit: str, role: str = "trainer", hours: int = 72) -> str:
    """A code for a trainer on the roster of the unit's force (`devices.refuse_a_trainer_not_on_the_roster`),
    recorded in the audit trail under its reference, never the code itself."""
    devices.refuse_a_trainer_not_on_the_roster(engine, trainer, unit)
    code = devices.issue_code(engine, trainer, unit, role, hours)
    made = Code(hashed(code), trainer.strip(), unit, role, "")
    audit_trail.record(engine, actor, ISSUED, made.detail)
    return code


_COLUMNS = (
    schema.enrollment_codes.c.code_hash,
    schema.enrollment_codes.c.trainer,
    schema.enrollment_codes.c.unit,
    schema.enrollment_codes.c.role,
    schema.enrollment_codes.c.expires_at,
    schema.enrollment_codes.c.used_at,
    schema.enrollment_codes.c.device_id,
)


def waiting(engine: Engine) -> list[Code]:
    """The codes not yet used, withdrawn or expired, the soonest to expire first, each with who issued it and
    when if the audit trail says. A code lives at most `MAX_CODE_HOURS`, so only that much of the trail is read."""
    codes, audit = schema.enrollment_codes, schema.hq_audit
    now = utc_now()
    since = (now - timedelta(hours=devices.MAX_CODE_HOURS + 1)).isoformat(timespec="seconds")
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLUMNS)
            .where(codes.c.used_at.is_(None), codes.c.expires_at >= now.isoformat())
            .order_by(codes.c.expires_at)
        ).all()
        entries = conn.execute(
            select(audit.c.at, audit.c.actor, audit.c.detail).where(audit.c.action == ISSUED, audit.c.at >= since)
        ).all()
    issued = {e.detail[:REFERENCE_LENGTH]: (e.at, e.actor) for e in entries}
    found = []
    for row in rows:
        at, by = issued.get(row.code_hash[:REFERENCE_LENGTH], (None, None))
        found.append(Code(row.code_hash, row.trainer, row.unit, row.role, row.expires_at, issued_at=at, issued_by=by))
    return found


def find(engine: Engine, ref: str) -> Code | None:
    """The code of this reference, whatever its state; None if HQ issued none by it (or two, which twelve hex
    digits of a hash make as good as impossible, but a withdrawal must never take the wrong one)."""
    if not _REFERENCE.fullmatch(ref):
        return None
    codes = schema.enrollment_codes
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).where(codes.c.code_hash.startswith(ref)).limit(2)).all()
    if len(rows) != 1:
        return None
    (row,) = rows
    return Code(row.code_hash, row.trainer, row.unit, row.role, row.expires_at, row.used_at, row.device_id)


def withdraw(engine: Engine, actor: str, code: Code) -> bool:
    """Spend `code` by no device, if it is still waiting, and record that in the audit trail; False, changing
    nothing, if it was used, withdrawn or expired meanwhile. One conditional update, as `devices.enroll` claims
    a code, so a laptop enrolling at the same moment either wins or is refused."""
    codes = schema.enrollment_codes
    now = utc_now().isoformat()
    with writing(engine), engine.begin() as conn:
        done = conn.execute(
            update(codes)
            .where(
                codes.c.code_hash == code.code_hash,
                codes.c.used_at.is_(None),
                codes.c.expires_at >= now,
            )
            .values(used_at=now)
        )
    if not done.rowcount:
        return False
    audit_trail.record(engine, actor, WITHDRAWN, code.detail)
    return True


def no_longer_waiting(code: Code) -> str:
    """What became of a code that is not waiting any more, in a sentence for the person who meant to withdraw
    it: nothing is left to do, or something else is (a laptop it enrolled is revoked as a device)."""
    when = force_clock.in_words(datetime.fromisoformat(code.spent_at or code.expires_at))
    return {
        "used": f"It was used at {when}: it enrolled a laptop, which HQ lists among its devices. Revoke that "
        "laptop if it should not have been enrolled.",
        "withdrawn": f"It was withdrawn already, at {when}.",
        "expired": f"It expired at {when}: it enrolls no laptop.",
    }.get(code.state, "")
