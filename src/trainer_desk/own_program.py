"""How the app starts a child of itself for work it keeps out of its own process (the video check, the keyring)."""

from __future__ import annotations

import sys


def own_command(option: str, module: str = "trainer_desk") -> list[str]:
    """This program with `option`: the frozen app's executable, or this Python running `module` (the package's
    entry point, or a module with an entry of its own that spares the child the entry point's imports)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, option]
    return [sys.executable, "-m", module, option]
