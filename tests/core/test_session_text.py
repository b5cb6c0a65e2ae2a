from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trainer_desk.core.session_text import SessionState, describe_session, session_state
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus


@pytest.mark.parametrize(
    ("status", "mid_delivery", "presenting", "shown"),
    [
        (SessionStatus.PLANNED, False, None, SessionState.PLANNED),
        (SessionStatus.RUNNING, True, None, SessionState.RUNNING),
        (SessionStatus.RUNNING, True, True, SessionState.RUNNING),
        (SessionStatus.RUNNING, True, False, SessionState.STOPPED),
        (SessionStatus.RUNNING, False, None, SessionState.DELIVERED),
        (SessionStatus.RUNNING, False, True, SessionState.DELIVERED),
        (SessionStatus.CLOSED, False, None, SessionState.CLOSED),
        (SessionStatus.CANCELLED, False, None, SessionState.CANCELLED),
    ],
)
def test_running_is_told_apart_from_delivered_with_the_register_open(
    status: SessionStatus, mid_delivery: bool, presenting: bool | None, shown: SessionState
) -> None:
    assert session_state(status, mid_delivery, presenting) is shown


def test_a_session_is_described_in_local_time_with_names() -> None:
    starts = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    session = Session("u1", PlanRef("signa-core", "1.0.0", "signa"), "NORTH", "Room 4", DeliveryMode.VIRTUAL, starts)
    assert describe_session(session, "Signa", "North", SessionState.DELIVERED) == (
        f"{starts.astimezone():%a %d %b %Y %H:%M} · Signa · North · Room 4 · delivered, register open"
    )
