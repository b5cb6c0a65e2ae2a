"""How a session is described to people: when, what, for whom, where, and how far it has got.

A session's stored status says only planned, running, closed or cancelled; "running" covers both the trainer
presenting and the register staying open after delivery ended. Trainers need those told apart, so the state
shown here is worked out from the status and whether delivery is still under way.
"""

from __future__ import annotations

from enum import StrEnum

from trainer_desk.core import force_clock
from trainer_desk.core.sessions import Session, SessionStatus


class SessionState(StrEnum):
    """What a trainer sees in lists; the values are the words shown."""

    PLANNED = "planned"
    RUNNING = "running"
    STOPPED = "delivery stopped part-way"
    DELIVERED = "delivered, register open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def session_state(status: SessionStatus, mid_delivery: bool, presenting: bool | None = None) -> SessionState:
    """`mid_delivery`: delivery has started and not been ended (the resume point or a section clock is kept).
    `presenting`: whether a presenter window is open for it, where the caller knows (None: not known)."""
    if status is SessionStatus.PLANNED:
        return SessionState.PLANNED
    if status is SessionStatus.CLOSED:
        return SessionState.CLOSED
    if status is SessionStatus.CANCELLED:
        return SessionState.CANCELLED
    if not mid_delivery:
        return SessionState.DELIVERED
    return SessionState.STOPPED if presenting is False else SessionState.RUNNING


def describe_session(session: Session, plan_title: str, unit_name: str, state: SessionState) -> str:
    """One line for lists and headings, on the force's clocks (as its sheet prints it), whatever this
    computer's own zone."""
    return (
        f"{force_clock.local(session.starts_at):%a %d %b %Y %H:%M} · {plan_title} · {unit_name} · {session.venue}"
        f" · {state.value}"
    )
