"""A locked or broken keyring is said as such, never as 'not enrolled' (which would send IT chasing codes)."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest

from trainer_desk.hq_link import client_for
from trainer_desk.sync.client import SyncError
from trainer_desk.workspace import Workspace


class LockedKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


def test_a_locked_keyring_is_not_called_not_enrolled(workspace: Workspace) -> None:
    with workspace.db.atomic():
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', 'https://hq.example')")
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        with pytest.raises(SyncError) as raised:
            client_for(workspace.paths, workspace.db, workspace.settings)
    finally:
        keyring.set_keyring(previous)
    assert raised.value.kind == "keyring"
    assert "keyring is locked" in raised.value.message and "not enrolled" not in raised.value.message
