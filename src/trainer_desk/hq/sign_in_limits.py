"""How many wrong passwords the console's sign-in takes before it makes someone wait, counted in HQ's database so
that every worker process counts the same ones (kept in each process's memory, `--workers 4` allowed four
times the guesses).

Counted per account *and* network address: five wrong passwords for an account from one address hold back
that account from that address only, so someone elsewhere typing a colleague's username cannot lock them out.
An address that has sent many wrong passwords lately (thirty, over any accounts: someone trying usernames) is
slowed rather than shut: from it, each account gets one wrong password before it is held back, while an
account it has not been failing on still signs in with its right password, so a station's staff behind one
address are not locked out by whoever shares it. The audit trail gets one line per lockout, not per attempt.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, delete, insert, select

from trainer_desk.hq import schema

ACCOUNT_FAILURES_ALLOWED = 5  # per account and address, within the window
ADDRESS_FAILURES_ALLOWED = 30  # per address over every account, within the window; past it, one per account
WINDOW_S = 900.0


class SignInLimits:
    """The counts of wrong passwords, and what they hold back. `clock`: seconds since the epoch, shared by
    every worker (as `time.time` is), not a process's own monotonic clock."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time, window_s: float = WINDOW_S) -> None:
        self.engine = engine
        self.clock = clock
        self.window_s = window_s

    def refusal(self, username: str, address: str) -> str:
        """Why this account may not try to sign in from this address now, with how long to wait; "" if it may.
        Asked before the password is checked, so a held-back guess learns nothing."""
        wait = self._wait(username, address)
        if wait <= 0:
            return ""
        return (
            f"Too many wrong passwords for this account from your network address: try again in {_minutes(wait)}, "
            "or ask an HQ administrator to reset its password."
        )

    def failed(self, username: str, address: str) -> str:
        """Count a wrong password; returns what to record in the audit trail if this one locked something
        ("" otherwise, which is nearly always: one line per lockout, not one per attempt)."""
        now = self.clock()
        table = schema.sign_in_failures
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.failed_at < now - self.window_s))  # no longer counted
            conn.execute(insert(table).values(username=username[:80], address=address[:64], failed_at=now))
            mine, from_address = self._counts(conn, username, address, now)
        if len(from_address) == ADDRESS_FAILURES_ALLOWED:
            return f"{ADDRESS_FAILURES_ALLOWED} wrong passwords from {address} within {_minutes(self.window_s)}"
        if len(mine) == ACCOUNT_FAILURES_ALLOWED and len(from_address) < ADDRESS_FAILURES_ALLOWED:
            return f"{ACCOUNT_FAILURES_ALLOWED} wrong passwords for this account from {address}"
        return ""

    def forgive(self, username: str) -> None:
        """Forget the account's wrong passwords (an administrator has just reset its password)."""
        table = schema.sign_in_failures
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.username == username[:80]))

    def _wait(self, username: str, address: str) -> float:
        now = self.clock()
        with self.engine.connect() as conn:
            mine, from_address = self._counts(conn, username, address, now)
        by_account = _until_fewer(mine, ACCOUNT_FAILURES_ALLOWED, self.window_s, now)
        if len(from_address) < ADDRESS_FAILURES_ALLOWED:
            return by_account
        address_ends = _until_fewer(from_address, ADDRESS_FAILURES_ALLOWED, self.window_s, now)
        slowed = min(_until_fewer(mine, 1, self.window_s, now), address_ends)
        return max(by_account, slowed)

    def _counts(self, conn: Connection, username: str, address: str, now: float) -> tuple[list[float], list[float]]:
        """When the account failed from the address, and when the address failed at all, within the window,
        oldest first."""
        table = schema.sign_in_failures
        recent = (table.c.address == address[:64]) & (table.c.failed_at >= now - self.window_s)
        query = select(table.c.failed_at, table.c.username == username[:80]).where(recent).order_by(table.c.failed_at)
        rows = list(conn.execute(query))
        return [at for at, theirs in rows if theirs], [at for at, _ in rows]


def _until_fewer(times: list[float], allowed: int, window_s: float, now: float) -> float:
    """Seconds until fewer than `allowed` of `times` (oldest first) are within the window; 0 if they are."""
    if len(times) < allowed:
        return 0.0
    return max(times[len(times) - allowed] + window_s - now, 0.0)


def _minutes(seconds: float) -> str:
    minutes = max(math.ceil(seconds / 60), 1)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
