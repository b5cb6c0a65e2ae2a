"""What HQ sends a laptop is compact JSON with names as written, and it refuses what a laptop could not read back."""

from __future__ import annotations

import json

import pytest

from trainer_desk.hq.wire_json import encoded, encoded_text


def test_names_travel_as_written_in_compact_utf8() -> None:
    body = {"roster": [{"forename": "Siân", "surname": "Wiśniewska"}, {"forename": "Nguyễn", "surname": "محمد"}]}
    wire = encoded(body)
    assert "Siân".encode() in wire and "محمد".encode() in wire  # not \u escapes, a third of the size
    assert b" " not in wire
    assert json.loads(wire) == body
    assert encoded_text(body) == wire.decode()


@pytest.mark.parametrize("unreadable", [{1: "a key that is not text"}, {"n": 2**70}])
def test_what_is_not_plain_json_is_refused(unreadable: object) -> None:
    with pytest.raises(TypeError):
        encoded(unreadable)
