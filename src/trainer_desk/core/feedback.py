"""Anonymous session feedback: nothing here can point back to a person."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ObjectiveRating:
    objective_id: str
    before: int  # understanding 1 to 5 before the session
    after: int


@dataclass(frozen=True, slots=True)
class Feedback:
    uuid: str
    session_uuid: str
    would_recommend: bool
    reason_not: str = ""
    ratings: tuple[ObjectiveRating, ...] = field(default=())
