"""Pushes built to hurt HQ: answered 400 when malformed as a whole, refused item by item when one record
holds text HQ could not store or export, and never a 500."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import insert

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import schema
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def test_deeply_nested_pushes_are_malformed_not_a_server_error(hq: Hq) -> None:
    laptop = RawLaptop.enrolled(hq, "100234")
    nested = b'{"items": ' + b"[" * 15_000 + b"]" * 15_000 + b"}"  # 30 kB
    assert laptop.post(nested).status_code == 400
    deep_payload = item("session", session())
    for _ in range(20):  # within what the parser takes, deeper than any record HQ knows
        deep_payload["payload"] = {"inner": deep_payload["payload"]}
    assert laptop.post({"items": [deep_payload]}).status_code == 400
    newline_uuid = {**item("session", session()), "uuid": str(uuid.uuid4()) + "\n"}
    assert laptop.post({"items": [newline_uuid]}).status_code == 400
    assert hq_records.count_records(hq.engine) == 0


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (b"NaN", "NaN is not a JSON number"),
        (b"-Infinity", "-Infinity is not a JSON number"),
        (b"1e400", "1e400 is beyond what JSON readers hold"),  # finite as written; Python reads it as infinity
        (b"18446744073709551616", "20 digits"),  # 2**64: beyond what PostgreSQL, browsers and spreadsheets hold
    ],
)
def test_numbers_only_python_reads_are_malformed_and_nothing_is_stored(hq: Hq, value: bytes, said: str) -> None:
    """Python's JSON reader takes NaN, Infinity and integers of any size; no laptop sends them, and a record
    holding one could not be given back to laptops as JSON, nor exported. The push says which, and stores
    nothing; the enrollment request is read by the same rules."""
    laptop = RawLaptop.enrolled(hq, "100234")
    room = session()
    body = json.dumps({"items": [item("session", room), item("attendance", attendance(room, "600001"))]})
    hostile = body.replace('"600001"', '"600001", "minutes_late": __VALUE__').encode().replace(b"__VALUE__", value)
    answer = laptop.post(hostile)
    assert answer.status_code == 400
    assert said in answer.json()["detail"]
    assert hq_records.count_records(hq.engine) == 0
    assert laptop.post(body.encode()).status_code == 200  # the same batch without it is taken
    enrolling = b'{"code": "ABCD-EFGH", "device_name": "laptop", "spare": ' + value + b"}"
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Content-Type": "application/json"}
    refused = requests.post(hq.url + "/v1/enroll", data=enrolling, headers=headers, timeout=10)
    assert refused.status_code == 400 and "not JSON" in refused.json()["detail"]


def test_a_lone_surrogate_is_refused_per_item_and_exports_keep_working(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = RawLaptop.enrolled(hq, "100234")
    room = session()
    bad = {**attendance(room, "600001"), "walk_in": True, "walk_in_name": "Jo\ud800"}
    bad_key = {**attendance(room, "600002"), "note\udfff": "x"}
    good = attendance(room, "600003")
    # Sent as JSON escapes, exactly as a hostile device would: `json.dumps` writes "\\ud800".
    body = json.dumps(
        {
            "items": [
                item("session", room),
                item("attendance", bad),
                item("attendance", bad_key),
                item("attendance", good),
            ]
        }
    )
    assert "\\ud800" in body
    answer = laptop.post(body.encode())
    assert answer.status_code == 200
    results = [(r["status"], r["reason"]) for r in answer.json()["results"]]
    assert [s for s, _ in results] == ["created", "refused", "refused", "created"]
    assert "not valid Unicode" in results[1][1]

    # A record stored before HQ refused such text no longer stops every export.
    with hq.engine.begin() as conn:
        earlier = {**attendance(room, "600004"), "walk_in": True, "walk_in_name": "Al\udc80"}
        conn.execute(
            insert(schema.records).values(
                entity="attendance",
                uuid=earlier["uuid"],
                version=1,
                deleted=False,
                payload=json.dumps(earlier, sort_keys=True),
                device_id="old",
                created_by="old",
                seq=1000,
                received_at="2026-11-01T09:00:00+00:00",
                conflicted=False,
                session_uuid=room["uuid"],
            )
        )
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    out = tmp_path / "registrations.csv"
    assert hq_main([*admin, "export-registrations", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["Staff number"] for r in rows) == ["600003", "600004"]
    assert {r["Name"] for r in rows} == {"", "Al?"}
    assert hq_main([*admin, "compliance-summary"]) == 0
    assert (
        "Unit,Unit code,Programme,Completed,Must complete it" in capsys.readouterr().out
    )  # counted against the roster
