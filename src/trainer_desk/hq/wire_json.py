"""JSON between HQ and laptops: every body a laptop sends is read here, and every body HQ builds for a pull is
encoded here, compact and UTF-8 as written (a Welsh or Polish name is not turned into escapes).

What is read is plain JSON only: Python's parser also takes NaN and Infinity (and 1e400, which it reads as
infinity), and integers of any size, which no laptop sends and which other readers of HQ's records (PostgreSQL,
a spreadsheet, a browser) cannot hold.

A force's first pull is some 20 MB of it; orjson encodes that in about 15 ms where the standard library took
about 150 ms, a tenth of the whole first sync. What orjson refuses (an integer beyond 64 bits, which a laptop
may have pushed and HQ stored) is encoded by the standard library instead, as before: one odd record must never
stop every pull that carries it."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

MAX_INTEGER = 2**53  # the largest every JSON reader holds exactly


def decoded(raw: bytes | str) -> Any:
    """A laptop's body; ValueError names what is not plain JSON (RecursionError when nested too deeply)."""
    return json.loads(raw, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_finite)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _integer(digits: str) -> int:
    number = int(digits)
    if abs(number) > MAX_INTEGER:
        raise ValueError(f"a number of {len(digits.lstrip('-'))} digits is beyond what JSON readers hold exactly")
    return number


def _finite(digits: str) -> float:
    number = float(digits)
    if not math.isfinite(number):  # 1e400: written as a number, read as infinity
        raise ValueError(f"the number {digits[:20]} is beyond what JSON readers hold")
    return number


def encoded(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def encoded_text(body: Any) -> str:
    """For a part joined into a larger body as text."""
    return encoded(body).decode()
