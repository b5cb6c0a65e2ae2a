"""Devices and enrollment: one-time codes exchanged for a device token, and the devices HQ knows, with
their revoked and lost flags."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, insert, select, update

from trainer_desk.core.enrollment_link import as_issued
from trainer_desk.core.errors import FieldError
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.hq import schema, units
from trainer_desk.hq.database import hashed, reading, utc_now, writing
from trainer_desk.hq.ownership import DEVICE_ROLES


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    trainer: str
    unit: str
    role: str
    name: str
    revoked: bool
    lost: bool


MAX_CODE_HOURS = 24 * 30
RETRY_WINDOW = timedelta(hours=24)  # how long a lost enrollment answer can be asked for again
UNSEEN_AFTER = timedelta(days=7)  # a device HQ has not heard from for a week is flagged
SEEN_EVERY = timedelta(minutes=5)  # 'last seen' is kept to this, not written on every request


def refuse_a_trainer_not_on_the_roster(engine: Engine, trainer: str, unit: str) -> None:
    """A code issued for a mistyped number gives a laptop that the sessions planned for the real trainer never
    reach, and one for someone of another force a laptop that receives `unit`'s registers (a lead's) though its
    trainer belongs elsewhere. Checked where a person asks for a code (the console, the command line), once HQ
    holds a roster. Someone of another force is refused as a number nobody has is: the refusal does not tell a
    person granted on one force who is on another's roster. An unknown unit is named as such first."""
    _known_unit(engine, unit.strip().upper())
    roster = schema.roster
    with engine.connect() as conn:
        held = conn.execute(select(roster.c.staff_number).where(roster.c.removed.is_(False)).limit(1)).first()
        if held is None:
            return  # no roster imported yet: nothing to check against
        found = conn.execute(
            select(roster.c.unit).where(
                roster.c.staff_number == normalise_staff_number(trainer), roster.c.removed.is_(False)
            )
        ).first()
        force = units.force_of(conn, unit.strip().upper(), units.tree_seq(conn))
    if found is None or not force.holds(found.unit):
        raise FieldError(
            "trainer",
            f"{trainer.strip()[:20]} is not on the roster of this unit's force: check the staff number. A laptop "
            "enrolled for a number nobody there has never receives the sessions planned for its trainer.",
        )


def _known_unit(engine: Engine, unit: str) -> None:
    known = units.unit_codes(engine)
    if unit not in known:
        raise FieldError("unit", f"unknown unit {unit!r}: one of {', '.join(known)}")


def issue_code(engine: Engine, trainer: str, unit: str, role: str = "trainer", hours: int = 72) -> str:
    """A one-time code, bound to a trainer and unit, that a laptop exchanges for its device token."""
    _known_unit(engine, unit)
    if role not in DEVICE_ROLES:
        raise FieldError("role", f"unknown role {role!r}: one of {', '.join(DEVICE_ROLES)}")
    if not 1 <= hours <= MAX_CODE_HOURS:
        raise FieldError("hours", f"a code is valid for 1 to {MAX_CODE_HOURS} hours, not {hours}")
    trainer = trainer.strip()
    if not trainer or len(trainer) > 20 or not trainer.isprintable():
        raise FieldError("trainer", "the trainer's staff number must be 1 to 20 printable characters")
    code = "-".join(secrets.token_hex(2).upper() for _ in range(4))
    with engine.begin() as conn:
        conn.execute(
            insert(schema.enrollment_codes).values(
                code_hash=hashed(code),
                trainer=trainer,
                unit=unit,
                role=role,
                expires_at=(utc_now() + timedelta(hours=hours)).isoformat(),
            )
        )
    return code


def unit_of_code(engine: Engine, code: str) -> str | None:
    """The unit a valid, unused, unexpired code enrolls for, the code left unused (None for any other): the
    laptop names, before the trainer enrolls, the sessions it holds that HQ would then refuse."""
    codes = schema.enrollment_codes.c
    with engine.connect() as conn:
        return conn.execute(
            select(codes.unit).where(
                codes.code_hash == hashed(as_issued(code)),
                codes.used_at.is_(None),
                codes.expires_at >= utc_now().isoformat(),
            )
        ).scalar()


def enroll(engine: Engine, code: str, device_name: str, device_key: str | None = None) -> tuple[Device, str] | None:
    """Exchange a valid, unused, unexpired code for a new device and its token (shown once, stored hashed), or
    None. The code is claimed by one conditional update, so two laptops racing with one code get one device.

    With a device key, the token is derived from the code and the key, so a retry after a lost answer (same
    code, same key) is answered with the same device and token; a stranger holding the used code alone gets
    nothing. HQ still stores only the token's hash."""
    normal = as_issued(code)
    token = _token_for(normal, device_key)
    now = utc_now()
    device_id = str(uuidlib.uuid4())
    codes = schema.enrollment_codes
    with writing(engine), engine.begin() as conn:
        claimed = (
            conn.execute(
                update(codes)
                .where(
                    codes.c.code_hash == hashed(normal),
                    codes.c.used_at.is_(None),
                    codes.c.expires_at >= now.isoformat(),
                )
                .values(used_at=now.isoformat(), device_id=device_id)
                .returning(codes.c.trainer, codes.c.unit, codes.c.role)
            )
            .mappings()
            .first()
        )
        if claimed is None:
            return _enrolled_before(conn, hashed(normal), token, now) if device_key else None
        device = Device(device_id, claimed["trainer"], claimed["unit"], claimed["role"], device_name[:80], False, False)
        conn.execute(
            insert(schema.devices).values(
                id=device.id,
                token_hash=hashed(token),
                trainer=device.trainer,
                unit=device.unit,
                role=device.role,
                name=device.name,
                enrolled_at=now.isoformat(),
                revoked=False,
                lost=False,
            )
        )
    return device, token


