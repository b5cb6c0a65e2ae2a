"""How the app starts a child of itself for work it keeps out of its own process (the video check, the keyring)."""

from __future__ import annotations

import sys


def own_command(option: str) -> list[str]:
    """This program with `option`: the frozen app's executable, or this Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, option]
    return [sys.executable, "-m", "trainer_desk", option]
