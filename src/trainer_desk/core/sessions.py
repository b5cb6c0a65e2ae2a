"""Training sessions: one delivery of one version of a lesson plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.force_clock import FORCE_TIME_ZONE


class DeliveryMode(StrEnum):
    IN_PERSON = "in-person"
    VIRTUAL = "virtual"

    @property
    def label(self) -> str:
        """As a person writes it ("In person"), not as it is stored ("in-person")."""
        return self.value.replace("-", " ").capitalize()


def mode_in_words(stored: str) -> str:
    """A session's mode as printed: its words, or what is stored where no release writes it (HQ's records
    are untrusted)."""
    try:
        return DeliveryMode(stored).label
    except ValueError:
        return stored


class SessionStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"  # register and feedback done; queued for HQ
    CANCELLED = "cancelled"


def was_delivered(status: str) -> bool:
    """Whether a session of this status took place: counted as delivered, with its trainers' hours, by the
    laptop's reports, HQ's and the dashboard alike. One planned has not yet, one cancelled never will."""
    return status not in (SessionStatus.PLANNED, SessionStatus.CANCELLED)


def still_delivered(session: Session | None) -> bool:
    """Whether a session, as read again from the store, is still being delivered: once closed (from its
    register, say) or cancelled, nothing more is recorded for it, so no timing lands after its end."""
    return session is not None and session.status not in (SessionStatus.CLOSED, SessionStatus.CANCELLED)


def refuse_if_cancelled(status: str) -> None:
    """A cancelled session never ran: a mark, a walk-in, a sheet or closing it would make a session that
    did not happen look delivered (and count its people as trained), on the laptop and at HQ alike."""
    if status == SessionStatus.CANCELLED:
        raise UserFacingError(
            "This session was cancelled: nothing can be recorded on its register or printed for it. Book its people "
            "on another session."
        )


# The same, for a query over the sessions table's status column (its values are SessionStatus values).
DELIVERED_SQL = "status NOT IN ('planned', 'cancelled')"


@dataclass(frozen=True, slots=True)
class PlanRef:
    """A lesson plan pinned to the version a session was delivered from."""

    plan_id: str
    version: str
    programme_id: str


@dataclass(frozen=True, slots=True)
class Session:
    uuid: str
    plan: PlanRef
    unit_code: str
    venue: str
    mode: DeliveryMode
    starts_at: datetime
    status: SessionStatus = SessionStatus.PLANNED
    ends_at: datetime | None = None
    trainers: tuple[str, ...] = field(default=())  # staff numbers; the first is the lead trainer
    version: int = 1
    wellbeing_contact: str = ""  # named for this session; blank: the force's wellbeing contact


# A session about to start, or started minutes ago, can still be put in the plan. One whose start passed
# longer ago is a slip of the day or the year: the trainer's laptop would show it as overdue from the moment
# it arrived, and the people booked on it would be chased for a session that never was.
PLANNING_GRACE = timedelta(hours=1)
# Sessions are planned weeks or months ahead; one planned years ahead is a year mistyped (2032 for 2026), and
# would sit at the top of every list of sessions, booking its people away from the sessions they could attend.
FURTHEST_AHEAD = timedelta(days=400)


def refuse_an_unlikely_start(starts_at: datetime, now: datetime) -> None:
    """Planning or moving a session: its start is still to come (within `PLANNING_GRACE`), and within
    `FURTHEST_AHEAD`."""
    if starts_at < now - PLANNING_GRACE:
        raise FieldError(
            "at",
            "That start has already gone by: a session is planned for a time still to come. "
            "Check the day and the year.",
        )
    if starts_at > now + FURTHEST_AHEAD:
        raise FieldError(
            "at",
            f"That start is more than a year away ({starts_at:%Y}): sessions are planned at most {FURTHEST_AHEAD.days} "
            "days ahead. Check the year.",
        )


def booking_key(plan_id: str, unit_code: str, starts_at: datetime, venue: str) -> tuple[str, str, datetime, str]:
    """What makes two planned sessions one booking, as a person would compare them: plan, unit, start and
    room. A second with the same is a form sent twice or a booking list imported again, not a new session."""
    return plan_id, unit_code.casefold(), starts_at.astimezone(UTC), " ".join(venue.split()).casefold()


def already_planned(existing_uuid: str) -> UserFacingError:
    return UserFacingError(
        "Already planned: the same lesson plan for the same unit, at the same time and place (session "
        f"{existing_uuid[:8]}). Nothing new was planned."
    )


def start_from_text(text: str) -> datetime:
    """A session's start as a person types it (2026-12-10T09:30). A time without a zone is on the force's
    clocks, as every screen and sheet shows it, whatever the clock of the machine it is typed on (a server's,
    or a laptop set to UTC). ValueError, saying what is expected, for anything else."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time like 2026-12-10T09:30") from None
    if found.tzinfo:
        return found
    zone = FORCE_TIME_ZONE
    first, second = found.replace(tzinfo=zone, fold=0), found.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    # The hour the clocks skip, or the hour they repeat: either would be stored as a time nobody meant.
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != found:
        raise ValueError(
            f"'{text}' does not exist: the clocks go forward an hour that night, so no clock shows it. Give the "
            "time an hour later"
        )
    raise ValueError(
        f"'{text}' happens twice: the clocks go back an hour that night. Give a time outside that hour, or with its "
        f"offset ({found.isoformat()}{_offset(first)} or {found.isoformat()}{_offset(second)})"
    )


def _offset(moment: datetime) -> str:
    return moment.isoformat()[-6:]
