"""How much a roster import may take away unasked.

A roster import replaces the whole roster, so a truncated or wrong export would mark most of the force as
left. An import never leaves the roster empty, and one that would mark more than SHRINK_SHARE of it as left
goes ahead only when asked to (`--allow-shrink`, or a confirmation in the app). The laptop, the app and HQ
all decide with this one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer_desk.core.errors import UserFacingError

SHRINK_SHARE = 0.20


@dataclass(frozen=True, slots=True)
class RosterShrink:
    current: int  # people on the roster now (0 for a made-up demo roster, which anything may replace)
    leaving: int  # of them, how many the import would mark as left
    incoming: int  # people in the file

    @property
    def empties(self) -> bool:
        return self.incoming == 0

    @property
    def percent(self) -> int:
        return round(100 * self.leaving / self.current) if self.current else 0

    @property
    def needs_confirmation(self) -> bool:
        """More than the allowed share would be marked as left."""
        return self.current > 0 and self.leaving > self.current * SHRINK_SHARE

    def describe(self) -> str:
        return f"{self.leaving} of the {self.current} people on the roster ({self.percent}%) would be marked as left"


class RosterShrinkError(UserFacingError):
    def __init__(self, shrink: RosterShrink, message: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.shrink = shrink


def check_roster_shrink(shrink: RosterShrink, *, allow_shrink: bool, how_to_allow: str = "--allow-shrink") -> None:
    """Raise RosterShrinkError when the import would empty the roster, or shrink it too far unasked."""
    if shrink.empties:
        raise RosterShrinkError(
            shrink, "the file has nobody in it, and an import never leaves the roster empty; nothing was changed."
        )
    if shrink.needs_confirmation and not allow_shrink:
        raise RosterShrinkError(
            shrink,
            f"{shrink.describe()}, more than the {round(SHRINK_SHARE * 100)}% an import may remove unasked; "
            "nothing was changed.",
            hint=f"If HR really removed them, import again with {how_to_allow}.",
        )