def _token_for(code: str, device_key: str | None) -> str:
    if device_key is None:
        return secrets.token_urlsafe(32)
    digest = hmac.new(device_key.encode(), b"trainer-desk enrollment " + code.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _enrolled_before(conn: Connection, code_hash: str, token: str, now: datetime) -> tuple[Device, str] | None:
    """The device this code already enrolled, if the same device key asks again within a day and the device
    is still in service."""
    row = (
        conn.execute(
            select(schema.devices, schema.enrollment_codes.c.used_at)
            .join(schema.enrollment_codes, schema.enrollment_codes.c.device_id == schema.devices.c.id)
            .where(schema.enrollment_codes.c.code_hash == code_hash)
        )
        .mappings()
        .first()
    )
    if row is None or row["revoked"] or not hmac.compare_digest(row["token_hash"], hashed(token)):
        return None
    if datetime.fromisoformat(row["used_at"]) + RETRY_WINDOW < now:
        return None
    return as_device(row), token


def active_devices(conn: Connection, tokens: Iterable[str]) -> dict[str, RowMapping]:
    """The enrolled, unrevoked devices these tokens belong to, by token, in one read."""
    by_hash = {hashed(t): t for t in tokens}
    return {
        by_hash[r["token_hash"]]: r
        for r in conn.execute(select(schema.devices).where(schema.devices.c.token_hash.in_(list(by_hash)))).mappings()
        if not r["revoked"]
    }


def as_device(row: RowMapping) -> Device:
    return Device(row["id"], row["trainer"], row["unit"], row["role"], row["name"], row["revoked"], row["lost"])


def last_contact(row: Mapping[Any, Any]) -> str:
    """When HQ last heard from a device (ISO, UTC): its last sync, or before one is recorded, its enrollment,
    which is contact too. A laptop enrolled this morning has not gone quiet; one enrolled in spring and never
    synced has."""
    return str(row["last_seen"] or row["enrolled_at"])


def not_seen_since(rows: Iterable[Mapping[Any, Any]], since: datetime) -> list[str]:
    """The devices HQ has not heard from since `since`: the one rule for the console's "not synced" flag and
    for when 'last seen' is next written."""
    after = since.isoformat()
    return [str(r["id"]) for r in rows if last_contact(r) < after]


def unseen_lately(rows: Iterable[Mapping[Any, Any]]) -> list[str]:
    """Devices whose 'last seen' is due: it is kept to the nearest few minutes, not written on every request."""
    return not_seen_since(rows, utc_now() - SEEN_EVERY)


def note_seen(conn: Connection, device_ids: list[str]) -> None:
    if device_ids:
        conn.execute(
            update(schema.devices).where(schema.devices.c.id.in_(device_ids)).values(last_seen=utc_now().isoformat())
        )


def note_seen_alone(engine: Engine, row: RowMapping) -> None:
    """For reads: a write transaction only when 'last seen' is due, so reads never queue behind pushes."""
    if due := unseen_lately([row]):
        with writing(engine), engine.begin() as conn:
            note_seen(conn, due)


def device_for_token(engine: Engine, token: str) -> Device | None:
    with reading(engine).connect() as conn:
        row = active_devices(conn, [token]).get(token)
    if row is None:
        return None
    note_seen_alone(engine, row)
    return as_device(row)


_LISTED = (
    schema.devices.c.id,
    schema.devices.c.trainer,
    schema.devices.c.unit,
    schema.devices.c.role,
    schema.devices.c.name,
    schema.devices.c.enrolled_at,
    schema.devices.c.last_seen,
    schema.devices.c.revoked,
    schema.devices.c.lost,
    schema.devices.c.content_version,
)


def list_devices(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*_LISTED).order_by(schema.devices.c.enrolled_at)).mappings()]


def find_device(engine: Engine, device_id: str) -> dict[str, Any] | None:
    """One device as `list_devices` gives it, or None if HQ has none by that id."""
    with engine.connect() as conn:
        found = conn.execute(select(*_LISTED).where(schema.devices.c.id == device_id)).mappings().first()
    return dict(found) if found is not None else None


def set_device_flag(engine: Engine, device_id: str, flag: str) -> bool:
    """Revoke a device, or mark it lost. Lost outranks revoked: a laptop revoked and then found stolen must be
    answered once more, or it could never be told to wipe itself (a lost one is sent nothing of the force's)."""
    if flag not in ("revoked", "lost"):
        raise ValueError(flag)
    values = {"lost": True, "revoked": False} if flag == "lost" else {"revoked": True}
    with engine.begin() as conn:
        done = conn.execute(update(schema.devices).where(schema.devices.c.id == device_id).values(values))
        return bool(done.rowcount)
