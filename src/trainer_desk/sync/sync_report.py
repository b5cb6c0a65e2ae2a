"""What one sync did, in words for the trainer: the counts, what HQ sent that was left out, and, when it
stopped part-way, what it had done before it stopped."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer_desk.core.counted import counted, were
from trainer_desk.sync.client import SyncError


@dataclass
class SyncReport:
    pushed: int = 0
    flagged: int = 0  # conflicts and refusals, kept and shown
    roster_changes: int = 0
    sessions_received: int = 0  # sessions and registrations HQ gave this laptop
    content_version: int | None = None
    clock_difference_s: float | None = None
    wipe_requested: bool = False
    lost_in_wipe: int = 0  # records HQ had not accepted when a laptop reported lost was wiped
    left_out: int = 0  # records HQ sent that this laptop could not read (`from_hq`), so did not store
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{counted(self.pushed, 'record')} sent", f"{counted(self.roster_changes, 'roster change')} received"]
        if self.sessions_received:  # on a lead's laptop, or a trainer's given a session planned elsewhere
            parts.append(f"{counted(self.sessions_received, 'session or register record')} received")
        if self.content_version:
            parts.append(f"lesson content version {self.content_version} installed")
        if self.flagged:
            parts.append(f"{counted(self.flagged, 'record')} refused by HQ")
        return " ".join([", ".join(parts) + ".", *self.notes()])

    def notes(self) -> list[str]:
        """What the trainer should know beyond the counts: records left out, a roster HQ does not have yet."""
        return [*([self.left_out_note()] if self.left_out else []), *dict.fromkeys(self.problems)]

    def left_out_note(self) -> str:
        """What HQ sent that this laptop left out, in words that send the trainer to HQ (which can find the
        records by their sequence); the records themselves are not named, as they may name people."""
        left_out = f"{counted(self.left_out, 'record')} from HQ could not be read and {were(self.left_out)} left out"
        return f"{left_out}: tell HQ."

    def done_so_far(self) -> str:
        """What a sync that stopped part-way had already done, for the message that says why it stopped."""
        done = []
        if self.pushed:
            done.append(f"{counted(self.pushed, 'record')} {were(self.pushed)} sent to HQ")
        if self.flagged:
            done.append(f"{counted(self.flagged, 'record')} {were(self.flagged)} refused by HQ")
        if self.roster_changes:
            done.append(f"{counted(self.roster_changes, 'roster change')} {were(self.roster_changes)} received")
        if self.left_out:
            done.append(self.left_out_note().removesuffix(": tell HQ.") + " (tell HQ)")
        return ", ".join(done[:-1]) + (" and " if len(done) > 1 else "") + done[-1] if done else ""


class SyncIncompleteError(SyncError):
    """The sync stopped part-way. What it did before that stays done, and the message says what it was;
    `report` lets the app show the records sent and the roster received."""

    def __init__(self, cause: SyncError, report: SyncReport) -> None:
        done = report.done_so_far()
        message = f"{done[0].upper()}{done[1:]}, then the sync stopped: {cause.message}" if done else cause.message
        super().__init__(cause.kind, message)
        self.report = report
