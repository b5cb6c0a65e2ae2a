"""A locked or broken keyring is said as such, never as 'not enrolled' (which would send IT chasing codes)."""

from __future__ import annotations

import keyring
import pytest

from tests.memory_keyring import LockedKeyring
from trainer_desk.hq_link import client_for
from trainer_desk.sync.client import SyncError
from trainer_desk.workspace import Workspace


def test_a_locked_keyring_is_not_called_not_enrolled(workspace: Workspace) -> None:
    with workspace.db.atomic():
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', 'https://hq.example')")
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        with pytest.raises(SyncError) as raised:
            client_for(workspace.paths, workspace.db, workspace.settings, workspace.keychain)
    finally:
        keyring.set_keyring(previous)
    assert raised.value.kind == "keyring"
    assert "keyring is locked" in raised.value.message and "not enrolled" not in raised.value.message
