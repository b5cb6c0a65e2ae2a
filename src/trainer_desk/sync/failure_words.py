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


# Enrolling is not tried again by itself, so these say what to do rather than that it will be retried; and a
# fault or a busy HQ is HQ's, as in the status bar, not this laptop's address or network.
_ENROLL_REFUSALS = {
    "offline": (
        "Not enrolled: HQ could not be reached at this address. Check it, and that this laptop is online, "
        "then press Enroll again."
    ),
    "server": (
        "Not enrolled: HQ has a fault, so it could not take the code. Press Enroll again in a few minutes; if "
        "it keeps happening, tell HQ's administrator."
    ),
    "busy": "Not enrolled: HQ is busy, so it could not take the code. Press Enroll again in a few minutes.",
}


def enroll_refusal(kind: str, message: str) -> str:
    """What the Enroll dialog says when enrolling failed: by `kind` where the message promises a retry that
    enrolling never makes, otherwise the failure's own `message`."""
    return _ENROLL_REFUSALS.get(kind, f"Not enrolled: {message}")
