"""Keeping a session to time: how long each section has run, how far behind the whole session is, and which
later sections could give minutes back.

Pure arithmetic over a monotonic clock passed in, so every rule here is tested without waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from trainer_desk.core.lesson_plan import SectionKind

AMBER_SECONDS = 60  # the last minute of a section shows amber

# Kinds a trainer can shorten without losing what the section is for; never below half their time.
_FLEXIBLE = {SectionKind.DISCUSSION, SectionKind.ACTIVITY, SectionKind.QUESTION_ROUND, SectionKind.TALK}


class TimeLevel(StrEnum):
    ON_TIME = "on-time"
    NEARLY = "nearly"  # amber
    OVER = "over"  # red


@dataclass(frozen=True, slots=True)
class Trim:
    section_index: int
    minutes: int


@dataclass
class SessionClock:
    """Where the session is and how long each section has run; serialisable for resuming after a crash."""

    targets_s: Sequence[int]
    kinds: Sequence[SectionKind]
    now: Callable[[], float]
    current: int = 0
    elapsed_s: list[float] = field(default_factory=list)
    running_since: float | None = None

    def __post_init__(self) -> None:
        if not self.elapsed_s:
            self.elapsed_s = [0.0] * len(self.targets_s)

    # --- moving through the session -------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self.running_since is None

    def start(self) -> None:
        if self.running_since is None:
            self.running_since = self.now()

    def pause(self) -> None:
        if self.running_since is not None:
            self.elapsed_s[self.current] += self.now() - self.running_since
            self.running_since = None

    def go_to(self, index: int) -> None:
        if not 0 <= index < len(self.targets_s) or index == self.current:
            return
        was_running = not self.paused
        self.pause()
        self.current = index
        if was_running:
            self.start()

    # --- reading the clock ----------------------------------------------------------------------
    def elapsed(self, index: int) -> float:
        extra = self.now() - self.running_since if index == self.current and self.running_since is not None else 0.0
        return self.elapsed_s[index] + extra

    def section_remaining(self) -> float:
        return self.targets_s[self.current] - self.elapsed(self.current)

    def total_elapsed(self) -> float:
        return sum(self.elapsed(i) for i in range(len(self.targets_s)))

    def planned_total(self) -> int:
        return sum(self.targets_s)

    def section_level(self) -> TimeLevel:
        return _level(self.section_remaining())

    def behind_s(self) -> float:
        """How far the session is behind plan, counting only time already spent over targets."""
        over = sum(max(0.0, self.elapsed(i) - self.targets_s[i]) for i in range(len(self.targets_s)))
        spare = sum(max(0.0, self.targets_s[i] - self.elapsed(i)) for i in range(self.current) if self.elapsed(i) > 0)
        return max(0.0, over - spare)

    def session_level(self) -> TimeLevel:
        behind = self.behind_s()
        if behind <= 0:
            return TimeLevel.ON_TIME
        return TimeLevel.NEARLY if behind <= self.absorbable_s() else TimeLevel.OVER

    def absorbable_s(self) -> int:
        return sum(t.minutes * 60 for t in self._possible_trims())

    def suggest_trims(self) -> list[Trim]:
        """Later sections that could give back the minutes the session is behind, largest first."""
        needed = int(-(-self.behind_s() // 60))  # whole minutes, rounded up
        trims = []
        for trim in self._possible_trims():
            if needed <= 0:
                break
            take = min(trim.minutes, needed)
            trims.append(Trim(trim.section_index, take))
            needed -= take
        return trims

    def _possible_trims(self) -> list[Trim]:
        later = [
            Trim(i, self.targets_s[i] // 60 // 2)
            for i in range(self.current + 1, len(self.targets_s))
            if self.kinds[i] in _FLEXIBLE and self.targets_s[i] // 60 // 2 > 0
        ]
        return sorted(later, key=lambda t: -t.minutes)

    # --- saving and resuming --------------------------------------------------------------------
    def snapshot(self) -> dict[str, object]:
        return {
            "current": self.current,
            "elapsed_s": [round(self.elapsed(i), 1) for i in range(len(self.targets_s))],
            "paused": self.paused,
        }

    def restore(self, snapshot: dict[str, object]) -> None:
        """Resume where a snapshot left off; a restored session starts paused, so no minutes are lost."""
        elapsed = snapshot.get("elapsed_s")
        current = snapshot.get("current")
        if (
            isinstance(elapsed, list)
            and len(elapsed) == len(self.targets_s)
            and isinstance(current, int)
            and 0 <= current < len(self.targets_s)
        ):
            self.elapsed_s = [float(e) for e in elapsed]
            self.current = current
            self.running_since = None


def _level(remaining_s: float) -> TimeLevel:
    if remaining_s < 0:
        return TimeLevel.OVER
    if remaining_s <= AMBER_SECONDS:
        return TimeLevel.NEARLY
    return TimeLevel.ON_TIME


def format_clock(seconds: float) -> str:
    """'12:05', or '-1:30' when over time."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"
