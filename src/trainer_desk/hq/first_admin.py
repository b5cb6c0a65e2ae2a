"""A new HQ's first administrator, made in the browser: `serve` on an HQ with no account prints a one-time setup
address to its own console output (never to a log kept on disk), and that address alone opens the page that
makes the first administrator of the whole of HQ. Before this, only `trainer-desk-hq users add` could, and the
console's sign-in page sent the learning team to an administrator who did not exist.

The address carries a token of 256 random bits, made afresh by each `serve` and held only in its memory (and its
worker processes', which receive it with their configuration). It works only while HQ has no account: once one
exists, in whichever way it was made, it is refused. The console takes it once, keeps the fact in the browser's
signed session and moves the browser on to an address without it, so it stays out of the browser's history and
any proxy's log of the later pages."""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import Engine, func, select

from trainer_desk.hq import schema
from trainer_desk.hq.database import reading

PATH = "/console/setup/"


def no_accounts(engine: Engine) -> bool:
    """Whether HQ has no console account at all, enabled or not: a new HQ."""
    with reading(engine).connect() as conn:
        return not conn.execute(select(func.count()).select_from(schema.staff)).scalar()


def new_token(engine: Engine) -> str:
    """A setup token for this `serve`, or '' where HQ has an account already (there is nothing to set up)."""
    return secrets.token_urlsafe(32) if no_accounts(engine) else ""


def matches(expected: str, sent: str) -> bool:
    """The token sent is this `serve`'s, compared in constant time; never when `serve` made none."""
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())


def announcement(token: str, host: str, port: int, tls: bool) -> str:
    """What `serve` prints for the person who started it, to open in a browser."""
    shown = "localhost" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
    address = f"{'https' if tls else 'http'}://{shown}:{port}{PATH}{token}"
    return (
        "HQ has no console account yet. To make its first administrator, open this address in a browser "
        "(keep it to yourself: it works until an account exists, and only while this serve runs):\n"
        f"  {address}\n"
        "(Or the same path at HQ's own address, where a TLS proxy stands in front of it.)"
    )
