from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus, still_delivered


def test_a_session_closed_or_cancelled_or_gone_takes_no_more_timings() -> None:
    planned = Session(
        "u1",
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Room 4",
        DeliveryMode.IN_PERSON,
        datetime(2026, 3, 2, tzinfo=UTC),
    )
    assert still_delivered(planned)
    assert still_delivered(replace(planned, status=SessionStatus.RUNNING))
    assert not still_delivered(replace(planned, status=SessionStatus.CLOSED))
    assert not still_delivered(replace(planned, status=SessionStatus.CANCELLED))
    assert not still_delivered(None)
