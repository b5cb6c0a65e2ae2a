"""One change to how PySide6 behaves, made before the app imports its own Qt modules.

Once PySide6 is loaded, it asks of every module imported after it whether the module's source mentions
"PySide6" (for its optional `__feature__` switches, which this app does not use). It finds out with
`inspect.getsource`, which reads and splits the whole file into Python's line cache and keeps it there. For
this app that is some 230 modules at start: about 8 MiB held for the rest of the day and 20 ms of reading
before the window shows. The same question is answered here by looking for the same bytes in the file, which
keeps nothing. Should a later PySide6 ask differently, nothing is changed.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

MARK = b"PySide6"


def read_module_sources_lightly() -> None:
    """Answer PySide6's "does this module use PySide6?" without keeping the module's source in memory."""
    import PySide6.QtCore  # noqa: F401  (loads the hook this replaces)

    feature = sys.modules.get("shibokensupport.feature")
    asks: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or asks is None or getattr(asks, "reads_lightly", False):
        return
    original: Callable[[ModuleType], bool] = asks

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # a compiled or built-in module: PySide6's own answer is cheap
        try:
            return MARK in Path(path).read_bytes()
        except OSError:
            return original(module)

    uses_pyside.reads_lightly = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()  # what PySide6 read of itself, and of `enum`, before it could be told
