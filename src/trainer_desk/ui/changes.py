"""One channel that says what changed, after any write: a mark in the register, a session closed, a sync that
brought roster changes or new lesson content. Every view that shows one of these areas listens here and
refreshes what it shows; no view re-reads on a timer or guesses.

Views connect a bound method (`changes.changed.connect(self._on_data_changed)`), so a closed window stops
listening when Qt deletes it.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal


class Change(StrEnum):
    SESSIONS = "sessions"  # a session started, ended, closed, planned
    ATTENDANCE = "attendance"  # a register line added, changed or removed
    ROSTER = "roster"  # people arrived, changed or left (an import, or a sync)
    CONTENT = "content"  # lesson plans installed or replaced
    SYNC = "sync"  # what is waiting for HQ, and when HQ last answered


class ChangeChannel(QObject):
    changed = Signal(object)  # frozenset[Change]

    def announce(self, *what: Change) -> None:
        if what:
            self.changed.emit(frozenset(what))
