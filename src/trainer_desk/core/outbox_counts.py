"""What this laptop holds for HQ, worded once for the status bar and the Sync view.

Records waiting to be sent go by themselves at the next sync; records HQ refused stay until someone has put the
cause right and they are sent again on purpose. The two were added up in places ("24 waiting" in the status bar,
"0 record(s) waiting to be sent" in the Sync view, for the same 24 refused records), so the counts and their
words live here and every view asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer_desk.core.counted import counted


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    to_send: int  # not yet sent, or sent without an answer: they go at the next sync
    refused: int  # refused by HQ or in conflict with its own: kept until sent again on purpose

    def to_send_phrase(self) -> str:
        return f"{counted(self.to_send, 'record')} waiting to be sent"

    def refused_phrase(self) -> str:
        return f"{counted(self.refused, 'record')} refused by HQ"

    def status(self) -> str:
        """The status bar's part, '' when there is nothing: each count only when it is not nought."""
        parts = [self.to_send_phrase()] if self.to_send else []
        if self.refused:
            parts.append(self.refused_phrase())
        return " · ".join(parts)

    def sentence(self) -> str:
        """The Sync view's line: what goes by itself and what waits on someone."""
        said = f"{self.to_send_phrase()}." if self.to_send else "Nothing is waiting to be sent."
        if self.refused:
            said += (
                f" {self.refused_phrase()}: they are not sent again by themselves, and need someone to put right"
                " what HQ answered (listed below)."
            )
        return said
