"""Python's cycle collector, paused around work that makes a great many objects at once and frees none.

A first pull's answer is half a million lists, strings and tuples, decoded and then written. Each burst of
new objects sets the collector off, and each run walks every object the app holds, for nothing: none of
them is garbage until the pull is written. Paused, the laptop's share of a first pull is a tenth quicker.
Only around the decoding and the writing, never a wait on the network: a collector held off for long would
let the rest of the app's garbage pile up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was (a caller that had turned it off keeps it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
