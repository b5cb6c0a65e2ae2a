"""The laptop's side of HQ's enrollment limits: wrong codes past the limit are said plainly and at once, and a
retried enrollment carries the same device key, so HQ answers it with the same laptop."""

from __future__ import annotations

import pytest

from tests.hq_server import Hq
from trainer_desk.hq import devices as hq_devices
from trainer_desk.sync.client import HqClient, SyncError


def test_too_many_wrong_codes_is_said_at_once(hq: Hq) -> None:
    client = HqClient(hq.url)
    messages = []
    for attempt in range(12):
        with pytest.raises(SyncError) as refused:
            client.enroll(f"WRONG-{attempt:04d}", "laptop")
        messages.append(refused.value.message)
    assert "Too many wrong enrollment codes" in messages[-1]
    assert refused.value.kind == "refused"


def test_the_same_device_key_enrolls_once_however_often_it_is_sent(hq: Hq) -> None:
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    client = HqClient(hq.url)
    first = client.enroll(code, "laptop", device_key="k" * 43)
    again = client.enroll(code, "laptop", device_key="k" * 43)  # as after an answer lost on the way back
    assert again["token"] == first["token"] and again["device_id"] == first["device_id"]
    assert len(hq_devices.list_devices(hq.engine)) == 1
