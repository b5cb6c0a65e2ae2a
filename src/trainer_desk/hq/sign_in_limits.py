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
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, insert, select

from trainer_desk.core import force_clock
from trainer_desk.hq import schema

ACCOUNT_FAILURES_ALLOWED = 5  # per account and address, within the window
ADDRESS_FAILURES_ALLOWED = 30  # per address over every account, within the window; past it, one per account
WINDOW_S = 900.0


@dataclass(frozen=True, slots=True)
class HeldBack:
    """An account held back after wrong passwords: `until` (seconds since the epoch) it may try again from
    every address, and from how many `addresses` it is held back now."""

    until: float
    addresses: int

    def in_words(self) -> str:
        """As the Accounts page says it: "held back after wrong passwords until 14:05 (from one address)"."""
        at = force_clock.local(datetime.fromtimestamp(self.until, UTC))
        where = "one address" if self.addresses == 1 else f"{self.addresses} addresses"
        return f"held back after wrong passwords until {at:%H:%M} (from {where})"


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
        """Forget the account's wrong passwords (an administrator has just reset its password, or released the
        account on the Accounts page)."""
        table = schema.sign_in_failures
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.username == username[:80]))

    def held_back(self) -> dict[str, HeldBack]:
        """Each account held back now from some address, with until when and from how many addresses: what
        the Accounts page shows, where a held-back account otherwise read as "active". One read of the
        window's failures, however many accounts a guesser tried."""
        now = self.clock()
        table = schema.sign_in_failures
        query = select(table.c.username, table.c.address, table.c.failed_at).where(
            table.c.failed_at >= now - self.window_s
        )
        by_address: dict[str, list[tuple[str, float]]] = {}
        with self.engine.connect() as conn:
            for username, address, failed_at in conn.execute(query.order_by(table.c.failed_at)):
                by_address.setdefault(address, []).append((username, failed_at))
        found: dict[str, HeldBack] = {}
        for failures in by_address.values():
            every = [at for _, at in failures]
            for username in {name for name, _ in failures}:
                mine = [at for name, at in failures if name == username]
                wait = _wait_for(mine, every, self.window_s, now)
                if wait > 0:
                    before = found.get(username, HeldBack(0.0, 0))
                    found[username] = HeldBack(max(before.until, now + wait), before.addresses + 1)
        return found

    def _wait(self, username: str, address: str) -> float:
        now = self.clock()
        with self.engine.connect() as conn:
            mine, from_address = self._counts(conn, username, address, now)
        return _wait_for(mine, from_address, self.window_s, now)

    def _counts(self, conn: Connection, username: str, address: str, now: float) -> tuple[list[float], list[float]]:
        """When the account failed from the address, and when the address failed at all, within the window,
        oldest first."""
        table = schema.sign_in_failures
        recent = (table.c.address == address[:64]) & (table.c.failed_at >= now - self.window_s)
        query = select(table.c.failed_at, table.c.username == username[:80]).where(recent).order_by(table.c.failed_at)
        rows = list(conn.execute(query))
        return [at for at, theirs in rows if theirs], [at for at, _ in rows]


def _wait_for(mine: list[float], from_address: list[float], window_s: float, now: float) -> float:
    """Seconds an account must wait at an address, given when it failed there and when the address failed at
    all (oldest first); 0 if it may try now."""
    by_account = _until_fewer(mine, ACCOUNT_FAILURES_ALLOWED, window_s, now)
    if len(from_address) < ADDRESS_FAILURES_ALLOWED:
        return by_account
    address_ends = _until_fewer(from_address, ADDRESS_FAILURES_ALLOWED, window_s, now)
    slowed = min(_until_fewer(mine, 1, window_s, now), address_ends)
    return max(by_account, slowed)


def _until_fewer(times: list[float], allowed: int, window_s: float, now: float) -> float:
    """Seconds until fewer than `allowed` of `times` (oldest first) are within the window; 0 if they are."""
    if len(times) < allowed:
        return 0.0
    return max(times[len(times) - allowed] + window_s - now, 0.0)


def _minutes(seconds: float) -> str:
    minutes = max(math.ceil(seconds / 60), 1)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
