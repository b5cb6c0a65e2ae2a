"""Anonymous session feedback: nothing here can point back to a person.

Every answer may be left blank, and a blank is kept as None ("no answer"), never turned into a middling
score: a form passed round untouched must not count as "understanding 3 before and 3 after".
"""

from __future__ import annotations

from dataclasses import dataclass, field

RATING_MIN = 1
RATING_MAX = 5
MAX_WRITTEN = 500  # characters in the one box for words, on the laptop's form and the phone's
# The box's question and hint, the same on the laptop's form and the phone's: one box takes a reason with a No
# and a comment with any other answer, so nothing a participant writes is dropped.
WRITTEN_QUESTION = "If not, why not? Or any other comment"
WRITTEN_HINT = f"Up to {MAX_WRITTEN} characters. With a No it is read as your reason; otherwise as a comment."


@dataclass(frozen=True, slots=True)
class ObjectiveRating:
    objective_id: str
    before: int | None  # understanding 1 to 5 before the session; None: no answer
    after: int | None

    def __post_init__(self) -> None:
        for score in (self.before, self.after):
            if score is not None and not RATING_MIN <= score <= RATING_MAX:
                raise ValueError(f"a rating is {RATING_MIN} to {RATING_MAX} or no answer, not {score}")

    @property
    def answered(self) -> bool:
        return self.before is not None or self.after is not None


@dataclass(frozen=True, slots=True)
class Feedback:
    uuid: str
    session_uuid: str
    would_recommend: bool | None  # None: no answer
    reason_not: str = ""
    ratings: tuple[ObjectiveRating, ...] = field(default=())
    comment: str = ""  # written with a Yes or no answer: read at HQ beside the reasons, never dropped

    @property
    def answered(self) -> bool:
        """Whether anyone wrote anything: a form with no answer at all is not a response and is not kept."""
        return (
            self.would_recommend is not None
            or bool(self.reason_not.strip())
            or bool(self.comment.strip())
            or any(rating.answered for rating in self.ratings)
        )
