"""The keys laptops sign their classrooms' feedback links with (`core.feedback_link`): each derived from one
secret HQ makes once and keeps with its data, so HQ gives a laptop its key at enrollment and works it out
again whenever a link arrives, without storing any. A revoked or lost laptop's links are refused."""

from __future__ import annotations

import base64
import secrets

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from trainer_desk.core.feedback_link import device_key
from trainer_desk.hq import schema

NAME = "feedback_links"


def secret(engine: Engine, name: str = NAME) -> bytes:
    """One of HQ's secrets (the feedback links' unless named), made the first time it is needed (by whichever
    worker gets there first)."""
    table = schema.hq_secrets
    with engine.connect() as conn:
        found = conn.execute(select(table.c.value).where(table.c.name == name)).scalar()
    if found is None:
        try:
            with engine.begin() as conn:
                conn.execute(insert(table).values(name=name, value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass  # another worker made it first: theirs is the one
        with engine.connect() as conn:
            found = conn.execute(select(table.c.value).where(table.c.name == name)).scalar_one()
    return str(found).encode()


def for_device(engine: Engine, device_id: str) -> bytes | None:
    """The key of a device HQ knows and still trusts; None otherwise."""
    devices = schema.devices
    with engine.connect() as conn:
        device = conn.execute(select(devices.c.revoked, devices.c.lost).where(devices.c.id == device_id)).first()
    if device is None or device.revoked or device.lost:
        return None
    return device_key(secret(engine), device_id)


def as_text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()
