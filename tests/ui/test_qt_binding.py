"""The Qt binding must not drop references: PySide6 6.12.0 released one on every signal argument emitted
from Python and on every `None` a void method returned, and a long session then aborted ("deallocating None")
or freed objects still in use. pyproject.toml excludes that release; this keeps it excluded."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(bool)
    carried = Signal(object)


def test_signals_and_void_calls_keep_their_references() -> None:
    emitter = _Emitter()
    seen: list[object] = []
    emitter.changed.connect(seen.append)
    emitter.carried.connect(seen.append)
    payload = object()
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(payload))
    for _ in range(1000):
        emitter.changed.emit(True)
        emitter.carried.emit(payload)
        emitter.setObjectName("emitter")
    seen.clear()
    assert (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(payload)) == before
