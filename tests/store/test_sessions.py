from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.store import outbox, sessions
from trainer_desk.store.connection import IntegrityError
from trainer_desk.workspace import Workspace

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def make_session(unit: str = "NORTH") -> Session:
    return Session(
        uuid=new_uuid(),
        plan=PlanRef("signa-core", "1.0.0", "signa"),
        unit_code=unit,
        venue="Room 4",
        mode=DeliveryMode.IN_PERSON,
        starts_at=NOW,
        trainers=("100001", "S200002"),
    )


def test_a_new_session_is_saved_with_its_outbox_entry(workspace: Workspace) -> None:
    session = make_session()
    sessions.create_session(workspace.db, session, NOW)
    assert sessions.list_sessions(workspace.db) == [session]
    entity, uuid, payload = workspace.db.execute("SELECT entity, entity_uuid, payload FROM outbox").fetchone()
    assert (entity, uuid) == ("session", session.uuid)
    assert json.loads(payload)["plan_version"] == "1.0.0"


def test_a_failed_write_leaves_neither_record_nor_outbox_entry(workspace: Workspace) -> None:
    with pytest.raises(IntegrityError):
        sessions.create_session(workspace.db, make_session(unit="NOWHERE"), NOW)
    assert sessions.list_sessions(workspace.db) == []
    assert outbox.waiting_count(workspace.db) == 0
