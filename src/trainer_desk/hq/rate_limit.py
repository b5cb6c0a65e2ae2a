"""A limit on wrong enrollment codes per client address, so nobody can guess codes at network speed.

Kept in memory, per worker process: a restart forgives everyone, which is harmless, since a code is 64 random
bits and valid for days at most; the limit only has to make guessing hopeless, not impossible to reset."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_ADDRESSES = 10_000  # past this many addresses with recent failures, the oldest are forgotten
# Wrong current passwords when changing one's own in the console: five per account per quarter hour. (Signing
# in is counted in the database, across every worker: `hq.sign_in_limits`.)
SIGN_IN_FAILURES_ALLOWED, SIGN_IN_WINDOW_S = 5, 900


class FailureLimit:
    """At most `limit` failures from one address within `window` seconds; past that the address is refused
    until its oldest failure leaves the window."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, address: str) -> float:
        """Seconds until `address` may try again: 0 when it may now."""
        with self._lock:
            failures = self._recent(address)
            if len(failures) < self.limit:
                return 0.0
            return max(failures[0] + self.window - self.clock(), 0.0)

    def failed(self, address: str) -> None:
        with self._lock:
            failures = self._recent(address)
            failures.append(self.clock())
            while len(failures) > self.limit:
                failures.popleft()
            self._failures[address] = failures
            if len(self._failures) > MAX_ADDRESSES:
                self._forget_oldest()

    def forgive(self, address: str) -> None:
        """Forget the failures of `address` (an account whose password an administrator has just reset)."""
        with self._lock:
            self._failures.pop(address, None)

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address, deque())
        since = self.clock() - self.window
        while failures and failures[0] < since:
            failures.popleft()
        return failures

    def _forget_oldest(self) -> None:
        by_latest = sorted(self._failures, key=lambda a: self._failures[a][-1] if self._failures[a] else 0.0)
        for address in by_latest[: len(by_latest) - MAX_ADDRESSES // 2]:
            del self._failures[address]
