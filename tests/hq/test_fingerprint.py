"""A record's fingerprint is how HQ tells a replay (acknowledged as a duplicate) from different content under
the same version (a conflict). HQ stores it, so it must never change between HQ versions: a laptop replaying
a registration that an older HQ received must still hear 'duplicate'."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from trainer_desk.hq.receipt import canonical
from trainer_desk.sync.protocol import PushItem

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.sampled_from(["upsert", "delete"]), st.dictionaries(st.text(), json_values, max_size=8))
def test_the_fingerprint_is_the_one_hq_has_always_stored(op: str, payload: dict[str, Any]) -> None:
    item = PushItem("attendance", "00000000-0000-4000-8000-000000000001", 1, None, op, payload)
    stored, fingerprint = canonical(item)
    assert fingerprint == hashlib.sha256(json.dumps([op, payload], sort_keys=True).encode()).hexdigest()
    assert json.loads(stored) == payload
