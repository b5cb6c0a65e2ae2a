"""What HQ sends a laptop is compact JSON with names as written, whatever a laptop pushed."""

from __future__ import annotations

import json

from trainer_desk.hq.wire_json import encoded, encoded_text


def test_names_travel_as_written_in_compact_utf8() -> None:
    body = {"roster": [{"forename": "Siân", "surname": "Wiśniewska"}, {"forename": "Nguyễn", "surname": "محمد"}]}
    wire = encoded(body)
    assert "Siân".encode() in wire and "محمد".encode() in wire  # not \u escapes, a third of the size
    assert b" " not in wire
    assert json.loads(wire) == body
    assert encoded_text(body) == wire.decode()


def test_a_number_too_big_for_the_fast_encoder_still_goes_out() -> None:
    """A laptop may have pushed one; HQ stored it. Every pull that carries it must still be answered."""
    body = {"records": [{"payload": {"count": 2**70, "name": "Siân"}}]}
    assert json.loads(encoded(body)) == body
    assert json.loads(encoded_text(body)) == body
