"""The status bar's few words for why a sync stopped, by the kind of failure (`SyncError.kind`).

Each says whose problem it is, so the trainer is not sent to check the Wi-Fi when HQ itself has a fault, nor
told HQ refused when a sign-in page answered in its place; the Sync view gives the whole message beside it.
"""

from __future__ import annotations

_PHRASES = {
    "offline": "Offline: HQ not reachable",
    "server": "HQ has a fault; everything stays saved here; it tries again later",
    "busy": "HQ is busy; everything stays saved here; it tries again later",
    "not_hq": "Sync problem: something other than HQ answered (a Wi-Fi sign-in page or a proxy?)",
}


def status_phrase(kind: str) -> str:
    """The phrase for `kind`, or "" where the whole message is short enough to be the status bar's words."""
    return _PHRASES.get(kind, "")
